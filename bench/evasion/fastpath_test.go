package main

import (
	"context"
	"sync"
	"testing"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// The fast path loses nothing on mutated pages either: every scam page of
// the fixtures and the corpus, under every mutation class, gets the same
// verdict with the fast path as without it. (Only pages the fast path takes
// need the second, full analysis: the others run one pipeline.)
func TestFastPathOnMutatedPages(t *testing.T) {
	if testing.Short() {
		t.Skip("every class over every scam page: slow")
	}
	fast, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	full, err := analyze.New(analyze.Options{NoFastPath: true})
	if err != nil {
		t.Fatal(err)
	}
	dirs := testdirs.All()
	var mu sync.Mutex
	analysed, taken := 0, 0
	compare := func(ctx context.Context, c *capture.Capture, e corpus.Entry) (Judged, error) {
		r := fast.Analyze(ctx, c)
		mu.Lock()
		analysed++
		if r.FastPath {
			taken++
		}
		mu.Unlock()
		if r.FastPath {
			if b := full.Analyze(ctx, c); b.Verdict != r.Verdict {
				t.Errorf("%s: fast path %s (%s), full pipeline %s (score %.1f)", e.File, r.Verdict, r.Reason, b.Verdict, b.Score)
			}
		}
		return Judged{Report: r}, nil
	}
	for _, dir := range dirs {
		if _, err := Run(context.Background(), dir, fast, Options{Seed: 1, Jobs: 2, Analyze: compare}); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d mutated or original scam pages analysed, %d took the fast path", analysed, taken)
}
