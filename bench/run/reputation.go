package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tssguard/tssguard/reputation/reputationtest"
	"github.com/tssguard/tssguard/urlx"
)

const figCheckURL = "CheckURL p50 vs canonicalise + map lookup"

// runCheckURL takes bench/reputation's figure lines when it prints them;
// until then it runs the program as it is, reads the CheckURL p50 it
// prints, and measures the reference here: canonicalising the same URLs
// and looking the canonical string up in a plain Go map of the same size.
func runCheckURL(ctx context.Context, e *env) ([]Row, error) {
	rows, _, err := e.runProgram(ctx, "reputation", nil)
	if err == nil || !errors.Is(err, errNoProtocol) {
		return rows, err
	}
	urls, lookups := 1_000_000, 100_000
	if e.quick {
		urls, lookups = 200_000, 20_000
	}
	bin, err := e.buildProgram(ctx, "reputation")
	if err != nil {
		return nil, err
	}
	e.logf("checkurl: bench/reputation -urls %d (no figure lines yet: measuring the map here)", urls)
	t, err := runCmd(ctx, e.root, nil, nil, bin, "-urls", strconv.Itoa(urls), "-lookups", strconv.Itoa(lookups))
	if err != nil {
		return nil, err
	}
	p50, err := parseCheckURLp50(string(t.stdout))
	if err != nil {
		return nil, err
	}
	ref, err := mapLookupP50(ctx, urls, lookups)
	if err != nil {
		return nil, err
	}
	r := measured("checkurl", figCheckURL, micros(p50), micros(ref), "µs", &Target{On: "ratio", Op: "<=", Value: 2})
	r.Note = fmt.Sprintf("%d listed URLs, %d lookups each timed; CheckURL from bench/reputation's output, the map here", urls, lookups)
	return []Row{r}, nil
}

// sink receives lookup results so that the compiler keeps the lookups.
var sink bool

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// parseCheckURLp50 reads "CheckURL over N lookups (...): mean … p50 1.758µs …".
func parseCheckURLp50(out string) (time.Duration, error) {
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "CheckURL over") {
			continue
		}
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			if f[i] == "p50" {
				return time.ParseDuration(f[i+1])
			}
		}
	}
	return 0, fmt.Errorf("no CheckURL p50 in bench/reputation's output: %s", oneLine(out))
}

// mapLookupP50 is the reference for CheckURL: the same synthetic URLs and
// lookups as bench/reputation (same generator and seeds), each lookup
// canonicalised and looked up in a map[string]struct{} of the canonical
// listed URLs, timed one by one as bench/reputation times CheckURL; the
// median of the last of three passes.
func mapLookupP50(ctx context.Context, n, lookups int) (time.Duration, error) {
	listed := reputationtest.URLs(n, 1)
	asked := reputationtest.Lookups(listed, lookups, 2)
	set := make(map[string]struct{}, len(listed))
	for _, u := range listed {
		if c, err := urlx.Canonicalize(u); err == nil {
			set[c] = struct{}{}
		}
	}
	runtime.GC()
	lat := make([]time.Duration, 0, len(asked))
	for range 3 {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		lat = lat[:0]
		for _, u := range asked {
			t := time.Now()
			c, _ := urlx.Canonicalize(u)
			_, found := set[c]
			lat = append(lat, time.Since(t))
			sink = sink != found // keeps the lookup from being optimised away
		}
	}
	if len(lat) == 0 {
		return 0, errors.New("no lookups")
	}
	slices.Sort(lat)
	runtime.KeepAlive(set)
	return lat[len(lat)/2], nil
}
