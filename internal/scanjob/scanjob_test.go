package scanjob

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/store"
)

func runner(t *testing.T) (*Runner, string) {
	t.Helper()
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	srv := httptest.NewServer(http.FileServer(http.Dir(testdirs.Fixtures())))
	t.Cleanup(srv.Close)
	return New(engine, policy, nil), srv.URL
}

// TestScamListings: a scam page lists its URL, its domain and its numbers,
// each with an expiry, and joins a campaign.
func TestScamListings(t *testing.T) {
	r, base := runner(t)
	res, err := r.Run(context.Background(), store.Scan{ID: "s1", URL: base + "/scam/fake-bsod.html"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != "scam" || len(res.URLs) != 1 || len(res.Domains) != 1 || len(res.Hotlines) == 0 || res.Campaign == "" || res.Template == "" {
		t.Fatalf("result: %+v", res)
	}
	if !strings.HasSuffix(res.URLs[0].Value, "/scam/fake-bsod.html") || res.URLs[0].Expires.Before(time.Now().Add(13*24*time.Hour)) {
		t.Errorf("URL listing: %+v", res.URLs[0])
	}
	if res.Hotlines[0].Expires.After(time.Now().Add(8 * 24 * time.Hour)) {
		t.Errorf("numbers expire in days: %+v", res.Hotlines[0])
	}
}

// TestReflectedNumberOnTrustedSite: a page on an allowlisted site that
// shows a number taken from its URL is listed by URL pattern, never by
// domain or URL.
func TestReflectedNumberOnTrustedSite(t *testing.T) {
	r, base := runner(t)
	r.Allowed = func(domain string) bool { return domain == "127.0.0.1" }
	res, err := r.Run(context.Background(), store.Scan{ID: "s2", URL: base + "/scam/template-param-default-autodial.html?phone=18885550147"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != "scam" {
		t.Fatalf("verdict %s", res.Verdict)
	}
	if len(res.Domains) != 0 {
		t.Errorf("allowlisted domain listed: %+v", res.Domains)
	}
	t.Logf("listings: %+v", res.URLs)
	if len(res.URLs) != 1 || !res.URLs[0].Pattern || !strings.Contains(res.URLs[0].Value, "?") {
		t.Errorf("URL listings: %+v, want one pattern", res.URLs)
	}
}

// TestCleanPageListsNothing: clean and suspicious pages list nothing.
func TestCleanPageListsNothing(t *testing.T) {
	r, base := runner(t)
	res, err := r.Run(context.Background(), store.Scan{ID: "s3", URL: base + "/benign/airline-contact.html"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict == "scam" || len(res.URLs)+len(res.Domains)+len(res.Hotlines) != 0 || res.Campaign != "" {
		t.Errorf("benign result lists: %+v", res)
	}
}

// TestURLNumberAloneIsNoSighting: a number that is only in the scanned URL
// becomes a sighting only when the page's template evidence says it reads
// that parameter; a submitter cannot pick the number a scam page "shows".
func TestURLNumberAloneIsNoSighting(t *testing.T) {
	r, base := runner(t)
	res, err := r.Run(context.Background(), store.Scan{ID: "s4", URL: base + "/scam/fake-bsod.html?phone=18004444444"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != "scam" {
		t.Fatalf("verdict %s", res.Verdict)
	}
	for _, h := range res.Hotlines {
		if h.E164 == "+18004444444" {
			t.Errorf("number from the URL alone sighted: %+v", h)
		}
	}
	for _, u := range res.URLs {
		if u.Pattern {
			t.Errorf("reflected pattern listed for a page that reads no parameter: %+v", u)
		}
	}

	// The rule itself, whatever the analyzer reports: url-param alone
	// needs a template that reads the parameter carrying the number.
	h := analyze.Hotline{E164: "+18004444444", Region: "US", Where: []string{"url-param"}}
	u := "https://x.example/?phone=18004444444"
	for _, c := range []struct {
		name string
		rep  analyze.Report
		want bool
	}{
		{"no template", analyze.Report{}, false},
		{"template reads another parameter", analyze.Report{Template: &analyze.Template{Params: []string{"n"}}}, false},
		{"template reads it", analyze.Report{Template: &analyze.Template{Params: []string{"phone"}}}, true},
	} {
		if got := pageUses(h, &c.rep, u); got != c.want {
			t.Errorf("%s: pageUses = %v", c.name, got)
		}
	}
	h.Where = []string{"url-param", "text"}
	if !pageUses(h, &analyze.Report{}, u) {
		t.Error("a number written in the page is the page's")
	}
}
