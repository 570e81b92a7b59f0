package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/store"
)

// TestWatchSurvivesKill9: a real `tssguard serve` watches scam pages; it
// is killed with SIGKILL while re-captures run, started again, and every
// page goes on being re-captured (no claim left stranded by a dead job),
// each slot recorded once. On PostgreSQL a `tssguard worker` re-captures
// beside the server and both are killed together: two processes, one
// database, no page captured twice for one slot.
func TestWatchSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	t.Run("sqlite", func(t *testing.T) {
		data := filepath.Join(t.TempDir(), "data")
		watchCrash(t, []string{"--data", data}, nil, false, func() (*store.DB, error) {
			return store.OpenSQLite(context.Background(), data, false)
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.URL(t)
		// A job left running by a killed worker is retried after the
		// rescue delay, short here but well above a check's time even on
		// a loaded machine (a check still running when it passes is run
		// twice, one capture too many); a site held by a killed capture
		// is free again after twice the scan timeout.
		watchCrash(t, []string{"--postgres", dsn}, []string{"--scan-timeout", "3s", "--rescue-after", "10s"}, true, func() (*store.DB, error) {
			return store.OpenPostgres(context.Background(), dsn)
		})
	})
}

func watchCrash(t *testing.T, storeArgs, extra []string, withWorker bool, open func() (*store.DB, error)) {
	bin := binary(t)
	var mu sync.Mutex
	hits := map[string]int{}
	fixtures := http.FileServer(http.Dir(testdirs.Fixtures()))
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.RawQuery]++
		mu.Unlock()
		time.Sleep(100 * time.Millisecond) // so that the kill lands with captures in flight
		fixtures.ServeHTTP(w, r)
	}))
	defer pages.Close()
	key := apiKey(t, bin, "watch", storeArgs)
	common := append([]string{"--allow-private", "--dynamic", "off", "--workers", "2", "--politeness", "1ms", "--watch-interval", "500ms"}, append(storeArgs, extra...)...)
	args := append([]string{"serve", "--listen", "127.0.0.1:0"}, common...)
	srv, base := startServe(t, bin, args)
	startWorker := func() *exec.Cmd {
		w := exec.Command(bin, append([]string{"worker"}, common...)...)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = w.Process.Kill(); _ = w.Wait() })
		return w
	}
	var worker *exec.Cmd
	if withWorker {
		worker = startWorker()
	}
	const n = 6
	var ids []string
	for i := range n {
		ids = append(ids, submit(t, base, key, fmt.Sprintf("%s/scam/fake-bsod.html?n=%d", pages.URL, i)))
	}
	checks := func() map[string]int {
		db, err := open()
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		out := map[string]int{}
		_ = db.Watches(context.Background(), func(w store.Watch) error { out[w.URL] = w.Checks; return nil })
		return out
	}
	waitChecks := func(least int, budget time.Duration) map[string]int {
		end := time.Now().Add(budget)
		for {
			c := checks()
			ok := len(c) == n
			for _, k := range c {
				ok = ok && k >= least
			}
			if ok {
				return c
			}
			if time.Now().After(end) {
				t.Fatalf("watches after %v: %v (want %d pages with %d checks)", budget, c, n, least)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitChecks(2, 90*time.Second)
	for _, id := range ids {
		if s := status(t, base, id); s != "done" {
			t.Fatalf("scan %s is %s", id, s)
		}
	}
	for _, p := range []*exec.Cmd{srv, worker} {
		if p == nil {
			continue
		}
		if err := p.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = p.Wait()
	}
	before := checks()
	startServe(t, bin, args)
	if withWorker {
		startWorker()
	}
	least := 0
	for _, k := range before {
		least = max(least, k)
	}
	// Pages of one site take turns (store.WaitingBefore): every page,
	// the least checked before the kill too, gets past the most checked.
	waitChecks(least+3, 90*time.Second)
	// Count captures and checks at one moment: new captures wait on mu,
	// and the checks whose captures were served before it are given a
	// moment to be recorded (counted while in flight, one such capture
	// read as a capture too many on a loaded machine).
	mu.Lock()
	defer mu.Unlock()
	time.Sleep(2 * time.Second)
	after := checks()
	t.Logf("checks before the kill %v, after %v", before, after)
	for i := range n {
		q := fmt.Sprintf("n=%d", i)
		u := fmt.Sprintf("%s/scam/fake-bsod.html?%s", pages.URL, q)
		// One capture per check, plus the first scan, plus at most one
		// capture cut short by the kill.
		if hits[q] > after[u]+2 {
			t.Errorf("%s: %d captures for %d checks", u, hits[q], after[u])
		}
	}
	// One check job per page and slot, and one check recorded per slot.
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if pool := db.Pool(); pool != nil {
		var dup int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM (SELECT args FROM river_job WHERE kind = 'watch_check' GROUP BY args HAVING count(*) > 1) d`).Scan(&dup); err != nil || dup != 0 {
			t.Errorf("%d page slots with more than one job (%v)", dup, err)
		}
	}
}
