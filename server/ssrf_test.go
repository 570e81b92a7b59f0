package server_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// TestPrivateTargetsRefused: without --allow-private, a submitted URL can
// never make the service scan a private, loopback or link-local address:
// literal addresses and names that resolve to them are refused at
// submission, and the worker's fetcher refuses them again at every dial.
func TestPrivateTargetsRefused(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	q, err := queue.New(ctx, db, nil, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	resolve := func(_ context.Context, host string) ([]netip.Addr, error) {
		switch host {
		case "intranet.example":
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
		case "metadata.example":
			return []netip.Addr{netip.MustParseAddr("169.254.169.254")}, nil
		case "public.example":
			return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
		}
		return nil, errors.New("no such host")
	}
	srv := httptest.NewServer(server.New(server.Options{Store: db, Queue: q, Index: reputation.New(), Resolve: resolve}))
	t.Cleanup(srv.Close)
	_, token, _ := db.CreateKey(ctx, "k")
	a := &api{t: t, url: srv.URL, token: token}
	for _, u := range []string{
		"http://127.0.0.1/", "http://127.1/", "http://localhost:8080/", "http://app.localhost/",
		"http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.1/", "http://192.168.1.1/admin",
		"http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://[fd00::1]/", "http://0.0.0.0/",
		"http://intranet.example/", "https://metadata.example/",
	} {
		code, m, raw := a.do("POST", "/api/v1/scans", token, map[string]any{"url": u})
		if code != 400 || (m["error"] != "private_address" && m["error"] != "bad_url") {
			t.Errorf("%s: %d %s, want 400 private_address", u, code, raw)
		}
	}
	if code, _, raw := a.do("POST", "/api/v1/scans", token, map[string]any{"url": "http://public.example/"}); code != 202 {
		t.Errorf("public host refused: %d %s", code, raw)
	}
	if list, _ := db.Scans(ctx, time.Time{}, 100); len(list) != 1 {
		t.Errorf("%d scans queued, want only the public one", len(list))
	}

	// The worker checks again when it connects: a name that resolved to a
	// public address at submission and to loopback later is still refused.
	pages := pages(t, "127.0.0.1")
	engine, _ := analyze.New(analyze.Options{})
	runner := scanjob.New(engine, capture.DefaultPolicy(), nil)
	_, err = runner.Run(ctx, store.Scan{URL: pages + "/scam/fake-bsod.html"})
	var perm queue.Permanent
	if !errors.As(err, &perm) || !errors.Is(err, capture.ErrForbiddenAddress) {
		t.Errorf("worker fetched a loopback page: %v", err)
	}
}
