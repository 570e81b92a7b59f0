package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// migrations are applied in order, each once, each in its own transaction.
// Append; never edit one that has shipped. Times are Unix microseconds
// (0 = never) so that both databases store and compare them alike; {{blob}}
// is BLOB on SQLite and BYTEA on PostgreSQL.
var migrations = []string{
	1: `
CREATE TABLE scans (
	id           TEXT PRIMARY KEY,
	url          TEXT NOT NULL,
	dynamic      INTEGER NOT NULL DEFAULT 0,
	ua           TEXT NOT NULL DEFAULT '',
	origin       TEXT NOT NULL DEFAULT 'api',
	status       TEXT NOT NULL,
	error        TEXT NOT NULL DEFAULT '',
	attempts     INTEGER NOT NULL DEFAULT 0,
	submitted_at BIGINT NOT NULL,
	started_at   BIGINT NOT NULL DEFAULT 0,
	finished_at  BIGINT NOT NULL DEFAULT 0,
	final_url    TEXT NOT NULL DEFAULT '',
	domain       TEXT NOT NULL DEFAULT '',
	verdict      TEXT NOT NULL DEFAULT '',
	score        DOUBLE PRECISION NOT NULL DEFAULT 0,
	brand        TEXT NOT NULL DEFAULT '',
	campaign     TEXT NOT NULL DEFAULT '',
	report       {{blob}},
	fingerprint  {{blob}}
);
CREATE INDEX scans_submitted ON scans (submitted_at);
CREATE INDEX scans_campaign ON scans (campaign);

CREATE TABLE artifacts (
	scan_id      TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data         {{blob}} NOT NULL,
	PRIMARY KEY (scan_id, name)
);

CREATE TABLE hotlines (
	e164       TEXT PRIMARY KEY,
	type       TEXT NOT NULL DEFAULT '',
	region     TEXT NOT NULL DEFAULT '',
	brand      TEXT NOT NULL DEFAULT '',
	verdict    TEXT NOT NULL,
	how        TEXT NOT NULL DEFAULT '',
	first_seen BIGINT NOT NULL,
	last_seen  BIGINT NOT NULL,
	expires    BIGINT NOT NULL,
	sightings  INTEGER NOT NULL DEFAULT 0,
	campaign   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hotlines_last_seen ON hotlines (last_seen);

CREATE TABLE sightings (
	e164    TEXT NOT NULL,
	scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	url     TEXT NOT NULL,
	domain  TEXT NOT NULL,
	how     TEXT NOT NULL DEFAULT '',
	seen_at BIGINT NOT NULL,
	PRIMARY KEY (e164, scan_id)
);

CREATE TABLE listings (
	kind       TEXT NOT NULL,
	value      TEXT NOT NULL,
	domain     TEXT NOT NULL,
	pattern    INTEGER NOT NULL DEFAULT 0,
	verdict    TEXT NOT NULL,
	brand      TEXT NOT NULL DEFAULT '',
	evidence   TEXT NOT NULL DEFAULT '',
	first_seen BIGINT NOT NULL,
	last_seen  BIGINT NOT NULL,
	expires    BIGINT NOT NULL,
	sightings  INTEGER NOT NULL DEFAULT 0,
	campaign   TEXT NOT NULL DEFAULT '',
	last_scan  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (kind, value)
);
CREATE INDEX listings_domain ON listings (domain);
CREATE INDEX listings_expires ON listings (expires);

CREATE TABLE verdicts (
	scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
	kind    TEXT NOT NULL,
	value   TEXT NOT NULL,
	pattern INTEGER NOT NULL DEFAULT 0,
	verdict TEXT NOT NULL,
	at      BIGINT NOT NULL,
	expires BIGINT NOT NULL,
	PRIMARY KEY (scan_id, kind, value)
);
CREATE INDEX verdicts_at ON verdicts (at);

CREATE TABLE user_reports (
	id         TEXT PRIMARY KEY,
	url        TEXT NOT NULL DEFAULT '',
	number     TEXT NOT NULL DEFAULT '',
	comment    TEXT NOT NULL DEFAULT '',
	key_id     TEXT NOT NULL DEFAULT '',
	ip         TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	scan_id    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE allowlist (
	domain   TEXT PRIMARY KEY,
	note     TEXT NOT NULL DEFAULT '',
	added_by TEXT NOT NULL DEFAULT '',
	added_at BIGINT NOT NULL
);

CREATE TABLE api_keys (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE,
	hash       TEXT NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	revoked_at BIGINT NOT NULL DEFAULT 0,
	last_used  BIGINT NOT NULL DEFAULT 0
);
`,
	2: `
ALTER TABLE sightings ADD COLUMN template TEXT NOT NULL DEFAULT '';
`,
	// One row that health checks rewrite, to see that writes go through.
	3: `
CREATE TABLE store_probe (
	id INTEGER PRIMARY KEY,
	at BIGINT NOT NULL
);
`,
	// Watch and hunt: the re-capture schedule of scam pages, what each
	// re-capture saw, per-site politeness shared by all workers, and the
	// hosts the hunt has already queued.
	4: `
CREATE TABLE watches (
	url          TEXT PRIMARY KEY,
	domain       TEXT NOT NULL DEFAULT '',
	params       TEXT NOT NULL DEFAULT '',
	listed       TEXT NOT NULL DEFAULT '',
	added_at     BIGINT NOT NULL,
	next_due     BIGINT NOT NULL,
	interval_us  BIGINT NOT NULL,
	last_state   TEXT NOT NULL DEFAULT 'alive',
	last_how     TEXT NOT NULL DEFAULT '',
	last_checked BIGINT NOT NULL DEFAULT 0,
	last_alive   BIGINT NOT NULL DEFAULT 0,
	gone_since   BIGINT NOT NULL DEFAULT 0,
	gone_count   INTEGER NOT NULL DEFAULT 0,
	checks       INTEGER NOT NULL DEFAULT 0,
	claimed_slot BIGINT NOT NULL DEFAULT 0,
	claimed_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX watches_due ON watches (next_due);
CREATE INDEX watches_domain ON watches (domain);

CREATE TABLE watch_checks (
	url      TEXT NOT NULL,
	slot     BIGINT NOT NULL,
	at       BIGINT NOT NULL,
	state    TEXT NOT NULL,
	how      TEXT NOT NULL DEFAULT '',
	verdict  TEXT NOT NULL DEFAULT '',
	numbers  TEXT NOT NULL DEFAULT '',
	reflects INTEGER NOT NULL DEFAULT 0,
	scan_id  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (url, slot)
);
CREATE INDEX watch_checks_at ON watch_checks (at);

CREATE TABLE site_politeness (
	site         TEXT PRIMARY KEY,
	next_allowed BIGINT NOT NULL
);

CREATE TABLE hunt_seen (
	host    TEXT PRIMARY KEY,
	source  TEXT NOT NULL DEFAULT '',
	score   DOUBLE PRECISION NOT NULL DEFAULT 0,
	seen_at BIGINT NOT NULL,
	scan_id TEXT NOT NULL DEFAULT ''
);
`,
	// Merging two campaigns renames one in every table: without these a
	// merge reads all numbers and listings, and linking grows with the
	// square of the pages.
	5: `
CREATE INDEX hotlines_campaign ON hotlines (campaign);
CREATE INDEX listings_campaign ON listings (campaign);
`,
	// Hunt sources: what serve was told to hunt, when each is due, and
	// its cursor (a CT log position, an ETag, a TAXII added_after …), so
	// that rounds run as jobs on any worker and resume after a restart.
	6: `
CREATE TABLE hunt_sources (
	name         TEXT PRIMARY KEY,
	spec         TEXT NOT NULL,
	every_us     BIGINT NOT NULL,
	per_round    INTEGER NOT NULL DEFAULT 100,
	min_score    DOUBLE PRECISION NOT NULL DEFAULT 4,
	enabled      INTEGER NOT NULL DEFAULT 1,
	cursor_state TEXT NOT NULL DEFAULT '',
	next_due     BIGINT NOT NULL DEFAULT 0,
	rounds       INTEGER NOT NULL DEFAULT 0,
	last_round   TEXT NOT NULL DEFAULT '',
	last_error   TEXT NOT NULL DEFAULT '',
	updated_at   BIGINT NOT NULL DEFAULT 0
);
`,
	// Evidence a user sent with a report (with consent): the page's DOM
	// and a screenshot, in a table of their own so that listing reports
	// never reads them, and what the static engine said of that DOM.
	7: `
ALTER TABLE user_reports ADD COLUMN dom_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_reports ADD COLUMN shot_type TEXT NOT NULL DEFAULT '';
ALTER TABLE user_reports ADD COLUMN shot_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_reports ADD COLUMN shot_height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_reports ADD COLUMN dom_verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE user_reports ADD COLUMN dom_score DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE user_reports ADD COLUMN dom_findings TEXT NOT NULL DEFAULT '';
CREATE INDEX user_reports_created ON user_reports (created_at);

CREATE TABLE report_evidence (
	report_id    TEXT NOT NULL REFERENCES user_reports (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data         {{blob}} NOT NULL,
	PRIMARY KEY (report_id, name)
);
`,
	// The visitor a scan arrives as, beside its device (ua): a language
	// (kits aimed at one country serve and run only for its visitors) and
	// a referrer (kits that cloak show the scam only to visitors from a
	// search or an ad); the watch of a page re-captures it as the visitor
	// of the scan that found it.
	8: `
ALTER TABLE scans ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE scans ADD COLUMN referrer TEXT NOT NULL DEFAULT '';
ALTER TABLE watches ADD COLUMN ua TEXT NOT NULL DEFAULT '';
ALTER TABLE watches ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE watches ADD COLUMN referrer TEXT NOT NULL DEFAULT '';
`,
}

func (d *DB) migrate(ctx context.Context) error {
	blob := "BLOB"
	if d.b.name() == "postgres" {
		blob = "BYTEA"
	}
	tx, err := d.lockedTx(ctx)
	if err != nil {
		return err
	}
	defer tx.rollback(ctx)
	if _, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var current int
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if current > SchemaVersion() {
		return fmt.Errorf("store: the database is at schema version %d, newer than this tssguard knows (%d): upgrade tssguard", current, SchemaVersion())
	}
	for v := current + 1; v < len(migrations); v++ {
		for _, stmt := range strings.Split(strings.ReplaceAll(migrations[v], "{{blob}}", blob), ";\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := tx.exec(ctx, stmt); err != nil {
				return fmt.Errorf("store: migration %d: %w", v, err)
			}
		}
		if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, micros(d.now())); err != nil {
			return fmt.Errorf("store: migration %d: %w", v, err)
		}
	}
	return tx.commit(ctx)
}

// migrationLock names the PostgreSQL advisory lock that every migration,
// ours and the job queue's, runs under.
const migrationLock = 7346110

// lockedTx begins a transaction that holds the migration lock until it
// ends: servers and workers starting together on one database migrate one
// at a time, and each sees what the one before it committed. (SQLite
// transactions here begin as writers, which serialises them already.)
func (d *DB) lockedTx(ctx context.Context) (txq, error) {
	tx, err := d.b.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	if d.b.name() == "postgres" {
		if _, err := tx.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, migrationLock); err != nil {
			_ = tx.rollback(ctx)
			return nil, fmt.Errorf("store: migrate lock: %w", err)
		}
	}
	return tx, nil
}

// Migrate runs fn, another component's migrations (the job queue's),
// under the migration lock. On PostgreSQL the lock is a session lock held
// on a connection of its own, since River applies its migrations in
// transactions of its own (some cannot share one).
func (d *DB) Migrate(ctx context.Context, fn func(ctx context.Context) error) error {
	pool := d.Pool()
	if pool == nil {
		return fn(ctx)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate lock: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("store: migrate lock: %w", err)
	}
	defer func() {
		// A fresh context: the lock must go even when ctx has ended. If
		// this fails the connection is closed, which releases it too.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, migrationLock); err != nil {
			_ = conn.Conn().Close(uctx)
		}
	}()
	return fn(ctx)
}

// SchemaVersion is the newest migration this build applies.
func SchemaVersion() int { return len(migrations) - 1 }
