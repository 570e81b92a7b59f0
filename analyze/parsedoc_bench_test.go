package analyze

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// BenchmarkParseDoc runs parseDoc (the tokenizer and the HTML facts) over
// the raw bytes of the corpus's benign pages.
func BenchmarkParseDoc(b *testing.B) {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("no corpus")
	}
	var bodies [][]byte
	var size int64
	for _, p := range corpusPages(b, dir) {
		if !strings.HasPrefix(p.Entry.File, "benign/") {
			continue
		}
		body, err := os.ReadFile(filepath.Clean(p.Path))
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
		size += int64(len(body))
	}
	if len(bodies) == 0 {
		b.Skip("no benign pages")
	}
	b.SetBytes(size)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		for _, body := range bodies {
			parseDoc("page", body)
		}
	}
}
