package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// AddReport records a user's report and, when scan is given, the scan that
// checks it, in one transaction with its job.
func (d *DB) AddReport(ctx context.Context, r UserReport, scan *Scan, enqueue func(Tx) error) (UserReport, error) {
	for _, f := range []struct {
		name, value string
		max         int
	}{{"url", r.URL, 0}, {"number", r.Number, 0}, {"comment", r.Comment, MaxComment}} {
		if err := CheckText(f.name, f.value, f.max); err != nil {
			return UserReport{}, err
		}
	}
	if r.ShotType != "" {
		if err := CheckText("screenshot type", r.ShotType, 64); err != nil {
			return UserReport{}, err
		}
	}
	r.DOMSize = len(r.DOM)
	if len(r.Screenshot) == 0 {
		r.ShotType, r.ShotWidth, r.ShotHeight = "", 0, 0
	}
	findings := ""
	if len(r.DOMFindings) > 0 {
		b, err := json.Marshal(r.DOMFindings)
		if err != nil {
			return UserReport{}, fmt.Errorf("store: report findings: %w", err)
		}
		findings = string(b)
	}
	r.ID = NewID()
	r.Created = d.now().UTC()
	err := d.inTx(ctx, func(tx txq) error {
		if scan != nil {
			s, err := d.insertScan(ctx, tx, *scan)
			if err != nil {
				return err
			}
			*scan = s
			r.ScanID = s.ID
			if enqueue != nil {
				if err := enqueue(tx); err != nil {
					return fmt.Errorf("store: enqueue scan: %w", mapErr(err))
				}
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO user_reports (id, url, number, comment, key_id, ip, created_at, scan_id,
			dom_size, shot_type, shot_width, shot_height, dom_verdict, dom_score, dom_findings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.URL, r.Number, r.Comment, r.KeyID, r.IP, micros(r.Created), r.ScanID,
			r.DOMSize, r.ShotType, r.ShotWidth, r.ShotHeight, r.DOMVerdict, r.DOMScore, findings)
		if err != nil {
			return fmt.Errorf("store: report: %w", err)
		}
		for _, e := range []Artifact{{Name: EvidenceDOM, ContentType: "text/html", Data: r.DOM}, {Name: EvidenceScreenshot, ContentType: r.ShotType, Data: r.Screenshot}} {
			if len(e.Data) == 0 {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO report_evidence (report_id, name, content_type, data) VALUES (?, ?, ?, ?)`, r.ID, e.Name, e.ContentType, e.Data); err != nil {
				return fmt.Errorf("store: report %s: %w", e.Name, err)
			}
		}
		return nil
	})
	r.DOM, r.Screenshot = nil, nil
	r.Settle()
	return r, err
}

// Names of the evidence a report can carry.
const (
	EvidenceDOM        = "dom"
	EvidenceScreenshot = "screenshot"
)

// ReportEvidence reads one piece of a report's evidence (EvidenceDOM or
// EvidenceScreenshot); ErrNotFound when the report has none.
func (d *DB) ReportEvidence(ctx context.Context, reportID, name string) (Artifact, error) {
	a := Artifact{Name: name}
	err := d.b.queryRow(ctx, `SELECT content_type, data FROM report_evidence WHERE report_id = ? AND name = ?`, reportID, name).Scan(&a.ContentType, &a.Data)
	if err != nil {
		return Artifact{}, fmt.Errorf("store: %s of report %s: %w", name, reportID, err)
	}
	return a, nil
}

// Allow puts a registrable domain (see AllowlistDomain) on the allowlist
// and takes it, and every URL under it, off the block lists (URL patterns
// of abused pages stay).
func (d *DB) Allow(ctx context.Context, a Allowed) error {
	dom, err := AllowlistDomain(a.Domain)
	if err != nil {
		return err
	}
	a.Domain = dom
	if err := CheckText("note", a.Note, MaxNote); err != nil {
		return err
	}
	a.Added = d.now().UTC()
	return d.inTx(ctx, func(tx txq) error {
		if _, err := tx.exec(ctx, `INSERT INTO allowlist (domain, note, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (domain) DO UPDATE SET note = excluded.note`,
			a.Domain, a.Note, a.AddedBy, micros(a.Added)); err != nil {
			return fmt.Errorf("store: allow %s: %w", a.Domain, err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM listings WHERE domain = ? AND pattern = 0`, a.Domain); err != nil {
			return fmt.Errorf("store: allow %s: %w", a.Domain, err)
		}
		return nil
	})
}

// Disallow takes a domain off the allowlist. Nothing is re-listed until a
// scan sees it again.
func (d *DB) Disallow(ctx context.Context, domain string) error {
	n, err := d.b.exec(ctx, `DELETE FROM allowlist WHERE domain = ?`, strings.ToLower(strings.TrimSpace(domain)))
	if err != nil {
		return fmt.Errorf("store: disallow %s: %w", domain, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s is not allowlisted: %w", domain, ErrNotFound)
	}
	return nil
}

// IsAllowed reports whether a registrable domain is on the allowlist.
func (d *DB) IsAllowed(ctx context.Context, domain string) (bool, error) {
	var n int
	if err := d.b.queryRow(ctx, `SELECT COUNT(*) FROM allowlist WHERE domain = ?`, domain).Scan(&n); err != nil {
		return false, fmt.Errorf("store: allowlist: %w", err)
	}
	return n > 0, nil
}

// Allowlist lists the allowlisted domains.
func (d *DB) Allowlist(ctx context.Context) ([]Allowed, error) {
	rs, err := d.b.query(ctx, `SELECT domain, note, added_by, added_at FROM allowlist ORDER BY domain`)
	if err != nil {
		return nil, fmt.Errorf("store: allowlist: %w", err)
	}
	defer rs.Close()
	out := []Allowed{}
	for rs.Next() {
		var a Allowed
		var at int64
		if err := rs.Scan(&a.Domain, &a.Note, &a.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("store: allowlist: %w", err)
		}
		a.Added = fromMicros(at)
		out = append(out, a)
	}
	return out, rs.Err()
}

// TokenPrefix starts every API key, so that leaked keys are easy to find.
const TokenPrefix = "tsg_"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateKey makes a named API key and returns it with its token. Only the
// token's hash is kept: the token cannot be shown again.
func (d *DB) CreateKey(ctx context.Context, name string) (APIKey, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || CheckText("name", name, 64) != nil {
		return APIKey{}, "", &InvalidError{"name", "of a key must be 1 to 64 characters (UTF-8, no NUL)"}
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return APIKey{}, "", err
	}
	token := TokenPrefix + hex.EncodeToString(raw[:])
	k := APIKey{ID: NewID(), Name: name, Created: d.now().UTC()}
	_, err := d.b.exec(ctx, `INSERT INTO api_keys (id, name, hash, created_at) VALUES (?, ?, ?, ?)`, k.ID, k.Name, hashToken(token), micros(k.Created))
	if err != nil {
		return APIKey{}, "", fmt.Errorf("store: key %q: %w", name, err)
	}
	return k, token, nil
}

// KeyByToken returns the live key a token belongs to.
func (d *DB) KeyByToken(ctx context.Context, token string) (APIKey, error) {
	var k APIKey
	var created, revoked, used int64
	err := d.b.queryRow(ctx, `SELECT id, name, created_at, revoked_at, last_used FROM api_keys WHERE hash = ? AND revoked_at = 0`, hashToken(token)).
		Scan(&k.ID, &k.Name, &created, &revoked, &used)
	if err != nil {
		return APIKey{}, fmt.Errorf("store: key: %w", err)
	}
	k.Created, k.Revoked, k.LastUsed = fromMicros(created), fromMicros(revoked), fromMicros(used)
	return k, nil
}

// Keys lists the keys, revoked ones too.
func (d *DB) Keys(ctx context.Context) ([]APIKey, error) {
	rs, err := d.b.query(ctx, `SELECT id, name, created_at, revoked_at, last_used FROM api_keys ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: keys: %w", err)
	}
	defer rs.Close()
	out := []APIKey{}
	for rs.Next() {
		var k APIKey
		var created, revoked, used int64
		if err := rs.Scan(&k.ID, &k.Name, &created, &revoked, &used); err != nil {
			return nil, fmt.Errorf("store: keys: %w", err)
		}
		k.Created, k.Revoked, k.LastUsed = fromMicros(created), fromMicros(revoked), fromMicros(used)
		out = append(out, k)
	}
	return out, rs.Err()
}

// RevokeKey revokes a key by name.
func (d *DB) RevokeKey(ctx context.Context, name string) error {
	n, err := d.b.exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at = 0`, micros(d.now()), name)
	if err != nil {
		return fmt.Errorf("store: revoke %q: %w", name, err)
	}
	if n == 0 {
		return fmt.Errorf("store: no live key named %q: %w", name, ErrNotFound)
	}
	return nil
}
