package queue

import (
	"context"
	"errors"
	"fmt"
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

func TestPoliteness(t *testing.T) {
	p := newPoliteness(time.Second)
	now := time.Unix(1000, 0)
	p.now = func() time.Time { return now }
	if w := p.acquire("a.example"); w != 0 {
		t.Fatalf("first acquire waits %v", w)
	}
	if w := p.acquire("a.example"); w == 0 {
		t.Fatal("second scan of a busy domain allowed")
	}
	if w := p.acquire("b.example"); w != 0 {
		t.Fatal("another domain held up")
	}
	p.release("a.example")
	now = now.Add(300 * time.Millisecond)
	if w := p.acquire("a.example"); w != 700*time.Millisecond {
		t.Fatalf("wait after release = %v, want 700ms", w)
	}
	now = now.Add(700 * time.Millisecond)
	if w := p.acquire("a.example"); w != 0 {
		t.Fatalf("acquire after the gap waits %v", w)
	}
}
