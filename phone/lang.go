package phone

import "strings"

// langRegions: where a language's pages are mostly read, most likely first.
// Luxembourg comes from "fr-LU", "de-LU" or a .lu domain only: its
// eight-digit numbers are easily mistaken for other figures.
var langRegions = map[string][]string{
	"en": {"US", "GB", "CA", "AU", "IE", "NZ", "IN", "ZA"},
	"fr": {"FR", "CA", "BE", "CH"},
	"de": {"DE", "AT", "CH"},
	"it": {"IT", "CH"},
	"es": {"ES", "MX", "AR", "CO"},
	"pt": {"BR", "PT"},
	"nl": {"NL", "BE"},
	"ja": {"JP"},
	"ko": {"KR"},
	"zh": {"CN", "TW", "HK", "SG"},
	"pl": {"PL"},
	"sv": {"SE", "FI"},
	"da": {"DK"},
	"no": {"NO"}, "nb": {"NO"}, "nn": {"NO"},
	"fi": {"FI"},
	"ru": {"RU", "UA"},
	"uk": {"UA"},
	"tr": {"TR"},
	"cs": {"CZ"},
	"sk": {"SK"},
	"ro": {"RO"},
	"hu": {"HU"},
	"el": {"GR"},
	"he": {"IL"}, "iw": {"IL"},
	"ar": {"SA", "AE", "EG"},
	"hi": {"IN"},
	"id": {"ID"},
	"ms": {"MY", "SG"},
	"tl": {"PH"}, "fil": {"PH"},
	"th": {"TH"},
	"vi": {"VN"},
}

// Chinese scripts: traditional characters are read in Taiwan and Hong
// Kong, simplified ones in mainland China and Singapore.
var zhScripts = map[string][]string{"hant": {"TW", "HK"}, "hans": {"CN", "SG"}}

// RegionsForLang maps an HTML lang value ("ja", "de-AT", "fr", "en_GB",
// "zh-Hant-TW") to region hints for Options.Regions, most likely first and
// always ending with US, the home of most scam hotlines: ja → [JP US],
// fr → [FR CA BE CH US], de-AT → [AT DE CH US]. Unknown values give
// [US].
func RegionsForLang(lang string) []string {
	out := LanguageRegions(lang)
	for _, r := range out {
		if r == "US" {
			return out
		}
	}
	return append(out, "US")
}

// LanguageRegions is RegionsForLang without the US fallback: the regions
// of a language tag alone, its region subtag first; nil for an unknown
// language.
func LanguageRegions(lang string) []string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if len(lang) > 35 { // BCP 47 tags are short; this is not one
		return nil
	}
	parts := strings.FieldsFunc(lang, func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return nil
	}
	var out []string
	add := func(r string) {
		r = strings.ToUpper(r)
		for _, x := range out {
			if x == r {
				return
			}
		}
		out = append(out, r)
	}
	// The region subtag is the first two-letter subtag after the language
	// (a script subtag has four letters, "419"-style regions are ignored).
	for _, p := range parts[1:] {
		if len(p) == 2 && p[0] >= 'a' && p[0] <= 'z' && p[1] >= 'a' && p[1] <= 'z' {
			if KnownRegion(p) {
				add(p)
			}
			break
		}
	}
	if parts[0] == "zh" && len(parts) > 1 {
		for _, r := range zhScripts[parts[1]] {
			add(r)
		}
	}
	for _, r := range langRegions[parts[0]] {
		add(r)
	}
	return out
}

// KnownRegion reports whether code ("FR", "gb") is a region libphonenumber
// has numbering metadata for.
func KnownRegion(code string) bool {
	_, ok := meta().regions[strings.ToUpper(code)]
	return ok
}
