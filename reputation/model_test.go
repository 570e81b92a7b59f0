package reputation

import (
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/urlx"
)

// model is the plain reading of the index's semantics: expression strings
// in maps, every expression of a lookup tried in order.
type model struct {
	urls    map[string]modelEntry // exact expression → entry
	domains map[string]modelEntry
	allowed map[string]bool
}

type modelEntry struct {
	verdict Verdict
	source  string
	expires time.Time // at one-second resolution; zero: never
}

func (e modelEntry) live(now time.Time) bool {
	return e.expires.IsZero() || now.Unix() < e.expires.Unix()
}

func newModel() *model {
	return &model{urls: map[string]modelEntry{}, domains: map[string]modelEntry{}, allowed: map[string]bool{}}
}

func entryOf(e Entry) modelEntry {
	return modelEntry{verdict: e.Verdict, source: e.Source, expires: fromExpiry(toExpiry(e.Expires))}
}

func (m *model) add(e Entry) error {
	switch e.Kind {
	case URL:
		expr, host, err := expression(e.Value)
		if err != nil {
			return err
		}
		if m.allowed[domainKey(host)] {
			return ErrAllowlisted
		}
		m.urls[expr] = entryOf(e)
	case Domain:
		dom, err := domainOf(e.Value)
		if err != nil {
			return err
		}
		if m.allowed[dom] {
			return ErrAllowlisted
		}
		m.domains[dom] = entryOf(e)
	}
	return nil
}

func (m *model) remove(value string) {
	if expr, _, err := expression(value); err == nil {
		delete(m.urls, expr)
	}
}

func (m *model) allow(domain string) {
	dom, err := domainOf(domain)
	if err != nil {
		return
	}
	m.allowed[dom] = true
	delete(m.domains, dom)
	for expr := range m.urls {
		host, _ := urlx.Split(expr)
		if domainKey(host) == dom {
			delete(m.urls, expr)
		}
	}
}

func (m *model) sweep(now time.Time) {
	for k, e := range m.urls {
		if !e.live(now) {
			delete(m.urls, k)
		}
	}
	for k, e := range m.domains {
		if !e.live(now) {
			delete(m.domains, k)
		}
	}
}

// check is CheckURLAllowed: the most severe live match, the first in the
// order of the host suffixes, most specific first, and of the path
// variants, most specific first; the domain entry only when more severe.
func (m *model) check(raw string, now time.Time) (Match, bool, bool, error) {
	canon, err := urlx.Canonicalize(raw)
	if err != nil {
		return Match{}, false, false, err
	}
	host, pq := urlx.Split(canon)
	dom := domainKey(host)
	if m.allowed[dom] {
		return Match{}, false, true, nil
	}
	var best Match
	found := false
	// Every path variant is a prefix of pq: the most specific is the
	// longest.
	paths := urlx.PathVariants(nil, pq)
	slices.SortFunc(paths, func(a, b string) int { return len(b) - len(a) })
	for _, h := range urlx.HostSuffixes(nil, host) {
		for _, p := range paths {
			e, ok := m.urls[h+p]
			if ok && e.live(now) && (!found || e.verdict > best.Verdict) {
				best, found = Match{Kind: URL, Verdict: e.verdict, Matched: h + p, Source: e.source, Expires: e.expires}, true
			}
		}
	}
	if e, ok := m.domains[dom]; ok && e.live(now) && (!found || e.verdict > best.Verdict) {
		best, found = Match{Kind: Domain, Verdict: e.verdict, Matched: dom, Source: e.source, Expires: e.expires}, true
	}
	return best, found, false, nil
}

// hashes is HashesWithPrefix.
func (m *model) hashes(p uint32, now time.Time) [][32]byte {
	var out [][32]byte
	for expr, e := range m.urls {
		if h := sha256.Sum256([]byte(expr)); prefix(h) == p && e.verdict == Scam && e.live(now) {
			out = append(out, h)
		}
	}
	return out
}

func sortHashes(hs [][32]byte) [][32]byte {
	slices.SortFunc(hs, func(a, b [32]byte) int { return strings.Compare(string(a[:]), string(b[:])) })
	return hs
}

// TestAgainstModel runs random adds, removals, allowlistings and sweeps
// on the index and on the model, and compares every lookup: URLs listed,
// other paths and queries on listed hosts, host suffixes, unlisted hosts,
// entries expired or not, and hash prefixes (two expressions share one).
func TestAgainstModel(t *testing.T) {
	a, b := collidingExpressions(t)
	hosts := []string{
		"a.example", "www.a.example", "b.a.example", "deep.x.y.z.w.a.example",
		"scam.pages.dev", "other.pages.dev", "192.0.2.1",
		"c.example.co.uk", "www.c.example.co.uk", "d.example", "collide.example",
		// Registrable domains of six labels, under a shared suffix of five.
		"name.z13.web.core.windows.net", "www.name.z13.web.core.windows.net",
		"a.b.c.www.name.z13.web.core.windows.net", "other.z13.web.core.windows.net",
	}
	paths := []string{
		"/", "/p/", "/p/q/", "/p/q/r.html", "/p/q/r.html?x=1", "/p/q/r.html?y=2",
		"/s", "/s?x=1", "/p/q/r/s/t/u/", "/P/",
	}
	var exprs []string
	for _, h := range hosts {
		for _, p := range paths {
			exprs = append(exprs, h+p)
		}
	}
	exprs = append(exprs, a, b)
	domains := []string{
		"a.example", "scam.pages.dev", "example.co.uk", "c.example.co.uk", "d.example", "other.pages.dev",
		"name.z13.web.core.windows.net", "other.z13.web.core.windows.net", "web.core.windows.net",
	}
	base := t0
	expiries := []time.Time{{}, base.Add(-time.Hour), base.Add(time.Hour), base.Add(2 * time.Hour)}
	times := []time.Time{base, base.Add(90 * time.Minute), base.Add(3 * time.Hour)}

	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 7))
		pick := func(s []string) string { return s[r.IntN(len(s))] }
		ix, m := New(), newModel()
		lookup := func() string {
			u := pick(exprs)
			switch r.IntN(6) {
			case 0:
				u += "#frag"
			case 1:
				u = strings.Replace(u, "/", "/extra/", 1)
			case 2:
				u = "WWW." + u
			case 3:
				u = "zz" + u // another host
			}
			if r.IntN(2) == 0 {
				return "https://" + u
			}
			return "http://" + u
		}
		for op := range 3000 {
			var e Entry
			switch k := r.IntN(100); {
			case k < 55:
				e = Entry{Kind: URL, Value: "http://" + pick(exprs), Verdict: Verdict(1 + r.IntN(2)), Source: pick([]string{"scan", "feed:a", "report"}), Expires: expiries[r.IntN(len(expiries))]}
			case k < 63:
				e = Entry{Kind: Domain, Value: pick(domains), Verdict: Verdict(1 + r.IntN(2)), Source: "report", Expires: expiries[r.IntN(len(expiries))]}
			case k < 80:
				v := pick(exprs)
				ix.Remove(URL, v)
				m.remove(v)
				continue
			case k < 82:
				d := pick(domains)
				ix.Allow(d)
				m.allow(d)
				continue
			case k < 85:
				d := pick(domains)
				ix.Disallow(d)
				if dom, err := domainOf(d); err == nil {
					delete(m.allowed, dom)
				}
				continue
			case k < 87:
				now := times[r.IntN(len(times))]
				ix.Sweep(now)
				m.sweep(now)
				continue
			default:
				for range 20 {
					u, now := lookup(), times[r.IntN(len(times))]
					got, ok, allowed, err := ix.CheckURLAllowed(u, now)
					want, wok, wallowed, werr := m.check(u, now)
					if got != want || ok != wok || allowed != wallowed || (err == nil) != (werr == nil) {
						t.Fatalf("seed %d op %d: CheckURLAllowed(%q, %v) = %+v %v %v %v, model %+v %v %v %v",
							seed, op, u, now.Sub(base), got, ok, allowed, err, want, wok, wallowed, werr)
					}
				}
				for range 5 {
					h := sha256.Sum256([]byte(pick(exprs)))
					now := times[r.IntN(len(times))]
					got := sortHashes(ix.HashesWithPrefix(nil, prefix(h), now))
					want := sortHashes(m.hashes(prefix(h), now))
					if !slices.Equal(got, want) {
						t.Fatalf("seed %d op %d: HashesWithPrefix(%08x) = %x, model %x", seed, op, prefix(h), got, want)
					}
				}
				continue
			}
			err, werr := ix.Add(e), m.add(e)
			if !errors.Is(err, werr) {
				t.Fatalf("seed %d op %d: Add(%+v) = %v, model %v", seed, op, e, err, werr)
			}
		}
		if u, d, _ := ix.Len(); u != len(m.urls) || d != len(m.domains) {
			t.Errorf("seed %d: Len = %d URLs %d domains, model %d %d", seed, u, d, len(m.urls), len(m.domains))
		}
	}
}

// TestHashesWithPrefixMany lists enough expressions that the prefix table
// grows several times and has long runs, removes some, and checks that
// every listed Scam hash is found by its prefix and nothing else is.
func TestHashesWithPrefixMany(t *testing.T) {
	ix := New()
	var listed [][32]byte
	for i := range 20000 {
		expr := "h" + string(rune('a'+i%26)) + ".example/" + strings.Repeat("x", 1+i%7) + "/" + strconv.Itoa(i)
		v := Scam
		if i%5 == 0 {
			v = Suspicious
		}
		mustAdd(t, ix, Entry{Kind: URL, Value: expr, Verdict: v})
		if i%3 == 0 {
			ix.Remove(URL, expr)
		} else if v == Scam {
			listed = append(listed, sha256.Sum256([]byte(expr)))
		}
	}
	for _, h := range listed {
		got := ix.HashesWithPrefix(nil, prefix(h), t0)
		if !slices.Contains(got, h) {
			t.Fatalf("hash %x not found by its prefix", h)
		}
		for _, g := range got {
			if prefix(g) != prefix(h) {
				t.Fatalf("prefix %08x gave %x", prefix(h), g)
			}
		}
	}
	if got := ix.HashesWithPrefix(nil, 0x01234567, t0); len(got) != 0 {
		t.Errorf("unlisted prefix gave %x", got)
	}
}
