package store

import (
	"context"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
)

// TestMigration8 opens a database made by the schema before a scan's
// visitor (version 7) with a scan in it, and migrates it: the old scan
// reads back as arriving as nobody in particular, and new scans keep their
// language and referrer.
func TestMigration8(t *testing.T) {
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
			ctx := context.Background()
			reopen := mk(t)
			all := migrations
			migrations = all[:8]
			d, err := reopen()
			migrations = all
			if err != nil {
				t.Fatal(err)
			}
			var v int
			_ = d.b.queryRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
			if v != 7 {
				t.Fatalf("old schema at version %d, want 7", v)
			}
			if _, err := d.b.exec(ctx, `INSERT INTO scans (id, url, dynamic, ua, origin, status, submitted_at) VALUES ('old-1', 'https://old.example/', 0, 'iphone', 'api', 'pending', ?)`, micros(time.Now())); err != nil {
				t.Fatal(err)
			}
			d.Close()

			d, err = reopen()
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			old, err := d.Scan(ctx, "old-1")
			if err != nil || old.UA != "iphone" || old.Lang != "" || old.Referrer != "" {
				t.Errorf("old scan = %+v, %v", old, err)
			}
			sc, err := d.CreateScan(ctx, Scan{URL: "https://new.example/", Lang: "ja", Referrer: "https://www.bing.com/"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.Scan(ctx, sc.ID)
			if err != nil || got.Lang != "ja" || got.Referrer != "https://www.bing.com/" {
				t.Errorf("new scan = %+v, %v", got, err)
			}
			list, err := d.Scans(ctx, time.Time{}, 10)
			if err != nil || len(list) != 2 {
				t.Fatalf("scans: %d, %v", len(list), err)
			}
			for _, s := range list {
				if s.ID == sc.ID && s.Lang != "ja" {
					t.Errorf("listed scan lost its language: %+v", s)
				}
			}
		})
	}
}
