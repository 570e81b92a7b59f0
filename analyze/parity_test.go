package analyze

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLanguageParity: the same alert in the pack's main languages finds
// every rule it finds in English, and a verdict as high (testdata/parity: the alert that says the
// device is blocked, and the one that says it is infected, each written
// in eleven languages as a person writes them, inflections and separable
// verbs included). A kit translated into another language loses nothing
// to the reading: the rules' words are the claims', not English words.
func TestLanguageParity(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true})
	files, err := filepath.Glob("testdata/parity/*.html")
	if err != nil || len(files) < 20 {
		t.Fatalf("parity pages: %d, %v", len(files), err)
	}
	rulesOf := func(path string) (Verdict, []string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: string(b)}))
		var ids []string
		for _, f := range r.Findings {
			ids = append(ids, f.Rule)
		}
		slices.Sort(ids)
		return r.Verdict, ids
	}
	for _, f := range files {
		set, lang, _ := strings.Cut(strings.TrimSuffix(filepath.Base(f), ".html"), ".")
		if lang == "en" {
			continue
		}
		enVerdict, want := rulesOf(filepath.Join("testdata/parity", set+".en.html"))
		verdict, got := rulesOf(f)
		var lost []string
		for _, id := range want {
			if !slices.Contains(got, id) {
				lost = append(lost, id)
			}
		}
		if rank(verdict) < rank(enVerdict) || len(lost) > 0 {
			t.Errorf("%s in %s: %s, without %v of the English page's rules (%s, %v)", set, lang, verdict, lost, enVerdict, want)
		}
	}
}

// rank orders verdicts: clean, suspicious, scam.
func rank(v Verdict) int { return slices.Index([]Verdict{Clean, Suspicious, Scam}, v) }
