package analyze

import (
	"path/filepath"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
)

// corpusPage is a page of a test collection: its manifest entry, its file
// and the capture options that read it with its kit's files, as eval does.
type corpusPage struct {
	Entry corpus.Entry
	Path  string
	Opts  capture.Options
}

// corpusPages lists the pages of the collections in dirs.
func corpusPages(tb testing.TB, dirs ...string) []corpusPage {
	var out []corpusPage
	for _, dir := range dirs {
		entries, err := corpus.ReadManifest(dir)
		if err != nil {
			tb.Fatal(err)
		}
		for _, en := range entries {
			if !en.IsPage() {
				continue
			}
			base, root := corpus.Resolve(dir, en)
			out = append(out, corpusPage{Entry: en, Path: filepath.Join(dir, en.File),
				Opts: capture.Options{Policy: capture.DefaultPolicy(), BaseDir: base, Root: root, Alias: corpus.Alias(dir, en)}})
		}
	}
	return out
}
