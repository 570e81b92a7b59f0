package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestAnalystQueries covers the queries behind the web UI on both stores:
// filtered scan lists, sightings by number and campaign, the report queue
// and a scan's fingerprint.
func TestAnalystQueries(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		clock(d)
		exp := time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC)
		var ids []string
		for _, dom := range []string{"a.example", "b.example"} {
			s, err := d.CreateScan(ctx, Scan{URL: "https://" + dom + "/100%_safe"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.FinishScan(ctx, s.ID, scamResult(dom, "+18005550199", exp), nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s.ID)
		}
		clean, err := d.CreateScan(ctx, Scan{URL: "https://c.example/"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.FinishScan(ctx, clean.ID, Result{FinalURL: "https://c.example/", Domain: "c.example", Verdict: "clean", Report: []byte(`{}`)}, nil); err != nil {
			t.Fatal(err)
		}

		for name, c := range map[string]struct {
			f    ScanFilter
			want int
		}{
			"all":             {ScanFilter{}, 3},
			"scam":            {ScanFilter{Verdict: "scam"}, 2},
			"brand any case":  {ScanFilter{Brand: "microsoft"}, 2},
			"campaign":        {ScanFilter{Campaign: "c-kit1"}, 2},
			"domain":          {ScanFilter{Domain: "B.example"}, 1},
			"url substring":   {ScanFilter{URL: "100%_"}, 2},
			"percent literal": {ScanFilter{URL: "0%s"}, 0},
			"underscore":      {ScanFilter{URL: "c_example"}, 0},
			"limit":           {ScanFilter{Limit: 1}, 1},
			"future":          {ScanFilter{Since: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}, 0},
			"until":           {ScanFilter{Until: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Status: Done}, 3},
		} {
			got, err := d.FindScans(ctx, c.f)
			if err != nil || len(got) != c.want {
				t.Errorf("%s: %d scans, %v; want %d", name, len(got), err, c.want)
			}
		}
		if got, _ := d.FindScans(ctx, ScanFilter{Verdict: "clean", Reports: true}); len(got) != 1 || string(got[0].Report) != `{}` {
			t.Errorf("scans with reports: %+v", got)
		}
		if got, _ := d.FindScans(ctx, ScanFilter{}); got[0].ID != clean.ID || got[0].Report != nil {
			t.Errorf("not newest first: %v", got[0].ID)
		}
		if _, err := d.FindScans(ctx, ScanFilter{URL: "a\x00b"}); err == nil {
			t.Error("a NUL in a filter was taken")
		}

		ss, err := d.Sightings(ctx, "+18005550199", "")
		if err != nil || len(ss) != 2 || ss[0].ScanID != ids[0] || ss[0].Campaign != "c-kit1" || len(ss[0].How) != 2 || !ss[1].Seen.After(ss[0].Seen) {
			t.Fatalf("sightings = %+v, %v", ss, err)
		}
		if ss, _ := d.Sightings(ctx, "", "c-kit1"); len(ss) != 2 {
			t.Errorf("campaign sightings = %d", len(ss))
		}
		if ss, _ := d.Sightings(ctx, "", "nope"); len(ss) != 0 {
			t.Errorf("unknown campaign sightings = %d", len(ss))
		}
		if ss, _ := d.Sightings(ctx, "", ""); len(ss) != 2 {
			t.Errorf("all sightings = %d", len(ss))
		}

		for _, c := range []string{"first", "second"} {
			if _, err := d.AddReport(ctx, UserReport{URL: "https://a.example/", Comment: c}, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		reps, err := d.UserReports(ctx, 10)
		if err != nil || len(reps) != 2 || reps[0].Comment != "second" {
			t.Fatalf("reports = %+v, %v", reps, err)
		}

		var walked []string
		err = d.WalkArtifacts(ctx, "screenshot.png", 0, func(id string, data []byte) error {
			if string(data) != "\x89PNG" {
				t.Errorf("artifact data = %q", data)
			}
			walked = append(walked, id)
			return nil
		})
		if err != nil || len(walked) != 2 || walked[0] != ids[1] {
			t.Errorf("walked %v, %v", walked, err)
		}
		if fp, err := d.ScanFingerprint(ctx, ids[0]); err != nil || len(fp) != 3 {
			t.Errorf("fingerprint = %v, %v", fp, err)
		}
		if _, err := d.ScanFingerprint(ctx, clean.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("clean page fingerprint: %v", err)
		}
	})
}
