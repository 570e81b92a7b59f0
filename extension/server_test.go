package extension_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/servetest"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// tssServer is a real tssguard server (SQLite store, queue, index that
// follows the store) on loopback, as `tssguard serve` runs it.
type tssServer struct {
	url   string
	token string
	db    *store.DB
	ix    *reputation.Index
	srv   *server.Server
}

func startServer(t testing.TB) *tssServer {
	t.Helper()
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() }) // runs after the API's own clean-up
	a := servetest.Start(t, db, servetest.Options{Workers: 1, KeyName: "extension"})
	url := serve(t, http.Handler(a.Server))
	return &tssServer{url: url, token: a.Token, db: db, ix: a.Index, srv: a.Server}
}

// listScam records a finished scan of a scam page on domain with a hotline,
// as a scan worker would: the domain goes on the block lists (and into the
// DNR export), the number into the hotline history.
func (s *tssServer) listScam(t testing.TB, domain, number string) {
	t.Helper()
	ctx := context.Background()
	sc, err := s.db.CreateScan(ctx, store.Scan{URL: "http://" + domain + "/alert/"}, func(store.Tx) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.StartScan(ctx, sc.ID); err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(24 * time.Hour)
	res := store.Result{
		FinalURL: "http://" + domain + "/alert/", Domain: domain, Verdict: "scam", Score: 30,
		Report: []byte(`{"verdict":"scam"}`), Campaign: "c-ext", Brand: "microsoft",
		Evidence: "locker.fullscreen, call.autodial", Template: "tpl-ext",
		Hotlines: []store.HotlineSighting{{E164: number, Type: "toll_free", Region: "US", How: []string{"text", "tel"}, Expires: exp}},
		Domains:  []store.Listing{{Value: domain, Domain: domain, Expires: exp}},
	}
	if err := s.db.FinishScan(ctx, sc.ID, res, func(store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	s.srv.Changed()
}

// userReports returns the reports the server recorded, newest first.
func (s *tssServer) userReports(t testing.TB) []store.UserReport {
	t.Helper()
	rs, err := s.db.UserReports(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
