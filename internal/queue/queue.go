// Package queue is the durable scan queue: River jobs in the same database
// as the store, so that a submitted scan and its job are written together,
// and a finished scan and its job's completion are written together. A scan
// therefore survives a crash and completes exactly once.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/tssguard/tssguard/store"
)

// ScanArgs is a scan job: the scan's ID and the host it will visit (for the
// politeness limit).
type ScanArgs struct {
	ScanID string `json:"scan_id"`
	Host   string `json:"host"`
}

// Kind names the job in River's tables.
func (ScanArgs) Kind() string { return "scan" }

// InsertOpts: a scan retries a few times with River's backoff, and one
// scan never has two jobs.
func (ScanArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: MaxAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// MaxAttempts is how often a scan is tried before it is failed.
const MaxAttempts = 4

// Permanent marks an error that retrying cannot fix (a refused address, an
// invalid URL): the scan fails at once.
type Permanent struct{ Err error }

func (p Permanent) Error() string { return p.Err.Error() }
func (p Permanent) Unwrap() error { return p.Err }

// Runner does the scanning: it turns a scan into a result. It must honour
// ctx.
type Runner func(ctx context.Context, s store.Scan) (store.Result, error)

// Options tune the queue.
type Options struct {
	Workers    int           // concurrent scans in this process; 0 inserts only
	JobTimeout time.Duration // one attempt's budget (default 2 minutes)
	// Fetchers is how many scan jobs this process holds at once (default
	// Workers). More fetchers than workers keep network waits (slow DNS,
	// slow servers) from idling the analysis, which the runner limits to
	// its own slots.
	Fetchers int
	// Politeness is the least time between two scans of one site (default
	// 2 s; negative: none). Scans of one site also run one at a time,
	// unless Concurrent. Loopback, private and link-local hosts (labs,
	// benchmarks) are exempt unless PolitePrivate.
	Politeness    time.Duration
	Concurrent    bool
	PolitePrivate bool
	// Admit, when set, reserves what a scan needs before it starts (a
	// dynamic scan: a browser tab). Not ok: the job steps back for a
	// moment instead of waiting, so that its time limit counts only
	// the scan. release ends the reservation.
	Admit  func(ctx context.Context, s store.Scan) (release func(), ok bool)
	Logger *slog.Logger
	// RescueAfter is when a job left running by a dead worker is tried
	// again (default JobTimeout + RescueMargin). With SQLite the server
	// holds the data directory alone, so its orphans are retried at start.
	RescueAfter time.Duration
	// SweepEvery is how often this process looks for scans left pending or
	// running with no job that could finish them (default 1 minute).
	SweepEvery time.Duration
	// Poll is how often idle workers look for jobs when the database has
	// no notifications (default 250 ms on SQLite, 1 s on PostgreSQL).
	Poll time.Duration
	// Register adds other kinds of jobs (watch, hunt) to this process's
	// workers; Queues are the queues they run in, with their workers;
	// Periodic jobs are inserted by the elected leader only.
	Register func(w *river.Workers)
	Queues   map[string]int
	Periodic []*river.PeriodicJob
}

// admitRetry is how soon a scan that could not be admitted looks again.
const admitRetry = 500 * time.Millisecond

// fetchCooldown is the least time between two fetches of jobs.
const fetchCooldown = 5 * time.Millisecond

// RescueMargin is how long past its timeout an attempt may take to record
// its outcome before River takes it for the job of a dead worker.
const RescueMargin = 15 * time.Second

// writeBudget bounds recording a scan's outcome. It runs on a context of
// its own: the attempt's may have ended (a timeout), and the outcome must
// be recorded all the same or the scan would stay running.
const writeBudget = 10 * time.Second

// Queue inserts scan jobs and, with workers, runs them.
type Queue struct {
	enqueue func(ctx context.Context, tx store.Tx, a ScanArgs, o *river.InsertOpts) error
	start   func(ctx context.Context) error
	stop    func(ctx context.Context) error

	db        *store.DB
	o         Options
	stopSweep context.CancelFunc
	swept     chan struct{}
}

// New builds the queue on the store's database and migrates River's tables.
func New(ctx context.Context, db *store.DB, run Runner, o Options) (*Queue, error) {
	if o.JobTimeout <= 0 {
		o.JobTimeout = 2 * time.Minute
	}
	if o.Politeness <= 0 {
		o.Politeness = 2 * time.Second
	}
	if o.RescueAfter <= o.JobTimeout {
		o.RescueAfter = o.JobTimeout + RescueMargin
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
		if db.SQL() != nil {
			// No notifications: a job that stepped back (politeness, no
			// free tab) is found by the poll.
			o.Poll = 250 * time.Millisecond
		}
	}
	if o.Fetchers < o.Workers {
		o.Fetchers = o.Workers
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if sqlDB := db.SQL(); sqlDB != nil {
		q, err := build(ctx, riversqlite.New(sqlDB), db, run, o, func(ctx context.Context, tx *sql.Tx, job *river.Job[ScanArgs]) error {
			_, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, job)
			return err
		})
		if err == nil && o.Workers > 0 {
			// Jobs left running by a killed server: only this process holds
			// the data directory, so nobody else is running them.
			if _, err := sqlDB.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running' AND kind IN ('scan', 'watch_check', 'watch_tick', 'hunt_tick', 'hunt_round')`); err != nil {
				return nil, fmt.Errorf("queue: recover orphaned jobs: %w", err)
			}
		}
		return q, err
	}
	return build(ctx, riverpgxv5.New(db.Pool()), db, run, o, func(ctx context.Context, tx pgx.Tx, job *river.Job[ScanArgs]) error {
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job)
		return err
	})
}

func build[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], db *store.DB, run Runner, o Options,
	complete func(context.Context, TTx, *river.Job[ScanArgs]) error) (*Queue, error) {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: o.Logger})
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	// Under the store's migration lock: processes starting together on a
	// fresh database would otherwise race to create River's tables.
	err = db.Migrate(ctx, func(ctx context.Context) error {
		_, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("queue: migrate: %w", err)
	}
	cfg := &river.Config{
		Logger:               o.Logger,
		JobTimeout:           o.JobTimeout,
		RescueStuckJobsAfter: o.RescueAfter,
		FetchPollInterval:    o.Poll,
		// River waits this long between two fetches (100 ms by default),
		// which bounded a worker to about seven 15 ms static scans a
		// second; a few milliseconds keep a backlog flowing.
		FetchCooldown: min(fetchCooldown, o.Poll),
		MaxAttempts:   MaxAttempts,
	}
	if o.Workers > 0 {
		workers := river.NewWorkers()
		river.AddWorker(workers, &worker[TTx]{db: db, run: run, complete: complete, polite: newPoliteness(db, o), admit: o.Admit, log: o.Logger})
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Fetchers}}
		if o.Register != nil {
			o.Register(workers)
		}
		for name, n := range o.Queues {
			cfg.Queues[name] = river.QueueConfig{MaxWorkers: n}
		}
		cfg.PeriodicJobs = o.Periodic
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	q := &Queue{
		enqueue: func(ctx context.Context, tx store.Tx, a ScanArgs, o *river.InsertOpts) error {
			raw, ok := tx.Raw().(TTx)
			if !ok {
				return fmt.Errorf("queue: transaction of type %T", tx.Raw())
			}
			_, err := client.InsertTx(ctx, raw, a, o)
			return err
		},
		start: func(ctx context.Context) error { return nil },
		stop:  func(ctx context.Context) error { return nil },
		db:    db,
		o:     o,
	}
	if o.Workers > 0 {
		q.start, q.stop = client.Start, client.Stop
	}
	return q, nil
}

// Enqueue returns the function the store calls inside the transaction that
// creates a scan.
func (q *Queue) Enqueue(ctx context.Context, scanID, host string) func(store.Tx) error {
	return func(tx store.Tx) error { return q.enqueue(ctx, tx, ScanArgs{ScanID: scanID, Host: host}, nil) }
}

// EnqueuePriority is Enqueue at a River priority: 1 (the default, what
// people submit) runs before 2, 3 and 4 (what the hunt found).
func (q *Queue) EnqueuePriority(ctx context.Context, scanID, host string, priority int) func(store.Tx) error {
	o := ScanArgs{}.InsertOpts()
	o.Priority = min(max(priority, 1), 4)
	return func(tx store.Tx) error { return q.enqueue(ctx, tx, ScanArgs{ScanID: scanID, Host: host}, &o) }
}

// Start starts the workers (if any) and, with them, the sweep.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.start(ctx); err != nil {
		return err
	}
	if q.o.Workers > 0 && q.stopSweep == nil {
		sctx, cancel := context.WithCancel(ctx)
		q.stopSweep, q.swept = cancel, make(chan struct{})
		go q.sweepLoop(sctx)
	}
	return nil
}

// Stop lets running scans finish, up to ctx's deadline.
func (q *Queue) Stop(ctx context.Context) error {
	if q.stopSweep != nil {
		q.stopSweep()
		<-q.swept
		q.stopSweep = nil
	}
	return q.stop(ctx)
}

func (q *Queue) sweepLoop(ctx context.Context) {
	defer close(q.swept)
	t := time.NewTicker(q.o.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := q.Sweep(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			q.o.Logger.Warn("sweep of lost scans failed", "err", err)
		case n > 0:
			q.o.Logger.Warn("failed scans whose job was lost", "scans", n)
		}
	}
}

// LostReason is the error of a scan failed by the sweep.
const LostReason = "the scan's job was lost (its worker stopped or timed out on the last attempt): submit it again"

// Sweep fails the scans that nothing will finish: pending or running
// longer than an attempt can take before River rescues it, with no job
// left that could run them (River discarded it after a worker died on the
// last attempt, or the outcome could not be written). It is the back-up
// for whatever happens to a job: every scan ends done or failed.
func (q *Queue) Sweep(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-q.o.RescueAfter).UnixMicro()
	const live = `('available', 'pending', 'retryable', 'running', 'scheduled')`
	var ids []string
	if sqlDB := q.db.SQL(); sqlDB != nil {
		rows, err := sqlDB.QueryContext(ctx, `SELECT s.id FROM scans s WHERE s.status IN ('pending', 'running')
			AND (CASE WHEN s.started_at > 0 THEN s.started_at ELSE s.submitted_at END) < ?
			AND NOT EXISTS (SELECT 1 FROM river_job j WHERE j.kind = 'scan' AND json_extract(j.args, '$.scan_id') = s.id AND j.state IN `+live+`)`, cutoff)
		if err != nil {
			return 0, fmt.Errorf("queue: sweep: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return 0, fmt.Errorf("queue: sweep: %w", err)
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return 0, fmt.Errorf("queue: sweep: %w", err)
		}
		rows.Close()
	} else {
		rows, err := q.db.Pool().Query(ctx, `SELECT s.id FROM scans s WHERE s.status IN ('pending', 'running')
			AND (CASE WHEN s.started_at > 0 THEN s.started_at ELSE s.submitted_at END) < $1
			AND NOT EXISTS (SELECT 1 FROM river_job j WHERE j.kind = 'scan' AND j.args @> jsonb_build_object('scan_id', s.id) AND j.state IN `+live+`)`, cutoff)
		if err != nil {
			return 0, fmt.Errorf("queue: sweep: %w", err)
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return 0, fmt.Errorf("queue: sweep: %w", err)
		}
	}
	for _, id := range ids {
		if err := q.db.FailScan(ctx, id, LostReason, nil); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// timeout reports a network wait that ran out: a resolver, a connection
// or a whole attempt that timed out.
func timeout(err error) bool {
	var ne net.Error
	return err != nil && (errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout())
}

type worker[TTx any] struct {
	river.WorkerDefaults[ScanArgs]
	db       *store.DB
	run      Runner
	complete func(context.Context, TTx, *river.Job[ScanArgs]) error
	polite   *politeness
	admit    func(context.Context, store.Scan) (func(), bool)
	log      *slog.Logger
}

func (w *worker[TTx]) completeIn(ctx context.Context, job *river.Job[ScanArgs]) func(store.Tx) error {
	return func(tx store.Tx) error {
		raw, ok := tx.Raw().(TTx)
		if !ok {
			return fmt.Errorf("queue: transaction of type %T", tx.Raw())
		}
		return w.complete(ctx, raw, job)
	}
}

// runSafely runs a scan; a panic in it is that attempt's error, not the
// worker's end.
func (w *worker[TTx]) runSafely(ctx context.Context, s store.Scan) (res store.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scan crashed: %v", p)
		}
	}()
	return w.run(ctx, s)
}

func (w *worker[TTx]) Work(ctx context.Context, job *river.Job[ScanArgs]) error {
	id := job.Args.ScanID
	host := job.Args.Host
	if w.admit != nil {
		s, err := w.db.Scan(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return river.JobCancel(fmt.Errorf("scan %s is gone", id))
		}
		if err != nil {
			return err
		}
		free, ok := w.admit(ctx, s)
		if !ok {
			return river.JobSnooze(admitRetry + time.Duration(rand.Int64N(int64(admitRetry))))
		}
		defer free()
	}
	wait, release, err := w.polite.acquire(ctx, host)
	if err != nil {
		return err
	}
	if wait > 0 {
		return river.JobSnooze(wait)
	}
	if release != nil {
		defer release()
	}

	s, err := w.db.StartScan(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("scan %s is gone", id))
	}
	if err != nil {
		return err
	}
	if s.Status == store.Done || s.Status == store.Failed {
		return nil // finished before a crash lost the job's completion
	}
	log := w.log.With("scan", id, "attempt", job.Attempt)
	log.Info("scan started", "url", s.URL, "dynamic", s.Dynamic)
	start := time.Now()
	res, err := w.runSafely(ctx, s)
	if timeout(err) {
		w.polite.timedOut(host)
	} else if err == nil {
		w.polite.answered(host)
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeBudget)
	defer cancel()
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("the scan ran out of time (--scan-timeout): %w", err)
		}
		var perm Permanent
		if errors.As(err, &perm) || job.Attempt >= job.MaxAttempts {
			log.Warn("scan failed", "err", err)
			if ferr := w.db.FailScan(wctx, id, err.Error(), w.completeIn(wctx, job)); ferr != nil {
				return ferr
			}
			return nil
		}
		log.Warn("scan attempt failed; will retry", "err", err)
		return err
	}
	if err := w.db.FinishScan(wctx, id, res, w.completeIn(wctx, job)); err != nil {
		return err
	}
	log.Info("scan done", "verdict", res.Verdict, "score", res.Score, "ms", time.Since(start).Milliseconds())
	return nil
}

// InsertTx inserts jobs inside a store transaction, on either database,
// with the River client of the job that runs in ctx (river.ClientFromContext):
// a job that claims work in the store hands it on in the same transaction.
func InsertTx(ctx context.Context, tx store.Tx, params ...river.InsertManyParams) error {
	switch raw := tx.Raw().(type) {
	case *sql.Tx:
		_, err := river.ClientFromContext[*sql.Tx](ctx).InsertManyTx(ctx, raw, params)
		return err
	case pgx.Tx:
		_, err := river.ClientFromContext[pgx.Tx](ctx).InsertManyTx(ctx, raw, params)
		return err
	}
	return fmt.Errorf("queue: transaction of type %T", tx.Raw())
}
