package export

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// abpCheck is a small grammar checker for the subset of the Adblock Plus
// filter syntax the abp format may use. It fails on anything else: a
// header, "! Key: value" metadata, "!" comments, and network filters
// "||host[/path][^]$options" whose pattern has no '$', '#', '|' (past the
// anchor) or whitespace, and whose options are known. It returns the
// filters' patterns and the problems found.
func abpCheck(list string) (patterns []string, errs []string) {
	ls := lines(list)
	fail := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	if ls[0] != "[Adblock Plus 2.0]" {
		fail("header %q", ls[0])
	}
	meta := map[string]*regexp.Regexp{
		"Title":         regexp.MustCompile(`^\S.*$`),
		"Expires":       regexp.MustCompile(`^([1-9][0-9]*) (days?|hours?)$`),
		"Homepage":      regexp.MustCompile(`^https?://\S+$`),
		"Last modified": regexp.MustCompile(`^\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d UTC$`),
		"Version":       regexp.MustCompile(`^\d{12}$`),
	}
	seenMeta := map[string]bool{}
	metaRe := regexp.MustCompile(`^! ([A-Za-z ]+): (.*)$`)
	regexFilterRe := regexp.MustCompile(`^/(\^https\?:\\/\\/\S+)/\$document$`)
	filterRe := regexp.MustCompile(`^\|\|([a-z0-9.-]+)(/[A-Za-z0-9._~/?=&:@,+!*()%-]*)?(\^)?\$([a-z,-]+)$`)
	known := map[string]bool{"document": true, "doc": true, "important": true, "all": true}
	inHeader := true
	prevComment := false
	for i, l := range ls[1:] {
		switch {
		case strings.HasPrefix(l, "!"):
			if m := metaRe.FindStringSubmatch(l); inHeader && m != nil && meta[m[1]] != nil {
				if !meta[m[1]].MatchString(m[2]) || seenMeta[m[1]] {
					fail("line %d: bad metadata %q", i+2, l)
				}
				seenMeta[m[1]] = true
			}
			if strings.ContainsAny(l, "\r\x00") {
				fail("line %d: control character in comment", i+2)
			}
			prevComment = true
		case l == "":
			fail("line %d: empty", i+2)
		default:
			inHeader = false
			if m := regexFilterRe.FindStringSubmatch(l); m != nil {
				// A URL pattern: "/regex/$document", the regex valid
				// (JavaScript and RE2 agree on the subset used), no '$' or
				// whitespace in it.
				if _, err := regexp.Compile(m[1]); err != nil || strings.ContainsAny(m[1], " \t$") {
					fail("line %d: bad regex filter %q", i+2, l)
				}
				if !prevComment {
					fail("line %d: filter without an evidence comment", i+2)
				}
				prevComment = false
				patterns = append(patterns, strings.TrimSuffix(l, "$document"))
				continue
			}
			if strings.ContainsAny(l, " \t#\r") {
				fail("line %d: whitespace or '#' in filter %q", i+2, l)
			}
			m := filterRe.FindStringSubmatch(l)
			if m == nil {
				fail("line %d: not a network filter: %q", i+2, l)
				continue
			}
			for _, o := range strings.Split(m[4], ",") {
				if !known[o] {
					fail("line %d: unknown option %q", i+2, o)
				}
			}
			if strings.Count(l, "$") != 1 {
				fail("line %d: more than one '$'", i+2)
			}
			if !prevComment {
				fail("line %d: filter without an evidence comment", i+2)
			}
			prevComment = false
			patterns = append(patterns, strings.TrimSuffix(l, "$"+m[4]))
		}
	}
	for k := range meta {
		if k != "Homepage" && !seenMeta[k] {
			fail("no %q metadata", k)
		}
	}
	return patterns, errs
}

func TestABP(t *testing.T) {
	out := run(t, ABP, fixture(), testMeta())
	got, errs := abpCheck(out)
	for _, e := range errs {
		t.Error(e)
	}
	want := []string{
		"||example-scam.com^", "||xn--bcher-kva.de^", "||foo.blogspot.com^", "||www.already.com^",
		"||sites.google.com/view/scam-page?x=1^",
		`/^https?:\/\/trusted\.example\.org(?::[0-9]+)?\/redirect\?(?:[^#]*&)?(?:phone)=[^&#]/`,
	}
	sameList(t, "abp filters", got, want)
	for _, l := range []string{
		"! Expires: 2 days",
		"! Version: 202506011200",
		"! Last modified: 01 Jun 2025 12:00 UTC",
		"! scam Microsoft fake BSOD ||injected.example^$document (seen 2025-05-22..2025-05-31)",
		"! suspicious Apple \"Support\"; x (seen ?..2025-05-30)",
		"! Entries: 6",
	} {
		if !strings.Contains(out, "\n"+l+"\n") {
			t.Errorf("no line %q in\n%s", l, out)
		}
	}
}

func TestABPExpires(t *testing.T) {
	cases := map[time.Duration]string{
		0:                  "1 day",
		time.Minute:        "1 hour",
		90 * time.Minute:   "2 hours",
		12 * time.Hour:     "12 hours",
		24 * time.Hour:     "1 day",
		25 * time.Hour:     "2 days",
		7 * 24 * time.Hour: "7 days",
	}
	for d, want := range cases {
		if got := abpExpires(d); got != want {
			t.Errorf("abpExpires(%v) = %q, want %q", d, got, want)
		}
	}
}

// The checker itself rejects what it should.
func TestABPCheckerRejects(t *testing.T) {
	for _, bad := range []string{
		"||a.com^$document$third-party", "||a.com/x#y^$document", "||a.com^$popup", "a.com##.ad",
		"||a.com/x y^$document", "/regex/$document", "||a.com^", `/^https?:\/\/a\.com(/$document`,
	} {
		_, errs := abpCheck("[Adblock Plus 2.0]\n! Title: x\n! Expires: 1 day\n! Last modified: 01 Jun 2025 12:00 UTC\n! Version: 202506011200\n! c\n" + bad + "\n")
		if len(errs) == 0 {
			t.Errorf("checker accepted %q", bad)
		}
	}
}
