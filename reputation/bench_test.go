package reputation

import (
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/reputation/reputationtest"
	"github.com/tssguard/tssguard/urlx"
)

var bench struct {
	once    sync.Once
	ix      *Index
	lookups []string
}

// benchIndex lists 1,000,000 synthetic URLs and 20,000 domains, allowlists
// 1,000 domains, and makes 100,000 lookups: a third listed URLs, a third on
// listed hosts, a third elsewhere.
func benchIndex(b *testing.B) (*Index, []string) {
	bench.once.Do(func() {
		listed := reputationtest.URLs(1_000_000, 1)
		ix := New()
		exp := time.Now().Add(DefaultTTL(URL))
		for _, u := range listed {
			if err := ix.Add(Entry{Kind: URL, Value: u, Verdict: Scam, Source: "feed:bench", Expires: exp}); err != nil {
				b.Fatal(err)
			}
		}
		for _, d := range reputationtest.Domains(20_000, 3) {
			_ = ix.Add(Entry{Kind: Domain, Value: d, Verdict: Scam, Source: "report", Expires: exp})
		}
		for _, d := range reputationtest.Domains(1_000, 4) {
			ix.Allow(d)
		}
		bench.ix, bench.lookups = ix, reputationtest.Lookups(listed, 100_000, 2)
	})
	return bench.ix, bench.lookups
}

// BenchmarkCheckURL measures one CheckURL, canonicalisation included,
// against 1,000,000 listed URLs. The percentiles are in
// bench/reputation.
func BenchmarkCheckURL(b *testing.B) {
	ix, lookups := benchIndex(b)
	now := time.Now()
	hits := 0
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, ok, _ := ix.CheckURL(lookups[i%len(lookups)], now); ok {
			hits++
		}
		i++
	}
	b.ReportMetric(float64(hits)/float64(i), "hit-ratio")
}

// BenchmarkCheckURLParallel is BenchmarkCheckURL from all cores at once.
func BenchmarkCheckURLParallel(b *testing.B) {
	ix, lookups := benchIndex(b)
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			ix.CheckURL(lookups[i%len(lookups)], now)
			i++
		}
	})
}

func BenchmarkCheckDomain(b *testing.B) {
	ix := New()
	_ = ix.Add(Entry{Kind: Domain, Value: "support-alert.com", Verdict: Scam})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		ix.CheckDomain("www.support-alert.com", now)
	}
}

func BenchmarkCheckNumber(b *testing.B) {
	ix := New()
	_ = ix.Add(Entry{Kind: Number, Value: "+18005551234", Verdict: Scam})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		ix.CheckNumber("+18005551234", now)
	}
}

// BenchmarkCheckURLVsMap runs CheckURL and the plainest exact-match
// lookup side by side over the same lookups against the same 1,000,000
// listed URLs: canonicalise the URL and look the canonical string up in a
// map[string] of the listed URLs' canonical strings. It interleaves the two
// in chunks so that both see the same machine load, and reports ns/op of
// each and their ratio (CheckURL / map; the target is ≤ 2). "map-only"
// is the map lookup of a precomputed canonical string, canonicalisation
// excluded.
func BenchmarkCheckURLVsMap(b *testing.B) {
	ix, lookups := benchIndex(b)
	listed := make(map[string]struct{}, 1_000_000)
	for _, u := range reputationtest.URLs(1_000_000, 1) {
		if c, err := urlx.Canonicalize(u); err == nil {
			listed[c] = struct{}{}
		}
	}
	canon := make([]string, len(lookups))
	for i, u := range lookups {
		canon[i], _ = urlx.Canonicalize(u)
	}
	now := time.Now()
	const chunk = 1000
	var tMap, tOnly, tCheck time.Duration
	var nMap, nCheck, hits int
	b.ResetTimer()
	i := 0
	for b.Loop() {
		lo := (i * chunk) % len(lookups)
		hi := min(lo+chunk, len(lookups))
		t := time.Now()
		for _, u := range lookups[lo:hi] {
			c, _ := urlx.Canonicalize(u)
			if _, ok := listed[c]; ok {
				hits++
			}
		}
		t1 := time.Now()
		for _, c := range canon[lo:hi] {
			if _, ok := listed[c]; ok {
				hits++
			}
		}
		t2 := time.Now()
		for _, u := range lookups[lo:hi] {
			if _, ok, _ := ix.CheckURL(u, now); ok {
				hits++
			}
		}
		t3 := time.Now()
		tMap += t1.Sub(t)
		tOnly += t2.Sub(t1)
		tCheck += t3.Sub(t2)
		nMap += hi - lo
		nCheck += hi - lo
		i++
	}
	b.ReportMetric(float64(tMap.Nanoseconds())/float64(nMap), "map-ns/op")
	b.ReportMetric(float64(tOnly.Nanoseconds())/float64(nMap), "map-only-ns/op")
	b.ReportMetric(float64(tCheck.Nanoseconds())/float64(nCheck), "checkurl-ns/op")
	b.ReportMetric(float64(tCheck)/float64(tMap), "ratio")
	b.ReportMetric(float64(tCheck)/float64(tOnly), "ratio-map-only")
}
