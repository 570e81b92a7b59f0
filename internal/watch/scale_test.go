package watch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
	"github.com/tssguard/tssguard/store"
)

// TestScaleTwoWorkers: two worker processes' queues (two River clients)
// on one PostgreSQL database re-capture many watched pages served on
// loopback by many sites. Every page is captured exactly once for its
// slot, and no site is visited by two captures at once.
// TSSGUARD_WATCH_SCALE sets the number of pages (default 400).
func TestScaleTwoWorkers(t *testing.T) {
	n := 400
	if v, err := strconv.Atoi(os.Getenv("TSSGUARD_WATCH_SCALE")); err == nil && v > 0 {
		n = v
	}
	const sites = 40
	ctx := context.Background()
	pg := pgtest.URL(t)
	var dbs []*store.DB
	for i := 0; i < 2; i++ {
		db, err := store.OpenPostgres(ctx, pg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.SetSchedule(store.Schedule{Last: time.Hour, GoneFor: 48 * time.Hour})
		dbs = append(dbs, db)
	}
	var mu sync.Mutex
	hits := map[string]int{}
	busy := map[string]bool{}
	overlaps := 0
	var servers []*httptest.Server
	for s := 0; s < sites; s++ {
		site := fmt.Sprint(s)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			hits[r.Host+r.URL.Path]++
			if busy[site] {
				overlaps++
			}
			busy[site] = true
			mu.Unlock()
			defer func() { mu.Lock(); busy[site] = false; mu.Unlock() }()
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, scamPage, "18885550147")
		}))
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		u := fmt.Sprintf("%s/p/%d", servers[i%sites].URL, i)
		if err := dbs[0].AddWatch(ctx, u, Site(u), start); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d watches added in %.1fs", n, time.Since(start).Seconds())
	r := newRunner(t)
	o := Options{Every: time.Second, Politeness: time.Millisecond, Batch: 1000, Logger: testLogger}
	begin := time.Now()
	for _, db := range dbs {
		startQueue(t, db, r, 4, o)
	}
	var checks int
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		st, err := dbs[0].WatchStatistics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if checks = st.Checks; checks >= n {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	took := time.Since(begin)
	if checks < n {
		t.Fatalf("%d of %d pages checked in %v", checks, n, took)
	}
	// One job per page and slot, each done at its first attempt.
	rows, err := dbs[0].Pool().Query(ctx, `SELECT args::text, count(*), max(attempt), string_agg(state::text || coalesce(errors::text, ''), ',') FROM river_job WHERE kind = 'watch_check' GROUP BY args::text HAVING count(*) > 1 OR max(attempt) > 1 LIMIT 20`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var args, states string
		var c, a int
		_ = rows.Scan(&args, &c, &a, &states)
		t.Errorf("job %s: %d jobs, attempt %d, states %s", args, c, a, states)
	}
	rows.Close()
	mu.Lock()
	defer mu.Unlock()
	for page, k := range hits {
		if k != 1 {
			t.Errorf("%s captured %d times in one slot", page, k)
		}
	}
	if len(hits) != n || overlaps > 0 {
		t.Fatalf("%d pages captured of %d; %d captures overlapped on a site", len(hits), n, overlaps)
	}
	t.Logf("2 workers × 4 watch jobs, %d pages on %d sites: all checked in %.1fs (including leader election) = %.0f jobs/min; each page captured once", n, sites, took.Seconds(), float64(n)/took.Minutes())
}
