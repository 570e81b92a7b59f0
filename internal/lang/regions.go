package lang

import (
	"net/url"
	"sort"
	"strings"

	"github.com/tssguard/tssguard/phone"
)

// How a region was inferred (Hint.Source).
const (
	// FromLangAttr: the page declares its language: the lang or xml:lang
	// attribute, <meta http-equiv="content-language">, og:locale.
	FromLangAttr = "lang-attr"
	// FromTextLanguage: the language its text is written in (Detect).
	FromTextLanguage = "text-language"
	// FromTLD: the country-code top-level domain of the page's URL.
	FromTLD = "tld"
	// FromNearbyPrefix: other numbers on the page are written with that
	// region's country code ("+33 …").
	FromNearbyPrefix = "nearby-prefix"
	// FromBrandSite: the page links to a brand's site for that region
	// ("microsoft.com/fr-fr/…"), as copied kits keep doing.
	FromBrandSite = "brand-site"
	// FromDefault: nothing on the page said; the caller's default.
	FromDefault = "default"
)

// Hint is a region to read numbers written without a country code in.
type Hint struct {
	Region string `json:"region"` // ISO 3166 code, "FR"
	Source string `json:"source"` // the strongest clue for it: lang-attr, text-language, …
}

// Signals are the clues a page gives about where its readers are.
type Signals struct {
	Declared      []string // language tags the page declares, in document order
	Text          Guess    // the language of its text (Detect)
	URLs          []string // the page's URL and final URL
	NumberRegions []string // regions of numbers written with a country code, most frequent first
	LinkRegions   []string // regions of localised sites it links to, most frequent first
	Default       []string // regions when nothing says otherwise; US when empty
}

// MaxHints bounds the list Regions returns (phone reads at most 12).
const MaxHints = 12

// Regions orders the regions the signals point to, most likely first,
// each with its strongest clue, and ends with the defaults. Every clue
// adds a weight to its regions: a number written with a country code
// most, then a declared region ("fr-BE"), a regional site linked to, the
// URL's country domain, the text's language, a declared language; the
// regions of a language count less the further down its list they are.
// A region scores its strongest clue plus a tenth of the others.
func Regions(s Signals) []Hint {
	type acc struct {
		score, best float64
		source      string
		order       int
	}
	m := map[string]*acc{}
	add := func(region, source string, w float64) {
		region = strings.ToUpper(region)
		if w <= 0 || !phone.KnownRegion(region) {
			return
		}
		a := m[region]
		if a == nil {
			a = &acc{order: len(m)}
			m[region] = a
		}
		// The strongest clue counts, others a little: agreeing clues
		// add up, but many weak ones do not outweigh a strong one.
		a.score += 0.1 * w
		if w > a.best {
			a.score += 0.9*w - 0.9*a.best
			a.best, a.source = w, source
		}
	}
	// falling weights for the regions of one clue, most likely first
	list := func(regions []string, source string, top, step float64) {
		for k, r := range regions {
			add(r, source, max(top-step*float64(k), 1))
		}
	}
	list(s.NumberRegions, FromNearbyPrefix, 5, 0.5)
	seen := map[string]bool{}
	for _, tag := range s.Declared {
		tag = strings.ToLower(strings.TrimSpace(tag))
		if tag == "" || seen[tag] || len(seen) >= 4 {
			continue
		}
		seen[tag] = true
		top := 3.0
		if strings.ContainsAny(tag, "-_") {
			top = 4 // "fr-BE" names its region
		}
		if contradicts(tag, s.Text) {
			top = 2 // a translated kit keeps its lang="en"; its text tells the truth
		}
		list(phone.LanguageRegions(tag), FromLangAttr, top, 0.5)
	}
	list(s.LinkRegions, FromBrandSite, 3.5, 0.5)
	for _, u := range s.URLs {
		if r := TLDRegion(u); r != "" {
			add(r, FromTLD, 3)
			break
		}
	}
	if s.Text.Lang != "" {
		// At most as strong as a declared language: when both agree, the
		// declaration is named as the clue.
		list(phone.LanguageRegions(s.Text.Lang), FromTextLanguage, 1.5+1.5*s.Text.Confidence, 0.5)
	}
	def := s.Default
	if len(def) == 0 {
		def = []string{"US"}
	}
	list(def, FromDefault, 0.5, 0)
	out := make([]Hint, 0, len(m))
	for r := range m {
		out = append(out, Hint{Region: r})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := m[out[i].Region], m[out[j].Region]
		if a.score != b.score {
			return a.score > b.score
		}
		return a.order < b.order
	})
	for i := range out {
		out[i].Source = m[out[i].Region].source
	}
	if len(out) > MaxHints {
		// The defaults stay: they are the fallback for everything else.
		missing := 0
		for _, d := range def {
			found := false
			for _, h := range out[:MaxHints] {
				found = found || strings.EqualFold(h.Region, d)
			}
			if !found && m[strings.ToUpper(d)] != nil {
				missing++
			}
		}
		keep := out[:MaxHints-missing]
		for _, h := range out[MaxHints-missing:] {
			if contains(def, h.Region) {
				keep = append(keep, h)
			}
		}
		out = keep
	}
	return out
}

// contradicts reports whether the text is confidently in another language
// than the declared tag.
func contradicts(tag string, text Guess) bool {
	if text.Lang == "" || text.Confidence < 0.3 {
		return false
	}
	primary := func(t string) string {
		if i := strings.IndexAny(t, "-_"); i >= 0 {
			t = t[:i]
		}
		return strings.ToLower(t)
	}
	return primary(tag) != primary(text.Lang)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// genericTLDs: country-code domains sold to anyone, which say nothing
// about where a page's readers are.
var genericTLDs = map[string]bool{
	"io": true, "co": true, "me": true, "tv": true, "ws": true, "cc": true, "ai": true, "fm": true,
	"am": true, "ly": true, "gg": true, "to": true, "sh": true, "la": true, "nu": true, "tk": true,
	"ml": true, "ga": true, "cf": true, "gq": true, "su": true, "vc": true, "pw": true, "is": true,
	"st": true, "gl": true, "ac": true, "im": true, "re": true, "sx": true, "cx": true, "mn": true,
}

// TLDRegion returns the region of rawURL's country-code top-level domain
// ("https://support.example.fr/…" → FR, ".co.uk" → GB), or "" for
// generic and widely resold domains.
func TLDRegion(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" {
		return ""
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	dot := strings.LastIndexByte(host, '.')
	if dot < 0 {
		return ""
	}
	tld := host[dot+1:]
	if len(tld) != 2 || genericTLDs[tld] {
		return ""
	}
	if tld == "uk" {
		tld = "gb"
	}
	if !phone.KnownRegion(tld) {
		return ""
	}
	return strings.ToUpper(tld)
}

// LinkRegion returns the region of a localised site href points to: a path
// segment or query value of the form language-REGION ("/fr-fr/",
// "/en-gb/", "?mkt=de-at", "/pt_BR/") whose language and region are
// known; "" otherwise.
func LinkRegion(href string) string {
	if len(href) > 2048 {
		href = href[:2048]
	}
	// Walk the segments between '/', '?', '&', '=', '#' and '.'.
	for i := 0; i+5 <= len(href); {
		j := i
		for j < len(href) && !isSep(href[j]) {
			j++
		}
		if seg := href[i:j]; len(seg) == 5 && (seg[2] == '-' || seg[2] == '_') && letters2(seg[:2]) && letters2(seg[3:]) {
			if region := strings.ToUpper(seg[3:]); phone.LanguageRegions(seg[:2]) != nil && phone.KnownRegion(region) {
				return region
			}
		}
		i = j + 1
	}
	return ""
}

func isSep(c byte) bool {
	return c == '/' || c == '?' || c == '&' || c == '=' || c == '#' || c == '.'
}

func letters2(s string) bool {
	for i := 0; i < 2; i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
