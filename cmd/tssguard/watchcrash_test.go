package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/store"
)

// TestWatchSurvivesKill9: a real `tssguard serve` on SQLite watches scam
// pages; it is killed with SIGKILL while re-captures run, started again,
// and every page goes on being re-captured (no claim left stranded by a
// dead job), each slot recorded once.
func TestWatchSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
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
	data := filepath.Join(t.TempDir(), "data")
	storeArgs := []string{"--data", data}
	key := apiKey(t, bin, "watch", storeArgs)
	args := append([]string{"serve", "--listen", "127.0.0.1:0", "--allow-private", "--dynamic", "off", "--workers", "2", "--politeness", "1ms", "--watch-interval", "500ms"}, storeArgs...)
	srv, base := startServe(t, bin, args)
	const n = 6
	var ids []string
	for i := range n {
		ids = append(ids, submit(t, base, key, fmt.Sprintf("%s/scam/fake-bsod.html?n=%d", pages.URL, i)))
	}
	checks := func() map[string]int {
		db, err := store.OpenSQLite(context.Background(), data, false)
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
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	before := checks()
	startServe(t, bin, args)
	least := 0
	for _, k := range before {
		least = max(least, k)
	}
	after := waitChecks(least+3, 90*time.Second)
	mu.Lock()
	defer mu.Unlock()
	for i := range n {
		q := fmt.Sprintf("n=%d", i)
		u := fmt.Sprintf("%s/scam/fake-bsod.html?%s", pages.URL, q)
		// One capture per check, plus the first scan, plus at most one
		// capture cut short by the kill.
		if hits[q] > after[u]+2 {
			t.Errorf("%s: %d captures for %d checks", u, hits[q], after[u])
		}
	}
}
