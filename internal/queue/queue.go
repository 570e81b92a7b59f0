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
	Politeness time.Duration // least time between two scans of one domain (default 2 s)
	Logger     *slog.Logger
	// RescueAfter is when a job left running by a dead worker is tried
	// again (default JobTimeout + 1 minute). With SQLite the server holds
	// the data directory alone, so its orphans are retried at start.
	RescueAfter time.Duration
	// Poll is how often idle workers look for jobs when the database has
	// no notifications (SQLite; default 1 s).
	Poll time.Duration
}

// Queue inserts scan jobs and, with workers, runs them.
type Queue struct {
	enqueue func(ctx context.Context, tx store.Tx, a ScanArgs) error
	start   func(ctx context.Context) error
	stop    func(ctx context.Context) error
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
		o.RescueAfter = o.JobTimeout + time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
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
			if _, err := sqlDB.ExecContext(ctx, `UPDATE river_job SET state = 'available' WHERE state = 'running' AND kind = 'scan'`); err != nil {
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
		MaxAttempts:          MaxAttempts,
	}
	if o.Workers > 0 {
		workers := river.NewWorkers()
		river.AddWorker(workers, &worker[TTx]{db: db, run: run, complete: complete, polite: newPoliteness(o.Politeness), log: o.Logger})
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}}
	}
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	q := &Queue{
		enqueue: func(ctx context.Context, tx store.Tx, a ScanArgs) error {
			raw, ok := tx.Raw().(TTx)
			if !ok {
				return fmt.Errorf("queue: transaction of type %T", tx.Raw())
			}
			_, err := client.InsertTx(ctx, raw, a, nil)
			return err
		},
		start: func(ctx context.Context) error { return nil },
		stop:  func(ctx context.Context) error { return nil },
	}
	if o.Workers > 0 {
		q.start, q.stop = client.Start, client.Stop
	}
	return q, nil
}

// Enqueue returns the function the store calls inside the transaction that
// creates a scan.
func (q *Queue) Enqueue(ctx context.Context, scanID, host string) func(store.Tx) error {
	return func(tx store.Tx) error { return q.enqueue(ctx, tx, ScanArgs{ScanID: scanID, Host: host}) }
}

// Start starts the workers (if any).
func (q *Queue) Start(ctx context.Context) error { return q.start(ctx) }

// Stop lets running scans finish, up to ctx's deadline.
func (q *Queue) Stop(ctx context.Context) error { return q.stop(ctx) }

type worker[TTx any] struct {
	river.WorkerDefaults[ScanArgs]
	db       *store.DB
	run      Runner
	complete func(context.Context, TTx, *river.Job[ScanArgs]) error
	polite   *politeness
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

func (w *worker[TTx]) Work(ctx context.Context, job *river.Job[ScanArgs]) error {
	id := job.Args.ScanID
	if wait := w.polite.acquire(job.Args.Host); wait > 0 {
		return river.JobSnooze(wait)
	}
	defer w.polite.release(job.Args.Host)

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
	res, err := w.run(ctx, s)
	if err != nil {
		var perm Permanent
		if errors.As(err, &perm) || job.Attempt >= job.MaxAttempts {
			log.Warn("scan failed", "err", err)
			if ferr := w.db.FailScan(ctx, id, err.Error(), w.completeIn(ctx, job)); ferr != nil {
				return ferr
			}
			return nil
		}
		log.Warn("scan attempt failed; will retry", "err", err)
		return err
	}
	if err := w.db.FinishScan(ctx, id, res, w.completeIn(ctx, job)); err != nil {
		return err
	}
	log.Info("scan done", "verdict", res.Verdict, "score", res.Score, "ms", time.Since(start).Milliseconds())
	return nil
}
