package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
)

// TestReportEvidence: a report's DOM and screenshot are kept apart from
// it, lists and reads give their sizes and the DOM's verdict but never
// their bytes, and the report's scan decides whether cloaking is
// suspected.
func TestReportEvidence(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		clock(d)
		dom := []byte("<html><body>Call +1 888 555 0147 now</body></html>")
		shot := []byte("\xff\xd8\xff fake jpeg bytes")
		scan := &Scan{URL: "https://cloaked.example/", Origin: "report"}
		r, err := d.AddReport(ctx, UserReport{URL: scan.URL, DOM: dom, Screenshot: shot, ShotType: "image/jpeg", ShotWidth: 1280, ShotHeight: 800,
			DOMVerdict: "scam", DOMScore: 31.5, DOMFindings: []DOMFinding{{Rule: "call.hotline", Severity: "high", Message: "a hotline", Weight: 6, Snippet: "+1 888 555 0147"}}},
			scan, func(Tx) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if r.DOMSize != len(dom) || r.DOM != nil || r.Priority != PriorityScam || r.CloakingSuspected {
			t.Errorf("added report = %+v", r)
		}
		plain, err := d.AddReport(ctx, UserReport{URL: "https://plain.example/"}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}

		list, err := d.UserReports(ctx, 10)
		if err != nil || len(list) != 2 {
			t.Fatalf("list = %+v, %v", list, err)
		}
		got := list[1]
		if got.ID != r.ID || got.DOMSize != len(dom) || got.ShotType != "image/jpeg" || got.ShotWidth != 1280 || got.ShotHeight != 800 ||
			got.DOMVerdict != "scam" || got.DOMScore != 31.5 || len(got.DOMFindings) != 1 || got.DOMFindings[0].Snippet != "+1 888 555 0147" ||
			got.DOM != nil || got.Screenshot != nil || got.ScanStatus != string(Pending) || got.CloakingSuspected || got.Priority != PriorityScam {
			t.Errorf("listed report = %+v", got)
		}
		if list[0].ID != plain.ID || list[0].DOMSize != 0 || list[0].Priority != PriorityNormal {
			t.Errorf("plain report = %+v", list[0])
		}

		a, err := d.ReportEvidence(ctx, r.ID, EvidenceDOM)
		if err != nil || !bytes.Equal(a.Data, dom) {
			t.Errorf("dom = %q, %v", a.Data, err)
		}
		a, err = d.ReportEvidence(ctx, r.ID, EvidenceScreenshot)
		if err != nil || !bytes.Equal(a.Data, shot) || a.ContentType != "image/jpeg" {
			t.Errorf("screenshot = %q %q, %v", a.Data, a.ContentType, err)
		}
		if _, err := d.ReportEvidence(ctx, plain.ID, EvidenceDOM); !errors.Is(err, ErrNotFound) {
			t.Errorf("evidence of a plain report: %v", err)
		}
		if _, err := d.UserReport(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing report: %v", err)
		}

		// Our scan of the URL finds it clean: the site showed the scanner
		// something else than the victim.
		if _, err := d.StartScan(ctx, r.ScanID); err != nil {
			t.Fatal(err)
		}
		if err := d.FinishScan(ctx, r.ScanID, Result{FinalURL: scan.URL, Domain: "cloaked.example", Verdict: "clean", Report: []byte(`{"verdict":"clean"}`)}, func(Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
		got, err = d.UserReport(ctx, r.ID)
		if err != nil || !got.CloakingSuspected || got.Priority != PriorityCloaking || got.ScanVerdict != "clean" || got.ScanStatus != string(Done) {
			t.Errorf("after a clean scan: %+v, %v", got, err)
		}
	})
}

// TestMigration7 opens a database made by the schema before report
// evidence (version 6) with a report in it, and migrates it: the old
// report reads back, with no evidence, and new reports take evidence.
func TestMigration7(t *testing.T) {
	atVersion(t, 6, func(t *testing.T, d *DB, upgrade func() *DB) {
		ctx := context.Background()
		if _, err := d.b.exec(ctx, `INSERT INTO user_reports (id, url, comment, created_at) VALUES ('old-1', 'https://old.example/', 'before 7', ?)`, micros(time.Now())); err != nil {
			t.Fatal(err)
		}
		d = upgrade()
		old, err := d.UserReport(ctx, "old-1")
		if err != nil || old.Comment != "before 7" || old.DOMSize != 0 || old.DOMVerdict != "" || old.Priority != PriorityNormal {
			t.Errorf("old report = %+v, %v", old, err)
		}
		r, err := d.AddReport(ctx, UserReport{URL: "https://new.example/", DOM: []byte("<p>x</p>"), DOMVerdict: "clean"}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := d.ReportEvidence(ctx, r.ID, EvidenceDOM); err != nil || string(a.Data) != "<p>x</p>" {
			t.Errorf("new evidence = %q, %v", a.Data, err)
		}
	})
}

// atVersion runs fn on each store, SQLite and PostgreSQL, with a database
// made by the schema at version v: d is open on it, and upgrade closes it
// and opens it again with every migration, as a newer tssguard would, and
// checks that it is at the newest version.
func atVersion(t *testing.T, v int, fn func(t *testing.T, d *DB, upgrade func() *DB)) {
	open := map[string]func(t *testing.T) func() (*DB, error){
		"sqlite": func(t *testing.T) func() (*DB, error) {
			dir := t.TempDir()
			return func() (*DB, error) { return OpenSQLite(context.Background(), dir, true) }
		},
		"postgres": func(t *testing.T) func() (*DB, error) {
			url := pgtest.URL(t)
			return func() (*DB, error) { return OpenPostgres(context.Background(), url) }
		},
	}
	for name, mk := range open {
		t.Run(name, func(t *testing.T) {
			reopen := mk(t)
			all := migrations
			migrations = all[:v+1]
			d, err := reopen()
			migrations = all
			if err != nil {
				t.Fatal(err)
			}
			var got int
			_ = d.b.queryRow(context.Background(), `SELECT MAX(version) FROM schema_migrations`).Scan(&got)
			if got != v {
				t.Fatalf("old schema at version %d, want %d", got, v)
			}
			upgrade := func() *DB {
				t.Helper()
				d.Close()
				d, err := reopen()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { d.Close() })
				_ = d.b.queryRow(context.Background(), `SELECT MAX(version) FROM schema_migrations`).Scan(&got)
				if got != SchemaVersion() {
					t.Fatalf("migrated to %d, want the schema's newest (%d)", got, SchemaVersion())
				}
				return d
			}
			fn(t, d, upgrade)
		})
	}
}
