package watch

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/store"
)

// scamPage is a hand-written locker with a hotline; a page built from a
// template writes the number of its "ph" parameter when it has one.
const scamPage = `<!doctype html><html><head><title>Windows Defender Security Warning</title></head>
<body onbeforeunload="return 'Your computer is locked'">
<h1>Microsoft Windows Security Alert</h1>
<p>Your computer has been infected with a Trojan spyware. Your passwords and banking details are at risk.</p>
<p>Do not restart your computer. Call Microsoft Support immediately at <a href="tel:+%[1]s">+%[1]s</a> (toll free).</p>
<audio autoplay loop src="alarm.mp3"></audio>
<script>for (var i = 0; i < 50; i++) { alert("Virus detected! Call +%[1]s now"); } document.documentElement.requestFullscreen();</script>
</body></html>`

// site is a scam site whose number and state the test changes.
type site struct {
	mu     sync.Mutex
	number string
	state  string // alive, 404, benign
	hits   map[string]int
}

func (s *site) set(number, state string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if number != "" {
		s.number = number
	}
	s.state = state
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	number, state := s.number, s.state
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	switch state {
	case "404":
		http.NotFound(w, r)
		return
	case "benign":
		fmt.Fprint(w, "<html><body><h1>This domain is for sale</h1><p>Contact the owner.</p></body></html>")
		return
	}
	if ph := r.URL.Query().Get("ph"); ph == strings.TrimPrefix(Sentinel, "+") {
		number = ph // the kit writes whatever number its URL carries
	}
	w.Header().Set("Content-Type", "text/html")
	fmt.Fprintf(w, scamPage, number)
}

func newRunner(t testing.TB) *scanjob.Runner {
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	policy.Timeout = 5 * time.Second
	return scanjob.New(engine, policy, nil)
}

// seed scans a page as the API would and records the scam verdict, which
// starts its watch.
func seed(t testing.TB, db *store.DB, r *scanjob.Runner, u string) {
	ctx := context.Background()
	s, err := db.CreateScan(ctx, store.Scan{URL: u}, nil)
	if err != nil {
		t.Fatal(err)
	}
	obs, err := r.Observe(ctx, u, store.Visitor{})
	if err != nil || obs.Result.Verdict != "scam" {
		t.Fatalf("seed %s: %v %v", u, obs.Result.Verdict, err)
	}
	if err := db.FinishScan(ctx, s.ID, obs.Result, nil); err != nil {
		t.Fatal(err)
	}
}

func startQueue(t testing.TB, db *store.DB, r *scanjob.Runner, workers int, o Options) *queue.Queue {
	ctx := context.Background()
	q, err := queue.New(ctx, db, r.Run, queue.Options{Workers: 1, Poll: 100 * time.Millisecond, Logger: testLogger,
		Register: func(w *river.Workers) { Register(w, db, r.Observe, o) },
		Queues:   map[string]int{Queue: workers},
		Periodic: []*river.PeriodicJob{Periodic(o)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
	return q
}

func waitFor(t *testing.T, what string, budget time.Duration, ok func() bool) {
	t.Helper()
	end := time.Now().Add(budget)
	for time.Now().Before(end) {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func listedURL(db *store.DB, suffix string) bool {
	found := false
	_ = db.Listings(context.Background(), time.Now(), func(l store.Listed) error {
		found = found || (l.Kind == "url" && strings.HasSuffix(l.Value, suffix))
		return nil
	})
	return found
}

// TestWatchFollowsAPage runs the watch through River on both stores: it
// sees a template page rotate its number and reflect a sentinel, expires
// the listing when the page answers 404, lists it again when it comes
// back, and ends the watch once the page stays gone.
func TestWatchFollowsAPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.SetSchedule(store.Schedule{Last: 300 * time.Millisecond, GoneFor: 2 * time.Second, Jitter: 0.1})
		s := &site{number: "18885550147", state: "alive", hits: map[string]int{}}
		srv := httptest.NewServer(s)
		defer srv.Close()
		r := newRunner(t)
		page := srv.URL + "/alert?ph=18885550147"
		seed(t, db, r, page)
		w, err := db.Watch(ctx, page)
		if err != nil || len(w.Params) == 0 {
			t.Fatalf("watch after a scam verdict: %+v %v", w, err)
		}
		startQueue(t, db, r, 2, Options{Every: 200 * time.Millisecond, Politeness: 10 * time.Millisecond})

		waitFor(t, "two checks", 20*time.Second, func() bool {
			w, _ = db.Watch(ctx, page)
			return w.Checks >= 2
		})
		// Rotation: the new number is sighted on the page.
		s.set("18885550199", "alive")
		waitFor(t, "the rotated number", 20*time.Second, func() bool {
			h, err := db.Hotline(ctx, "+18885550199")
			return err == nil && len(h.Pages) > 0
		})
		w, _ = db.Watch(ctx, page)
		if w.State != store.Alive || w.Checks == 0 {
			t.Fatalf("watch = %+v", w)
		}
		// Gone: the listing ends without waiting for its timer.
		s.set("", "404")
		waitFor(t, "the listing to expire", 20*time.Second, func() bool { return !listedURL(db, "/alert") })
		w, _ = db.Watch(ctx, page)
		if w.State != store.Gone || w.How != "http-404" {
			t.Fatalf("gone watch = %+v", w)
		}
		// Back: listed again.
		s.set("", "alive")
		waitFor(t, "the page to be listed again", 20*time.Second, func() bool { return listedURL(db, "/alert") })
		// Parked for good: the watch ends.
		s.set("", "benign")
		waitFor(t, "the watch to end", 30*time.Second, func() bool {
			w, _ = db.Watch(ctx, page)
			return w.State == store.Ended
		})
		st, err := db.WatchStatistics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Rotations == 0 || st.Reflects != 1 || st.GoneHow["http-404"] == 0 || st.GoneHow["benign"] == 0 || st.URLTakedown.N != 1 {
			t.Fatalf("stats = %+v", st)
		}
		// One capture (two with the sentinel) per recorded check: no
		// slot was captured twice.
		s.mu.Lock()
		hits := s.hits["/alert"]
		s.mu.Unlock()
		if max := 1 + 2*st.Checks; hits > max {
			t.Fatalf("%d captures for %d checks", hits, st.Checks)
		}
	})
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		obs       scanjob.Observation
		err       error
		state, hw string
	}{
		{scanjob.Observation{Status: 200, Result: store.Result{Verdict: "scam"}}, nil, store.Alive, ""},
		{scanjob.Observation{Status: 404, Result: store.Result{Verdict: "clean"}}, nil, store.Gone, "http-404"},
		{scanjob.Observation{Status: 200, FinalURL: "https://bank.example/", Result: store.Result{Verdict: "clean"}}, nil, store.Gone, "elsewhere"},
		{scanjob.Observation{Status: 200, FinalURL: "https://www.scam.example/x", Result: store.Result{Verdict: "clean"}}, nil, store.Gone, "benign"},
		{scanjob.Observation{}, fmt.Errorf("fetch: %w", capture.ErrForbiddenAddress), store.Gone, "forbidden"},
		{scanjob.Observation{}, context.DeadlineExceeded, store.Gone, "timeout"},
	} {
		st, how := Classify("https://scam.example/alert", c.obs, c.err)
		if st != c.state || how != c.hw {
			t.Errorf("%+v %v: got %s/%s, want %s/%s", c.obs, c.err, st, how, c.state, c.hw)
		}
	}
}

var testLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
