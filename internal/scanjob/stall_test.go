package scanjob

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/store"
)

// TestStallingHostDoesNotStarveOthers: scans of a host that never answers
// hold fetchers, not the analysis slots: the scans of a healthy host
// submitted after them finish long before the stalled ones time out.
func TestStallingHostDoesNotStarveOthers(t *testing.T) {
	r, _ := runner(t)
	r.Policy.Timeout = 4 * time.Second
	release := make(chan struct{})
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		select {
		case <-release:
		case <-req.Context().Done():
		}
	}))
	defer stall.Close()
	defer close(release)
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>Bakery</title><p>Fresh bread every morning.</p>")
	}))
	defer ok.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	db, err := store.OpenSQLite(ctx, t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r.LimitAnalysis(2)
	q, err := queue.New(ctx, db, r.Run, queue.Options{Workers: 2, Fetchers: 16, Poll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(context.Background())

	submit := func(base string, i int) string {
		u, _ := url.Parse(base)
		id := fmt.Sprintf("%s-%d", u.Port(), i)
		if _, err := db.CreateScan(ctx, store.Scan{ID: id, URL: fmt.Sprintf("%s/p%d", base, i)}, q.Enqueue(ctx, id, u.Host)); err != nil {
			t.Fatal(err)
		}
		return id
	}
	for i := range 6 {
		submit(stall.URL, i)
	}
	start := time.Now()
	var healthy []string
	for i := range 10 {
		healthy = append(healthy, submit(ok.URL, i))
	}
	for _, id := range healthy {
		for {
			s, err := db.Scan(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if s.Status == store.Done {
				break
			}
			if s.Status == store.Failed || ctx.Err() != nil {
				t.Fatalf("healthy scan %s: %s %s", id, s.Status, s.Error)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	// With the two workers stuck on the stalled host, the healthy scans
	// would wait out its 4 s timeouts three times over.
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("healthy scans took %v behind a stalled host", took)
	}
}

// TestAdmitReservesTabs: dynamic scans take one of the tabs or step back;
// static scans need none.
func TestAdmitReservesTabs(t *testing.T) {
	r, _ := runner(t)
	r.LimitDynamic(1)
	free, ok := r.Admit(context.Background(), store.Scan{Dynamic: true})
	if !ok {
		t.Fatal("first dynamic scan not admitted")
	}
	if _, ok := r.Admit(context.Background(), store.Scan{Dynamic: true}); ok {
		t.Fatal("second dynamic scan admitted with one tab")
	}
	if _, ok := r.Admit(context.Background(), store.Scan{}); !ok {
		t.Fatal("static scan not admitted")
	}
	free()
	if _, ok := r.Admit(context.Background(), store.Scan{Dynamic: true}); !ok {
		t.Fatal("tab not given back")
	}
}
