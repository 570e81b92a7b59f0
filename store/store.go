// Package store keeps what tssguard learns: scans and their reports, the
// hotline numbers, domains and URLs they found, verdict history, user
// reports, the allowlist and API keys.
//
// One implementation of the Store interface runs on two databases: SQLite
// (embedded, the default) and PostgreSQL (pgx). The SQL is shared; the
// backends differ only in placeholders, a few column types, locking and how a
// transaction is handed to the job queue. The same test suite runs on both.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors callers tell apart.
var (
	ErrNotFound    = errors.New("not found")
	ErrExists      = errors.New("already exists")
	ErrAllowlisted = errors.New("allowlisted")
	// ErrFull: the database cannot grow (disk full); writes fail until an
	// operator frees space.
	ErrFull = errors.New("the database's disk is full")
	// ErrUnavailable: the database is down, unreachable, read-only or
	// damaged; the request may succeed later.
	ErrUnavailable = errors.New("the database is unavailable")
)

// ScanStatus is where a scan is in its life.
type ScanStatus string

const (
	Pending ScanStatus = "pending"
	Running ScanStatus = "running"
	Done    ScanStatus = "done"
	Failed  ScanStatus = "failed"
)

// Scan is one submitted URL and, once done, its verdict and report.
type Scan struct {
	ID      string `json:"id"`
	URL     string `json:"url"`
	Dynamic bool   `json:"dynamic"`
	// Visitor is who the scan arrives as: its device (ua), a language tag
	// (Accept-Language, and navigator.language and the time zone in the
	// emulator and the browser) and the page it seems to come from
	// (Referer). Its fields are the scan's in JSON.
	Visitor
	Origin    string     `json:"origin"` // api, report, cli
	Status    ScanStatus `json:"status"`
	Error     string     `json:"error,omitempty"`
	Attempts  int        `json:"attempts"`
	Submitted time.Time  `json:"submitted"`
	Started   time.Time  `json:"started,omitzero"`
	Finished  time.Time  `json:"finished,omitzero"`
	FinalURL  string     `json:"final_url,omitempty"`
	Domain    string     `json:"domain,omitempty"`
	Verdict   string     `json:"verdict,omitempty"`
	Score     float64    `json:"score"`
	Campaign  string     `json:"campaign,omitempty"`
	Report    []byte     `json:"-"` // the analyze.Report as JSON
}

// Visitor is who a capture arrives as: a device profile (UA: windows,
// mac, android, iphone), a language tag and a referrer; empty fields are
// the default visitor's. A scan keeps its visitor, and the watch of the
// page it found re-captures the page as the same visitor: a kit that shows
// its scam only to Japanese iPhones from a search is no less alive for
// showing a desktop in English something else.
type Visitor struct {
	UA       string `json:"ua,omitempty"`
	Lang     string `json:"lang,omitempty"`
	Referrer string `json:"referrer,omitempty"`
}

// Result is what a finished scan adds to the store, in one transaction.
// The worker derives it from the report; the store only records it.
type Result struct {
	FinalURL    string
	Domain      string // registrable domain of the final URL
	Verdict     string
	Score       float64
	Report      []byte
	Fingerprint []byte // intel template fingerprint, scam and suspicious pages only
	Campaign    string
	Template    string // the page's template ID (intel signature)
	// TemplateParams are the URL parameters the page takes its number
	// from; a watched page is re-captured with a sentinel in them.
	TemplateParams []string
	// MergedCampaigns are older campaigns this page joined into Campaign.
	MergedCampaigns []string
	Brand           string
	Evidence        string
	Artifacts       []Artifact
	Hotlines        []HotlineSighting
	// Listings: what the verdict puts on the block lists. Empty for clean pages.
	Domains []Listing // registrable domains
	URLs    []Listing // canonical URLs and reflected-number URL patterns
}

// Artifact is a file kept with a dynamic scan: screenshot.png, dom.html.
type Artifact struct {
	Name        string
	ContentType string
	Data        []byte
}

// HotlineSighting is one number on one scanned page.
type HotlineSighting struct {
	E164    string
	Type    string   // toll_free, fixed_line, ...
	Region  string   // ISO country
	How     []string // text, tel, url-param, script, speech
	Expires time.Time
}

// Listing puts a domain or URL on the block lists until it expires.
type Listing struct {
	Value   string
	Domain  string // registrable domain, checked against the allowlist
	Pattern bool   // a URL pattern (host/path?param=) rather than one URL
	Expires time.Time
}

// Hotline is a number with everything seen about it.
type Hotline struct {
	E164      string    `json:"e164"`
	Type      string    `json:"type,omitempty"`
	Region    string    `json:"region,omitempty"`
	Brand     string    `json:"brand,omitempty"`
	Verdict   string    `json:"verdict"`
	How       []string  `json:"how"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Expires   time.Time `json:"expires"`
	Sightings int       `json:"sightings"`
	Campaign  string    `json:"campaign,omitempty"`
	Domains   []string  `json:"domains,omitempty"`
	Templates []string  `json:"templates,omitempty"`
	Pages     []string  `json:"pages,omitempty"`
}

// Listed is a domain or URL on the block lists.
type Listed struct {
	Kind      string    `json:"kind"` // domain, url
	Value     string    `json:"value"`
	Pattern   bool      `json:"pattern,omitempty"`
	Verdict   string    `json:"verdict"`
	Brand     string    `json:"brand,omitempty"`
	Evidence  string    `json:"evidence,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Expires   time.Time `json:"expires"`
	Sightings int       `json:"sightings"`
	Campaign  string    `json:"campaign,omitempty"`
	LastScan  string    `json:"last_scan,omitempty"`
}

// Verdict is one entry of the verdict history: what a scan said about a
// value. The reputation index follows it.
type Verdict struct {
	Kind    string    `json:"kind"` // url, domain, number
	Value   string    `json:"value"`
	Pattern bool      `json:"pattern,omitempty"`
	Verdict string    `json:"verdict"`
	ScanID  string    `json:"scan_id"`
	At      time.Time `json:"at"`
	Expires time.Time `json:"expires"`
}

// UserReport is someone telling us about a URL or a number. It is queued
// for a scan, never trusted blindly.
type UserReport struct {
	ID      string    `json:"id"`
	URL     string    `json:"url,omitempty"`
	Number  string    `json:"number,omitempty"`
	Comment string    `json:"comment,omitempty"`
	KeyID   string    `json:"-"`
	IP      string    `json:"-"`
	Created time.Time `json:"created"`
	ScanID  string    `json:"scan_id,omitempty"`

	// DOM and Screenshot are the evidence the reporter sent with consent.
	// AddReport stores them apart from the report (ReportEvidence reads
	// them back); reads of reports leave them empty and give their sizes.
	DOM        []byte `json:"-"`
	Screenshot []byte `json:"-"`
	DOMSize    int    `json:"dom_size,omitempty"`
	ShotType   string `json:"screenshot_type,omitempty"` // image/png or image/jpeg
	ShotWidth  int    `json:"screenshot_width,omitempty"`
	ShotHeight int    `json:"screenshot_height,omitempty"`
	// What the static engine said of the submitted DOM: evidence for an
	// analyst, never a listing.
	DOMVerdict  string       `json:"dom_verdict,omitempty"`
	DOMScore    float64      `json:"dom_score,omitempty"`
	DOMFindings []DOMFinding `json:"dom_findings,omitempty"`

	// Read with the report: its scan's status and verdict, and what they
	// make of the report (see Settle).
	ScanStatus        string `json:"scan_status,omitempty"`
	ScanVerdict       string `json:"scan_verdict,omitempty"`
	CloakingSuspected bool   `json:"cloaking_suspected"`
	Priority          int    `json:"priority"`
}

// DOMFinding is one of the top findings of a submitted DOM's analysis.
type DOMFinding struct {
	Rule     string  `json:"rule"`
	Severity string  `json:"severity"`
	Message  string  `json:"message"`
	Weight   float64 `json:"weight"`
	Snippet  string  `json:"snippet,omitempty"`
}

// Report priorities: how soon an analyst should look. A submitted DOM
// raises a report's priority and does nothing else.
const (
	PriorityNormal     = 0
	PrioritySuspicious = 1 // the submitted DOM is suspicious
	PriorityScam       = 2 // the submitted DOM is a scam page
	PriorityCloaking   = 3 // ... and our own scan of the URL saw something else
)

// Settle works out CloakingSuspected and Priority from the DOM's verdict
// and the scan's: when the page the victim saw is a scam but our scanner,
// fetching the same URL, was shown a clean or merely suspicious page, the
// site probably shows scanners something else.
func (r *UserReport) Settle() {
	r.CloakingSuspected = r.DOMVerdict == "scam" && r.ScanStatus == string(Done) &&
		(r.ScanVerdict == "clean" || r.ScanVerdict == "suspicious")
	switch {
	case r.CloakingSuspected:
		r.Priority = PriorityCloaking
	case r.DOMVerdict == "scam":
		r.Priority = PriorityScam
	case r.DOMVerdict == "suspicious":
		r.Priority = PrioritySuspicious
	default:
		r.Priority = PriorityNormal
	}
}

// Allowed is an allowlisted registrable domain: never listed.
type Allowed struct {
	Domain  string    `json:"domain"`
	Note    string    `json:"note,omitempty"`
	AddedBy string    `json:"added_by,omitempty"`
	Added   time.Time `json:"added"`
}

// APIKey is a named key; only its hash is stored.
type APIKey struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Created  time.Time `json:"created"`
	Revoked  time.Time `json:"revoked,omitzero"`
	LastUsed time.Time `json:"last_used,omitzero"`
}

// Campaign is a cluster of scam pages built from one kit.
type Campaign struct {
	ID        string    `json:"id"`
	Brand     string    `json:"brand,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Pages     int       `json:"pages"`
	Numbers   []string  `json:"numbers"`
	Domains   []string  `json:"domains"`
	URLs      []string  `json:"urls,omitempty"`
}

// Tx is an open transaction, handed to the job queue so that a job is
// inserted or completed atomically with the rows it belongs to. Raw is the
// driver's own transaction: *sql.Tx for SQLite, pgx.Tx for PostgreSQL.
type Tx interface{ Raw() any }

// Store is everything tssguard keeps.
type Store interface {
	// Scans.
	CreateScan(ctx context.Context, s Scan, enqueue func(Tx) error) (Scan, error)
	Scan(ctx context.Context, id string) (Scan, error)
	Scans(ctx context.Context, since time.Time, limit int) ([]Scan, error)
	StartScan(ctx context.Context, id string) (Scan, error)
	FinishScan(ctx context.Context, id string, r Result, complete func(Tx) error) error
	FailScan(ctx context.Context, id, reason string, complete func(Tx) error) error
	Artifact(ctx context.Context, scanID, name string) (Artifact, error)
	Fingerprints(ctx context.Context, fn func(scanID, campaign string, fp []byte) error) error

	// Hotlines, domains, URLs and the verdict history.
	Hotline(ctx context.Context, e164 string) (Hotline, error)
	Hotlines(ctx context.Context, since time.Time, fn func(Hotline) error) error
	Domain(ctx context.Context, domain string) (Listed, error)
	Listings(ctx context.Context, now time.Time, fn func(Listed) error) error
	Verdicts(ctx context.Context, since time.Time, fn func(Verdict) error) error
	Campaigns(ctx context.Context) ([]Campaign, error)
	Campaign(ctx context.Context, id string) (Campaign, error)
	RenameCampaign(ctx context.Context, from, to string) error

	// User reports.
	AddReport(ctx context.Context, r UserReport, scan *Scan, enqueue func(Tx) error) (UserReport, error)

	// Allowlist.
	Allow(ctx context.Context, a Allowed) error
	Disallow(ctx context.Context, domain string) error
	Allowlist(ctx context.Context) ([]Allowed, error)
	IsAllowed(ctx context.Context, domain string) (bool, error)

	// API keys.
	CreateKey(ctx context.Context, name string) (APIKey, string, error)
	KeyByToken(ctx context.Context, token string) (APIKey, error)
	Keys(ctx context.Context) ([]APIKey, error)
	RevokeKey(ctx context.Context, name string) error

	// Backend says "sqlite" or "postgres"; Close releases it.
	Backend() string
	Close() error
}

// Probe checks that the database takes writes, not only reads: it rewrites
// one row of a table of its own and reads it back. Health checks call it;
// it fails with ErrFull or ErrUnavailable when the database does.
func (d *DB) Probe(ctx context.Context) error {
	if _, err := d.b.exec(ctx, `INSERT INTO store_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at`, micros(d.now())); err != nil {
		return fmt.Errorf("store: write: %w", err)
	}
	var at int64
	if err := d.b.queryRow(ctx, `SELECT at FROM store_probe WHERE id = 1`).Scan(&at); err != nil {
		return fmt.Errorf("store: read: %w", err)
	}
	return nil
}
