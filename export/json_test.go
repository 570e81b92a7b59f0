package export

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func decodeStrict(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("JSON does not decode: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("trailing data after the JSON value")
	}
}

func TestURLBlocklist(t *testing.T) {
	var p struct {
		URLBlocklist []string
	}
	decodeStrict(t, run(t, URLBlocklist, fixture(), testMeta()), &p)
	// Sightings desc, LastSeen desc, value asc.
	want := []string{
		"trusted.example.org/redirect?phone=*", // 9
		"example-scam.com",                     // 5
		"sites.google.com/view/scam-page?x=1",  // 4
		"www.already.com",                      // 3
		"xn--bcher-kva.de",                     // 2
		"foo.blogspot.com",                     // 1
	}
	sameList(t, "URLBlocklist", p.URLBlocklist, want)
}

func TestURLBlocklistCap(t *testing.T) {
	var items []Indicator
	for i := range 2500 {
		items = append(items, Indicator{
			Kind:      Domain,
			Value:     "d" + strconv.Itoa(i) + ".example.com",
			Sightings: i % 1200, // ties between i and i+1200
			LastSeen:  gen.Add(-time.Duration(i) * time.Minute),
		})
	}
	a := run(t, URLBlocklist, Slice{Items: items}, testMeta())
	rev := slices.Clone(items)
	slices.Reverse(rev)
	b := run(t, URLBlocklist, Slice{Items: rev}, testMeta())
	if a != b {
		t.Errorf("output depends on the source's order")
	}
	var p struct{ URLBlocklist []string }
	decodeStrict(t, a, &p)
	if len(p.URLBlocklist) != URLBlocklistMax {
		t.Fatalf("%d entries, want %d", len(p.URLBlocklist), URLBlocklistMax)
	}
	// Brute force: sort everything, take the first 1,000.
	all := slices.Clone(items)
	slices.SortFunc(all, func(x, y Indicator) int {
		if x.Sightings != y.Sightings {
			return y.Sightings - x.Sightings
		}
		if c := y.LastSeen.Compare(x.LastSeen); c != 0 {
			return c
		}
		return strings.Compare(x.Value, y.Value)
	})
	for i, v := range p.URLBlocklist {
		if v != all[i].Value {
			t.Fatalf("entry %d = %q, want %q", i, v, all[i].Value)
		}
	}
}

// dnrRule is the Chrome declarativeNetRequest Rule schema, as far as the
// dnr format uses it; unknown fields fail decoding.
type dnrRule struct {
	ID       *int `json:"id"`
	Priority *int `json:"priority"`
	Action   *struct {
		Type     string `json:"type"`
		Redirect *struct {
			URL               *string `json:"url"`
			ExtensionPath     *string `json:"extensionPath"`
			RegexSubstitution *string `json:"regexSubstitution"`
		} `json:"redirect"`
	} `json:"action"`
	Condition *struct {
		RequestDomains []string `json:"requestDomains"`
		URLFilter      *string  `json:"urlFilter"`
		RegexFilter    *string  `json:"regexFilter"`
		ResourceTypes  []string `json:"resourceTypes"`
	} `json:"condition"`
}

// checkDNR validates rules against the required parts of the schema and
// returns the domains and URL filters.
func checkDNR(t *testing.T, out string) (domains, filters []string, rules []dnrRule) {
	t.Helper()
	decodeStrict(t, out, &rules)
	actions := map[string]bool{"block": true, "redirect": true, "allow": true, "upgradeScheme": true, "modifyHeaders": true, "allowAllRequests": true}
	types := map[string]bool{"main_frame": true, "sub_frame": true, "stylesheet": true, "script": true, "image": true, "font": true, "object": true, "xmlhttprequest": true, "ping": true, "csp_report": true, "media": true, "websocket": true, "webtransport": true, "webbundle": true, "other": true}
	ids := map[int]bool{}
	for i, r := range rules {
		switch {
		case r.ID == nil || *r.ID < 1 || ids[*r.ID]:
			t.Fatalf("rule %d: bad or duplicate id", i)
		case r.Priority != nil && *r.Priority < 1:
			t.Errorf("rule %d: priority < 1", i)
		case r.Action == nil || !actions[r.Action.Type]:
			t.Fatalf("rule %d: bad action", i)
		case r.Condition == nil || len(r.Condition.ResourceTypes) == 0:
			t.Fatalf("rule %d: no condition.resourceTypes", i)
		}
		ids[*r.ID] = true
		if r.Action.Type == "redirect" {
			rd := r.Action.Redirect
			n := 0
			if rd != nil {
				for _, p := range []*string{rd.URL, rd.ExtensionPath, rd.RegexSubstitution} {
					if p != nil {
						n++
					}
				}
			}
			if n != 1 {
				t.Errorf("rule %d: redirect needs exactly one target", i)
			}
			if rd != nil && rd.ExtensionPath != nil && !strings.HasPrefix(*rd.ExtensionPath, "/") {
				t.Errorf("rule %d: extensionPath must start with '/'", i)
			}
		}
		for _, rt := range r.Condition.ResourceTypes {
			if !types[rt] {
				t.Errorf("rule %d: resource type %q", i, rt)
			}
		}
		c := r.Condition
		n := 0
		for _, set := range []bool{len(c.RequestDomains) > 0, c.URLFilter != nil, c.RegexFilter != nil} {
			if set {
				n++
			}
		}
		if n != 1 {
			t.Errorf("rule %d: want one of requestDomains, urlFilter, regexFilter", i)
		}
		for _, d := range c.RequestDomains {
			if _, err := NormalizeDomain(d); err != nil || strings.ToLower(d) != d {
				t.Errorf("rule %d: requestDomains entry %q", i, d)
			}
		}
		domains = append(domains, c.RequestDomains...)
		if c.URLFilter != nil {
			f := *c.URLFilter
			if !strings.HasPrefix(f, "||") || strings.ContainsAny(f, " $#") || strings.Contains(f[2:], "|") {
				t.Errorf("rule %d: urlFilter %q", i, f)
			}
			filters = append(filters, f)
		}
		if c.RegexFilter != nil {
			f := *c.RegexFilter
			if _, err := regexp.Compile(f); err != nil || !strings.HasPrefix(f, `^https?:\/\/`) || len(f) > 2048 {
				t.Errorf("rule %d: regexFilter %q: %v", i, f, err)
			}
			filters = append(filters, f)
		}
	}
	return domains, filters, rules
}

func TestDNR(t *testing.T) {
	out := run(t, DNR, fixture(), testMeta())
	domains, filters, rules := checkDNR(t, out)
	sameList(t, "requestDomains", domains, wantDomains)
	sameList(t, "URL filters", filters, []string{
		`^https?:\/\/(?:[^\/?#]*\.)?sites\.google\.com(?::[0-9]+)?\/view\/scam-page\?x=1(?:[^A-Za-z0-9_.%-]|$)`,
		`^https?:\/\/trusted\.example\.org(?::[0-9]+)?\/redirect\?(?:[^#]*&)?(?:phone)=[^&#]`,
	})
	if len(rules) != 3 || *rules[0].ID != 1 {
		t.Errorf("%d rules", len(rules))
	}
	if p := rules[0].Action.Redirect.ExtensionPath; p == nil || *p != DNRWarningPath {
		t.Errorf("no extensionPath redirect")
	}

	m := testMeta()
	m.WarningURL = "https://tssguard.example/warning?src=dnr&x=\"<>"
	if err := DNR.Write(t.Context(), &bytes.Buffer{}, fixture(), m); err == nil {
		t.Errorf("hostile WarningURL accepted")
	}
	m.WarningURL = "https://tssguard.example/warning?src=dnr&x=1"
	_, _, rules = checkDNR(t, run(t, DNR, fixture(), m))
	for _, r := range rules {
		if u := r.Action.Redirect.URL; u == nil || *u != m.WarningURL {
			t.Errorf("rule %d: redirect url %v", *r.ID, u)
		}
	}
	m.WarningURL = "javascript:alert(1)"
	if err := DNR.Write(t.Context(), &bytes.Buffer{}, fixture(), m); err == nil {
		t.Errorf("javascript: WarningURL accepted")
	}
}

func TestDNRGrouping(t *testing.T) {
	var items []Indicator
	for i := range 2500 {
		items = append(items, Indicator{Kind: Domain, Value: "d" + strconv.Itoa(i) + ".example.com"})
		if i == 1500 {
			items = append(items, Indicator{Kind: URL, Value: "https://u.example.com/x"})
		}
	}
	domains, filters, rules := checkDNR(t, run(t, DNR, Slice{Items: items}, testMeta()))
	if len(domains) != 2500 || len(filters) != 1 || len(rules) != 4 {
		t.Fatalf("%d domains, %d filters, %d rules", len(domains), len(filters), len(rules))
	}
	for i, r := range rules {
		if *r.ID != i+1 {
			t.Errorf("rule %d has id %d", i, *r.ID)
		}
		if n := len(r.Condition.RequestDomains); n > DNRDomainsPerRule {
			t.Errorf("rule %d: %d domains", i, n)
		}
	}
}

// A URL too long for a regexFilter Chrome compiles falls back to a
// urlFilter; a pattern that long, which has no urlFilter form, is left out.
func TestDNRLongURLs(t *testing.T) {
	long := "long.example.net/" + strings.Repeat("p", 80)
	if dnrRegexFits(urlRegex(long)) || dnrRegexFits(patternRegex(long, []string{"phone"})) {
		t.Fatal("the long URL fits: make it longer")
	}
	src := Slice{Items: []Indicator{
		{Kind: URL, Value: "https://" + long},
		{Kind: URL, Value: long + "?phone="},
		{Kind: URL, Value: "https://short.example.net/p"},
	}}
	_, filters, rules := checkDNR(t, run(t, DNR, src, testMeta()))
	if len(rules) != 2 || rules[0].Condition.URLFilter == nil || rules[1].Condition.RegexFilter == nil {
		t.Fatalf("rules %q: want the long URL as urlFilter, the pattern left out, the short URL as regexFilter", filters)
	}
	if got := *rules[0].Condition.URLFilter; got != "||"+long+"^" {
		t.Errorf("urlFilter %q", got)
	}
}

// Past the rule limit, URL rules are left out and the output stays valid.
// Past the regex limit, plain URLs fall back to urlFilter and patterns,
// which have no urlFilter form, are left out.
func TestDNRLimit(t *testing.T) {
	var items []Indicator
	items = append(items, Indicator{Kind: Domain, Value: "first.example.com"})
	for i := range DNRMaxRules + 10 {
		items = append(items, Indicator{Kind: URL, Value: "https://u.example.com/" + strconv.Itoa(i)})
		if i == DNRMaxRegexRules+5 {
			items = append(items, Indicator{Kind: URL, Value: "trusted.example.org/late?phone="})
		}
	}
	domains, filters, rules := checkDNR(t, run(t, DNR, Slice{Items: items}, testMeta()))
	if len(rules) != DNRMaxRules || len(domains) != 1 || len(filters) != DNRMaxRules-1 {
		t.Errorf("%d rules, %d domains, %d filters", len(rules), len(domains), len(filters))
	}
	regexes := 0
	for _, r := range rules {
		if r.Condition.RegexFilter != nil {
			regexes++
		}
		if f := r.Condition.URLFilter; f != nil && strings.Contains(*f, "late") {
			t.Errorf("pattern written as urlFilter %q", *f)
		}
	}
	if regexes != DNRMaxRegexRules {
		t.Errorf("%d regexFilter rules, want %d", regexes, DNRMaxRegexRules)
	}
}
