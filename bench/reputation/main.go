// Command reputation measures the reputation index: the heap that
// 1,000,000 listed URLs take (with 20,000 listed and 1,000 allowlisted
// domains), and the latency distribution of CheckURL (canonicalisation
// included) over individually timed lookups: a third listed URLs, a third
// other paths on listed hosts, a third unlisted hosts. The last of -rounds
// passes is reported.
//
// The reference, timed the same way in the same passes (alternating with
// CheckURL lookup by lookup, each going first every other lookup, as the
// first to read a URL pays its cache misses): the plainest exact-match
// lookup, which canonicalises the URL and looks the canonical string up in
// a map[string]struct{} of the listed URLs' canonical strings; and, apart,
// the bare map lookup of a precomputed canonical string.
//
//	go run ./bench/reputation [-quick] [-urls 1000000] [-lookups 100000] [-cpuprofile f]
//
// It ends with lines figure<TAB>tssguard<TAB>reference<TAB>ratio<TAB>unit.
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
	"github.com/tssguard/tssguard/urlx"
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
	quick := flag.Bool("quick", false, "a short run: 200,000 URLs, 50,000 lookups, 2 rounds")
	flag.Parse()
	if *quick {
		*nURLs, *nLookups, *rounds = 200_000, 50_000, 2
	}

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
	fmt.Printf("# listed %d distinct URL expressions and %d domains, allowlisted %d, in %v\n",
		urls, domains, *nAllowed, build.Round(time.Millisecond))
	fmt.Printf("# heap in use: %.1f MB before, %.1f MB after: index %.1f MB, %.1f bytes per listed URL\n",
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
	// The reference: a map of the listed URLs' canonical strings.
	canonMap := make(map[string]struct{}, len(listed))
	for _, u := range listed {
		if c, err := urlx.Canonicalize(u); err == nil {
			canonMap[c] = struct{}{}
		}
	}
	canon := make([]string, len(lookups))
	for i, u := range lookups {
		canon[i], _ = urlx.Canonicalize(u)
	}
	now := time.Now()
	lat := make([]time.Duration, 0, len(lookups))
	refLat := make([]time.Duration, 0, len(lookups))
	bareLat := make([]time.Duration, 0, len(lookups))
	hits, refHits := 0, 0
	for range *rounds {
		lat, refLat, bareLat = lat[:0], refLat[:0], bareLat[:0]
		hits, refHits = 0, 0
		for i, u := range lookups {
			// The first of the two to read the URL pays for bringing it
			// into the cache: they take turns going first.
			var ok, rok bool
			var dCheck, dRef time.Duration
			if i%2 == 0 {
				t := time.Now()
				_, ok, _ = ix.CheckURL(u, now)
				t1 := time.Now()
				c, _ := urlx.Canonicalize(u)
				_, rok = canonMap[c]
				dCheck, dRef = t1.Sub(t), time.Since(t1)
			} else {
				t := time.Now()
				c, _ := urlx.Canonicalize(u)
				_, rok = canonMap[c]
				t1 := time.Now()
				_, ok, _ = ix.CheckURL(u, now)
				dRef, dCheck = t1.Sub(t), time.Since(t1)
			}
			t2 := time.Now()
			_, bok := canonMap[canon[i]]
			t3 := time.Now()
			lat = append(lat, dCheck)
			refLat = append(refLat, dRef)
			bareLat = append(bareLat, t3.Sub(t2))
			if ok {
				hits++
			}
			if rok && bok {
				refHits++
			}
		}
	}
	p50, p99 := summary("CheckURL", lat, hits)
	r50, r99 := summary("reference: Canonicalize + map lookup", refLat, refHits)
	b50, b99 := summary("map lookup of the canonical string alone", bareLat, refHits)
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("# %d cores, load average %s", runtime.NumCPU(), load)
	fmt.Println("figure\ttssguard\treference\tratio\tunit")
	line := func(fig string, t, ref time.Duration) {
		fmt.Printf("%s\t%.0f\t%.0f\t%.2f\tns\n", fig, float64(t.Nanoseconds()), float64(ref.Nanoseconds()), float64(t)/float64(ref))
	}
	line("CheckURL p50 vs Canonicalize+map", p50, r50)
	line("CheckURL p99 vs Canonicalize+map", p99, r99)
	line("CheckURL p50 vs map lookup alone", p50, b50)
	line("CheckURL p99 vs map lookup alone", p99, b99)
	runtime.KeepAlive(listed)
	runtime.KeepAlive(ix)
}

// summary prints a latency distribution and returns its p50 and p99.
func summary(name string, lat []time.Duration, hits int) (p50, p99 time.Duration) {
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	lat = slices.Clone(lat)
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("# %s over %d lookups (%.0f%% hits): mean %v p50 %v p90 %v p99 %v p99.9 %v max %v\n",
		name, len(lat), 100*float64(hits)/float64(len(lat)), sum/time.Duration(len(lat)),
		pct(0.50), pct(0.90), pct(0.99), pct(0.999), lat[len(lat)-1])
	return pct(0.50), pct(0.99)
}
