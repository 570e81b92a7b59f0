package queue

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/store"
)

// exec runs a statement written with ? placeholders on either database.
func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	var err error
	if sqlDB := db.SQL(); sqlDB != nil {
		_, err = sqlDB.Exec(q, args...)
	} else {
		n := 0
		var b strings.Builder
		for _, r := range q {
			if r == '?' {
				n++
				b.WriteString("$" + string(rune('0'+n)))
				continue
			}
			b.WriteRune(r)
		}
		_, err = db.Pool().Exec(context.Background(), b.String(), args...)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// scanIDOf is the scan ID in a River job's arguments.
func scanIDOf(db *store.DB) string {
	if db.SQL() != nil {
		return "json_extract(args, '$.scan_id')"
	}
	return "args->>'scan_id'"
}

func waitStatus(t *testing.T, db *store.DB, id string, within time.Duration) store.Scan {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		s, err := db.Scan(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status == store.Done || s.Status == store.Failed || time.Now().After(deadline) {
			return s
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestLastAttemptTimeoutFailsScan: when the last attempt runs out of time,
// the scan is failed, although the attempt's context has ended.
func TestLastAttemptTimeoutFailsScan(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		hang := func(ctx context.Context, s store.Scan) (store.Result, error) {
			<-ctx.Done()
			return store.Result{}, ctx.Err()
		}
		q, err := New(ctx, db, hang, Options{Workers: 1, JobTimeout: 300 * time.Millisecond, Politeness: time.Millisecond, Poll: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		// Its last attempt: River counts this one as the fourth.
		s, err := db.CreateScan(ctx, store.Scan{ID: "slow", URL: "https://slow.example/"}, q.Enqueue(ctx, "slow", "slow.example"))
		if err != nil {
			t.Fatal(err)
		}
		exec(t, db, `UPDATE river_job SET attempt = ? WHERE kind = 'scan'`, MaxAttempts-1)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		got := waitStatus(t, db, s.ID, 15*time.Second)
		if got.Status != store.Failed || got.Error == "" {
			t.Fatalf("scan after its last attempt timed out: %s %q", got.Status, got.Error)
		}
	})
}

// TestSweepFailsScansWithoutJob: a scan whose job is gone (its worker died
// on the last attempt and River's rescuer discarded the job) is failed by
// the periodic sweep, with a reason; a scan whose job is alive is not.
func TestSweepFailsScansWithoutJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		never := func(ctx context.Context, s store.Scan) (store.Result, error) {
			t.Error("no job should run")
			return store.Result{}, nil
		}
		q, err := New(ctx, db, never, Options{Workers: 1, JobTimeout: time.Second, Poll: 100 * time.Millisecond, SweepEvery: 100 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		lost, err := db.CreateScan(ctx, store.Scan{ID: "lost", URL: "https://lost.example/"}, q.Enqueue(ctx, "lost", "lost.example"))
		if err != nil {
			t.Fatal(err)
		}
		waiting, err := db.CreateScan(ctx, store.Scan{ID: "waiting", URL: "https://waiting.example/"}, q.Enqueue(ctx, "waiting", "waiting.example"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{lost.ID, waiting.ID} {
			if _, err := db.StartScan(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		hourAgo := time.Now().Add(-time.Hour).UnixMicro()
		exec(t, db, `UPDATE scans SET started_at = ?, submitted_at = ?`, hourAgo, hourAgo)
		// What the rescuer leaves of a job whose worker died on its last
		// attempt; the other job waits for a retry far ahead.
		exec(t, db, `UPDATE river_job SET state = 'discarded', finalized_at = CURRENT_TIMESTAMP WHERE `+scanIDOf(db)+` = 'lost'`)
		exec(t, db, `UPDATE river_job SET state = 'retryable', scheduled_at = ? WHERE `+scanIDOf(db)+` = 'waiting'`, time.Now().Add(time.Hour).UTC())
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer q.Stop(context.Background())
		got := waitStatus(t, db, lost.ID, 10*time.Second)
		if got.Status != store.Failed || !strings.Contains(got.Error, "job") {
			t.Errorf("scan without a job: %s %q", got.Status, got.Error)
		}
		if s, _ := db.Scan(ctx, waiting.ID); s.Status != store.Running {
			t.Errorf("scan with a live job swept: %s %q", s.Status, s.Error)
		}
	})
}

// TestRescueFollowsTimeout: a job left running by a dead worker is tried
// again soon after the scan timeout, not minutes later.
func TestRescueFollowsTimeout(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q, err := New(context.Background(), db, nil, Options{JobTimeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if got := q.o.RescueAfter; got <= 2*time.Minute || got > 2*time.Minute+30*time.Second {
		t.Errorf("rescue after %v with a 2m scan timeout, want timeout + a small margin", got)
	}
}
