package analyze

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// BenchmarkPrefilter times the fast path's scan alone over the corpus's
// benign pages (the cost every page pays before the full analysis).
func BenchmarkPrefilter(b *testing.B) {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("no corpus")
	}
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		b.Fatal(err)
	}
	var caps []*capture.Capture
	var size int64
	for _, en := range entries {
		if !en.IsPage() || en.Label != "benign" {
			continue
		}
		base, root := corpus.Resolve(dir, en)
		c, err := capture.FromFile(context.Background(), filepath.Join(dir, en.File), capture.Options{Policy: capture.DefaultPolicy(), BaseDir: base, Root: root, Alias: corpus.Alias(dir, en)})
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
