// Package servetest starts a real tssguard API for tests, wired as
// `tssguard serve` wires it: the default engine, a scan queue with its
// runner on the given store, a reputation index loaded from the store and
// following it, and the server. Only loopback and private addresses are
// scanned, which tests serve their pages on.
package servetest

import (
	"cmp"
	"context"
	"testing"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/sandbox"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// Options configure a test API.
type Options struct {
	// Server are the server's options; Start fills in Store, Queue, Index,
	// AllowPrivate and Dynamic.
	Server server.Options
	// Pool, when set, runs dynamic scans.
	Pool *sandbox.Pool
	// Workers is the number of scan workers (default 2).
	Workers int
	// KeyName names the API key Start creates (default "test").
	KeyName string
}

// API is a running test API; serve Server with httptest.
type API struct {
	Server *server.Server
	Index  *reputation.Index
	Queue  *queue.Queue
	Token  string // an API key's token
}

// Start starts the API on db; everything stops when the test ends.
func Start(t testing.TB, db *store.DB, o Options) *API {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
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
	runner := scanjob.New(engine, policy, o.Pool)
	runner.Allowed = ix.Allowed
	q, err := queue.New(ctx, db, runner.Run, queue.Options{Workers: cmp.Or(o.Workers, 2), Politeness: time.Millisecond, Poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		q.Stop(sctx)
	})
	so := o.Server
	so.Store, so.Queue, so.Index, so.AllowPrivate, so.Dynamic = db, q, ix, true, o.Pool != nil
	if so.Engine == nil {
		so.Engine = engine
	}
	s := server.New(so)
	go server.Follow(ctx, db, ix, since, 50*time.Millisecond, nil, s.Changed)
	name := o.KeyName
	if name == "" {
		name = "test"
	}
	_, token, err := db.CreateKey(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return &API{Server: s, Index: ix, Queue: q, Token: token}
}
