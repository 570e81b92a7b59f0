package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// inTx runs fn in a transaction and commits it when fn returns nil.
func (d *DB) inTx(ctx context.Context, fn func(txq) error) error {
	tx, err := d.b.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", mapErr(err))
	}
	if err := fn(tx); err != nil {
		_ = tx.rollback(ctx)
		return err
	}
	if err := tx.commit(ctx); err != nil {
		return fmt.Errorf("store: commit: %w", mapErr(err))
	}
	return nil
}

// newID is a time-ordered UUID: IDs sort by creation.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// CreateScan records a submitted scan as pending; enqueue, when given, runs
// in the same transaction so that the job and the row exist together or
// not at all.
func (d *DB) CreateScan(ctx context.Context, s Scan, enqueue func(Tx) error) (Scan, error) {
	err := d.inTx(ctx, func(tx txq) error {
		var err error
		s, err = d.insertScan(ctx, tx, s)
		if err != nil {
			return err
		}
		if enqueue != nil {
			if err := enqueue(tx); err != nil {
				return fmt.Errorf("store: enqueue scan: %w", mapErr(err))
			}
		}
		return nil
	})
	return s, err
}

func (d *DB) insertScan(ctx context.Context, q querier, s Scan) (Scan, error) {
	if err := CheckText("url", s.URL, 0); err != nil {
		return s, err
	}
	if s.ID == "" {
		s.ID = NewID()
	}
	if s.Origin == "" {
		s.Origin = "api"
	}
	s.Status = Pending
	s.Submitted = d.now().UTC()
	_, err := q.exec(ctx, `INSERT INTO scans (id, url, dynamic, ua, lang, referrer, origin, status, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.URL, boolInt(s.Dynamic), s.UA, s.Lang, s.Referrer, s.Origin, string(s.Status), micros(s.Submitted))
	if err != nil {
		return s, fmt.Errorf("store: create scan: %w", err)
	}
	return s, nil
}

const scanColumns = `id, url, dynamic, ua, lang, referrer, origin, status, error, attempts, submitted_at, started_at, finished_at, final_url, domain, verdict, score, campaign, report`

func scanRow(r row) (Scan, error) {
	var s Scan
	var dyn int64
	var status string
	var sub, start, fin int64
	err := r.Scan(&s.ID, &s.URL, &dyn, &s.UA, &s.Lang, &s.Referrer, &s.Origin, &status, &s.Error, &s.Attempts, &sub, &start, &fin,
		&s.FinalURL, &s.Domain, &s.Verdict, &s.Score, &s.Campaign, &s.Report)
	s.Dynamic = dyn != 0
	s.Status = ScanStatus(status)
	s.Submitted, s.Started, s.Finished = fromMicros(sub), fromMicros(start), fromMicros(fin)
	return s, err
}

// Scan returns one scan with its report.
func (d *DB) Scan(ctx context.Context, id string) (Scan, error) {
	s, err := scanRow(d.b.queryRow(ctx, `SELECT `+scanColumns+` FROM scans WHERE id = ?`, id))
	if err != nil {
		return Scan{}, fmt.Errorf("store: scan %s: %w", id, err)
	}
	return s, nil
}

// Scans lists scans submitted since a time, newest first, without reports.
func (d *DB) Scans(ctx context.Context, since time.Time, limit int) ([]Scan, error) {
	if limit <= 0 {
		limit = 100
	}
	rs, err := d.b.query(ctx, `SELECT `+strings.Replace(scanColumns, "report", "NULL", 1)+` FROM scans WHERE submitted_at >= ? ORDER BY submitted_at DESC LIMIT ?`, micros(since), limit)
	if err != nil {
		return nil, fmt.Errorf("store: scans: %w", err)
	}
	defer rs.Close()
	var out []Scan
	for rs.Next() {
		s, err := scanRow(rs)
		if err != nil {
			return nil, fmt.Errorf("store: scans: %w", err)
		}
		out = append(out, s)
	}
	return out, rs.Err()
}

// StartScan marks a scan running and counts the attempt. A scan already
// done or failed is returned as it is; the caller must not run it again.
func (d *DB) StartScan(ctx context.Context, id string) (Scan, error) {
	_, err := d.b.exec(ctx, `UPDATE scans SET status = ?, attempts = attempts + 1, started_at = ? WHERE id = ? AND status IN (?, ?)`,
		string(Running), micros(d.now()), id, string(Pending), string(Running))
	if err != nil {
		return Scan{}, fmt.Errorf("store: start scan %s: %w", id, err)
	}
	return d.Scan(ctx, id)
}

// FailScan records a scan that will not complete. A scan already done or
// failed keeps its outcome.
func (d *DB) FailScan(ctx context.Context, id, reason string, complete func(Tx) error) error {
	return d.inTx(ctx, func(tx txq) error {
		if _, err := tx.exec(ctx, `UPDATE scans SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status IN (?, ?)`,
			string(Failed), reason, micros(d.now()), id, string(Pending), string(Running)); err != nil {
			return fmt.Errorf("store: fail scan %s: %w", id, err)
		}
		if complete != nil {
			return complete(tx)
		}
		return nil
	})
}

// FinishScan records a scan's result, its sightings and listings, and its
// verdict history, all in one transaction with the job's completion. It is
// idempotent: a scan already done is left alone, so a job that runs again
// after a crash cannot count anything twice.
func (d *DB) FinishScan(ctx context.Context, id string, r Result, complete func(Tx) error) error {
	return d.inTx(ctx, func(tx txq) error {
		var status string
		var pageURL string
		var v Visitor
		if err := tx.queryRow(ctx, `SELECT status, url, ua, lang, referrer FROM scans WHERE id = ?`, id).Scan(&status, &pageURL, &v.UA, &v.Lang, &v.Referrer); err != nil {
			return fmt.Errorf("store: finish scan %s: %w", id, err)
		}
		if ScanStatus(status) != Done {
			if err := d.recordResult(ctx, tx, id, pageURL, v, r); err != nil {
				return fmt.Errorf("store: finish scan %s: %w", id, err)
			}
		}
		if complete != nil {
			return complete(tx)
		}
		return nil
	})
}

// recordResult records scan id's result; v is the visitor the scan
// arrived as, which a watch it starts keeps.
func (d *DB) recordResult(ctx context.Context, tx txq, id, pageURL string, v Visitor, r Result) error {
	now := d.now().UTC()
	at := micros(now)
	if _, err := tx.exec(ctx, `UPDATE scans SET status = ?, error = '', finished_at = ?, final_url = ?, domain = ?, verdict = ?, score = ?, brand = ?, campaign = ?, report = ?, fingerprint = ? WHERE id = ?`,
		string(Done), at, r.FinalURL, r.Domain, r.Verdict, r.Score, r.Brand, r.Campaign, r.Report, r.Fingerprint, id); err != nil {
		return err
	}
	for _, a := range r.Artifacts {
		if _, err := tx.exec(ctx, `INSERT INTO artifacts (scan_id, name, content_type, data) VALUES (?, ?, ?, ?) ON CONFLICT (scan_id, name) DO UPDATE SET content_type = excluded.content_type, data = excluded.data`,
			id, a.Name, a.ContentType, a.Data); err != nil {
			return err
		}
	}
	if r.Verdict != "scam" && r.Verdict != "suspicious" {
		return nil
	}
	for _, from := range r.MergedCampaigns {
		if err := renameCampaign(ctx, tx, from, r.Campaign); err != nil {
			return err
		}
	}
	page := r.FinalURL
	if page == "" {
		page = pageURL
	}
	for _, h := range r.Hotlines {
		if err := d.recordSighting(ctx, tx, id, page, r, h, at); err != nil {
			return err
		}
	}
	for _, l := range r.Domains {
		if err := d.recordListing(ctx, tx, "domain", id, r, l, at); err != nil {
			return err
		}
	}
	for _, l := range r.URLs {
		if err := d.recordListing(ctx, tx, "url", id, r, l, at); err != nil {
			return err
		}
	}
	if r.Verdict == "scam" {
		return d.addWatch(ctx, tx, pageURL, v, r, at)
	}
	return nil
}

func (d *DB) recordSighting(ctx context.Context, tx txq, scanID, page string, r Result, h HotlineSighting, at int64) error {
	how := strings.Join(h.How, ",")
	n, err := tx.exec(ctx, `INSERT INTO sightings (e164, scan_id, url, domain, template, how, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (e164, scan_id) DO NOTHING`,
		h.E164, scanID, page, r.Domain, r.Template, how, at)
	if err != nil || n == 0 {
		return err
	}
	// A new number: inserted unless a scan finishing at the same time
	// inserted it first (then it is updated below).
	n, err = tx.exec(ctx, `INSERT INTO hotlines (e164, type, region, brand, verdict, how, first_seen, last_seen, expires, sightings, campaign) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (e164) DO NOTHING`,
		h.E164, h.Type, h.Region, r.Brand, r.Verdict, mergeSet("", how), at, at, micros(h.Expires), r.Campaign)
	if err != nil {
		return err
	}
	var old Hotline
	var oldHow string
	var first, last, exp int64
	if n == 0 {
		err = tx.queryRow(ctx, `SELECT verdict, how, first_seen, last_seen, expires FROM hotlines WHERE e164 = ?`, h.E164).Scan(&old.Verdict, &oldHow, &first, &last, &exp)
	}
	switch {
	case n > 0:
	case err != nil:
		return err
	default:
		_, err = tx.exec(ctx, `UPDATE hotlines SET type = ?, region = ?, brand = CASE WHEN ? <> '' THEN ? ELSE brand END, verdict = ?, how = ?, last_seen = ?, expires = ?, sightings = sightings + 1, campaign = CASE WHEN ? <> '' THEN ? ELSE campaign END WHERE e164 = ?`,
			h.Type, h.Region, r.Brand, r.Brand, worse(old.Verdict, r.Verdict), mergeSet(oldHow, how), max(last, at), max(exp, micros(h.Expires)), r.Campaign, r.Campaign, h.E164)
	}
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO verdicts (scan_id, kind, value, verdict, at, expires) VALUES (?, 'number', ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		scanID, h.E164, r.Verdict, at, micros(h.Expires))
	return err
}

func (d *DB) recordListing(ctx context.Context, tx txq, kind, scanID string, r Result, l Listing, at int64) error {
	// Allowlisted domains are never listed, whatever a scan says. A URL
	// pattern is: it names a real site's page made to show a scam number,
	// and blocks only that.
	if !l.Pattern {
		var allowed int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM allowlist WHERE domain = ?`, l.Domain).Scan(&allowed); err != nil {
			return err
		}
		if allowed > 0 {
			return nil
		}
	}
	n, err := tx.exec(ctx, `INSERT INTO verdicts (scan_id, kind, value, pattern, verdict, at, expires) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		scanID, kind, l.Value, boolInt(l.Pattern), r.Verdict, at, micros(l.Expires))
	if err != nil || n == 0 {
		return err
	}
	// As for numbers: insert, or update what a concurrent scan inserted.
	n, err = tx.exec(ctx, `INSERT INTO listings (kind, value, domain, pattern, verdict, brand, evidence, first_seen, last_seen, expires, sightings, campaign, last_scan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (kind, value) DO NOTHING`,
		kind, l.Value, l.Domain, boolInt(l.Pattern), r.Verdict, r.Brand, r.Evidence, at, at, micros(l.Expires), r.Campaign, scanID)
	if err != nil {
		return err
	}
	var oldVerdict string
	var last, exp int64
	if n == 0 {
		err = tx.queryRow(ctx, `SELECT verdict, last_seen, expires FROM listings WHERE kind = ? AND value = ?`, kind, l.Value).Scan(&oldVerdict, &last, &exp)
	}
	switch {
	case n > 0:
	case err != nil:
		return err
	default:
		_, err = tx.exec(ctx, `UPDATE listings SET verdict = ?, brand = CASE WHEN ? <> '' THEN ? ELSE brand END, evidence = ?, last_seen = ?, expires = ?, sightings = sightings + 1, campaign = CASE WHEN ? <> '' THEN ? ELSE campaign END, last_scan = ? WHERE kind = ? AND value = ?`,
			worse(oldVerdict, r.Verdict), r.Brand, r.Brand, r.Evidence, max(last, at), max(exp, micros(l.Expires)), r.Campaign, r.Campaign, scanID, kind, l.Value)
	}
	return err
}

// worse keeps the stronger of two verdicts: a page once seen as a scam
// stays listed as one until it expires, even if a later visit was cloaked.
func worse(a, b string) string {
	if a == "scam" || b == "scam" {
		return "scam"
	}
	if b != "" {
		return b
	}
	return a
}

// mergeSet merges two comma-separated sets, sorted.
func mergeSet(a, b string) string {
	var all []string
	for _, s := range strings.Split(a+","+b, ",") {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(all, s) {
			all = append(all, s)
		}
	}
	slices.Sort(all)
	return strings.Join(all, ",")
}

// Artifact returns a file kept with a scan.
func (d *DB) Artifact(ctx context.Context, scanID, name string) (Artifact, error) {
	a := Artifact{Name: name}
	err := d.b.queryRow(ctx, `SELECT content_type, data FROM artifacts WHERE scan_id = ? AND name = ?`, scanID, name).Scan(&a.ContentType, &a.Data)
	if err != nil {
		return Artifact{}, fmt.Errorf("store: %s of scan %s: %w", name, scanID, err)
	}
	return a, nil
}

// Fingerprints walks the template fingerprints of finished scans, oldest
// first, to rebuild the campaign clusters.
func (d *DB) Fingerprints(ctx context.Context, fn func(scanID, campaign string, fp []byte) error) error {
	rs, err := d.b.query(ctx, `SELECT id, campaign, fingerprint FROM scans WHERE status = ? AND fingerprint IS NOT NULL ORDER BY finished_at, id`, string(Done))
	if err != nil {
		return fmt.Errorf("store: fingerprints: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id, camp string
		var fp []byte
		if err := rs.Scan(&id, &camp, &fp); err != nil {
			return fmt.Errorf("store: fingerprints: %w", err)
		}
		if err := fn(id, camp, fp); err != nil {
			return err
		}
	}
	return rs.Err()
}
