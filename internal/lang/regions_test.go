package lang

import (
	"fmt"
	"testing"
)

func hints(hs []Hint) string {
	s := ""
	for _, h := range hs {
		s += fmt.Sprintf("%s:%s ", h.Region, h.Source)
	}
	return s
}

// first returns the first n hints as "REGION:source ..." for comparison.
func first(hs []Hint, n int) string { return hints(hs[:min(n, len(hs))]) }

func TestRegionsEachSignal(t *testing.T) {
	tests := []struct {
		name string
		s    Signals
		want string // the first hints
	}{
		{"nothing", Signals{}, "US:default "},
		{"option default", Signals{Default: []string{"GB"}}, "GB:default "},
		{"lang attr", Signals{Declared: []string{"fr"}}, "FR:lang-attr CA:lang-attr BE:lang-attr "},
		{"lang attr with region", Signals{Declared: []string{"fr-BE"}}, "BE:lang-attr FR:lang-attr "},
		{"content-language", Signals{Declared: []string{"de-AT"}}, "AT:lang-attr DE:lang-attr "},
		{"text language", Signals{Text: Guess{Lang: "ja", Confidence: 0.9}}, "JP:text-language US:default "},
		{"tld", Signals{URLs: []string{"https://support-alert.example.fr/x"}}, "FR:tld US:default "},
		{"tld co.uk", Signals{URLs: []string{"http://a.b.co.uk/"}}, "GB:tld US:default "},
		{"generic tld", Signals{URLs: []string{"https://x.example.io/"}}, "US:default "},
		{"nearby prefix", Signals{NumberRegions: []string{"PL"}}, "PL:nearby-prefix US:default "},
		{"brand site", Signals{LinkRegions: []string{"NL"}}, "NL:brand-site US:default "},
		// A kit translated into French keeps lang="en": its text wins over
		// the attribute, and a +33 number beats both.
		{"text over stale attr", Signals{Declared: []string{"en"}, Text: Guess{Lang: "fr", Confidence: 0.8}}, "FR:text-language "},
		{"prefix first", Signals{Declared: []string{"en"}, Text: Guess{Lang: "fr", Confidence: 0.8}, NumberRegions: []string{"BE"}}, "BE:nearby-prefix FR:text-language "},
		{"attribute and text agree", Signals{Declared: []string{"ja"}, Text: Guess{Lang: "ja", Confidence: 0.95}}, "JP:lang-attr US:default "},
		{"agreeing clues add up", Signals{Declared: []string{"de"}, URLs: []string{"https://x.example.ch/"}}, "CH:tld DE:lang-attr "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Regions(tt.s)
			n := 0
			for i := 0; i < len(tt.want); i++ {
				if tt.want[i] == ' ' {
					n++
				}
			}
			if first(got, n) != tt.want {
				t.Errorf("Regions = %s, want first %s", hints(got), tt.want)
			}
			if len(got) > MaxHints {
				t.Errorf("%d hints, more than %d", len(got), MaxHints)
			}
		})
	}
}

func TestRegionsKeepsDefault(t *testing.T) {
	s := Signals{Declared: []string{"en", "fr", "de", "es"}, NumberRegions: []string{"PL", "CZ"}, LinkRegions: []string{"JP"}}
	got := Regions(s)
	if len(got) != MaxHints {
		t.Fatalf("got %d hints: %s", len(got), hints(got))
	}
	found := false
	for _, h := range got {
		found = found || h.Region == "US"
	}
	if !found {
		t.Errorf("US, the default, was dropped: %s", hints(got))
	}
}

func TestRegionsIgnoresUnknown(t *testing.T) {
	got := Regions(Signals{Declared: []string{"xx-YY", "<script>"}, NumberRegions: []string{"ZZ", "001"}, LinkRegions: []string{""}})
	if hints(got) != "US:default " {
		t.Errorf("Regions = %s", hints(got))
	}
}

func TestTLDRegion(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.de/":      "DE",
		"https://www.example.co.uk/a":  "GB",
		"http://example.com.au:8080/":  "AU",
		"https://EXAMPLE.FR./":         "FR",
		"https://example.com/":         "",
		"https://example.tk/":          "",
		"https://example.co/":          "",
		"file:///tmp/x.fr":             "",
		"page.html":                    "",
		"https://[::1]/":               "",
		"https://192.168.0.1/":         "",
		"http://%zz":                   "",
		"https://support.example.eu/x": "",
	} {
		if got := TLDRegion(in); got != want {
			t.Errorf("TLDRegion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLinkRegion(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.microsoft.com/fr-fr/windows":   "FR",
		"https://support.microsoft.com/de-AT/help":  "AT",
		"https://www.apple.com/pt_BR/support/":      "BR",
		"https://www.bing.com/search?q=x&mkt=ja-jp": "JP",
		"/en-gb/account":                           "GB",
		"https://www.microsoft.com/en-us/":         "US",
		"https://example.com/ab-cd/":               "",
		"https://example.com/fr-xx/":               "",
		"https://example.com/assets/jquery-1.2.js": "",
		"https://example.com/ms-settings":          "",
		"https://example.com/":                     "",
		"":                                         "",
	} {
		if got := LinkRegion(in); got != want {
			t.Errorf("LinkRegion(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkRegions(b *testing.B) {
	s := Signals{Declared: []string{"fr"}, Text: Guess{Lang: "fr", Confidence: 0.7}, URLs: []string{"https://x.example.fr/"}, LinkRegions: []string{"FR"}}
	b.ReportAllocs()
	for b.Loop() {
		Regions(s)
	}
}
