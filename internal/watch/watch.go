// Package watch re-captures scam pages on a schedule kept in the database
// (store.Watch), to see them rotate numbers, reflect numbers and die:
// River jobs, so that checks survive a crash and spread over every worker
// on a PostgreSQL store. A periodic tick, run by River's elected leader,
// claims the due pages and inserts one check job per page and slot in the
// same transaction; a check takes the page's site in the database (one
// visit per site at a time, with a gap, across all workers), re-captures
// the page with its own number and, for a template, with a sentinel
// number, and records what it saw.
package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/store"
	"github.com/tssguard/tssguard/urlx"
)

// Queue is the River queue the checks run in, apart from scans, so that
// neither starves the other.
const Queue = "watch"

// CheckArgs is one re-capture: a page and the slot (its due time, Unix
// µs) it was claimed for. One page and slot never has two jobs.
type CheckArgs struct {
	URL  string `json:"url"`
	Slot int64  `json:"slot"`
}

func (CheckArgs) Kind() string { return "watch_check" }

func (CheckArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 3, Priority: 2, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// TickArgs claims the due pages.
type TickArgs struct{}

func (TickArgs) Kind() string { return "watch_tick" }

// A tick runs before the checks waiting in the queue (priority 1, they
// are 2), so a backlog of checks does not hold up the claiming of pages
// that fell due since; and one tick waits or runs at a time.
func (TickArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, MaxAttempts: 1, Priority: 1, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

// Observer re-captures a page (scanjob.Runner.Observe), arriving as
// visitor v: the visitor of the scan that found the page.
type Observer func(ctx context.Context, url string, v store.Visitor) (scanjob.Observation, error)

// Options tune the watch.
type Options struct {
	Every      time.Duration // how often the tick claims due pages (default 30 s)
	Batch      int           // pages claimed per tick (default 500)
	Politeness time.Duration // gap between two visits of one site (default 2 s)
	Hold       time.Duration // a site is held this long while a capture runs (default 2 min)
	Stale      time.Duration // a claim whose job was lost is taken again after this (default 1 h)
	Logger     *slog.Logger
	Now        func() time.Time
}

func (o *Options) defaults() {
	if o.Every <= 0 {
		o.Every = 30 * time.Second
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	if o.Politeness <= 0 {
		o.Politeness = 2 * time.Second
	}
	if o.Hold <= 0 {
		o.Hold = 2 * time.Minute
	}
	if o.Stale <= 0 {
		o.Stale = time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Register adds the watch's workers; Periodic is its tick, for
// queue.Options.
func Register(w *river.Workers, db *store.DB, observe Observer, o Options) {
	o.defaults()
	river.AddWorker(w, &tickWorker{db: db, o: o})
	river.AddWorker(w, &checkWorker{db: db, observe: observe, o: o})
}

// Periodic is the tick: every o.Every, on the leader only.
func Periodic(o Options) *river.PeriodicJob {
	o.defaults()
	return river.NewPeriodicJob(river.PeriodicInterval(o.Every), func() (river.JobArgs, *river.InsertOpts) {
		return TickArgs{}, nil
	}, &river.PeriodicJobOpts{RunOnStart: true})
}

type tickWorker struct {
	river.WorkerDefaults[TickArgs]
	db *store.DB
	o  Options
}

func (t *tickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	// A tick that finds a large backlog due claims it batch by batch, and
	// leaves the rest to the next tick well before its job's timeout:
	// each batch is committed with its jobs, so none is half done.
	end := time.Now().Add(t.o.Every)
	if dl, ok := ctx.Deadline(); ok {
		end = minTime(end, time.Now().Add(time.Until(dl)/2))
	}
	for {
		n, err := Claim(ctx, t.db, t.o.Now(), t.o.Batch, t.o.Stale)
		if err != nil {
			return err
		}
		if n > 0 {
			t.o.Logger.Debug("watch: pages due", "claimed", n)
		}
		if n < t.o.Batch || time.Now().After(end) {
			return nil
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// Claim claims due pages and inserts their check jobs, all of a batch in
// one statement (River's client comes from ctx: call it from a job or pass
// river.WithClient's context).
func Claim(ctx context.Context, db *store.DB, now time.Time, batch int, stale time.Duration) (int, error) {
	return db.ClaimWatchBatch(ctx, now, batch, stale, func(tx store.Tx, due []store.DueWatch) error {
		params := make([]river.InsertManyParams, len(due))
		for i, x := range due {
			params[i] = river.InsertManyParams{Args: CheckArgs{URL: x.URL, Slot: x.Slot}}
		}
		return queue.InsertTx(ctx, tx, params...)
	})
}

type checkWorker struct {
	river.WorkerDefaults[CheckArgs]
	db      *store.DB
	observe Observer
	o       Options
}

// Sentinel is the number put in a template page's parameters to see
// whether the page shows whatever number its URL carries. It is a US
// number reserved for fiction.
const Sentinel = "+12025550143"

func (c *checkWorker) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	a := job.Args
	// Recorded before a crash lost the job's completion: never capture a
	// page twice for one slot.
	if done, err := c.db.CheckRecorded(ctx, a.URL, a.Slot); err != nil || done {
		return err
	}
	w, err := c.db.Watch(ctx, a.URL)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	site := Site(a.URL)
	now := c.o.Now()
	// A check that has waited for the site longer than this one goes
	// first; a check that waits keeps its claim marked alive.
	ahead, err := c.db.WaitingBefore(ctx, w.Domain, a.URL, a.Slot, c.turnMargin(), now.Add(-c.o.Hold))
	if err != nil {
		return err
	}
	wait := time.Duration(0)
	if !ahead {
		if wait, err = c.db.ClaimSite(ctx, site, now, c.o.Hold); err != nil {
			return err
		}
	}
	if ahead || wait > 0 {
		if err := c.db.TouchClaim(ctx, a.URL, a.Slot, now); err != nil {
			return err
		}
		// Someone is on this site, or waited for it longer: come back
		// after its gap, jittered so that waiting checks do not return
		// together. A site held by a running capture says so with a far
		// time: look again soon rather than then.
		wait = min(max(wait, c.o.Politeness), max(c.o.Politeness, time.Second))
		return river.JobSnooze(wait + time.Duration(rand.Int64N(int64(c.o.Politeness)+1)))
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := c.db.ReleaseSite(rctx, site, c.o.Now().Add(c.o.Politeness)); err != nil {
			c.o.Logger.Warn("watch: release site", "site", site, "err", err)
		}
	}()
	check, res := Check(ctx, c.observe, w)
	check.Slot = a.Slot
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := c.db.RecordCheck(wctx, check, res); err != nil {
		return err
	}
	c.o.Logger.Info("watch: checked", "url", a.URL, "state", check.State, "how", check.How, "numbers", check.Numbers, "reflects", check.Reflects)
	return nil
}

// turnMargin: a check yields the site to one claimed this much earlier,
// more than a snooze's worth, so that checks due together do not keep
// yielding to each other.
func (c *checkWorker) turnMargin() time.Duration {
	return 2*max(c.o.Politeness, time.Second) + c.o.Politeness
}

// Check re-captures a watched page: with its own number, and, when it is
// a template still alive, with the sentinel in its number parameters.
func Check(ctx context.Context, observe Observer, w store.Watch) (store.WatchCheck, *store.Result) {
	c := store.WatchCheck{URL: w.URL, Slot: w.ClaimedSlot}
	obs, err := observe(ctx, w.URL, w.Visitor)
	c.State, c.How = Classify(w.URL, obs, err)
	if err != nil {
		return c, nil
	}
	res := obs.Result
	c.Verdict = res.Verdict
	for _, h := range res.Hotlines {
		c.Numbers = append(c.Numbers, h.E164)
	}
	if c.State != store.Alive {
		return c, &res
	}
	if s, ok := withSentinel(w.URL, w.Params); ok {
		if so, err := observe(ctx, s, w.Visitor); err == nil {
			for _, h := range so.Result.Hotlines {
				c.Reflects = c.Reflects || h.E164 == Sentinel
			}
		}
	}
	return c, &res
}

// withSentinel puts the sentinel in the page's number parameters.
func withSentinel(raw string, params []string) (string, bool) {
	if len(params) == 0 {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	q := u.Query()
	for _, p := range params {
		q.Set(p, strings.TrimPrefix(Sentinel, "+"))
	}
	u.RawQuery = q.Encode()
	return u.String(), true
}

// Classify says whether a re-capture found the page alive, or how it is
// gone: dns (the name does not resolve), refused (nothing listens),
// timeout, forbidden (it now resolves to a private address), http-NNN (an
// error status), not-html, elsewhere (redirected to another site that is
// not a scam), benign (parked or harmless content), error.
func Classify(pageURL string, o scanjob.Observation, err error) (state, how string) {
	if err != nil {
		var dnsErr *net.DNSError
		var netErr net.Error
		switch {
		case errors.As(err, &dnsErr):
			return store.Gone, "dns"
		case errors.Is(err, syscall.ECONNREFUSED):
			return store.Gone, "refused"
		case errors.Is(err, capture.ErrForbiddenAddress):
			return store.Gone, "forbidden"
		case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
			return store.Gone, "timeout"
		case errors.Is(err, capture.ErrNotHTML):
			var code int
			if i := strings.Index(err.Error(), "HTTP "); i >= 0 {
				if _, e := fmt.Sscanf(err.Error()[i:], "HTTP %d", &code); e == nil {
					return store.Gone, fmt.Sprintf("http-%d", code)
				}
			}
			return store.Gone, "not-html"
		}
		return store.Gone, "error"
	}
	if o.Status >= 400 && o.Result.Verdict != "scam" {
		return store.Gone, fmt.Sprintf("http-%d", o.Status)
	}
	if o.Result.Verdict == "scam" || o.Result.Verdict == "suspicious" {
		return store.Alive, ""
	}
	if o.FinalURL != "" && Site(o.FinalURL) != Site(pageURL) {
		return store.Gone, "elsewhere"
	}
	return store.Gone, "benign"
}

// Site is the politeness key of a URL: its registrable domain (a
// free-hosting tenant on its own), or host and port for an address.
func Site(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if net.ParseIP(h) != nil {
		return u.Host
	}
	if d, err := urlx.RegistrableDomain(h); err == nil && d != "" {
		return d
	}
	return h
}
