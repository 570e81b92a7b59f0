package store

import (
	"context"
	"testing"
	"time"
)

// TestMigration8 opens a database made by the schema before a scan's
// visitor (version 7) with a scan and a watch in it, and migrates it: the
// old scan and watch read back as arriving as nobody in particular, and
// new scans keep their language and referrer.
func TestMigration8(t *testing.T) {
	atVersion(t, 7, func(t *testing.T, d *DB, upgrade func() *DB) {
		ctx := context.Background()
		if _, err := d.b.exec(ctx, `INSERT INTO scans (id, url, dynamic, ua, origin, status, submitted_at) VALUES ('old-1', 'https://old.example/', 0, 'iphone', 'api', 'pending', ?)`, micros(time.Now())); err != nil {
			t.Fatal(err)
		}
		if err := d.AddWatch(ctx, "https://old.example/watched", "old.example", time.Now()); err != nil {
			t.Fatal(err)
		}
		d = upgrade()
		if w, err := d.Watch(ctx, "https://old.example/watched"); err != nil || w.Visitor != (Visitor{}) {
			t.Errorf("old watch = %+v, %v; want the default visitor", w, err)
		}
		old, err := d.Scan(ctx, "old-1")
		if err != nil || old.UA != "iphone" || old.Lang != "" || old.Referrer != "" {
			t.Errorf("old scan = %+v, %v", old, err)
		}
		sc, err := d.CreateScan(ctx, Scan{URL: "https://new.example/", Visitor: Visitor{Lang: "ja", Referrer: "https://www.bing.com/"}}, nil)
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
