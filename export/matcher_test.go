package export

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// matchFixture lists a domain, a plain URL and a URL pattern (a trusted
// page that shows the number in its "phone" or "n" parameter).
func matchFixture() Slice {
	live := day0(30)
	return Slice{Items: []Indicator{
		{Kind: Domain, Value: "scam-domain.example", Verdict: "scam", Expires: live},
		{Kind: URL, Value: "https://shared.example.net/view/scam-page", Verdict: "scam", Expires: live},
		{Kind: URL, Value: "trusted.example.org/redirect?phone=&n=", Verdict: "scam", Expires: live},
		{Kind: URL, Value: "https://" + longURL, Verdict: "scam", Expires: live},
	}}
}

// longURL is the longest URL of its shape whose DNR regexFilter still
// fits (dnrRegexFits): TestDNRInChromium checks Chrome takes it.
var longURL = func() string {
	u := "long.example.net/view/p"
	for dnrRegexFits(urlRegex(u + "x")) {
		u += "x"
	}
	return u
}()

// matchCases are URLs and whether a browser blocking with matchFixture
// must stop a navigation to them. The pattern matches as the index's
// CheckPattern does: its host and path, one of its parameters set with a
// value, anywhere in the query, whatever the port. Plain URLs are written
// without a port here: the abp list gives them as "||host/path^", which
// matches default ports only; TestDNRInChromium loads every case at a port.
var matchCases = []struct {
	url   string
	block bool
}{
	{"https://trusted.example.org/redirect?phone=18885550100", true},
	{"https://trusted.example.org/redirect?x=1&phone=18885550100", true},
	{"https://trusted.example.org/redirect?lang=en&src=ad&n=18885550100", true},
	{"http://trusted.example.org:8080/redirect?x=1&n=18885550100", true},
	{"http://trusted.example.org:8080/redirect?phone=18885550100", true},
	{"https://trusted.example.org/redirect?phone=", false},
	{"https://trusted.example.org/redirect?phone=&x=1", false},
	{"https://trusted.example.org/redirect?xphone=1888", false},
	{"https://trusted.example.org/redirect?x=phone=1888", false},
	{"https://trusted.example.org/redirect/other?phone=1888", false},
	{"https://trusted.example.org/help?phone=1888", false},
	{"https://trusted.example.org/redirect", false},
	{"https://trusted.example.org/", false},
	{"https://www.trusted.example.org/redirect?phone=1888", false}, // the index matches the pattern's host only
	{"https://scam-domain.example/", true},
	{"https://www.scam-domain.example/alert?x=1", true},
	{"http://scam-domain.example:8443/alert", true},
	{"https://not-scam-domain.example/", false},
	{"https://shared.example.net/view/scam-page", true},
	{"https://shared.example.net/view/other-page", false},
	{"https://" + longURL, true},
	{"https://" + longURL + "?x=1", true},
	{"https://" + longURL + "x", false},
}

// TestABPInFilterEngine runs the abp list through a real uBlock Origin /
// Adblock Plus compatible engine (@ghostery/adblocker, installed by .ci/run
// into export/testdata/node_modules) and checks what it blocks.
func TestABPInFilterEngine(t *testing.T) {
	node := filterEngine(t)
	list := run(t, ABP, matchFixture(), testMeta())
	var urls []string
	for _, c := range matchCases {
		urls = append(urls, c.url)
	}
	in, _ := json.Marshal(map[string]any{"list": list, "urls": urls})
	cmd := exec.Command(node, "abpmatch.mjs")
	cmd.Dir = "testdata"
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("filter engine: %v\n%s", err, stderr.String())
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(urls) {
		t.Fatalf("filter engine output %q: %v", out, err)
	}
	for i, c := range matchCases {
		if (got[i] != "") != c.block {
			t.Errorf("%s: blocked by %q, want blocked %v", c.url, got[i], c.block)
		}
	}
	if t.Failed() {
		t.Logf("the list:\n%s", list)
	}
}

// filterEngine returns node, or skips the test when node or the engine is
// not installed (TSSGUARD_REQUIRE_FILTER_ENGINE=1, set by .ci/run, makes
// that a failure).
func filterEngine(t *testing.T) string {
	t.Helper()
	skip := t.Skipf
	if os.Getenv("TSSGUARD_REQUIRE_FILTER_ENGINE") == "1" {
		skip = t.Fatalf
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed: the abp list is not checked in a real filter engine")
	}
	if _, err := os.Stat(filepath.Join("testdata", "node_modules", "@ghostery", "adblocker")); err != nil {
		skip("the filter engine is not installed: run .ci/run, or npm install --prefix export/testdata @ghostery/adblocker")
	}
	return node
}

// The DNR rules, matched with Go's RE2 (the engine Chrome compiles
// regexFilter with) and with the urlFilter rules of the list, agree with
// matchCases. TestDNRInChromium checks the same rules in the browser.
func TestDNRRulesMatch(t *testing.T) {
	_, _, rules := checkDNR(t, run(t, DNR, matchFixture(), testMeta()))
	for _, c := range matchCases {
		blocked := false
		for _, r := range rules {
			if dnrMatches(t, r, c.url) {
				blocked = true
			}
		}
		if blocked != c.block {
			t.Errorf("%s: blocked %v, want %v", c.url, blocked, c.block)
		}
	}
}

// dnrMatches is a small model of declarativeNetRequest matching, enough for
// the rules the dnr format writes: requestDomains (the host or a
// subdomain), regexFilter (RE2, case-insensitive) and urlFilter of the form
// "||host/path" ending in '^' or a prefix.
func dnrMatches(t *testing.T, r dnrRule, u string) bool {
	t.Helper()
	c := r.Condition
	rest := u[strings.Index(u, "://")+3:]
	host := rest[:strings.IndexAny(rest+"/", ":/?")]
	if len(c.RequestDomains) > 0 {
		for _, d := range c.RequestDomains {
			if host == d || strings.HasSuffix(host, "."+d) {
				return true
			}
		}
		return false
	}
	if c.RegexFilter != nil {
		re, err := regexp.Compile("(?i)" + *c.RegexFilter)
		if err != nil {
			t.Fatalf("regexFilter %q: %v", *c.RegexFilter, err)
		}
		return re.MatchString(u)
	}
	f := strings.TrimPrefix(*c.URLFilter, "||")
	sep := strings.HasSuffix(f, "^")
	f = strings.TrimSuffix(f, "^")
	i := strings.Index(rest, f)
	if i < 0 || (i > 0 && rest[i-1] != '.') || i > len(host) {
		return false
	}
	after := rest[i+len(f):]
	return !sep || after == "" || strings.IndexByte("/?:&=", after[0]) >= 0
}
