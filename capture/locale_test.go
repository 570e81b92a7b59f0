package capture

import "testing"

func TestLocaleFor(t *testing.T) {
	for in, want := range map[string]Locale{
		"ja":                  {"ja", "Asia/Tokyo", -540},
		"de_DE":               {"de-DE", "Europe/Berlin", -60},
		" pt-BR ":             {"pt-BR", "America/New_York", 300},
		"":                    {"en-US", "America/New_York", 300},
		"hi-IN":               {"hi-IN", "Asia/Kolkata", -330},
		`"><b>`:               {"en-US", "America/New_York", 300},
		"a-very-long-tag-xyz": {"en-US", "America/New_York", 300},
	} {
		if got := LocaleFor(in); got != want {
			t.Errorf("LocaleFor(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"":      "en-US,en;q=0.9",
		"en-US": "en-US,en;q=0.9",
		"ja":    "ja,en-US;q=0.9,en;q=0.8",
		"de-DE": "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
		"\r\nX": "en-US,en;q=0.9",
	} {
		if got := AcceptLanguage(in); got != want {
			t.Errorf("AcceptLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}
