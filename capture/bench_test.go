package capture_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
)

type corpusPage struct {
	path string
	opts capture.Options
	body []byte
}

func corpusPages(b *testing.B) ([]corpusPage, int64) {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("shared corpus not present")
	}
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		b.Fatal(err)
	}
	var pages []corpusPage
	var total int64
	for _, e := range entries {
		if !e.IsPage() {
			continue
		}
		p := filepath.Join(dir, e.File)
		body, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		base, root := corpus.Resolve(dir, e)
		pages = append(pages, corpusPage{path: p, body: body, opts: capture.Options{BaseDir: base, Root: root, Alias: corpus.Alias(dir, e)}})
		total += int64(len(body))
	}
	if len(pages) == 0 {
		b.Skip("no corpus pages")
	}
	return pages, total
}

// BenchmarkFromFile captures every corpus page with its local scripts and
// style sheets; MB/s counts page bytes.
func BenchmarkFromFile(b *testing.B) {
	pages, total := corpusPages(b)
	ctx := context.Background()
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if _, err := capture.FromFile(ctx, p.path, p.opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(pages)), "pages/op")
}

// BenchmarkReferences is the tokenizer pass alone over the corpus pages.
func BenchmarkReferences(b *testing.B) {
	pages, total := corpusPages(b)
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			capture.References(p.body)
		}
	}
}
