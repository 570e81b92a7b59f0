package reputation

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/urlx"
)

var (
	t0     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	later  = t0.Add(time.Hour)
	future = t0.Add(24 * time.Hour)
)

func mustAdd(t *testing.T, ix *Index, e Entry) {
	t.Helper()
	if err := ix.Add(e); err != nil {
		t.Fatalf("Add(%+v): %v", e, err)
	}
}

func TestKindVerdictStrings(t *testing.T) {
	for _, k := range []Kind{URL, Domain, Number} {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k, got, err)
		}
	}
	for _, v := range []Verdict{Scam, Suspicious} {
		if got, err := ParseVerdict(strings.ToUpper(v.String())); err != nil || got != v {
			t.Errorf("ParseVerdict(%q) = %v, %v", v, got, err)
		}
	}
	if _, err := ParseVerdict("clean"); !errors.Is(err, ErrBadVerdict) {
		t.Errorf("ParseVerdict(clean) = %v", err)
	}
	if _, err := ParseKind("ip"); !errors.Is(err, ErrBadKind) {
		t.Errorf("ParseKind(ip) = %v", err)
	}
	if Kind(0).String() != "kind(0)" || Verdict(9).String() != "verdict(9)" {
		t.Error("invalid values print badly")
	}
	if DefaultTTL(Number) != 7*24*time.Hour || DefaultTTL(Domain) != 28*24*time.Hour || DefaultTTL(URL) != 14*24*time.Hour {
		t.Error("DefaultTTL")
	}
}

func TestCheckURL(t *testing.T) {
	ix := New()
	for _, e := range []Entry{
		{Kind: URL, Value: "http://evil.example.com/alert/win.html?phone=18005551234", Verdict: Scam, Source: "scan"},
		{Kind: URL, Value: "shady.example.net/kit/", Verdict: Suspicious, Source: "report"},
		{Kind: URL, Value: "shady.example.net/kit/deep/", Verdict: Scam, Source: "feed:a"},
		{Kind: URL, Value: "scam1.pages.dev/", Verdict: Scam, Source: "feed:a"},
		{Kind: URL, Value: "www.GOOD-looking.org/a/b/", Verdict: Suspicious, Source: "scan"},
		{Kind: URL, Value: "1.2.3.4/x/", Verdict: Scam, Source: "scan"},
		{Kind: Domain, Value: "www.bad-domain.com", Verdict: Scam, Source: "report"},
		{Kind: Domain, Value: "sus-domain.com", Verdict: Suspicious, Source: "report"},
		{Kind: URL, Value: "sus-domain.com/scam/", Verdict: Scam, Source: "scan"},
		{Kind: URL, Value: "sub.bad-domain.com/page", Verdict: Suspicious, Source: "scan"},
	} {
		mustAdd(t, ix, e)
	}
	for _, tc := range []struct {
		url     string
		ok      bool
		kind    Kind
		verdict Verdict
		matched string
		source  string
	}{
		{"https://evil.example.com/alert/win.html?phone=18005551234", true, URL, Scam, "evil.example.com/alert/win.html?phone=18005551234", "scan"},
		{"HTTP://EVIL.example.com:8080/alert/./win.html?phone=18005551234#x", true, URL, Scam, "evil.example.com/alert/win.html?phone=18005551234", "scan"},
		{"http://evil.example.com/alert/win.html?phone=18005559999", false, 0, 0, "", ""},
		{"http://shady.example.net/kit/", true, URL, Suspicious, "shady.example.net/kit/", "report"},
		{"http://a.b.shady.example.net/kit/x.html", true, URL, Suspicious, "shady.example.net/kit/", "report"},
		// The more severe entry wins over the more specific one.
		{"http://shady.example.net/kit/deep/x.html", true, URL, Scam, "shady.example.net/kit/deep/", "feed:a"},
		{"http://shady.example.net/other/", false, 0, 0, "", ""},
		{"https://scam1.pages.dev/anything/at/all", true, URL, Scam, "scam1.pages.dev/", "feed:a"},
		{"https://scam2.pages.dev/", false, 0, 0, "", ""},
		{"http://www.good-looking.org/a/b/c/d.html", true, URL, Suspicious, "www.good-looking.org/a/b/", "scan"},
		{"http://good-looking.org/a/b/", false, 0, 0, "", ""},
		{"http://0x01020304/x/y", true, URL, Scam, "1.2.3.4/x/", "scan"},
		// Domain fallback, and its interplay with URL entries.
		{"http://deep.sub.bad-domain.com/", true, Domain, Scam, "bad-domain.com", "report"},
		{"http://sub.bad-domain.com/page", true, Domain, Scam, "bad-domain.com", "report"},
		{"http://sus-domain.com/", true, Domain, Suspicious, "sus-domain.com", "report"},
		{"http://sus-domain.com/scam/x", true, URL, Scam, "sus-domain.com/scam/", "scan"},
		{"http://clean.example/", false, 0, 0, "", ""},
	} {
		m, ok, err := ix.CheckURL(tc.url, t0)
		if err != nil {
			t.Errorf("CheckURL(%q): %v", tc.url, err)
			continue
		}
		if ok != tc.ok || m.Kind != tc.kind || m.Verdict != tc.verdict || m.Matched != tc.matched || m.Source != tc.source {
			t.Errorf("CheckURL(%q) = %+v, %v; want %v %v %q %q", tc.url, m, ok, tc.kind, tc.verdict, tc.matched, tc.source)
		}
	}
	if _, _, err := ix.CheckURL("javascript:alert(1)", t0); err == nil {
		t.Error("CheckURL(javascript:) gave no error")
	}
	if u, d, n := ix.Len(); u != 8 || d != 2 || n != 0 {
		t.Errorf("Len = %d, %d, %d", u, d, n)
	}
}

func TestUpsertRemove(t *testing.T) {
	ix := New()
	mustAdd(t, ix, Entry{Kind: URL, Value: "http://a.com/x", Verdict: Suspicious, Source: "scan"})
	v := ix.Version()
	mustAdd(t, ix, Entry{Kind: URL, Value: "A.com/x", Verdict: Scam, Source: "report", Expires: future})
	if ix.Version() <= v {
		t.Error("Version did not increase")
	}
	m, ok, _ := ix.CheckURL("http://a.com/x", t0)
	if !ok || m.Verdict != Scam || m.Source != "report" || !m.Expires.Equal(future) {
		t.Errorf("after upsert: %+v %v", m, ok)
	}
	if u, _, _ := ix.Len(); u != 1 {
		t.Errorf("upsert added a record: %d", u)
	}
	ix.Remove(URL, "https://a.com/x#frag")
	if _, ok, _ := ix.CheckURL("http://a.com/x", t0); ok {
		t.Error("match after Remove")
	}
	mustAdd(t, ix, Entry{Kind: Domain, Value: "www.b.com", Verdict: Scam})
	mustAdd(t, ix, Entry{Kind: Number, Value: "+18005551234", Verdict: Scam, Source: "scan"})
	if m, ok := ix.CheckNumber("+18005551234", t0); !ok || m.Kind != Number || m.Matched != "+18005551234" || m.Source != "scan" {
		t.Errorf("CheckNumber = %+v %v", m, ok)
	}
	ix.Remove(Domain, "b.com")
	ix.Remove(Number, "+18005551234")
	if u, d, n := ix.Len(); u+d+n != 0 {
		t.Errorf("Len after removes = %d %d %d", u, d, n)
	}
}

func TestAddErrors(t *testing.T) {
	ix := New()
	for _, e := range []Entry{
		{Kind: URL, Value: "javascript:alert(1)", Verdict: Scam},
		{Kind: URL, Value: "http://a.com/", Verdict: 0},
		{Kind: 0, Value: "a.com", Verdict: Scam},
		{Kind: Number, Value: "18005551234", Verdict: Scam},
		{Kind: Number, Value: "+0123456", Verdict: Scam},
		{Kind: Number, Value: "+1800555123456789", Verdict: Scam},
		{Kind: Number, Value: "+1 800 555", Verdict: Scam},
		{Kind: Domain, Value: "", Verdict: Scam},
		{Kind: URL, Value: strings.Repeat("a", 10000), Verdict: Scam},
	} {
		if err := ix.Add(e); err == nil {
			t.Errorf("Add(%.40q) succeeded", e.Value)
		}
	}
	if u, d, n := ix.Len(); u+d+n != 0 {
		t.Error("failed adds changed the index")
	}
}

func TestNumbers(t *testing.T) {
	ix := New()
	mustAdd(t, ix, Entry{Kind: Number, Value: "+18885550100", Verdict: Suspicious, Expires: later})
	for _, tc := range []struct {
		n   string
		now time.Time
		ok  bool
	}{
		{"+18885550100", t0, true},
		{"+18885550100", later, false},
		{"+18885550101", t0, false},
		{"18885550100", t0, false},
		{"+1 888 555 0100", t0, false},
	} {
		if _, ok := ix.CheckNumber(tc.n, tc.now); ok != tc.ok {
			t.Errorf("CheckNumber(%q, %v) = %v", tc.n, tc.now, ok)
		}
	}
}

func TestExpiry(t *testing.T) {
	ix := New()
	mustAdd(t, ix, Entry{Kind: URL, Value: "a.com/1/", Verdict: Scam, Expires: later})
	mustAdd(t, ix, Entry{Kind: URL, Value: "a.com/", Verdict: Suspicious}) // never expires
	mustAdd(t, ix, Entry{Kind: Domain, Value: "b.com", Verdict: Scam, Expires: later})
	mustAdd(t, ix, Entry{Kind: Number, Value: "+18005550000", Verdict: Scam, Expires: later})
	mustAdd(t, ix, Entry{Kind: URL, Value: "c.com/", Verdict: Scam, Expires: time.Unix(0, 0)})

	check := func(now time.Time, url string, want Verdict) {
		t.Helper()
		m, ok, _ := ix.CheckURL(url, now)
		if (want == 0) == ok || m.Verdict != want {
			t.Errorf("CheckURL(%q, %v) = %+v, %v; want %v", url, now, m, ok, want)
		}
	}
	check(t0, "http://a.com/1/x", Scam)
	check(later.Add(-time.Second), "http://a.com/1/x", Scam)
	check(later, "http://a.com/1/x", Suspicious) // expired: the longer-lived entry shows
	check(t0, "http://b.com/", Scam)
	check(later, "http://b.com/", 0)
	check(t0, "http://c.com/", 0) // the epoch is a time, not "never"
	if _, ok := ix.CheckDomain("b.com", later); ok {
		t.Error("expired domain matched")
	}
	if _, ok := ix.CheckNumber("+18005550000", later); ok {
		t.Error("expired number matched")
	}
	// Seen again: re-adding with a fresh expiry revives it.
	mustAdd(t, ix, Entry{Kind: URL, Value: "a.com/1/", Verdict: Scam, Expires: future})
	check(later, "http://a.com/1/x", Scam)

	if n := ix.Sweep(t0); n != 1 { // c.com
		t.Errorf("Sweep(t0) = %d", n)
	}
	if n := ix.Sweep(later); n != 2 { // b.com, the number
		t.Errorf("Sweep(later) = %d", n)
	}
	if u, d, n := ix.Len(); u != 2 || d != 0 || n != 0 {
		t.Errorf("Len after sweeps = %d %d %d", u, d, n)
	}
	check(later, "http://a.com/1/x", Scam)
}

func TestAllowlist(t *testing.T) {
	ix := New()
	mustAdd(t, ix, Entry{Kind: URL, Value: "http://www.example.com/bad/", Verdict: Scam})
	mustAdd(t, ix, Entry{Kind: URL, Value: "http://cdn.example.com/x.js", Verdict: Scam})
	mustAdd(t, ix, Entry{Kind: URL, Value: "http://other.com/bad/", Verdict: Scam})
	mustAdd(t, ix, Entry{Kind: Domain, Value: "example.com", Verdict: Scam})
	mustAdd(t, ix, Entry{Kind: URL, Value: "scam1.pages.dev/", Verdict: Scam})
	mustAdd(t, ix, Entry{Kind: URL, Value: "pages.dev/evil/", Verdict: Scam})

	ix.Allow("WWW.Example.com")
	if u, d, _ := ix.Len(); u != 3 || d != 0 {
		t.Errorf("Len after Allow = %d urls, %d domains; want 3, 0", u, d)
	}
	for _, u := range []string{"http://www.example.com/bad/", "http://cdn.example.com/x.js", "http://example.com/"} {
		if m, ok, _ := ix.CheckURL(u, t0); ok {
			t.Errorf("allowlisted %q matched %+v", u, m)
		}
	}
	if _, ok := ix.CheckDomain("a.b.example.com", t0); ok {
		t.Error("allowlisted domain matched")
	}
	// Later adds are refused, by URL and by domain.
	for _, e := range []Entry{
		{Kind: URL, Value: "http://new.example.com/", Verdict: Scam},
		{Kind: URL, Value: "example.com/", Verdict: Scam},
		{Kind: Domain, Value: "deep.example.com", Verdict: Scam},
	} {
		if err := ix.Add(e); !errors.Is(err, ErrAllowlisted) {
			t.Errorf("Add(%q) = %v; want ErrAllowlisted", e.Value, err)
		}
	}
	if _, ok, _ := ix.CheckURL("http://other.com/bad/x", t0); !ok {
		t.Error("other domain stopped matching")
	}

	// Shared hosting: allowlisting one customer leaves the others, and
	// the platform's own expressions stay listed but do not match the
	// allowlisted customer.
	ix.Allow("scam1.pages.dev")
	if _, ok, _ := ix.CheckURL("https://scam1.pages.dev/evil/", t0); ok {
		t.Error("allowlisted customer matched by a platform expression")
	}
	if _, ok, _ := ix.CheckURL("https://scam2.pages.dev/evil/", t0); !ok {
		t.Error("other customer lost the platform expression")
	}

	ix.Disallow("example.com")
	mustAdd(t, ix, Entry{Kind: Domain, Value: "example.com", Verdict: Suspicious})
	if m, ok, _ := ix.CheckURL("http://www.example.com/bad/", t0); !ok || m.Kind != Domain {
		t.Errorf("after Disallow: %+v %v", m, ok)
	}
}

// collidingExpressions finds two expressions with the same 4-byte hash
// prefix by brute force (a 32-bit birthday collision needs about 2^16
// tries; this seed finds one well within the limit).
func collidingExpressions(t *testing.T) (a, b string) {
	t.Helper()
	seen := make(map[uint32]string, 1<<18)
	for i := range 1 << 20 {
		e := fmt.Sprintf("collide.example/p%d/", i)
		p := urlx.Prefix(urlx.Hash(e))
		if prev, ok := seen[p]; ok {
			return prev, e
		}
		seen[p] = e
	}
	t.Fatal("no collision")
	return "", ""
}

func TestPrefixCollision(t *testing.T) {
	a, b := collidingExpressions(t)
	ha, hb := urlx.Hash(a), urlx.Hash(b)
	if urlx.Prefix(ha) != urlx.Prefix(hb) || ha == hb {
		t.Fatalf("%q and %q do not collide", a, b)
	}
	t.Logf("%q and %q share prefix %08x", a, b, urlx.Prefix(ha))

	ix := New()
	mustAdd(t, ix, Entry{Kind: URL, Value: a, Verdict: Suspicious, Source: "a"})
	if _, ok, _ := ix.CheckURL("http://"+b, t0); ok {
		t.Fatal("prefix-only match")
	}
	mustAdd(t, ix, Entry{Kind: URL, Value: b, Verdict: Scam, Source: "b"})
	mustAdd(t, ix, Entry{Kind: URL, Value: "collide.example/zzz/", Verdict: Scam, Source: "c"})
	for _, tc := range []struct{ url, src string }{{a, "a"}, {b, "b"}} {
		m, ok, _ := ix.CheckURL("http://"+tc.url, t0)
		if !ok || m.Source != tc.src || m.Matched != tc.url {
			t.Errorf("CheckURL(%q) = %+v, %v", tc.url, m, ok)
		}
	}
	// Remove the first (the one the prefix map points at): the second must
	// be promoted; then remove in the other order after re-adding.
	ix.Remove(URL, a)
	if _, ok, _ := ix.CheckURL("http://"+a, t0); ok {
		t.Error("removed colliding entry matched")
	}
	if m, ok, _ := ix.CheckURL("http://"+b, t0); !ok || m.Source != "b" {
		t.Errorf("survivor lost: %+v %v", m, ok)
	}
	mustAdd(t, ix, Entry{Kind: URL, Value: a, Verdict: Suspicious, Source: "a"})
	ix.Remove(URL, b)
	if m, ok, _ := ix.CheckURL("http://"+a, t0); !ok || m.Source != "a" {
		t.Errorf("survivor lost: %+v %v", m, ok)
	}
	if m, ok, _ := ix.CheckURL("http://collide.example/zzz/", t0); !ok || m.Source != "c" {
		t.Errorf("moved record lost: %+v %v", m, ok)
	}
	ix.Remove(URL, a)
	ix.Remove(URL, "collide.example/zzz/")
	if u, _, _ := ix.Len(); u != 0 || used(&ix.exact) != 0 || used(&ix.byPrefix) != 0 || len(ix.hosts) != 0 {
		t.Errorf("leftovers: %d recs, %d exact slots, %d prefix slots, %d hosts", u, used(&ix.exact), used(&ix.byPrefix), len(ix.hosts))
	}
}

// used counts the full slots of a table.
func used(tb *slotTable) int {
	n := 0
	for _, s := range tb.slots {
		if s != 0 {
			n++
		}
	}
	return n
}

// TestInternalConsistency adds and removes many entries, colliding by
// construction through the internal hook (few hash prefixes, few host and
// path hashes, so long runs of equal keys in both tables), and checks
// every record is reachable both ways.
func TestInternalConsistency(t *testing.T) {
	ix := New()
	type key struct {
		h    [32]byte
		host uint64
		path uint32
	}
	var keys []key
	for i := range 3000 {
		var h [32]byte
		h[0], h[1] = byte(i%7), 0xAB // few prefixes: heavy collisions
		h[4], h[5] = byte(i), byte(i>>8)
		k := key{h, uint64(i % 13), uint32(i % 5)}
		keys = append(keys, k)
		if err := ix.addRec(k.h, k.host, k.path, 1+uint64(i%13)/4, 0, 0, Scam); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < len(keys); i += 3 {
		k := keys[i]
		ix.removeAt(ix.find(k.h, k.host, k.path))
	}
	byPrefix := map[uint32]int{}
	for i, k := range keys {
		if got := ix.find(k.h, k.host, k.path) >= 0; got != (i%3 != 0) {
			t.Fatalf("hash %d: found = %v", i, got)
		}
		if i%3 != 0 {
			byPrefix[prefix(k.h)]++
		}
	}
	for p, n := range byPrefix {
		if got := ix.HashesWithPrefix(nil, p, t0); len(got) != n {
			t.Errorf("prefix %08x: %d hashes, want %d", p, len(got), n)
		}
	}
	if used(&ix.exact) != len(ix.recs) || used(&ix.byPrefix) != len(ix.recs) {
		t.Errorf("slots %d exact, %d by prefix, records %d", used(&ix.exact), used(&ix.byPrefix), len(ix.recs))
	}
	n := int32(0)
	for _, ref := range ix.hosts {
		n += ref.n
	}
	if int(n) != len(ix.recs) {
		t.Errorf("host counts %d, records %d", n, len(ix.recs))
	}
	// domRefs counts the hosts of each domain, and drops a domain with none.
	want := map[uint64]int32{}
	for _, ref := range ix.hosts {
		want[ref.dom]++
	}
	if !maps.Equal(want, ix.domRefs) {
		t.Errorf("domRefs = %v, want %v", ix.domRefs, want)
	}
	for i := len(ix.recs) - 1; i >= 0; i-- {
		ix.removeAt(i)
	}
	if len(ix.domRefs) != 0 || used(&ix.exact) != 0 || used(&ix.byPrefix) != 0 {
		t.Errorf("left after removing everything: domRefs %v, %d exact slots, %d prefix slots", ix.domRefs, used(&ix.exact), used(&ix.byPrefix))
	}
}

// TestAllowAfterChurn: Allow still drops the URLs of a domain whose URLs
// came, expired and came again, and a lookup still finds domains listed
// and allowlisted after many others (the domain filter grows).
func TestAllowAfterChurn(t *testing.T) {
	ix := New()
	now := time.Now()
	add := func(u string, exp time.Time) {
		t.Helper()
		if err := ix.Add(Entry{Kind: URL, Value: u, Verdict: Scam, Expires: exp}); err != nil {
			t.Fatal(err)
		}
	}
	add("http://a.churn.example/x", now.Add(-time.Second))
	ix.Sweep(now)
	add("http://b.churn.example/y", time.Time{})
	if _, ok, _ := ix.CheckURL("http://b.churn.example/y", now); !ok {
		t.Fatal("listed URL not found")
	}
	ix.Allow("churn.example")
	if _, ok, _ := ix.CheckURL("http://b.churn.example/y", now); ok {
		t.Error("URL of an allowlisted domain still matches")
	}
	for i := range 5000 {
		if err := ix.Add(Entry{Kind: Domain, Value: fmt.Sprintf("d%d.example", i), Verdict: Scam}); err != nil {
			t.Fatal(err)
		}
	}
	ix.Allow("late.example")
	for i := range 5000 {
		if _, ok, _ := ix.CheckURL(fmt.Sprintf("http://www.d%d.example/", i), now); !ok {
			t.Fatalf("domain d%d.example not found", i)
		}
	}
	if _, _, allowed, _ := ix.CheckURLAllowed("http://www.late.example/", now); !allowed {
		t.Error("allowlisted domain not reported")
	}
}

func TestHostileInputs(t *testing.T) {
	ix := New()
	mustAdd(t, ix, Entry{Kind: URL, Value: "a.com/", Verdict: Scam})
	for _, in := range []string{
		"",
		strings.Repeat("%25", 5000),
		"http://a.com/" + strings.Repeat("x", 9000),
		"http://" + strings.Repeat("a.", 2000) + "a.com/" + strings.Repeat("b/", 1000),
		"\xff\xfe\x00",
		"http://[",
		"data:text/html;base64,PHNjcmlwdD4=",
	} {
		_, _, _ = ix.CheckURL(in, t0) // must not panic
		_, _ = ix.CheckDomain(in, t0)
		_, _ = ix.CheckNumber(in, t0)
		_ = ix.Add(Entry{Kind: URL, Value: in, Verdict: Scam})
		_ = ix.Add(Entry{Kind: Domain, Value: in, Verdict: Scam})
	}
	if _, _, err := ix.CheckURL("http://a.com/"+strings.Repeat("x", 9000), t0); err == nil {
		t.Error("overlong URL gave no error")
	}
	// A long but legal URL on a listed host still matches.
	if _, ok, err := ix.CheckURL("http://a.com/"+strings.Repeat("y/", 400), t0); !ok || err != nil {
		t.Errorf("long URL: %v %v", ok, err)
	}
}

func TestConcurrent(t *testing.T) {
	ix := New()
	for i := range 200 {
		mustAdd(t, ix, Entry{Kind: URL, Value: fmt.Sprintf("h%d.example.org/p/", i), Verdict: Scam, Source: "scan"})
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				u := fmt.Sprintf("http://h%d.example.org/p/x", (i*7+w)%200)
				m, ok, err := ix.CheckURL(u, t0)
				if err != nil || (ok && m.Verdict != Scam && m.Verdict != Suspicious) {
					t.Errorf("CheckURL(%q) = %+v %v %v", u, m, ok, err)
					return
				}
				ix.CheckDomain("h1.example.org", t0)
				ix.CheckNumber("+18005550000", t0)
			}
		})
	}
	for i := range 2000 {
		switch i % 5 {
		case 0:
			_ = ix.Add(Entry{Kind: URL, Value: fmt.Sprintf("n%d.example.net/", i), Verdict: Suspicious, Source: fmt.Sprintf("feed:%d", i%3), Expires: later})
		case 1:
			ix.Remove(URL, fmt.Sprintf("n%d.example.net/", i-1))
		case 2:
			_ = ix.Add(Entry{Kind: Number, Value: "+18005550000", Verdict: Scam})
		case 3:
			ix.Allow(fmt.Sprintf("x%d.com", i))
		case 4:
			ix.Sweep(future)
		}
	}
	close(stop)
	wg.Wait()
	if u, _, _ := ix.Len(); u != 200 {
		t.Errorf("urls = %d", u)
	}
}
