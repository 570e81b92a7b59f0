package hunt

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/store"
)

var testLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

// scanRecorder stands in for the scan runner: the test is about what the
// hunt queues, and each scan it queues is run (recorded) once.
type scanRecorder struct {
	mu   sync.Mutex
	urls map[string]int
}

func (s *scanRecorder) run(_ context.Context, sc store.Scan) (store.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.urls[sc.URL]++
	return store.Result{Verdict: "clean"}, nil
}

func (s *scanRecorder) count() (n, dup int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.urls {
		n += k
		if k > 1 {
			dup++
		}
	}
	return n, dup
}

func startHuntQueue(t *testing.T, db *store.DB, rec *scanRecorder) *queue.Queue {
	t.Helper()
	ctx := context.Background()
	jo := JobOptions{Every: 100 * time.Millisecond, Logger: testLogger}
	q, err := queue.New(ctx, db, rec.run, queue.Options{Workers: 2, Poll: 100 * time.Millisecond, Politeness: time.Millisecond, Logger: testLogger,
		Register: func(w *river.Workers) { Register(w, db, jo) },
		Queues:   map[string]int{Queue: 1},
		Periodic: []*river.PeriodicJob{Periodic(jo)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return q
}

func stopQueue(q *queue.Queue) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = q.Stop(ctx)
}

func waitUntil(t *testing.T, what string, budget time.Duration, ok func() bool) {
	t.Helper()
	end := time.Now().Add(budget)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRoundsAsJobs: a CT source configured in the store is read by River
// jobs on either database, from the log's end, then from the cursor each
// round saves; a new queue (a restarted process) goes on from the saved
// cursor without reading an entry again, and every lure host is scanned
// once.
func TestRoundsAsJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l := newTestLog(t)
		var mu sync.Mutex
		var starts []int
		logged := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if s := r.URL.Query().Get("start"); s != "" {
				n, _ := strconv.Atoi(s)
				mu.Lock()
				starts = append(starts, n)
				mu.Unlock()
			}
			l.srv.Config.Handler.ServeHTTP(w, r)
		}))
		defer logged.Close()
		for i := 0; i < 20; i++ {
			l.issue(t, i%2 == 0, fmt.Sprintf("bakery%d.example.com", i))
		}
		if err := db.SetHuntSources(ctx, []store.HuntSource{{Name: "ct-test", Spec: "ct:" + logged.URL, Every: 200 * time.Millisecond, PerRound: 100, MinScore: DefaultThreshold}}); err != nil {
			t.Fatal(err)
		}
		source := func() store.HuntSource {
			s, err := db.HuntSource(ctx, "ct-test")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		rec := &scanRecorder{urls: map[string]int{}}
		q := startHuntQueue(t, db, rec)
		// The first round starts at the log's end: the 20 old entries are
		// not read.
		waitUntil(t, "the first round", 20*time.Second, func() bool { return source().Cursor == `{"next":20}` })
		lures := []string{"microsoft-security-alert-0x80070.pages.dev", "windows-defender-warning-7731.web.app", "micr0s0ft-winsup0rt-833534.netlify.app"}
		for i, h := range lures {
			l.issue(t, false, h)
			l.issue(t, true, fmt.Sprintf("florist%d.example.org", i))
		}
		waitUntil(t, "the lure hosts scanned", 30*time.Second, func() bool { n, _ := rec.count(); return n == 3 })
		waitUntil(t, "the cursor", 10*time.Second, func() bool { return source().Cursor == `{"next":26}` })
		stopQueue(q)

		// A restart: the cursor is in the store.
		mu.Lock()
		starts = nil
		mu.Unlock()
		l.issue(t, false, "norton-renewal-billing-helpdesk.site")
		l.issue(t, true, lures[0]) // a repeat: dropped
		q = startHuntQueue(t, db, rec)
		defer stopQueue(q)
		waitUntil(t, "the new lure host scanned", 30*time.Second, func() bool { n, _ := rec.count(); return n == 4 })
		waitUntil(t, "the cursor after the restart", 10*time.Second, func() bool { return source().Cursor == `{"next":28}` })
		time.Sleep(500 * time.Millisecond) // a few more rounds: nothing new
		mu.Lock()
		for _, s := range starts {
			if s < 26 {
				t.Errorf("after the restart, entries from %d read again", s)
			}
		}
		mu.Unlock()
		n, dup := rec.count()
		s := source()
		if n != 4 || dup != 0 || s.Rounds < 3 || s.LastError != "" || !strings.Contains(s.LastRound, `"source":"ct-test"`) {
			t.Fatalf("scans %d (%d twice); source %+v", n, dup, s)
		}
		all, err := db.Scans(ctx, time.Time{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		scans := 0
		for _, sc := range all {
			if sc.Origin == "hunt" {
				scans++
			}
		}
		if scans != 4 {
			t.Fatalf("%d scans of origin hunt", scans)
		}
	})
}

// TestSetHuntSources: a source keeps its cursor while its spec stays; a
// new spec starts afresh; sources left out are disabled.
func TestSetHuntSources(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := store.HuntSource{Name: "a", Spec: "list:a.txt", Every: time.Minute, PerRound: 10, MinScore: 4}
		b := store.HuntSource{Name: "b", Spec: "ct:https://log.example/", Every: time.Minute, PerRound: 10, MinScore: 4}
		if err := db.SetHuntSources(ctx, []store.HuntSource{a, b}); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.SaveHuntRound(ctx, "a", a.Spec, `{"etag":"x"}`, "{}", ""); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if ok, _ := db.SaveHuntRound(ctx, "b", "ct:https://other.example/", `{"next":9}`, "{}", ""); ok {
			t.Fatal("a round of an old spec saved its cursor")
		}
		if _, err := db.SaveHuntRound(ctx, "b", b.Spec, `{"next":5}`, "{}", ""); err != nil {
			t.Fatal(err)
		}
		b.Spec = "ct:https://log2.example/"
		if err := db.SetHuntSources(ctx, []store.HuntSource{b}); err != nil {
			t.Fatal(err)
		}
		all, err := db.HuntSources(ctx)
		if err != nil || len(all) != 2 {
			t.Fatal(all, err)
		}
		if all[0].Enabled || all[0].Cursor != `{"etag":"x"}` || !all[1].Enabled || all[1].Cursor != "" || all[1].Spec != b.Spec {
			t.Fatalf("sources %+v", all)
		}
		n, err := db.ClaimHuntSources(ctx, time.Now(), func(store.Tx, string) error { return nil })
		if err != nil || n != 1 {
			t.Fatalf("claimed %d %v", n, err)
		}
		if n, _ := db.ClaimHuntSources(ctx, time.Now(), func(store.Tx, string) error { return nil }); n != 0 {
			t.Fatalf("claimed again at once: %d", n)
		}
	})
}
