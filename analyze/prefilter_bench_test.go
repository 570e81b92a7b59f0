package analyze

import (
	"context"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// BenchmarkPrefilter times the fast path's scan alone over the corpus's
// benign pages (the cost every page pays before the full analysis).
func BenchmarkPrefilter(b *testing.B) {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("no corpus")
	}
	var caps []*capture.Capture
	var size int64
	for _, p := range corpusPages(b, dir) {
		if p.Entry.Label != "benign" {
			continue
		}
		c, err := capture.FromFile(context.Background(), p.Path, p.Opts)
		if err != nil {
			continue
		}
		for _, d := range c.Documents {
			size += int64(len(d.Body))
		}
		caps = append(caps, c)
	}
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range caps {
			e.pre.fastClean(c)
		}
	}
}
