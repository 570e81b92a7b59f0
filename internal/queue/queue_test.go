package queue

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/store"
)

// TestEveryScanCompletesOnce submits a batch whose runner fails some first
// attempts and refuses some URLs for good: every scan ends done or failed,
// and each done scan ran to completion exactly once.
func TestEveryScanCompletesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		var mu sync.Mutex
		runs := map[string]int{}
		run := func(ctx context.Context, s store.Scan) (store.Result, error) {
			mu.Lock()
			runs[s.ID]++
			n := runs[s.ID]
			mu.Unlock()
			switch {
			case strings.Contains(s.URL, "refused"):
				return store.Result{}, Permanent{errors.New("refused: private address")}
			case strings.Contains(s.URL, "flaky") && n == 1:
				return store.Result{}, errors.New("connection reset")
			}
			return store.Result{Verdict: "clean", FinalURL: s.URL}, nil
		}
		q, err := New(ctx, db, run, Options{Workers: 4, Politeness: time.Millisecond, Poll: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())

		var ids []string
		for i := range 24 {
			kind := []string{"ok", "flaky", "refused"}[i%3]
			u := fmt.Sprintf("https://%s-%d.example/", kind, i)
			var s store.Scan
			s, err = db.CreateScan(ctx, store.Scan{ID: fmt.Sprintf("scan-%02d", i), URL: u}, q.Enqueue(ctx, fmt.Sprintf("scan-%02d", i), fmt.Sprintf("%s-%d.example", kind, i)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s.ID)
		}
		for _, id := range ids {
			for {
				s, err := db.Scan(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if s.Status == store.Done || s.Status == store.Failed {
					break
				}
				if ctx.Err() != nil {
					t.Fatalf("scan %s still %s", id, s.Status)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for i, id := range ids {
			s, _ := db.Scan(ctx, id)
			switch i % 3 {
			case 0:
				if s.Status != store.Done || runs[id] != 1 {
					t.Errorf("%s: %s after %d runs", id, s.Status, runs[id])
				}
			case 1:
				if s.Status != store.Done || runs[id] != 2 || s.Attempts != 2 {
					t.Errorf("flaky %s: %s after %d runs, %d attempts", id, s.Status, runs[id], s.Attempts)
				}
			case 2:
				if s.Status != store.Failed || runs[id] != 1 || !strings.Contains(s.Error, "refused") {
					t.Errorf("refused %s: %s %q after %d runs", id, s.Status, s.Error, runs[id])
				}
			}
		}
	})
}

// TestPolitenessAcrossClients runs two queue clients, as two worker
// processes would, on one database: scans of one site never overlap and
// keep their gap, whichever client runs them; other sites run meanwhile.
func TestPolitenessAcrossClients(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		const gap = 150 * time.Millisecond
		var mu sync.Mutex
		running := map[string]int{}
		type span struct{ start, end time.Time }
		spans := map[string][]span{}
		maxAtOnce := 0
		run := func(ctx context.Context, s store.Scan) (store.Result, error) {
			host := strings.TrimPrefix(strings.SplitN(s.URL, "/", 4)[2], "www.")
			mu.Lock()
			running[host]++
			maxAtOnce = max(maxAtOnce, running[host])
			start := time.Now()
			mu.Unlock()
			time.Sleep(40 * time.Millisecond)
			mu.Lock()
			running[host]--
			spans[host] = append(spans[host], span{start, time.Now()})
			mu.Unlock()
			return store.Result{Verdict: "clean", FinalURL: s.URL}, nil
		}
		var queues []*Queue
		for range 2 {
			q, err := New(ctx, db, run, Options{Workers: 4, Politeness: gap, Poll: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if err := q.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer q.Stop(context.Background())
			queues = append(queues, q)
		}
		var ids []string
		for i := range 12 {
			host := []string{"one.example", "two.example"}[i%2]
			id := fmt.Sprintf("scan-%02d", i)
			if _, err := db.CreateScan(ctx, store.Scan{ID: id, URL: "https://" + host + "/" + id}, queues[i%2].Enqueue(ctx, id, host)); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		for _, id := range ids {
			if s := waitStatus(t, db, id, 60*time.Second); s.Status != store.Done {
				t.Fatalf("scan %s: %s", id, s.Status)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if maxAtOnce != 1 {
			t.Errorf("%d scans of one site ran at once", maxAtOnce)
		}
		for host, ss := range spans {
			slices.SortFunc(ss, func(a, b span) int { return a.start.Compare(b.start) })
			for i := 1; i < len(ss); i++ {
				// The gap is counted from the release, written after the
				// runner returned: allow a little clock slack.
				if d := ss[i].start.Sub(ss[i-1].end); d < gap-20*time.Millisecond {
					t.Errorf("%s: scan started %v after the one before ended, want >= %v", host, d, gap)
				}
			}
		}
	})
}

// TestLabHostsAreNotPolite: a benchmark's pages on one loopback host run
// at once, unless asked; public sites keep one at a time.
func TestLabHostsAreNotPolite(t *testing.T) {
	for _, h := range []string{"127.0.0.1", "127.0.0.1:8080", "localhost", "10.1.2.3", "[::1]:80", "192.168.0.9"} {
		if !labHost(h) {
			t.Errorf("%s: not a lab host", h)
		}
	}
	for _, h := range []string{"example.com", "8.8.8.8", "", "localhost.example.com"} {
		if labHost(h) {
			t.Errorf("%s: a lab host", h)
		}
	}
	p := &politeness{perHost: true, gap: time.Second}
	if p.applies("127.0.0.1") || !p.applies("example.com") {
		t.Error("lab hosts polite or public ones not")
	}
	p.private = true
	if !p.applies("127.0.0.1") {
		t.Error("lab hosts not polite when asked")
	}
	if (&politeness{perHost: false}).applies("example.com") {
		t.Error("no gap and concurrent: still polite")
	}
}

// TestBackoffAfterTimeouts: a host whose fetches time out is left alone
// for a while, then one probe goes; an answer clears it.
func TestBackoffAfterTimeouts(t *testing.T) {
	now := time.Unix(1000, 0)
	p := &politeness{now: func() time.Time { return now }, backoff: map[string]backoff{}}
	if w := p.backedOff("slow.example", now); w != 0 {
		t.Fatalf("fresh host waits %v", w)
	}
	p.timedOut("slow.example")
	if w := p.backedOff("slow.example", now); w != 5*time.Second {
		t.Fatalf("after a timeout: wait %v, want 5s", w)
	}
	p.timedOut("slow.example")
	if w := p.backedOff("slow.example", now); w != 10*time.Second {
		t.Fatalf("after two timeouts: wait %v, want 10s", w)
	}
	now = now.Add(11 * time.Second)
	if w := p.backedOff("slow.example", now); w != 0 {
		t.Fatalf("probe after the backoff waits %v", w)
	}
	if w := p.backedOff("slow.example", now); w == 0 {
		t.Fatal("a second scan went along with the probe")
	}
	p.answered("slow.example")
	if w := p.backedOff("slow.example", now); w != 0 {
		t.Fatalf("answered host still waits %v", w)
	}
}

// TestAdmitStepsBack: a scan that cannot be admitted (no free browser tab)
// steps back without starting, then runs once admitted: one attempt, its
// time limit spent on the scan only.
func TestAdmitStepsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var mu sync.Mutex
		asked := 0
		admit := func(_ context.Context, s store.Scan) (func(), bool) {
			mu.Lock()
			defer mu.Unlock()
			asked++
			return func() {}, asked > 3
		}
		run := func(ctx context.Context, s store.Scan) (store.Result, error) {
			return store.Result{Verdict: "clean", FinalURL: s.URL}, nil
		}
		q, err := New(ctx, db, run, Options{Workers: 1, Poll: 100 * time.Millisecond, Admit: admit})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		if _, err := db.CreateScan(ctx, store.Scan{ID: "s1", URL: "https://a.example/", Dynamic: true}, q.Enqueue(ctx, "s1", "a.example")); err != nil {
			t.Fatal(err)
		}
		s := waitStatus(t, db, "s1", 30*time.Second)
		mu.Lock()
		defer mu.Unlock()
		if s.Status != store.Done || s.Attempts != 1 || asked != 4 {
			t.Fatalf("scan %s after %d attempts, admission asked %d times", s.Status, s.Attempts, asked)
		}
	})
}
