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
