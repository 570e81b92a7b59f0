package export

import (
	"bytes"
	"context"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// writeDNRLimits runs WriteDNR with limits.
func writeDNRLimits(t *testing.T, src Source, lim DNRLimits) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteDNR(context.Background(), &b, src, testMeta(), lim); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// recencyItems is a store's worth of listings, each seen at its own
// time: i minutes after day0(-30) for the i-th, in an order that is not
// the order of time.
func recencyItems(domains, urls, patterns int) []Indicator {
	live := day0(30)
	var items []Indicator
	at := func(i int) time.Time { return day0(-30).Add(time.Duration(i) * time.Minute) }
	n := 0
	for i := range domains {
		items = append(items, Indicator{Kind: Domain, Value: "d" + strconv.Itoa(i) + ".example.com", LastSeen: at(n), Expires: live})
		n++
	}
	for i := range urls {
		items = append(items, Indicator{Kind: URL, Value: "https://u.example.net/" + strconv.Itoa(i), LastSeen: at(n), Expires: live})
		n++
	}
	for i := range patterns {
		items = append(items, Indicator{Kind: URL, Value: "p" + strconv.Itoa(i) + ".example.org/go?phone=", LastSeen: at(n), Expires: live})
		n++
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
	return items
}

// lastSeenOf maps each rule's values back to their indicator's time.
func lastSeenOf(items []Indicator) map[string]time.Time {
	m := map[string]time.Time{}
	for _, it := range items {
		v := it.Value
		if it.Kind == Domain {
			v, _ = NormalizeDomain(v)
		} else {
			v, _ = NormalizeURL(v)
		}
		m[v] = it.LastSeen
	}
	return m
}

// With more listings than the limit allows, the newest are kept, newest
// first, and only the newest URLs get regexFilter rules.
func TestDNRNewestKept(t *testing.T) {
	items := recencyItems(2500, 300, 20)
	// Times: domains 0..2499, URLs 2500..2799, patterns 2800..2819 (minutes).
	out := writeDNRLimits(t, Slice{Items: items}, DNRLimits{Rules: 200, RegexRules: 50})
	domains, _, rules := checkDNR(t, out)
	if len(rules) != 200 {
		t.Fatalf("%d rules, want the limit, 200", len(rules))
	}
	// Newest first: 20 patterns + 50-20=30 URLs as regexFilter, then 150
	// more URLs as urlFilter, which fills the 200: no domain is newer.
	if len(domains) != 0 {
		t.Errorf("%d domains kept; every URL is newer than every domain", len(domains))
	}
	regex, filter := 0, 0
	for i, r := range rules {
		c := r.Condition
		switch {
		case c.RegexFilter != nil:
			regex++
			if filter > 0 {
				t.Errorf("rule %d: a regexFilter after a urlFilter: the regex slots go to the newest", i)
			}
		case c.URLFilter != nil:
			filter++
			want := "||u.example.net/" + strconv.Itoa(2799-2500-30-(filter-1)) + "^"
			if *c.URLFilter != want {
				t.Errorf("rule %d: urlFilter %q, want %q (the next newest)", i, *c.URLFilter, want)
			}
		}
		if *r.ID != i+1 {
			t.Errorf("rule %d has id %d", i, *r.ID)
		}
	}
	if regex != 50 || filter != 150 {
		t.Errorf("%d regexFilter, %d urlFilter rules; want 50 and 150", regex, filter)
	}
	if !strings.Contains(out, `p19\\.example\\.org`) || !strings.Contains(out, `p0\\.example\\.org`) {
		t.Errorf("the newest patterns are missing")
	}

	// Room for every URL and pattern and 2 domain rules: the 2,000 newest
	// domains, in rules placed by their newest domain.
	out = writeDNRLimits(t, Slice{Items: items}, DNRLimits{Rules: 322, RegexRules: 1000})
	domains, _, rules = checkDNR(t, out)
	if len(rules) != 322 || len(domains) != 2000 {
		t.Fatalf("%d rules, %d domains; want 322 and 2000", len(rules), len(domains))
	}
	seen := lastSeenOf(items)
	oldestKept := seen[domains[len(domains)-1]]
	if want := day0(-30).Add(500 * time.Minute); !oldestKept.Equal(want) {
		t.Errorf("oldest domain kept was seen %v, want %v (the 2,000th newest)", oldestKept, want)
	}
	prev := time.Time{}
	for i, d := range domains {
		if i > 0 && seen[d].After(prev) {
			t.Fatalf("domain %s (%v) after an older one: not newest first", d, seen[d])
		}
		prev = seen[d]
	}
	if got := rules[len(rules)-1].Condition.RequestDomains; len(got) != 1000 || rules[len(rules)-3].Condition.RegexFilter == nil {
		t.Errorf("the domain rules are not last (after the newer URLs)")
	}

	// The regex cap: none at all.
	_, _, rules = checkDNR(t, writeDNRLimits(t, Slice{Items: items}, DNRLimits{Rules: 50, RegexRules: -1}))
	for _, r := range rules {
		if r.Condition.RegexFilter != nil {
			t.Fatalf("a regexFilter with RegexRules -1")
		}
	}
	// Patterns need a regexFilter: without one they are left out and the
	// newest plain URLs take the rules.
	if len(rules) != 50 || *rules[0].Condition.URLFilter != "||u.example.net/299^" {
		t.Errorf("%d rules, first %v", len(rules), rules[0].Condition.URLFilter)
	}
}

// The same listings in any order give the same bytes (the ETag follows),
// and a listing seen again keeps its most recent time.
func TestDNROrderFree(t *testing.T) {
	items := recencyItems(3000, 40, 5)
	lim := DNRLimits{Rules: 30, RegexRules: 10}
	want := writeDNRLimits(t, Slice{Items: items}, lim)
	for seed := range uint64(5) {
		shuffled := append([]Indicator(nil), items...)
		rand.New(rand.NewPCG(seed, 9)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if got := writeDNRLimits(t, Slice{Items: shuffled}, lim); got != want {
			t.Fatalf("seed %d: the output depends on the source's order", seed)
		}
	}

	// An old domain seen again now comes first.
	items = recencyItems(3000, 0, 0)
	again := Indicator{Kind: Domain, Value: "D7.example.com.", LastSeen: day0(0), Expires: day0(30)}
	stale := Indicator{Kind: Domain, Value: "d2999.example.com", LastSeen: day0(-40), Expires: day0(30)} // the newest, seen again long before
	domains, _, _ := checkDNR(t, writeDNRLimits(t, Slice{Items: append(append([]Indicator{stale}, items...), again)}, DNRLimits{Rules: 1}))
	if len(domains) != 1000 || domains[0] != "d7.example.com" {
		t.Errorf("domain seen again: first of %d is %q", len(domains), domains[0])
	}
	if domains[1] != "d2999.example.com" {
		t.Errorf("second domain %q: a sighting with an older time replaced the newest", domains[1])
	}
}

// The writer holds only what fits: with a limit of 3 rules it never holds
// more than 3,000 domains, however many the source has.
func TestDNRPickBounded(t *testing.T) {
	p := newDNRPick(3)
	most := 0
	for i := range 100000 {
		p.add(&dnrEntry{value: "d" + strconv.Itoa(i) + ".example", last: int64(i * 7919 % 100000)})
		most = max(most, len(p.heap), len(p.byValue))
	}
	if most > 3*DNRDomainsPerRule {
		t.Errorf("held %d entries for 3 rules", most)
	}
	kept := p.sorted()
	if len(kept) != 3000 || kept[0].last != 99999 || kept[len(kept)-1].last != 97000 {
		t.Errorf("kept %d, newest %d, oldest %d", len(kept), kept[0].last, kept[len(kept)-1].last)
	}
	if !sort.SliceIsSorted(kept, func(i, j int) bool { return kept[i].newer(kept[j]) }) {
		t.Error("not newest first")
	}
}
