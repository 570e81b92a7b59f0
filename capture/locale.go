package capture

import (
	"fmt"
	"slices"
	"strings"
)

// Locale is the visitor a page is shown to: their language, and the time
// zone of its country. The emulator and the sandbox's browser present the
// same one: a kit aimed at one country checks navigator.language, Intl's
// time zone or the clock's offset before its payload, and a mismatch
// between the last two is a classic check for a headless browser.
type Locale struct {
	Language string // a BCP 47 tag: "ja", "de-DE", "en-US"
	TimeZone string // an IANA name: "Asia/Tokyo"
	// Offset is the zone's standard offset as Date.getTimezoneOffset
	// gives it: minutes behind UTC (Tokyo -540, New York 300).
	Offset int
}

// zones are the time zones of the languages spoken mostly in one country;
// the others (en, es, pt, zh, ar…) get New York, the US being where most
// tech support scam calls go.
var zones = map[string]struct {
	name   string
	offset int
}{
	"ja": {"Asia/Tokyo", -540}, "ko": {"Asia/Seoul", -540},
	"de": {"Europe/Berlin", -60}, "fr": {"Europe/Paris", -60}, "it": {"Europe/Rome", -60}, "nl": {"Europe/Amsterdam", -60},
	"pl": {"Europe/Warsaw", -60}, "sv": {"Europe/Stockholm", -60}, "da": {"Europe/Copenhagen", -60}, "nb": {"Europe/Oslo", -60},
	"no": {"Europe/Oslo", -60}, "cs": {"Europe/Prague", -60}, "hu": {"Europe/Budapest", -60},
	"fi": {"Europe/Helsinki", -120}, "el": {"Europe/Athens", -120}, "ro": {"Europe/Bucharest", -120}, "he": {"Asia/Jerusalem", -120},
	"ru": {"Europe/Moscow", -180}, "tr": {"Europe/Istanbul", -180},
	"hi": {"Asia/Kolkata", -330},
	"vi": {"Asia/Ho_Chi_Minh", -420}, "id": {"Asia/Jakarta", -420}, "th": {"Asia/Bangkok", -420},
}

// LocaleFor is the visitor who speaks lang (a page's declared language, or
// what an analyst asked for); a value that is no language tag, or none,
// gives en-US in New York.
func LocaleFor(lang string) Locale {
	lang, ok := LanguageTag(lang)
	if !ok {
		lang = "en-US"
	}
	base := strings.ToLower(lang)
	if i := strings.IndexByte(base, '-'); i >= 0 {
		base = base[:i]
	}
	z, ok := zones[base]
	if !ok {
		z.name, z.offset = "America/New_York", 300
	}
	return Locale{Language: lang, TimeZone: z.name, Offset: z.offset}
}

// LanguageTag is s as a BCP 47 tag ("de_DE" is "de-DE"), and whether it
// looks like one: letters first, then letters, digits and hyphens, 2 to
// 16 characters.
func LanguageTag(s string) (string, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "_", "-"))
	if len(s) < 2 || len(s) > 16 {
		return s, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !(letter || i >= 2 && (c == '-' || c >= '0' && c <= '9')) {
			return s, false
		}
	}
	return s, true
}

// FirstLanguage is the language a browser's Accept-Language header puts
// first ("ja" of "ja,en-US;q=0.9"), as a tag; "" when there is none or it
// is no tag ("*").
func FirstLanguage(acceptLanguage string) string {
	first, _, _ := strings.Cut(acceptLanguage, ",")
	first, _, _ = strings.Cut(first, ";")
	if tag, ok := LanguageTag(first); ok {
		return tag
	}
	return ""
}

// AcceptLanguage is the Accept-Language of a visitor who speaks lang: it
// first, then its base language, then English ("ja,en-US;q=0.9,en;q=0.8").
func AcceptLanguage(lang string) string {
	lang = LocaleFor(lang).Language
	base, _, _ := strings.Cut(lang, "-")
	var tags []string
	for _, t := range []string{lang, base, "en-US", "en"} {
		if !slices.ContainsFunc(tags, func(s string) bool { return strings.EqualFold(s, t) }) {
			tags = append(tags, t)
		}
	}
	out := tags[0]
	for i, t := range tags[1:] {
		out += fmt.Sprintf(",%s;q=0.%d", t, 9-i)
	}
	return out
}
