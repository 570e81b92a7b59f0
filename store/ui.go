package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ScanFilter narrows FindScans. Empty fields match everything.
type ScanFilter struct {
	Verdict  string
	Brand    string // exact, case-insensitive
	Campaign string
	Domain   string // registrable domain
	URL      string // a substring of the submitted or final URL
	Status   ScanStatus
	Since    time.Time
	Until    time.Time
	Limit    int // default 50, at most 1000
	// Reports loads each scan's report too (for filters on its findings).
	Reports bool
}

// FindScans lists scans that match a filter, newest first, without
// their reports.
func (d *DB) FindScans(ctx context.Context, f ScanFilter) ([]Scan, error) {
	var where []string
	var args []any
	add := func(cond string, arg any) {
		where = append(where, cond)
		args = append(args, arg)
	}
	if f.Verdict != "" {
		add(`verdict = ?`, f.Verdict)
	}
	if f.Brand != "" {
		add(`LOWER(brand) = ?`, strings.ToLower(f.Brand))
	}
	if f.Campaign != "" {
		add(`campaign = ?`, f.Campaign)
	}
	if f.Domain != "" {
		add(`domain = ?`, strings.ToLower(f.Domain))
	}
	if f.Status != "" {
		add(`status = ?`, string(f.Status))
	}
	if f.URL != "" {
		// A plain substring: the pattern's own wildcards are escaped.
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.URL)
		where = append(where, `(url LIKE ? ESCAPE '\' OR final_url LIKE ? ESCAPE '\')`)
		args = append(args, "%"+esc+"%", "%"+esc+"%")
	}
	if !f.Since.IsZero() {
		add(`submitted_at >= ?`, micros(f.Since))
	}
	if !f.Until.IsZero() {
		add(`submitted_at < ?`, micros(f.Until))
	}
	for _, v := range []string{f.Verdict, f.Brand, f.Campaign, f.Domain, f.URL} {
		if err := CheckText("filter", v, 4096); err != nil {
			return nil, err
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	cols := strings.Replace(scanColumns, "report", "NULL", 1)
	if f.Reports {
		cols = scanColumns
	}
	q := `SELECT ` + cols + ` FROM scans`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY submitted_at DESC LIMIT ?`
	args = append(args, limit)
	rs, err := d.b.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find scans: %w", err)
	}
	defer rs.Close()
	out := []Scan{}
	for rs.Next() {
		s, err := scanRow(rs)
		if err != nil {
			return nil, fmt.Errorf("store: find scans: %w", err)
		}
		out = append(out, s)
	}
	return out, rs.Err()
}

// Sighting is one number seen on one scanned page.
type Sighting struct {
	E164     string    `json:"e164"`
	ScanID   string    `json:"scan_id"`
	URL      string    `json:"url"`
	Domain   string    `json:"domain"`
	Template string    `json:"template,omitempty"`
	How      []string  `json:"how"`
	Seen     time.Time `json:"seen"`
	Campaign string    `json:"campaign,omitempty"`
}

// Sightings lists the sightings of a number, or of a campaign's pages, or
// all of them when both are empty, oldest first.
func (d *DB) Sightings(ctx context.Context, e164, campaign string) ([]Sighting, error) {
	if err := CheckText("number", e164, 64); err != nil {
		return nil, err
	}
	if err := CheckText("campaign", campaign, 256); err != nil {
		return nil, err
	}
	q := `SELECT g.e164, g.scan_id, g.url, g.domain, g.template, g.how, g.seen_at, s.campaign FROM sightings g JOIN scans s ON s.id = g.scan_id WHERE 1 = 1`
	var args []any
	if e164 != "" {
		q += ` AND g.e164 = ?`
		args = append(args, e164)
	}
	if campaign != "" {
		q += ` AND s.campaign = ?`
		args = append(args, campaign)
	}
	rs, err := d.b.query(ctx, q+` ORDER BY g.seen_at, g.e164 LIMIT 20000`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: sightings: %w", err)
	}
	defer rs.Close()
	out := []Sighting{}
	for rs.Next() {
		var s Sighting
		var how string
		var at int64
		if err := rs.Scan(&s.E164, &s.ScanID, &s.URL, &s.Domain, &s.Template, &how, &at, &s.Campaign); err != nil {
			return nil, fmt.Errorf("store: sightings: %w", err)
		}
		s.How, s.Seen = splitSet(how), fromMicros(at)
		out = append(out, s)
	}
	return out, rs.Err()
}

// reportColumns are the columns of a report that reads return: never its
// evidence, which stays in report_evidence.
const reportColumns = `r.id, r.url, r.number, r.comment, r.key_id, r.created_at, r.scan_id,
	r.dom_size, r.shot_type, r.shot_width, r.shot_height, r.dom_verdict, r.dom_score, r.dom_findings,
	COALESCE(s.status, ''), COALESCE(s.verdict, '')
	FROM user_reports r LEFT JOIN scans s ON s.id = r.scan_id`

func scanReport(rs interface{ Scan(...any) error }) (UserReport, error) {
	var r UserReport
	var at int64
	var findings string
	if err := rs.Scan(&r.ID, &r.URL, &r.Number, &r.Comment, &r.KeyID, &at, &r.ScanID,
		&r.DOMSize, &r.ShotType, &r.ShotWidth, &r.ShotHeight, &r.DOMVerdict, &r.DOMScore, &findings,
		&r.ScanStatus, &r.ScanVerdict); err != nil {
		return UserReport{}, err
	}
	r.Created = fromMicros(at)
	if findings != "" {
		_ = json.Unmarshal([]byte(findings), &r.DOMFindings) // written by AddReport; a bad row shows none
	}
	r.Settle()
	return r, nil
}

// UserReports lists the latest user reports, newest first, each with its
// scan's status and verdict and without its evidence's bytes.
func (d *DB) UserReports(ctx context.Context, limit int) ([]UserReport, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rs, err := d.b.query(ctx, `SELECT `+reportColumns+` ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	defer rs.Close()
	out := []UserReport{}
	for rs.Next() {
		r, err := scanReport(rs)
		if err != nil {
			return nil, fmt.Errorf("store: reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// UserReport reads one user report (without its evidence's bytes).
func (d *DB) UserReport(ctx context.Context, id string) (UserReport, error) {
	r, err := scanReport(d.b.queryRow(ctx, `SELECT `+reportColumns+` WHERE r.id = ?`, id))
	if err != nil {
		return UserReport{}, fmt.Errorf("store: report %s: %w", id, mapErr(err))
	}
	return r, nil
}

// ScanFingerprint returns the stored template fingerprint of a scan (see
// intel.Page), ErrNotFound when it has none.
func (d *DB) ScanFingerprint(ctx context.Context, id string) ([]byte, error) {
	var fp []byte
	err := d.b.queryRow(ctx, `SELECT fingerprint FROM scans WHERE id = ?`, id).Scan(&fp)
	if err != nil {
		return nil, fmt.Errorf("store: fingerprint of %s: %w", id, err)
	}
	if len(fp) == 0 {
		return nil, fmt.Errorf("store: fingerprint of %s: %w", id, ErrNotFound)
	}
	return fp, nil
}

// WalkArtifacts calls fn with every stored artifact of one name (such as
// capture.json), newest scan first, until fn returns an error or limit
// artifacts were read.
func (d *DB) WalkArtifacts(ctx context.Context, name string, limit int, fn func(scanID string, data []byte) error) error {
	if limit <= 0 {
		limit = 10000
	}
	rs, err := d.b.query(ctx, `SELECT a.scan_id, a.data FROM artifacts a JOIN scans s ON s.id = a.scan_id WHERE a.name = ? ORDER BY s.submitted_at DESC LIMIT ?`, name, limit)
	if err != nil {
		return fmt.Errorf("store: artifacts: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var id string
		var data []byte
		if err := rs.Scan(&id, &data); err != nil {
			return fmt.Errorf("store: artifacts: %w", err)
		}
		if err := fn(id, data); err != nil {
			return err
		}
	}
	return rs.Err()
}
