package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Watch is a scam page that is re-captured on a schedule until it has been
// gone for GoneFor: scammers swap the number on a live page within hours,
// and most pages die within hours or days.
type Watch struct {
	URL         string        `json:"url"`
	Domain      string        `json:"domain,omitempty"`
	Params      []string      `json:"params,omitempty"` // the template's number parameters
	Listed      []string      `json:"listed,omitempty"` // URL listings it carries
	Added       time.Time     `json:"added"`
	NextDue     time.Time     `json:"next_due,omitzero"` // zero: ended
	Interval    time.Duration `json:"interval_ns"`
	State       string        `json:"state"` // alive, gone, ended
	How         string        `json:"how,omitempty"`
	LastChecked time.Time     `json:"last_checked,omitzero"`
	LastAlive   time.Time     `json:"last_alive,omitzero"`
	GoneSince   time.Time     `json:"gone_since,omitzero"`
	GoneCount   int           `json:"gone_count"`
	Checks      int           `json:"checks"`
	ClaimedSlot int64         `json:"-"`
	// Visitor is who the page is re-captured as: the visitor of the scan
	// that found it.
	Visitor Visitor `json:"visitor,omitzero"`
}

// Watch states.
const (
	Alive = "alive"
	Gone  = "gone"
	Ended = "ended"
)

// WatchCheck is one re-capture of a watched page.
type WatchCheck struct {
	URL      string
	Slot     int64  // the due time (Unix µs) the re-capture was claimed for
	State    string // alive or gone
	How      string // gone: dns, refused, http-4xx, http-5xx, benign, elsewhere, timeout, error
	Verdict  string
	Numbers  []string // E.164 seen on the page
	Reflects bool     // the page showed a sentinel number put in its parameters
}

// Schedule is how often a watched page is re-captured, by age: often while
// it is young (numbers rotate within hours), then less.
type Schedule struct {
	Steps   []ScheduleStep
	Last    time.Duration // after the last step
	GoneFor time.Duration // stop watching after this long gone
	Jitter  float64       // ± share of the interval, so checks do not bunch
}

// ScheduleStep: every Every while the page is younger than Until.
type ScheduleStep struct{ Until, Every time.Duration }

// DefaultSchedule: every 15 min for 6 hours, hourly for the first day,
// then every 6 hours, until gone for 2 days.
var DefaultSchedule = Schedule{
	Steps:   []ScheduleStep{{6 * time.Hour, 15 * time.Minute}, {24 * time.Hour, time.Hour}},
	Last:    6 * time.Hour,
	GoneFor: 48 * time.Hour,
	Jitter:  0.1,
}

// Interval is the gap to the next check of a page of this age.
func (s Schedule) Interval(age time.Duration) time.Duration {
	for _, st := range s.Steps {
		if age < st.Until {
			return st.Every
		}
	}
	return s.Last
}

// next is the next due time, jittered.
func (s Schedule) next(now time.Time, iv time.Duration) time.Time {
	j := time.Duration((rand.Float64()*2 - 1) * s.Jitter * float64(iv))
	return now.Add(iv + j)
}

// SetSchedule replaces the watch schedule (tests and benchmarks).
func (d *DB) SetSchedule(s Schedule) { d.schedule = s }

func (d *DB) sched() Schedule {
	if d.schedule.GoneFor == 0 {
		return DefaultSchedule
	}
	return d.schedule
}

// addWatch starts (or restarts) watching a page a scan found to be a scam.
// A page already watched keeps its schedule; one whose watch ended is
// watched again from the start.
func (d *DB) addWatch(ctx context.Context, tx txq, pageURL string, v Visitor, r Result, at int64) error {
	var listed []string
	for _, l := range r.URLs {
		if !l.Pattern {
			listed = append(listed, l.Value)
		}
	}
	iv := d.sched().Interval(0)
	due := micros(d.sched().next(fromMicros(at), iv))
	_, err := tx.exec(ctx, `INSERT INTO watches (url, domain, params, listed, added_at, next_due, interval_us, last_state, last_alive, ua, lang, referrer)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'alive', ?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET added_at = excluded.added_at, next_due = excluded.next_due, interval_us = excluded.interval_us,
			last_state = 'alive', gone_since = 0, gone_count = 0, claimed_slot = 0, params = excluded.params, listed = excluded.listed,
			ua = excluded.ua, lang = excluded.lang, referrer = excluded.referrer
		WHERE watches.last_state = 'ended'`,
		pageURL, r.Domain, strings.Join(r.TemplateParams, ","), strings.Join(listed, ","), at, due, int64(iv/time.Microsecond), at, v.UA, v.Lang, v.Referrer)
	return err
}

const watchColumns = `url, domain, params, listed, added_at, next_due, interval_us, last_state, last_how, last_checked, last_alive, gone_since, gone_count, checks, claimed_slot, ua, lang, referrer`

func watchRow(r row) (Watch, error) {
	var w Watch
	var params, listed string
	var added, due, iv, checked, alive, gone int64
	err := r.Scan(&w.URL, &w.Domain, &params, &listed, &added, &due, &iv, &w.State, &w.How, &checked, &alive, &gone, &w.GoneCount, &w.Checks, &w.ClaimedSlot,
		&w.Visitor.UA, &w.Visitor.Lang, &w.Visitor.Referrer)
	w.Params, w.Listed = splitList(params), splitList(listed)
	w.Added, w.NextDue, w.LastChecked, w.LastAlive, w.GoneSince = fromMicros(added), fromMicros(due), fromMicros(checked), fromMicros(alive), fromMicros(gone)
	w.Interval = time.Duration(iv) * time.Microsecond
	return w, err
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// Watch returns one watched page.
func (d *DB) Watch(ctx context.Context, url string) (Watch, error) {
	w, err := watchRow(d.b.queryRow(ctx, `SELECT `+watchColumns+` FROM watches WHERE url = ?`, url))
	if err != nil {
		return Watch{}, fmt.Errorf("store: watch %s: %w", url, err)
	}
	return w, nil
}

// Watches walks every watched page, ended ones too.
func (d *DB) Watches(ctx context.Context, fn func(Watch) error) error {
	rs, err := d.b.query(ctx, `SELECT `+watchColumns+` FROM watches ORDER BY added_at, url`)
	if err != nil {
		return fmt.Errorf("store: watches: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		w, err := watchRow(rs)
		if err != nil {
			return fmt.Errorf("store: watches: %w", err)
		}
		if err := fn(w); err != nil {
			return err
		}
	}
	return rs.Err()
}

// DueWatch is a claimed page and its slot (its due time, Unix µs).
type DueWatch struct {
	URL  string
	Slot int64
}

// ClaimWatches is ClaimWatchBatch with one enqueue call per page.
func (d *DB) ClaimWatches(ctx context.Context, now time.Time, limit int, stale time.Duration, enqueue func(tx Tx, url string, slot int64) error) (int, error) {
	return d.ClaimWatchBatch(ctx, now, limit, stale, func(tx Tx, due []DueWatch) error {
		if enqueue == nil {
			return nil
		}
		for _, x := range due {
			if err := enqueue(tx, x.URL, x.Slot); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClaimWatchBatch takes up to limit pages that are due and hands them,
// each with its slot (its due time), to enqueue inside the same
// transaction, so a claim and its job exist together or not at all. A
// claimed page is not claimed again until its check is recorded — or, if
// its job was lost, until stale has passed. On PostgreSQL the rows are
// locked with SKIP LOCKED, so claimers running at once never take the
// same page. The claim is one statement for the batch: a tick that finds
// tens of thousands of pages due claims them in seconds.
func (d *DB) ClaimWatchBatch(ctx context.Context, now time.Time, limit int, stale time.Duration, enqueue func(tx Tx, due []DueWatch) error) (int, error) {
	lock := ""
	if d.b.name() == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	n := 0
	err := d.inTx(ctx, func(tx txq) error {
		rs, err := tx.query(ctx, `SELECT url, next_due FROM watches WHERE next_due > 0 AND next_due <= ? AND (claimed_slot = 0 OR claimed_at < ?)
			ORDER BY next_due LIMIT ?`+lock, micros(now), micros(now.Add(-stale)), limit)
		if err != nil {
			return fmt.Errorf("store: claim watches: %w", err)
		}
		var list []DueWatch
		for rs.Next() {
			var x DueWatch
			if err := rs.Scan(&x.URL, &x.Slot); err != nil {
				rs.Close()
				return fmt.Errorf("store: claim watches: %w", err)
			}
			list = append(list, x)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return fmt.Errorf("store: claim watches: %w", err)
		}
		if len(list) == 0 {
			return nil
		}
		// The slot is the due time just read, under the rows' locks.
		args := []any{micros(now)}
		marks := make([]string, len(list))
		for i, x := range list {
			marks[i] = "?"
			args = append(args, x.URL)
		}
		if _, err := tx.exec(ctx, `UPDATE watches SET claimed_slot = next_due, claimed_at = ? WHERE url IN (`+strings.Join(marks, ", ")+`)`, args...); err != nil {
			return fmt.Errorf("store: claim watch: %w", err)
		}
		if enqueue != nil {
			if err := enqueue(tx, list); err != nil {
				return fmt.Errorf("store: enqueue watch: %w", mapErr(err))
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}

// CheckRecorded reports whether the check of a page's slot is recorded: a
// job that runs again after a crash must not capture the page twice.
func (d *DB) CheckRecorded(ctx context.Context, url string, slot int64) (bool, error) {
	var n int
	if err := d.b.queryRow(ctx, `SELECT COUNT(*) FROM watch_checks WHERE url = ? AND slot = ?`, url, slot).Scan(&n); err != nil {
		return false, fmt.Errorf("store: check recorded: %w", err)
	}
	return n > 0, nil
}

// RecordCheck records one re-capture, in one transaction: the check, the
// page's next due time, and its effect on the block lists. An alive scam
// page's result (res) is recorded as a scan of origin "watch": its numbers
// are sighted and its listings renewed — a page that came back is listed
// again at once. A gone page's URL listings expire now, and its domain's
// too when no other watched page there is alive; verdicts "gone" tell the
// servers' indexes. A check already recorded for this slot changes nothing
// (false).
func (d *DB) RecordCheck(ctx context.Context, c WatchCheck, res *Result) (bool, error) {
	recorded := false
	err := d.inTx(ctx, func(tx txq) error {
		now := d.now().UTC()
		at := micros(now)
		w, err := watchRow(tx.queryRow(ctx, `SELECT `+watchColumns+` FROM watches WHERE url = ?`, c.URL))
		if err != nil {
			return fmt.Errorf("store: record check %s: %w", c.URL, err)
		}
		// The scan row: every re-capture leaves one, so the verdict
		// history it writes has a scan to point at.
		s, err := d.insertScan(ctx, tx, Scan{URL: c.URL, Origin: "watch", Visitor: w.Visitor})
		if err != nil {
			return err
		}
		n, err := tx.exec(ctx, `INSERT INTO watch_checks (url, slot, at, state, how, verdict, numbers, reflects, scan_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url, slot) DO NOTHING`,
			c.URL, c.Slot, at, c.State, c.How, c.Verdict, strings.Join(c.Numbers, ","), boolInt(c.Reflects), s.ID)
		if err != nil {
			return fmt.Errorf("store: record check: %w", err)
		}
		if n == 0 {
			return errAlready
		}
		recorded = true
		r := Result{Verdict: c.Verdict}
		if res != nil {
			r = *res
		}
		if r.Verdict == "" {
			r.Verdict = "clean"
		}
		if c.State != Alive {
			r = Result{Verdict: r.Verdict, FinalURL: r.FinalURL, Domain: r.Domain, Score: r.Score, Report: r.Report}
		}
		if err := d.recordResult(ctx, tx, s.ID, c.URL, w.Visitor, r); err != nil {
			return fmt.Errorf("store: record check: %w", err)
		}
		if c.State != Alive {
			if _, err := tx.exec(ctx, `UPDATE scans SET error = ? WHERE id = ?`, "gone: "+c.How, s.ID); err != nil {
				return err
			}
		}
		return d.advanceWatch(ctx, tx, w, c, s.ID, now)
	})
	if err == errAlready {
		return false, nil
	}
	return recorded, err
}

// definite says whether a way of being gone is an end rather than a
// hiccup: the name no longer resolves, nothing listens, the page is not
// found, or the content is now benign or elsewhere.
func definite(how string) bool {
	switch {
	case how == "dns", how == "refused", how == "benign", how == "elsewhere", how == "forbidden", how == "not-html",
		strings.HasPrefix(how, "http-4"):
		return true
	}
	return false
}

var errAlready = fmt.Errorf("store: check already recorded")

func (d *DB) advanceWatch(ctx context.Context, tx txq, w Watch, c WatchCheck, scanID string, now time.Time) error {
	at := micros(now)
	sch := d.sched()
	goneSince := micros(w.GoneSince)
	goneCount := w.GoneCount
	lastAlive := micros(w.LastAlive)
	state := c.State
	if c.State == Alive {
		goneSince, goneCount, lastAlive = 0, 0, at
	} else {
		if goneSince == 0 {
			goneSince = at
		}
		goneCount++
		// A timeout or a server error may pass: the listings go at the
		// second such check in a row, at once for a definite end.
		if definite(c.How) || goneCount >= 2 {
			if err := d.expireGone(ctx, tx, w, scanID, at); err != nil {
				return err
			}
		}
	}
	iv := sch.Interval(now.Sub(w.Added))
	due := micros(sch.next(now, iv))
	if state == Gone && now.Sub(fromMicros(goneSince)) >= sch.GoneFor {
		state, due = Ended, 0
	}
	_, err := tx.exec(ctx, `UPDATE watches SET next_due = ?, interval_us = ?, last_state = ?, last_how = ?, last_checked = ?, last_alive = ?,
		gone_since = ?, gone_count = ?, checks = checks + 1, claimed_slot = 0, claimed_at = 0 WHERE url = ?`,
		due, int64(iv/time.Microsecond), state, c.How, at, lastAlive, goneSince, goneCount, w.URL)
	return err
}

// expireGone ends the listings of a page seen gone.
func (d *DB) expireGone(ctx context.Context, tx txq, w Watch, scanID string, at int64) error {
	expire := func(kind, value string) error {
		n, err := tx.exec(ctx, `UPDATE listings SET expires = ? WHERE kind = ? AND value = ? AND pattern = 0 AND expires > ?`, at, kind, value, at)
		if err != nil || n == 0 {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO verdicts (scan_id, kind, value, pattern, verdict, at, expires) VALUES (?, ?, ?, 0, 'gone', ?, ?) ON CONFLICT DO NOTHING`,
			scanID, kind, value, at, at)
		return err
	}
	for _, v := range w.Listed {
		if err := expire("url", v); err != nil {
			return err
		}
	}
	if w.Domain == "" {
		return nil
	}
	var alive int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM watches WHERE domain = ? AND url <> ? AND last_state = 'alive'`, w.Domain, w.URL).Scan(&alive); err != nil {
		return err
	}
	if alive > 0 {
		return nil
	}
	return expire("domain", w.Domain)
}

// ClaimSite takes a site (a registrable domain) for one re-capture, for
// every worker on the database at once: it succeeds when the site's
// next-allowed time has passed, and moves it hold ahead; otherwise it says
// how long to wait. ReleaseSite sets the gap after the capture ends.
func (d *DB) ClaimSite(ctx context.Context, site string, now time.Time, hold time.Duration) (time.Duration, error) {
	if site == "" {
		return 0, nil
	}
	n, err := d.b.exec(ctx, `INSERT INTO site_politeness (site, next_allowed) VALUES (?, ?)
		ON CONFLICT (site) DO UPDATE SET next_allowed = excluded.next_allowed WHERE site_politeness.next_allowed <= ?`,
		site, micros(now.Add(hold)), micros(now))
	if err != nil {
		return 0, fmt.Errorf("store: claim site: %w", err)
	}
	if n > 0 {
		return 0, nil
	}
	var next int64
	if err := d.b.queryRow(ctx, `SELECT next_allowed FROM site_politeness WHERE site = ?`, site).Scan(&next); err != nil {
		return 0, fmt.Errorf("store: claim site: %w", err)
	}
	return max(fromMicros(next).Sub(now), time.Millisecond), nil
}

// WaitingBefore reports whether another page of the domain was claimed
// for a slot more than margin earlier than this one and its check is still
// waiting (its claim touched since liveSince). That check goes first: the
// pages of a busy site take turns, rather than the page whose check comes
// back soonest winning every time. A claim whose job died stops counting
// once it is older than liveSince.
func (d *DB) WaitingBefore(ctx context.Context, domain, url string, slot int64, margin time.Duration, liveSince time.Time) (bool, error) {
	if domain == "" {
		return false, nil
	}
	var n int
	err := d.b.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM watches WHERE domain = ? AND url <> ? AND claimed_slot <> 0
		AND claimed_slot < ? AND claimed_at >= ? LIMIT 1) AS ahead`,
		domain, url, slot-int64(margin/time.Microsecond), micros(liveSince)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: waiting checks: %w", err)
	}
	return n > 0, nil
}

// TouchClaim marks a page's claim for slot as still waiting on a live job.
func (d *DB) TouchClaim(ctx context.Context, url string, slot int64, now time.Time) error {
	if _, err := d.b.exec(ctx, `UPDATE watches SET claimed_at = ? WHERE url = ? AND claimed_slot = ?`, micros(now), url, slot); err != nil {
		return fmt.Errorf("store: touch claim: %w", err)
	}
	return nil
}

// ReleaseSite lets the site be visited again from next on.
func (d *DB) ReleaseSite(ctx context.Context, site string, next time.Time) error {
	if site == "" {
		return nil
	}
	_, err := d.b.exec(ctx, `UPDATE site_politeness SET next_allowed = ? WHERE site = ?`, micros(next), site)
	return err
}

// MarkHunted records a host the hunt queued (or dropped); false when it
// was seen before, so repeats are dropped across sources and processes.
func (d *DB) MarkHunted(ctx context.Context, host, source string, score float64, scanID string) (bool, error) {
	n, err := d.b.exec(ctx, `INSERT INTO hunt_seen (host, source, score, seen_at, scan_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (host) DO NOTHING`,
		host, source, score, micros(d.now()), scanID)
	if err != nil {
		return false, fmt.Errorf("store: hunted: %w", err)
	}
	return n > 0, nil
}

// WatchStats is what watching has observed.
type WatchStats struct {
	Watched int `json:"watched"`
	Alive   int `json:"alive"`
	Gone    int `json:"gone"`
	Ended   int `json:"ended"`
	Checks  int `json:"checks"`
	// URLTakedown and DomainTakedown: time from first seen to first seen
	// gone, of pages (domains) seen gone.
	URLTakedown    Durations `json:"url_takedown"`
	DomainTakedown Durations `json:"domain_takedown"`
	// GoneHow counts how pages went: dns, refused, http-404, benign …
	GoneHow map[string]int `json:"gone_how"`
	// NumbersPerDay: per campaign, distinct numbers sighted each day.
	NumbersPerDay map[string]map[string]int `json:"numbers_per_day"`
	// Rotations: checks of a live page whose numbers differed from the check before.
	Rotations int `json:"rotations"`
	Reflects  int `json:"reflecting_pages"`
}

// Durations summarises a set of durations.
type Durations struct {
	N   int           `json:"n"`
	P50 time.Duration `json:"p50_ns"`
	P90 time.Duration `json:"p90_ns"`
	Max time.Duration `json:"max_ns"`
}

func summarise(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	slices.Sort(ds)
	q := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return Durations{N: len(ds), P50: q(0.5), P90: q(0.9), Max: ds[len(ds)-1]}
}

// WatchStatistics folds the watches and their checks into WatchStats.
func (d *DB) WatchStatistics(ctx context.Context) (WatchStats, error) {
	st := WatchStats{GoneHow: map[string]int{}, NumbersPerDay: map[string]map[string]int{}}
	type dom struct {
		first, gone time.Time
		alive       bool
	}
	doms := map[string]*dom{}
	var urlT []time.Duration
	err := d.Watches(ctx, func(w Watch) error {
		st.Watched++
		switch w.State {
		case Alive:
			st.Alive++
		case Gone:
			st.Gone++
		case Ended:
			st.Ended++
		}
		x := doms[w.Domain]
		if x == nil {
			x = &dom{first: w.Added}
			doms[w.Domain] = x
		}
		x.first = minTime(x.first, w.Added)
		if w.State == Alive {
			x.alive = true
		}
		if !w.GoneSince.IsZero() {
			urlT = append(urlT, w.GoneSince.Sub(w.Added))
			if w.GoneSince.After(x.gone) {
				x.gone = w.GoneSince
			}
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	var domT []time.Duration
	for _, x := range doms {
		if !x.alive && !x.gone.IsZero() {
			domT = append(domT, x.gone.Sub(x.first))
		}
	}
	st.URLTakedown, st.DomainTakedown = summarise(urlT), summarise(domT)

	rs, err := d.b.query(ctx, `SELECT url, state, how, numbers, reflects FROM watch_checks ORDER BY url, slot`)
	if err != nil {
		return st, fmt.Errorf("store: watch stats: %w", err)
	}
	defer rs.Close()
	prevURL, prevNums := "", ""
	reflects := map[string]bool{}
	for rs.Next() {
		var url, state, how, nums string
		var refl int
		if err := rs.Scan(&url, &state, &how, &nums, &refl); err != nil {
			return st, fmt.Errorf("store: watch stats: %w", err)
		}
		st.Checks++
		if state != Alive {
			st.GoneHow[how]++
		}
		if refl != 0 {
			reflects[url] = true
		}
		if state == Alive {
			if url == prevURL && nums != prevNums && prevNums != "" && nums != "" {
				st.Rotations++
			}
			prevURL, prevNums = url, nums
		}
	}
	if err := rs.Err(); err != nil {
		return st, err
	}
	rs.Close()
	st.Reflects = len(reflects)

	rs2, err := d.b.query(ctx, `SELECT s.campaign, g.e164, g.seen_at FROM sightings g JOIN scans s ON s.id = g.scan_id`)
	if err != nil {
		return st, fmt.Errorf("store: watch stats: %w", err)
	}
	defer rs2.Close()
	seen := map[[3]string]bool{}
	for rs2.Next() {
		var camp, e164 string
		var at int64
		if err := rs2.Scan(&camp, &e164, &at); err != nil {
			return st, fmt.Errorf("store: watch stats: %w", err)
		}
		if camp == "" {
			camp = "(none)"
		}
		day := fromMicros(at).Format(time.DateOnly)
		k := [3]string{camp, day, e164}
		if seen[k] {
			continue
		}
		seen[k] = true
		if st.NumbersPerDay[camp] == nil {
			st.NumbersPerDay[camp] = map[string]int{}
		}
		st.NumbersPerDay[camp][day]++
	}
	return st, rs2.Err()
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// AddWatch watches a page from due on, as a scam verdict does (for
// operators who know a page, and for benchmarks). A page already watched
// is left as it is.
func (d *DB) AddWatch(ctx context.Context, pageURL, domain string, due time.Time) error {
	iv := d.sched().Interval(0)
	_, err := d.b.exec(ctx, `INSERT INTO watches (url, domain, added_at, next_due, interval_us, last_state, last_alive) VALUES (?, ?, ?, ?, ?, 'alive', ?) ON CONFLICT (url) DO NOTHING`,
		pageURL, domain, micros(d.now()), micros(due), int64(iv/time.Microsecond), micros(d.now()))
	if err != nil {
		return fmt.Errorf("store: add watch: %w", err)
	}
	return nil
}

// ReleaseSites frees every site: for a process that owns the database
// alone (SQLite) at start, whose holds were left by a capture it was
// killed in.
func (d *DB) ReleaseSites(ctx context.Context) error {
	if _, err := d.b.exec(ctx, `DELETE FROM site_politeness`); err != nil {
		return fmt.Errorf("store: release sites: %w", err)
	}
	return nil
}

// NewWatch is a page to watch from a due time on (AddWatches).
type NewWatch struct {
	URL, Domain string
	Due         time.Time
}

// AddWatches is AddWatch for many pages, a few hundred rows a statement
// and one transaction for all: setting up tens of thousands of watches
// (a benchmark, an import) takes seconds, not minutes.
func (d *DB) AddWatches(ctx context.Context, ws []NewWatch) error {
	const perStatement = 500
	iv := int64(d.sched().Interval(0) / time.Microsecond)
	now := micros(d.now())
	return d.inTx(ctx, func(tx txq) error {
		for len(ws) > 0 {
			part := ws[:min(perStatement, len(ws))]
			ws = ws[len(part):]
			var sb strings.Builder
			args := make([]any, 0, 6*len(part))
			sb.WriteString(`INSERT INTO watches (url, domain, added_at, next_due, interval_us, last_state, last_alive) VALUES `)
			for i, w := range part {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(`(?, ?, ?, ?, ?, 'alive', ?)`)
				args = append(args, w.URL, w.Domain, now, micros(w.Due), iv, now)
			}
			sb.WriteString(` ON CONFLICT (url) DO NOTHING`)
			if _, err := tx.exec(ctx, sb.String(), args...); err != nil {
				return fmt.Errorf("store: add watches: %w", err)
			}
		}
		return nil
	})
}
