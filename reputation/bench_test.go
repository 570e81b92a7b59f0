package reputation

import (
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/reputation/reputationtest"
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
