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

func TestFirstLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"ja,en-US;q=0.9,en;q=0.8": "ja",
		"pt_BR;q=1.0, pt":         "pt-BR",
		"  de-DE ":                "de-DE",
		"*":                       "",
		"":                        "",
		"ja\r\nX-Evil: 1":         "",
	} {
		if got := FirstLanguage(in); got != want {
			t.Errorf("FirstLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProfileOf(t *testing.T) {
	for name, ua := range UserAgents {
		if got := ProfileOf(ua); got != name {
			t.Errorf("ProfileOf(the %s profile's user agent) = %q", name, got)
		}
	}
	for ua, want := range map[string]string{
		"Mozilla/5.0 (iPod touch; CPU iPhone OS 15_0 like Mac OS X)":             "iphone",
		"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0": "",
		"curl/8.5.0": "",
		"":           "",
	} {
		if got := ProfileOf(ua); got != want {
			t.Errorf("ProfileOf(%q) = %q, want %q", ua, got, want)
		}
	}
}
