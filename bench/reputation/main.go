// Command reputation measures the reputation index: the heap that
// 1,000,000 listed URLs take (with 20,000 listed and 1,000 allowlisted
// domains), and the latency distribution of CheckURL (canonicalisation
// included) over individually timed lookups: a third listed URLs, a third
// other paths on listed hosts, a third unlisted hosts. The last of -rounds
// passes is reported.
//
//	go run ./bench/reputation [-urls 1000000] [-lookups 100000] [-cpuprofile f]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/reputation/reputationtest"
)

func heapInuse() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func main() {
	nURLs := flag.Int("urls", 1_000_000, "listed URLs")
	nLookups := flag.Int("lookups", 100_000, "timed lookups")
	nDomains := flag.Int("domains", 20_000, "listed domains")
	nAllowed := flag.Int("allowed", 1_000, "allowlisted domains")
	rounds := flag.Int("rounds", 3, "passes over the lookups (the first warms up)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the lookups to this file")
	flag.Parse()

	listed := reputationtest.URLs(*nURLs, 1)
	lookups := reputationtest.Lookups(listed, *nLookups, 2)

	before := heapInuse()
	start := time.Now()
	ix := reputation.New()
	exp := time.Now().Add(reputation.DefaultTTL(reputation.URL))
	for _, u := range listed {
		if err := ix.Add(reputation.Entry{Kind: reputation.URL, Value: u, Verdict: reputation.Scam, Source: "feed:bench", Expires: exp}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	// The generator repeats some URLs: top up until the index holds nURLs
	// distinct expressions.
	for seed := uint64(10); ; seed++ {
		have, _, _ := ix.Len()
		if have >= *nURLs {
			break
		}
		for _, u := range reputationtest.URLs(*nURLs-have, seed) {
			_ = ix.Add(reputation.Entry{Kind: reputation.URL, Value: u, Verdict: reputation.Scam, Source: "feed:bench", Expires: exp})
		}
	}
	for _, d := range reputationtest.Domains(*nDomains, 3) {
		_ = ix.Add(reputation.Entry{Kind: reputation.Domain, Value: d, Verdict: reputation.Scam, Source: "report", Expires: exp})
	}
	for _, d := range reputationtest.Domains(*nAllowed, 4) {
		ix.Allow(d)
	}
	build := time.Since(start)
	after := heapInuse()
	urls, domains, _ := ix.Len()
	fmt.Printf("listed %d distinct URL expressions and %d domains, allowlisted %d, in %v\n",
		urls, domains, *nAllowed, build.Round(time.Millisecond))
	fmt.Printf("heap in use: %.1f MB before, %.1f MB after: index %.1f MB, %.1f bytes per listed URL\n",
		float64(before)/1e6, float64(after)/1e6, float64(after-before)/1e6, float64(after-before)/float64(urls))

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	now := time.Now()
	lat := make([]time.Duration, 0, len(lookups))
	hits := 0
	for r := range *rounds {
		lat = lat[:0]
		hits = 0
		for _, u := range lookups {
			t := time.Now()
			_, ok, _ := ix.CheckURL(u, now)
			lat = append(lat, time.Since(t))
			if ok {
				hits++
			}
		}
		_ = r
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("CheckURL over %d lookups (%.0f%% hits): mean %v p50 %v p90 %v p99 %v p99.9 %v max %v\n",
		len(lat), 100*float64(hits)/float64(len(lat)), sum/time.Duration(len(lat)),
		pct(0.50), pct(0.90), pct(0.99), pct(0.999), lat[len(lat)-1])
	runtime.KeepAlive(listed)
	runtime.KeepAlive(ix)
}
