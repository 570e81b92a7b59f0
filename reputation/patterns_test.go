package reputation

import (
	"testing"
	"time"
)

func TestPatterns(t *testing.T) {
	ix := New()
	now := time.Now()
	if err := ix.AddPattern("support.brand.example/help/contact?phone=&n=", Scam, "scan", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ix.Allow("brand.example") // the site stays trusted; the abused page does not
	for _, c := range []struct {
		url  string
		want bool
	}{
		{"https://support.brand.example/help/contact?phone=%2B18885550100", true},
		{"https://SUPPORT.brand.example:443/help/./contact?x=1&n=18885550100#top", true},
		{"https://support.brand.example/help/contact", false},
		{"https://support.brand.example/help/contact?phone=", false},
		{"https://support.brand.example/help/other?phone=1888", false},
		{"https://www.brand.example/help/contact?phone=1888", false},
	} {
		m, ok, err := ix.CheckPattern(c.url, now)
		if err != nil || ok != c.want {
			t.Errorf("%s: %v %v, want %v", c.url, ok, err, c.want)
		}
		if ok && (m.Verdict != Scam || m.Matched != "support.brand.example/help/contact?phone=&n=" || m.Kind != URL) {
			t.Errorf("%s: match %+v", c.url, m)
		}
	}
	if _, ok, _ := ix.CheckPattern("https://support.brand.example/help/contact?phone=1", now.Add(2*time.Hour)); ok {
		t.Error("an expired pattern matched")
	}
	if n := ix.Sweep(now.Add(2 * time.Hour)); n != 1 {
		t.Errorf("swept %d, want the pattern", n)
	}
	for _, bad := range []string{"brand.example/help", "brand.example/help?", "javascript:alert(1)?x="} {
		if err := ix.AddPattern(bad, Scam, "scan", time.Time{}); err == nil {
			t.Errorf("AddPattern(%q) accepted", bad)
		}
	}
}

// TestCheck: Check answers a pattern on an allowlisted site, then the
// allowlist, then URLs, canonicalising once.
func TestCheck(t *testing.T) {
	ix := New()
	now := time.Now()
	ix.Allow("brand.example")
	if err := ix.AddPattern("support.brand.example/help?phone=", Scam, "scan", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(Entry{Kind: URL, Value: "http://bad.example/x", Verdict: Suspicious}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		url              string
		ok, allowed, bad bool
		kind             Kind
	}{
		{url: "HTTP://Support.Brand.example/help?phone=18005551234", ok: true, kind: URL},
		{url: "http://support.brand.example/help", allowed: true},
		{url: "http://bad.example/x#frag", ok: true, kind: URL},
		{url: "http://other.example/", ok: false},
		{url: "ftp://x", bad: true},
	} {
		m, ok, allowed, err := ix.Check(c.url, now)
		if (err != nil) != c.bad || ok != c.ok || allowed != c.allowed || (ok && m.Kind != c.kind) {
			t.Errorf("Check(%q) = %+v %v %v %v", c.url, m, ok, allowed, err)
		}
	}
}
