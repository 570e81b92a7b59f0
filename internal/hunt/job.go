package hunt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/store"
	"github.com/tssguard/tssguard/urlx"
)

// The hunt as River jobs, so that it runs in 'serve' and in every
// 'worker' on either store and survives a crash: the sources and their
// cursors are rows of the store (store.HuntSource). A periodic tick, run
// by River's elected leader, claims the sources that are due and inserts
// one round job for each in the same transaction; a round reads its
// source from the cursor saved by the last round, scores what it reads,
// queues the best as scans (each host once, with its mark in the scan's
// transaction) and saves the new cursor. A round job is unique per source
// while it waits or runs, so two processes never read one source at once.

// Queue is the River queue rounds and ticks run in.
const Queue = "hunt"

// liveStates: a source's round or the tick is not inserted again while
// one waits or runs (but is once it completed).
var liveStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled}

// RoundArgs is one round of one source.
type RoundArgs struct {
	Source string `json:"source"`
}

func (RoundArgs) Kind() string { return "hunt_round" }

func (RoundArgs) InsertOpts() river.InsertOpts {
	// One attempt: a failed round is recorded on its source and the
	// source is due again at its interval; a retry would read twice.
	return river.InsertOpts{Queue: Queue, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates}}
}

// TickArgs claims the sources that are due.
type TickArgs struct{}

func (TickArgs) Kind() string { return "hunt_tick" }

func (TickArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: liveStates}}
}

// JobOptions tune the hunt's jobs.
type JobOptions struct {
	Every time.Duration // how often the tick looks for due sources (default 15 s)
	// FetchBudget bounds the reading of a source in one round (default 1
	// min); keep it well under the job timeout.
	FetchBudget time.Duration
	// ListedEvery is how often a process reloads the listed domains the
	// scorer measures closeness to (default 10 min).
	ListedEvery time.Duration
	MaxRead     int          // candidates read per round (default 1,000,000)
	Client      *http.Client // for the sources (nil: a default with a time limit)
	Logger      *slog.Logger
	Now         func() time.Time
}

func (o *JobOptions) defaults() {
	if o.Every <= 0 {
		o.Every = 15 * time.Second
	}
	if o.FetchBudget <= 0 {
		o.FetchBudget = time.Minute
	}
	if o.ListedEvery <= 0 {
		o.ListedEvery = 10 * time.Minute
	}
	if o.MaxRead <= 0 {
		o.MaxRead = 1_000_000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Register adds the hunt's workers; Periodic is its tick.
func Register(w *river.Workers, db *store.DB, o JobOptions) {
	o.defaults()
	river.AddWorker(w, &tickWorker{db: db, o: o})
	river.AddWorker(w, &roundWorker{db: db, o: o, scorer: &scorerCache{db: db, every: o.ListedEvery}})
}

// Periodic is the tick: every o.Every, on the leader only.
func Periodic(o JobOptions) *river.PeriodicJob {
	o.defaults()
	return river.NewPeriodicJob(river.PeriodicInterval(o.Every), func() (river.JobArgs, *river.InsertOpts) {
		return TickArgs{}, nil
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

type tickWorker struct {
	river.WorkerDefaults[TickArgs]
	db *store.DB
	o  JobOptions
}

func (t *tickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	n, err := t.db.ClaimHuntSources(ctx, t.o.Now(), func(tx store.Tx, name string) error {
		return queue.InsertTx(ctx, tx, river.InsertManyParams{Args: RoundArgs{Source: name}})
	})
	if n > 0 {
		t.o.Logger.Debug("hunt: sources due", "sources", n)
	}
	return err
}

// scorerCache keeps this process's scorer, rebuilt from the listed domains
// now and then.
type scorerCache struct {
	db    *store.DB
	every time.Duration

	mu    sync.Mutex
	s     *Scorer
	built time.Time
}

func (c *scorerCache) get(ctx context.Context) (*Scorer, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s != nil && time.Since(c.built) < c.every {
		return c.s, nil
	}
	s, err := ScorerFromStore(ctx, c.db)
	if err != nil {
		return nil, err
	}
	c.s, c.built = s, time.Now()
	return s, nil
}

// ScorerFromStore builds a scorer that knows the domains listed now.
func ScorerFromStore(ctx context.Context, db *store.DB) (*Scorer, error) {
	var listed []string
	err := db.Listings(ctx, time.Now(), func(l store.Listed) error {
		if l.Kind == "domain" {
			listed = append(listed, l.Value)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hunt: listed domains: %w", err)
	}
	return NewScorer(listed), nil
}

// Claimer queues a candidate's scan through the store: the host's mark,
// the scan and its job in one transaction (enqueue builds the job).
func Claimer(db *store.DB, source string, enqueue func(ctx context.Context, scanID, domain string, priority int) func(store.Tx) error) func(ctx context.Context, c Candidate, s Score, priority int) (bool, error) {
	return func(ctx context.Context, c Candidate, s Score, priority int) (bool, error) {
		dom, err := urlx.RegistrableDomain(c.Host)
		if err != nil || dom == "" {
			dom = c.Host
		}
		id := store.NewID()
		return db.HuntScan(ctx, strings.TrimPrefix(c.Host, "www."), source, s.Value, store.Scan{ID: id, URL: c.URL, Origin: "hunt"}, enqueue(ctx, id, dom, priority))
	}
}

// enqueueInJob inserts a scan's job with the River client of the job that
// runs the round.
func enqueueInJob(ctx context.Context, scanID, domain string, priority int) func(store.Tx) error {
	o := queue.ScanArgs{}.InsertOpts()
	o.Priority = min(max(priority, 1), 4)
	return func(tx store.Tx) error {
		return queue.InsertTx(ctx, tx, river.InsertManyParams{Args: queue.ScanArgs{ScanID: scanID, Host: domain}, InsertOpts: &o})
	}
}

type roundWorker struct {
	river.WorkerDefaults[RoundArgs]
	db     *store.DB
	o      JobOptions
	scorer *scorerCache
}

// Summary is what a round saves on its source: the round without its
// candidates, and the best few.
type Summary struct {
	Round
	Error string `json:"error,omitempty"`
}

func (rw *roundWorker) Work(ctx context.Context, job *river.Job[RoundArgs]) error {
	row, err := rw.db.HuntSource(ctx, job.Args.Source)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if !row.Enabled {
		return nil
	}
	log := rw.o.Logger.With("source", row.Name)
	save := func(cursor string, r Round, roundErr error) error {
		msg := ""
		if roundErr != nil {
			msg = roundErr.Error()
		}
		top := r.Candidates
		r.Candidates = top[:min(len(top), 5)]
		b, _ := json.Marshal(Summary{Round: r, Error: msg})
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		saved, err := rw.db.SaveHuntRound(wctx, row.Name, row.Spec, cursor, string(b), msg)
		if err == nil && !saved {
			log.Info("hunt: source changed during its round; its new cursor is kept")
		}
		return err
	}
	src, err := NewSource(row.Spec, row.Name, rw.o.Client)
	if err != nil {
		// A bad spec cannot get better by itself: said on the source.
		return save(row.Cursor, Round{Source: row.Name}, err)
	}
	res, _ := src.(Resumable)
	if res != nil {
		if err := res.SetCursor(row.Cursor); err != nil {
			log.Warn("hunt: unreadable cursor; reading the source afresh", "err", err)
		}
	}
	scorer, err := rw.scorer.get(ctx)
	if err != nil {
		return err
	}
	claim := Claimer(rw.db, row.Name, enqueueInJob)
	queueFailed := false
	h := &Hunter{Scorer: scorer, Threshold: row.MinScore, PerRound: row.PerRound, MaxRead: rw.o.MaxRead, FetchBudget: rw.o.FetchBudget,
		Claim: func(ctx context.Context, c Candidate, s Score, priority int) (bool, error) {
			ok, err := claim(ctx, c, s, priority)
			queueFailed = queueFailed || err != nil
			return ok, err
		}}
	r, runErr := h.Run(ctx, src)
	if ctx.Err() != nil || queueFailed {
		// Cut short (a shutdown, the job's timeout, the store) before what
		// was read was queued: the cursor stays, and the next round reads
		// it again; hosts already queued are repeats then.
		if runErr == nil {
			runErr = ctx.Err()
		}
		return fmt.Errorf("hunt: round of %s cut short: %w", row.Name, runErr)
	}
	cursor := row.Cursor
	if res != nil {
		if c, err := res.Cursor(); err == nil {
			cursor = c
		}
	}
	if err := save(cursor, r, runErr); err != nil {
		return err
	}
	if runErr != nil {
		log.Warn("hunt round failed", "err", runErr, "read", r.Read, "queued", r.Queued)
		return nil
	}
	log.Info("hunt round", "read", r.Read, "hosts", r.Hosts, "above", r.Above, "queued", r.Queued, "repeats", r.Repeats, "deferred", r.Deferred, "seconds", r.Seconds)
	return nil
}
