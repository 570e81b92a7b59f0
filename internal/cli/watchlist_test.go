package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/store"
)

// TestWatchListSaysTheVisitor: `watch list` says who a page is re-captured
// as when its scan arrived as someone in particular.
func TestWatchListSaysTheVisitor(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(24 * time.Hour)
	for _, sc := range []store.Scan{
		{URL: "https://jp-alert.example/", Visitor: store.Visitor{UA: "iphone", Lang: "ja", Referrer: "https://www.bing.com/"}},
		{URL: "https://plain-alert.example/"},
	} {
		s, err := db.CreateScan(ctx, sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		host := strings.TrimSuffix(strings.TrimPrefix(sc.URL, "https://"), "/")
		if err := db.FinishScan(ctx, s.ID, store.Result{FinalURL: sc.URL, Domain: host, Verdict: "scam", Score: 20, Report: []byte(`{}`),
			Domains: []store.Listing{{Value: host, Domain: host, Expires: exp}}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, out, errs := runCLI(t, "", "watch", "list", "--data", dir)
	if code != 0 {
		t.Fatalf("watch list: exit %d %s", code, errs)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		switch {
		case strings.Contains(line, "jp-alert.example"):
			if !strings.Contains(line, "(as iphone, ja, from https://www.bing.com/)") {
				t.Errorf("watched page of a Japanese iPhone visitor: %q", line)
			}
		case strings.Contains(line, "plain-alert.example"):
			if strings.Contains(line, "(as ") {
				t.Errorf("watched page of the default visitor: %q", line)
			}
		default:
			t.Errorf("unexpected line %q", line)
		}
	}
}
