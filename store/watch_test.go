package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// manual is a clock the test moves.
type manual struct {
	mu sync.Mutex
	t  time.Time
}

func (m *manual) now() time.Time { m.mu.Lock(); defer m.mu.Unlock(); return m.t }
func (m *manual) add(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = m.t.Add(d)
	return m.t
}

func listed(t *testing.T, d *DB, now time.Time) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if err := d.Listings(context.Background(), now, func(l Listed) error { out[l.Kind+":"+l.Value] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWatchLifecycle: a scam verdict starts a watch; a re-capture that
// finds the page gone expires its listings at once (not on their timer);
// the page coming back lists it again; two days gone ends the watch; a
// slot is recorded once.
func TestWatchLifecycle(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		clk := &manual{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
		d.now = clk.now
		const page = "https://scam.example/alert/?ph=18885550147"
		s, err := d.CreateScan(ctx, Scan{URL: page}, nil)
		if err != nil {
			t.Fatal(err)
		}
		res := scamResult("scam.example", "+18885550147", clk.now().Add(14*24*time.Hour))
		res.TemplateParams = []string{"ph"}
		if err := d.FinishScan(ctx, s.ID, res, nil); err != nil {
			t.Fatal(err)
		}
		w, err := d.Watch(ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		if w.State != Alive || len(w.Params) != 1 || w.Params[0] != "ph" || w.Domain != "scam.example" {
			t.Fatalf("watch = %+v", w)
		}
		if due := w.NextDue.Sub(w.Added); due < 13*time.Minute || due > 17*time.Minute {
			t.Fatalf("first check due after %v, want about 15 min", due)
		}
		if n, err := d.ClaimWatches(ctx, clk.now(), 10, time.Hour, nil); err != nil || n != 0 {
			t.Fatalf("claimed %d before due (%v)", n, err)
		}

		// Due: claimed once, not twice.
		now := clk.add(20 * time.Minute)
		var slot int64
		n, err := d.ClaimWatches(ctx, now, 10, time.Hour, func(_ Tx, url string, s int64) error { slot = s; return nil })
		if err != nil || n != 1 || slot != w.NextDue.UnixMicro() {
			t.Fatalf("claim: n=%d slot=%d err=%v", n, slot, err)
		}
		if n, _ := d.ClaimWatches(ctx, now, 10, time.Hour, nil); n != 0 {
			t.Fatalf("claimed again: %d", n)
		}
		if got := listed(t, d, now); !got["url:scam.example/alert/"] || !got["domain:scam.example"] {
			t.Fatalf("listings before gone: %v", got)
		}

		// Gone: listings end now.
		ok, err := d.RecordCheck(ctx, WatchCheck{URL: page, Slot: slot, State: Gone, How: "dns"}, nil)
		if err != nil || !ok {
			t.Fatalf("record: %v %v", ok, err)
		}
		if ok, err := d.RecordCheck(ctx, WatchCheck{URL: page, Slot: slot, State: Gone, How: "dns"}, nil); err != nil || ok {
			t.Fatalf("second record of one slot: %v %v", ok, err)
		}
		if rec, _ := d.CheckRecorded(ctx, page, slot); !rec {
			t.Fatal("slot not recorded")
		}
		now = clk.add(time.Second)
		if got := listed(t, d, now); len(got) != 0 {
			t.Fatalf("listings after gone: %v", got)
		}
		gone := 0
		_ = d.Verdicts(ctx, time.Time{}, func(v Verdict) error {
			if v.Verdict == "gone" {
				gone++
			}
			return nil
		})
		if gone != 2 {
			t.Fatalf("gone verdicts = %d, want url and domain", gone)
		}
		w, _ = d.Watch(ctx, page)
		if w.State != Gone || w.How != "dns" || w.GoneCount != 1 || w.ClaimedSlot != 0 {
			t.Fatalf("after gone: %+v", w)
		}

		// Back: listed again at once.
		now = clk.add(20 * time.Minute)
		n, err = d.ClaimWatches(ctx, now, 10, time.Hour, func(_ Tx, _ string, s int64) error { slot = s; return nil })
		if err != nil || n != 1 {
			t.Fatalf("claim 2: %d %v", n, err)
		}
		back := scamResult("scam.example", "+18885550199", now.Add(14*24*time.Hour))
		if ok, err := d.RecordCheck(ctx, WatchCheck{URL: page, Slot: slot, State: Alive, Verdict: "scam", Numbers: []string{"+18885550199"}}, &back); err != nil || !ok {
			t.Fatalf("record alive: %v %v", ok, err)
		}
		if got := listed(t, d, clk.add(time.Second)); !got["url:scam.example/alert/"] || !got["domain:scam.example"] {
			t.Fatalf("listings after coming back: %v", got)
		}
		h, err := d.Hotline(ctx, "+18885550199")
		if err != nil || len(h.Pages) == 0 {
			t.Fatalf("rotated number not sighted: %+v %v", h, err)
		}

		// Gone for two days: the watch ends.
		for i := 0; i < 80; i++ {
			w, _ = d.Watch(ctx, page)
			if w.State == Ended {
				break
			}
			now = clk.add(w.NextDue.Sub(clk.now()) + time.Second)
			n, err = d.ClaimWatches(ctx, now, 10, time.Hour, func(_ Tx, _ string, s int64) error { slot = s; return nil })
			if err != nil || n != 1 {
				t.Fatalf("claim %d: %d %v", i, n, err)
			}
			if _, err := d.RecordCheck(ctx, WatchCheck{URL: page, Slot: slot, State: Gone, How: "http-404"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		w, _ = d.Watch(ctx, page)
		if w.State != Ended || !w.NextDue.IsZero() || w.LastChecked.Sub(w.GoneSince) < 48*time.Hour {
			t.Fatalf("not ended after two days gone: %+v", w)
		}
		st, err := d.WatchStatistics(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Watched != 1 || st.Ended != 1 || st.GoneHow["dns"] != 1 || st.GoneHow["http-404"] == 0 || st.URLTakedown.N != 1 || st.DomainTakedown.N != 1 {
			t.Fatalf("stats = %+v", st)
		}
		if st.NumbersPerDay["c-kit1"]["2026-11-01"] != 2 {
			t.Fatalf("numbers per day = %v", st.NumbersPerDay)
		}
	})
}

// TestSitePoliteness: one claim of a site at a time, shared through the
// database.
func TestSitePoliteness(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		if wait, err := d.ClaimSite(ctx, "scam.example", now, time.Minute); err != nil || wait != 0 {
			t.Fatalf("first claim: %v %v", wait, err)
		}
		if wait, err := d.ClaimSite(ctx, "scam.example", now.Add(time.Second), time.Minute); err != nil || wait < 50*time.Second {
			t.Fatalf("second claim while held: %v %v", wait, err)
		}
		if wait, _ := d.ClaimSite(ctx, "other.example", now, time.Minute); wait != 0 {
			t.Fatal("another site waits")
		}
		if err := d.ReleaseSite(ctx, "scam.example", now.Add(2*time.Second)); err != nil {
			t.Fatal(err)
		}
		if wait, _ := d.ClaimSite(ctx, "scam.example", now.Add(3*time.Second), time.Minute); wait != 0 {
			t.Fatalf("claim after release waits %v", wait)
		}
		if fresh, err := d.MarkHunted(ctx, "micros0ft-alert.example", "ct", 7, ""); err != nil || !fresh {
			t.Fatalf("hunted: %v %v", fresh, err)
		}
		if fresh, _ := d.MarkHunted(ctx, "micros0ft-alert.example", "list", 7, ""); fresh {
			t.Fatal("repeat host not dropped")
		}
	})
}

// TestWaitingBefore: a page claimed earlier and still waiting goes
// first; a claim nobody touched for long stops holding the others back.
func TestWaitingBefore(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
		for i, p := range []string{"https://scam.example/a", "https://scam.example/b"} {
			if err := d.AddWatch(ctx, p, "scam.example", t0.Add(time.Duration(i)*10*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		slots := map[string]int64{}
		if _, err := d.ClaimWatches(ctx, t0.Add(time.Minute), 10, time.Hour, func(_ Tx, url string, s int64) error { slots[url] = s; return nil }); err != nil || len(slots) != 2 {
			t.Fatalf("claimed %v (%v)", slots, err)
		}
		a, b := slots["https://scam.example/a"], slots["https://scam.example/b"]
		now := t0.Add(time.Minute)
		if ahead, err := d.WaitingBefore(ctx, "scam.example", "https://scam.example/b", b, time.Second, now.Add(-time.Minute)); err != nil || !ahead {
			t.Fatalf("b does not wait for a, claimed 10 s earlier: %v %v", ahead, err)
		}
		if ahead, _ := d.WaitingBefore(ctx, "scam.example", "https://scam.example/a", a, time.Second, now.Add(-time.Minute)); ahead {
			t.Fatal("a waits for the later b")
		}
		if ahead, _ := d.WaitingBefore(ctx, "scam.example", "https://scam.example/b", b, 20*time.Second, now.Add(-time.Minute)); ahead {
			t.Fatal("b waits for a claim within the margin")
		}
		if ahead, _ := d.WaitingBefore(ctx, "other.example", "https://other.example/c", b, time.Second, now.Add(-time.Minute)); ahead {
			t.Fatal("another domain waits")
		}
		// a's job died: its claim, untouched, stops counting.
		later := now.Add(5 * time.Minute)
		if ahead, _ := d.WaitingBefore(ctx, "scam.example", "https://scam.example/b", b, time.Second, later.Add(-time.Minute)); ahead {
			t.Fatal("a dead claim holds b back")
		}
		if err := d.TouchClaim(ctx, "https://scam.example/a", a, later); err != nil {
			t.Fatal(err)
		}
		if ahead, _ := d.WaitingBefore(ctx, "scam.example", "https://scam.example/b", b, time.Second, later.Add(-time.Minute)); !ahead {
			t.Fatal("a touched claim does not count")
		}
	})
}

// TestConcurrentFirstSightings: scans finishing at once that carry the
// same new number and domain all record (a select-then-insert failed the
// later ones with a unique violation on PostgreSQL, and their jobs ran
// again).
func TestConcurrentFirstSightings(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		const n = 8
		ids := make([]string, n)
		for i := range ids {
			s, err := d.CreateScan(ctx, Scan{URL: fmt.Sprintf("https://same.example/p/%d", i)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = s.ID
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- d.FinishScan(ctx, id, scamResult("same.example", "+18885550147", time.Now().Add(time.Hour)), nil)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		h, err := d.Hotline(ctx, "+18885550147")
		if err != nil || h.Sightings != n {
			t.Fatalf("hotline %+v %v", h, err)
		}
	})
}
