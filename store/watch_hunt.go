package store

import (
	"context"
	"fmt"
	"time"
)

// HuntSource is a source the hunt reads on a schedule, with its cursor:
// what it has read so far (a CT log position, a list's ETag, a TAXII
// added_after, MISP event timestamps, a urlscan sort key), so that a round
// run by any worker goes on where the last one stopped, across restarts.
type HuntSource struct {
	Name      string        `json:"name"`
	Spec      string        `json:"spec"` // KIND:LOCATION
	Every     time.Duration `json:"every_ns"`
	PerRound  int           `json:"per_round"`
	MinScore  float64       `json:"min_score"`
	Enabled   bool          `json:"enabled"`
	Cursor    string        `json:"cursor,omitempty"`
	NextDue   time.Time     `json:"next_due,omitzero"`
	Rounds    int           `json:"rounds"`
	LastRound string        `json:"last_round,omitempty"` // the last round's summary (JSON)
	LastError string        `json:"last_error,omitempty"`
	Updated   time.Time     `json:"updated,omitzero"`
}

const huntSourceColumns = `name, spec, every_us, per_round, min_score, enabled, cursor_state, next_due, rounds, last_round, last_error, updated_at`

func huntSourceRow(r row) (HuntSource, error) {
	var s HuntSource
	var every, due, updated, enabled int64
	err := r.Scan(&s.Name, &s.Spec, &every, &s.PerRound, &s.MinScore, &enabled, &s.Cursor, &due, &s.Rounds, &s.LastRound, &s.LastError, &updated)
	s.Every = time.Duration(every) * time.Microsecond
	s.Enabled = enabled != 0
	s.NextDue, s.Updated = fromMicros(due), fromMicros(updated)
	return s, err
}

// SetHuntSources makes srcs the sources hunted: each is added or updated
// (a source whose spec changed starts again with no cursor; one whose spec
// is the same keeps its cursor), due at once, and every other source is
// disabled, its cursor kept should it come back.
func (d *DB) SetHuntSources(ctx context.Context, srcs []HuntSource) error {
	return d.inTx(ctx, func(tx txq) error {
		now := micros(d.now())
		if _, err := tx.exec(ctx, `UPDATE hunt_sources SET enabled = 0`); err != nil {
			return fmt.Errorf("store: hunt sources: %w", err)
		}
		for _, s := range srcs {
			if s.Name == "" || s.Spec == "" || s.Every <= 0 {
				return fmt.Errorf("store: hunt source %q: a name, a spec and an interval are needed", s.Name)
			}
			_, err := tx.exec(ctx, `INSERT INTO hunt_sources (name, spec, every_us, per_round, min_score, enabled, next_due, updated_at)
				VALUES (?, ?, ?, ?, ?, 1, ?, ?)
				ON CONFLICT (name) DO UPDATE SET every_us = excluded.every_us, per_round = excluded.per_round, min_score = excluded.min_score,
					enabled = 1, next_due = excluded.next_due, updated_at = excluded.updated_at,
					cursor_state = CASE WHEN hunt_sources.spec = excluded.spec THEN hunt_sources.cursor_state ELSE '' END,
					spec = excluded.spec`,
				s.Name, s.Spec, int64(s.Every/time.Microsecond), s.PerRound, s.MinScore, now, now)
			if err != nil {
				return fmt.Errorf("store: hunt source %s: %w", s.Name, err)
			}
		}
		return nil
	})
}

// HuntSources lists the sources, disabled ones too.
func (d *DB) HuntSources(ctx context.Context) ([]HuntSource, error) {
	rs, err := d.b.query(ctx, `SELECT `+huntSourceColumns+` FROM hunt_sources ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: hunt sources: %w", err)
	}
	defer rs.Close()
	var out []HuntSource
	for rs.Next() {
		s, err := huntSourceRow(rs)
		if err != nil {
			return nil, fmt.Errorf("store: hunt sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rs.Err()
}

// HuntSource returns one source.
func (d *DB) HuntSource(ctx context.Context, name string) (HuntSource, error) {
	s, err := huntSourceRow(d.b.queryRow(ctx, `SELECT `+huntSourceColumns+` FROM hunt_sources WHERE name = ?`, name))
	if err != nil {
		return s, fmt.Errorf("store: hunt source %s: %w", name, mapErr(err))
	}
	return s, nil
}

// ClaimHuntSources takes the enabled sources that are due, moves each one
// interval ahead and hands its name to enqueue in the same transaction, so
// a round's job and the source's next due time are written together. On
// PostgreSQL the rows are locked with SKIP LOCKED: claimers running at
// once never take the same source.
func (d *DB) ClaimHuntSources(ctx context.Context, now time.Time, enqueue func(tx Tx, name string) error) (int, error) {
	lock := ""
	if d.b.name() == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	n := 0
	err := d.inTx(ctx, func(tx txq) error {
		rs, err := tx.query(ctx, `SELECT name, every_us FROM hunt_sources WHERE enabled = 1 AND next_due <= ? ORDER BY next_due`+lock, micros(now))
		if err != nil {
			return fmt.Errorf("store: claim hunt sources: %w", err)
		}
		type due struct {
			name  string
			every int64
		}
		var list []due
		for rs.Next() {
			var x due
			if err := rs.Scan(&x.name, &x.every); err != nil {
				rs.Close()
				return fmt.Errorf("store: claim hunt sources: %w", err)
			}
			list = append(list, x)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return fmt.Errorf("store: claim hunt sources: %w", err)
		}
		for _, x := range list {
			if _, err := tx.exec(ctx, `UPDATE hunt_sources SET next_due = ? WHERE name = ?`, micros(now)+x.every, x.name); err != nil {
				return fmt.Errorf("store: claim hunt source: %w", err)
			}
			if err := enqueue(tx, x.name); err != nil {
				return fmt.Errorf("store: enqueue hunt round: %w", mapErr(err))
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}

// SaveHuntRound records a round of a source: its new cursor and what the
// round did. The spec must still be the source's: a round that ran while
// the source was reconfigured leaves the new configuration's cursor alone
// (false).
func (d *DB) SaveHuntRound(ctx context.Context, name, spec, cursor, summary, roundErr string) (bool, error) {
	n, err := d.b.exec(ctx, `UPDATE hunt_sources SET cursor_state = ?, rounds = rounds + 1, last_round = ?, last_error = ?, updated_at = ? WHERE name = ? AND spec = ?`,
		cursor, summary, roundErr, micros(d.now()), name, spec)
	if err != nil {
		return false, fmt.Errorf("store: save hunt round: %w", err)
	}
	return n > 0, nil
}

// HuntScan queues a scan of a hunted candidate unless its host was hunted
// before, in one transaction: the host's mark, the scan and its job
// (enqueue) exist together or not at all, so a round cut short by a crash
// and run again neither loses a host nor scans one twice. False: a repeat.
func (d *DB) HuntScan(ctx context.Context, host, source string, score float64, s Scan, enqueue func(Tx) error) (bool, error) {
	fresh := false
	err := d.inTx(ctx, func(tx txq) error {
		if s.ID == "" {
			s.ID = NewID()
		}
		n, err := tx.exec(ctx, `INSERT INTO hunt_seen (host, source, score, seen_at, scan_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (host) DO NOTHING`,
			host, source, score, micros(d.now()), s.ID)
		if err != nil {
			return fmt.Errorf("store: hunted: %w", err)
		}
		if n == 0 {
			return nil
		}
		if s.Origin == "" {
			s.Origin = "hunt"
		}
		if _, err := d.insertScan(ctx, tx, s); err != nil {
			return err
		}
		if enqueue != nil {
			if err := enqueue(tx); err != nil {
				return fmt.Errorf("store: enqueue scan: %w", mapErr(err))
			}
		}
		fresh = true
		return nil
	})
	return fresh, err
}
