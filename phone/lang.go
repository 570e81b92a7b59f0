package phone

import "strings"

// langRegions: where a language's pages are mostly read, most likely first.
var langRegions = map[string][]string{
	"en": {"US", "GB", "CA", "AU", "IE", "NZ", "IN"},
	"fr": {"FR", "CA", "BE"},
	"de": {"DE", "AT", "CH"},
	"it": {"IT", "CH"},
	"es": {"ES", "MX", "AR", "CO"},
	"pt": {"BR", "PT"},
	"nl": {"NL", "BE"},
	"ja": {"JP"},
	"ko": {"KR"},
	"zh": {"CN", "TW", "HK"},
	"pl": {"PL"},
	"sv": {"SE"},
	"da": {"DK"},
	"no": {"NO"}, "nb": {"NO"}, "nn": {"NO"},
	"fi": {"FI"},
	"ru": {"RU"},
	"tr": {"TR"},
	"cs": {"CZ"},
	"el": {"GR"},
	"he": {"IL"}, "iw": {"IL"},
	"hi": {"IN"},
	"id": {"ID"},
	"th": {"TH"},
	"vi": {"VN"},
}

// RegionsForLang maps an HTML lang value ("ja", "de-AT", "fr", "en_GB",
// "zh-Hant-TW") to region hints for Options.Regions, most likely first and
// always ending with US, the home of most scam hotlines: ja → [JP US],
// fr → [FR CA BE US], de-AT → [AT DE CH US]. Unknown values give [US].
func RegionsForLang(lang string) []string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if len(lang) > 35 { // BCP 47 tags are short; this is not one
		return []string{"US"}
	}
	parts := strings.FieldsFunc(lang, func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) == 0 {
		return []string{"US"}
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
			if _, ok := meta().regions[strings.ToUpper(p)]; ok {
				add(p)
			}
			break
		}
	}
	for _, r := range langRegions[parts[0]] {
		add(r)
	}
	add("US")
	return out
}
