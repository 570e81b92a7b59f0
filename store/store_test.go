package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
)

// backends runs the same test on both databases.
func backends(t *testing.T, fn func(t *testing.T, d *DB)) {
	t.Run("sqlite", func(t *testing.T) {
		d, err := OpenSQLite(context.Background(), t.TempDir(), true)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		fn(t, d)
	})
	t.Run("postgres", func(t *testing.T) {
		d, err := OpenPostgres(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		fn(t, d)
	})
}

// clock makes the store's time step forward by a second per reading.
func clock(d *DB) {
	var mu sync.Mutex
	t := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	d.now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func scamResult(domain, number string, expires time.Time) Result {
	return Result{
		FinalURL: "https://" + domain + "/alert/", Domain: domain, Verdict: "scam", Score: 42, Template: "tpl-" + number[len(number)-2:],
		Report: []byte(`{"verdict":"scam"}`), Fingerprint: []byte{1, 2, 3}, Campaign: "c-kit1", Brand: "Microsoft",
		Evidence:  "call.autodial, locker.fullscreen",
		Artifacts: []Artifact{{Name: "screenshot.png", ContentType: "image/png", Data: []byte("\x89PNG")}},
		Hotlines:  []HotlineSighting{{E164: number, Type: "toll_free", Region: "US", How: []string{"text", "tel"}, Expires: expires}},
		Domains:   []Listing{{Value: domain, Domain: domain, Expires: expires}},
		URLs:      []Listing{{Value: domain + "/alert/", Domain: domain, Expires: expires}},
	}
}

func TestScanLifecycle(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		clock(d)
		enqueued := 0
		s, err := d.CreateScan(ctx, Scan{URL: "https://evil.example/alert/", Dynamic: true}, func(tx Tx) error {
			if tx.Raw() == nil {
				t.Error("enqueue got no transaction")
			}
			enqueued++
			return nil
		})
		if err != nil || enqueued != 1 || s.Status != Pending || s.ID == "" {
			t.Fatalf("create: %+v %v enqueued=%d", s, err, enqueued)
		}
		// A failing enqueue leaves no scan behind.
		_, err = d.CreateScan(ctx, Scan{URL: "https://other.example/"}, func(Tx) error { return errors.New("queue down") })
		if err == nil {
			t.Fatal("create with failing enqueue succeeded")
		}
		if list, _ := d.Scans(ctx, time.Time{}, 10); len(list) != 1 {
			t.Fatalf("scans after failed enqueue = %d, want 1", len(list))
		}

		if s, err = d.StartScan(ctx, s.ID); err != nil || s.Status != Running || s.Attempts != 1 {
			t.Fatalf("start: %+v %v", s, err)
		}
		exp := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		completed := 0
		complete := func(Tx) error { completed++; return nil }
		for range 2 { // a job that runs twice must not count twice
			if err := d.FinishScan(ctx, s.ID, scamResult("evil.example", "+18005550100", exp), complete); err != nil {
				t.Fatal(err)
			}
		}
		if completed != 2 {
			t.Errorf("complete called %d times, want 2", completed)
		}
		got, err := d.Scan(ctx, s.ID)
		if err != nil || got.Status != Done || got.Verdict != "scam" || string(got.Report) != `{"verdict":"scam"}` || got.Campaign != "c-kit1" {
			t.Fatalf("scan = %+v, %v", got, err)
		}
		a, err := d.Artifact(ctx, s.ID, "screenshot.png")
		if err != nil || string(a.Data) != "\x89PNG" || a.ContentType != "image/png" {
			t.Fatalf("artifact = %+v, %v", a, err)
		}
		if _, err := d.Artifact(ctx, s.ID, "dom.html"); !errors.Is(err, ErrNotFound) {
			t.Errorf("missing artifact: %v", err)
		}
		h, err := d.Hotline(ctx, "+18005550100")
		if err != nil || h.Sightings != 1 || h.Verdict != "scam" || len(h.Domains) != 1 || h.Domains[0] != "evil.example" || fmt.Sprint(h.How) != "[tel text]" || fmt.Sprint(h.Templates) != "[tpl-00]" {
			t.Fatalf("hotline = %+v, %v", h, err)
		}
		dom, err := d.Domain(ctx, "evil.example")
		if err != nil || dom.Sightings != 1 || dom.Verdict != "scam" || dom.LastScan != s.ID {
			t.Fatalf("domain = %+v, %v", dom, err)
		}
		var verdicts []Verdict
		if err := d.Verdicts(ctx, time.Time{}, func(v Verdict) error { verdicts = append(verdicts, v); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(verdicts) != 3 {
			t.Fatalf("verdicts = %+v, want number, domain, url", verdicts)
		}
		if _, err := d.Scan(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown scan: %v", err)
		}
		// A finished scan is not started again.
		if s2, _ := d.StartScan(ctx, s.ID); s2.Status != Done || s2.Attempts != 1 {
			t.Errorf("restart of a done scan: %+v", s2)
		}
	})
}

func TestSightingsAccumulate(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		clock(d)
		exp1 := time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC)
		exp2 := exp1.Add(72 * time.Hour)
		for i, dom := range []string{"a.example", "b.example"} {
			s, err := d.CreateScan(ctx, Scan{URL: "https://" + dom + "/"}, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := scamResult(dom, "+18005550199", []time.Time{exp1, exp2}[i])
			if i == 1 {
				r.Verdict = "suspicious" // a weaker verdict never downgrades a number
			}
			if err := d.FinishScan(ctx, s.ID, r, nil); err != nil {
				t.Fatal(err)
			}
		}
		h, err := d.Hotline(ctx, "+18005550199")
		if err != nil {
			t.Fatal(err)
		}
		if h.Sightings != 2 || h.Verdict != "scam" || !h.Expires.Equal(exp2) || len(h.Domains) != 2 || !h.LastSeen.After(h.FirstSeen) {
			t.Fatalf("hotline = %+v", h)
		}
		var n int
		_ = d.Hotlines(ctx, time.Time{}, func(h Hotline) error { n++; return nil })
		if n != 1 {
			t.Errorf("hotlines = %d", n)
		}
		cs, err := d.Campaigns(ctx)
		if err != nil || len(cs) != 1 || cs[0].Pages != 2 || len(cs[0].Domains) != 2 || len(cs[0].Numbers) != 1 {
			t.Fatalf("campaigns = %+v, %v", cs, err)
		}
		if err := d.RenameCampaign(ctx, "c-kit1", "c-older"); err != nil {
			t.Fatal(err)
		}
		if c, err := d.Campaign(ctx, "c-older"); err != nil || c.Pages != 2 {
			t.Fatalf("renamed campaign = %+v, %v", c, err)
		}
		if _, err := d.Campaign(ctx, "c-kit1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old campaign still there: %v", err)
		}
	})
}

func TestListingsExpireAndAllowlist(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		clock(d)
		soon := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		later := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
		for _, c := range []struct {
			dom string
			exp time.Time
		}{{"old.example", soon}, {"live.example", later}, {"brand.example", later}} {
			s, _ := d.CreateScan(ctx, Scan{URL: "https://" + c.dom + "/"}, nil)
			if err := d.FinishScan(ctx, s.ID, scamResult(c.dom, "+18005550123", c.exp), nil); err != nil {
				t.Fatal(err)
			}
		}
		live := func() map[string]bool {
			m := map[string]bool{}
			if err := d.Listings(ctx, soon.Add(time.Hour), func(l Listed) error { m[l.Kind+":"+l.Value] = true; return nil }); err != nil {
				t.Fatal(err)
			}
			return m
		}
		if m := live(); len(m) != 4 || !m["domain:live.example"] || !m["url:brand.example/alert/"] || m["domain:old.example"] {
			t.Fatalf("live listings = %v", m)
		}
		if err := d.Allow(ctx, Allowed{Domain: "Brand.example", Note: "the real brand", AddedBy: "test"}); err != nil {
			t.Fatal(err)
		}
		if m := live(); len(m) != 2 || m["domain:brand.example"] {
			t.Fatalf("after allow = %v", m)
		}
		// A later scam verdict never lists an allowlisted domain.
		s, _ := d.CreateScan(ctx, Scan{URL: "https://brand.example/"}, nil)
		if err := d.FinishScan(ctx, s.ID, scamResult("brand.example", "+18005550124", later), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Domain(ctx, "brand.example"); !errors.Is(err, ErrNotFound) {
			t.Errorf("allowlisted domain listed: %v", err)
		}
		al, err := d.Allowlist(ctx)
		if err != nil || len(al) != 1 || al[0].Domain != "brand.example" || al[0].Note != "the real brand" {
			t.Fatalf("allowlist = %+v, %v", al, err)
		}
		if ok, err := d.IsAllowed(ctx, "brand.example"); !ok || err != nil {
			t.Errorf("IsAllowed = %v, %v", ok, err)
		}
		if err := d.Disallow(ctx, "brand.example"); err != nil {
			t.Fatal(err)
		}
		if err := d.Disallow(ctx, "brand.example"); !errors.Is(err, ErrNotFound) {
			t.Errorf("second disallow: %v", err)
		}
	})
}

func TestReportsAndKeys(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		scan := &Scan{URL: "https://reported.example/", Origin: "report"}
		r, err := d.AddReport(ctx, UserReport{URL: scan.URL, Comment: "popup with a number", IP: "127.0.0.1"}, scan, func(Tx) error { return nil })
		if err != nil || r.ScanID == "" || r.ScanID != scan.ID {
			t.Fatalf("report = %+v, %v", r, err)
		}
		if s, err := d.Scan(ctx, r.ScanID); err != nil || s.Origin != "report" || s.Status != Pending {
			t.Fatalf("report scan = %+v, %v", s, err)
		}

		k, token, err := d.CreateKey(ctx, "soc")
		if err != nil || len(token) < 40 || k.ID == "" {
			t.Fatalf("key = %+v %q %v", k, token, err)
		}
		if _, _, err := d.CreateKey(ctx, "soc"); !errors.Is(err, ErrExists) {
			t.Errorf("duplicate key name: %v", err)
		}
		if got, err := d.KeyByToken(ctx, token); err != nil || got.Name != "soc" {
			t.Fatalf("lookup = %+v, %v", got, err)
		}
		if _, err := d.KeyByToken(ctx, token+"x"); !errors.Is(err, ErrNotFound) {
			t.Errorf("wrong token: %v", err)
		}
		if err := d.RevokeKey(ctx, "soc"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.KeyByToken(ctx, token); !errors.Is(err, ErrNotFound) {
			t.Errorf("revoked token still works: %v", err)
		}
		keys, _ := d.Keys(ctx)
		if len(keys) != 1 || keys[0].Revoked.IsZero() {
			t.Errorf("keys = %+v", keys)
		}
	})
}

func TestMigrationsIdempotent(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	d, err := OpenSQLite(ctx, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := d.CreateScan(ctx, Scan{URL: "https://kept.example/"}, nil)
	// A second server on the same directory is refused while the first runs.
	if _, err := OpenSQLite(ctx, dir, true); err == nil {
		t.Fatal("second exclusive open succeeded")
	}
	d.Close()
	d, err = OpenSQLite(ctx, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Scan(ctx, s.ID); err != nil {
		t.Fatalf("scan lost across reopen: %v", err)
	}
	var v int
	_ = d.b.queryRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if v != SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
}

func TestRebind(t *testing.T) {
	if got := rebind("a = ? AND b IN (?, ?)"); got != "a = $1 AND b IN ($2, $3)" {
		t.Errorf("rebind = %q", got)
	}
}

// TestTextValidatedAlike: both databases refuse the same text (a NUL
// character, invalid UTF-8) with ErrInvalid, whatever the field.
func TestTextValidatedAlike(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		for name, err := range map[string]error{
			"comment": func() error {
				_, err := d.AddReport(ctx, UserReport{Number: "+18885550147", Comment: "a\x00b"}, nil, nil)
				return err
			}(),
			"note":     d.Allow(ctx, Allowed{Domain: "example.org", Note: "\x00"}),
			"domain":   d.Allow(ctx, Allowed{Domain: "exa\x00mple.org"}),
			"campaign": func() error { _, err := d.Campaign(ctx, "c-\x00"); return err }(),
			"utf-8":    func() error { _, err := d.Domain(ctx, "caf\xe9.example"); return err }(),
			"url": func() error {
				_, err := d.CreateScan(ctx, Scan{URL: "https://x.example/\x00"}, nil)
				return err
			}(),
		} {
			var ie *InvalidError
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &ie) {
				t.Errorf("%s: %v, want ErrInvalid", name, err)
			}
		}
	})
}

// TestAllowRefusesPublicSuffixes: both stores refuse to allowlist a public
// suffix or something that is not a host name.
func TestAllowRefusesPublicSuffixes(t *testing.T) {
	backends(t, func(t *testing.T, d *DB) {
		for _, dom := range []string{"pages.dev", "github.io", "co.uk", "exa mple.com", "x.example/path"} {
			if err := d.Allow(context.Background(), Allowed{Domain: dom}); !errors.Is(err, ErrInvalid) {
				t.Errorf("allow %q: %v, want ErrInvalid", dom, err)
			}
		}
		if err := d.Allow(context.Background(), Allowed{Domain: "www.example.org"}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := d.IsAllowed(context.Background(), "example.org"); !ok {
			t.Error("www.example.org did not allowlist example.org")
		}
	})
}

// TestCorruptSQLiteRefused: a damaged database file is refused at start
// with a message that says so, instead of serving errors later.
func TestCorruptSQLiteRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := OpenSQLite(ctx, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if _, err := d.CreateScan(ctx, Scan{URL: fmt.Sprintf("https://site-%d.example/%s", i, strings.Repeat("p", 200))}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Check(ctx); err != nil {
		t.Fatalf("check of a sound database: %v", err)
	}
	d.Close()
	// Scribble over a page in the middle of the file, as a failing disk
	// or a copy made while the server was writing would.
	path := filepath.Join(dir, SQLiteFile)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	page := int64(4096)
	at := (st.Size() / page / 2) * page
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, int(page)), at); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = OpenSQLite(ctx, dir, true)
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("open of a damaged database: %v", err)
	}
	t.Log(err)
}
