package extension_test

import (
	"context"
	"net/http"
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
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	db, err := store.OpenSQLite(ctx, t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	ix := reputation.New()
	since, err := server.LoadIndex(ctx, db, ix, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	runner := scanjob.New(engine, policy, nil)
	runner.Allowed = ix.Allowed
	q, err := queue.New(ctx, db, runner.Run, queue.Options{Workers: 1, Politeness: time.Millisecond, Poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	s := server.New(server.Options{Store: db, Queue: q, Index: ix, AllowPrivate: true})
	go server.Follow(ctx, db, ix, since, 50*time.Millisecond, nil, s.Changed)
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		q.Stop(sctx)
		db.Close()
	})
	url := serve(t, http.Handler(s))
	_, token, err := db.CreateKey(ctx, "extension")
	if err != nil {
		t.Fatal(err)
	}
	return &tssServer{url: url, token: token, db: db, ix: ix, srv: s}
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
