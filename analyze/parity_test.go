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
// every rule it finds in English, and a verdict as high. testdata/parity
// holds six alerts (the device is blocked; it is infected and its data
// stolen; a fake scan with a stop screen; a refund call; an iPhone
// "hacked"; a firewall warning), each written in 11 to 21 languages as
// people write them, inflections, compounds and separable verbs included.
// A kit translated into another language loses nothing to the reading:
// the rules' words are the claims', not English words.
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

// TestNationalHotlines: the blocked alert of each language, with a number
// written as people of that country write it (no country code), names it
// as the hotline in that country: the page's language tells where its
// numbers are read.
func TestNationalHotlines(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true})
	for lang, n := range map[string]struct{ local, e164 string }{
		"de": {"0800 7243719", "+498007243719"}, "fr": {"09 70 01 23 45", "+33970012345"},
		"es": {"900 123 456", "+34900123456"}, "it": {"800 123 456", "+39800123456"},
		"pt": {"800 123 456", "+351800123456"}, "nl": {"0800 0226471", "+318000226471"},
		"pl": {"800 123 456", "+48800123456"}, "tr": {"0850 123 45 67", "+908501234567"},
		"ru": {"8 800 555-35-35", "+78005553535"}, "ja": {"0120-123-456", "+81120123456"},
		"sv": {"020-12 34 56", "+4620123456"}, "cs": {"800 123 456", "+420800123456"},
		"ro": {"0800 123 456", "+40800123456"}, "uk": {"0 800 123 456", "+380800123456"},
		"ko": {"080-123-4567", "+82801234567"}, "id": {"021 5555 0142", "+622155550142"},
		"vi": {"028 3822 1234", "+842838221234"}, "hi": {"1800 123 4567", "+9118001234567"},
		"zh": {"400 800 1234", "+864008001234"},
	} {
		b, err := os.ReadFile(filepath.Join("testdata/parity", "blocked."+lang+".html"))
		if err != nil {
			t.Fatal(err)
		}
		page := strings.Replace(string(b), "+1 (844) 555-0142", n.local, 1)
		r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
		if len(r.Hotlines) == 0 || r.Hotlines[0].E164 != n.e164 {
			var got []string
			for _, h := range r.Hotlines {
				got = append(got, h.E164)
			}
			t.Errorf("%s: hotlines %v, want %s", lang, got, n.e164)
		}
	}
}
