// Package phone finds phone numbers in page text, attributes, call URIs and
// URL parameters, and normalises them to E.164 with their type.
//
// Candidates are found by a hand-written scanner (a regular expression over
// page text is several times slower), then validated with
// github.com/nyaruka/phonenumbers. The scanner is strict about what it
// offers: dates, times, IP addresses, versions, prices, counters and digits
// glued to letters are not candidates. Placeholders such as 1-800-000-0000
// are not valid numbers and are not returned.
//
// Find expects NFKC-normalised text when the page writes digits full-width
// (as Japanese pages do); the analyzer normalises before calling it.
package phone

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Type is the kind of line a number belongs to.
type Type string

const (
	TollFree          Type = "toll-free"
	PremiumRate       Type = "premium-rate"
	SharedCost        Type = "shared-cost"
	Mobile            Type = "mobile"
	FixedLine         Type = "fixed-line"
	FixedLineOrMobile Type = "fixed-line-or-mobile"
	VoIP              Type = "voip"
	Personal          Type = "personal"
	Pager             Type = "pager"
	UAN               Type = "uan"
	Voicemail         Type = "voicemail"
	Unknown           Type = "unknown"
)

var typeNames = map[phonenumbers.PhoneNumberType]Type{
	phonenumbers.TOLL_FREE:            TollFree,
	phonenumbers.PREMIUM_RATE:         PremiumRate,
	phonenumbers.SHARED_COST:          SharedCost,
	phonenumbers.MOBILE:               Mobile,
	phonenumbers.FIXED_LINE:           FixedLine,
	phonenumbers.FIXED_LINE_OR_MOBILE: FixedLineOrMobile,
	phonenumbers.VOIP:                 VoIP,
	phonenumbers.PERSONAL_NUMBER:      Personal,
	phonenumbers.PAGER:                Pager,
	phonenumbers.UAN:                  UAN,
	phonenumbers.VOICEMAIL:            Voicemail,
}

// Number is a valid phone number found in some input.
type Number struct {
	Raw    string // as written
	E164   string // "+18445550199"
	Region string // ISO 3166 region code, "US"
	Type   Type
	Offset int // byte offset of Raw in the input (Find only)
}

// Options tune Find, Parse and FromURL.
type Options struct {
	// Regions to try, in order, for numbers written without a country code
	// ("US" when empty).
	Regions []string
	// MaxCandidates bounds the work on hostile input (default 256): it is
	// the number of distinct candidates validated; Find returns at most
	// four times as many numbers (repeats of one number are cheap).
	MaxCandidates int
}

func (o Options) regions() []string {
	if len(o.Regions) == 0 {
		return []string{"US"}
	}
	return o.Regions
}

// ErrNotNumber is returned by Parse for input that is not a valid number.
var ErrNotNumber = errors.New("not a valid phone number")

// Find returns the valid phone numbers in text, in order.
func Find(text string, opts Options) []Number {
	limit := opts.MaxCandidates
	if limit <= 0 {
		limit = 256
	}
	var out []Number
	tries := 0
	// Pages repeat their hotline many times: validate each spelling once.
	type key struct{ cand, region string }
	seen := map[key]*Number{}
	for i := 0; i < len(text) && tries < limit && len(out) < 4*limit; {
		start, end, ok := nextRun(text, i)
		if start < 0 {
			break
		}
		if !ok {
			i = end
			continue
		}
		// A run may hold more than one number ("1-844-555-0142 1-888-…")
		// or a number and a figure after it ("… 0142 24 hours"): try the
		// whole run, then shorter prefixes that end at a digit group.
		next := end
		regions := opts.regions()
		ends := cuts(text, start, end)
		if len(ends) > 0 && nanpShape(text[start:ends[0]]) {
			regions = nanpRegions // 1-800-000-0000 is a NANP placeholder, not a German number
		}
	search:
		// Regions outer, cuts inner: a shorter number in the likeliest
		// region beats a longer one in another ("844 555 0142 24 hours").
		for _, region := range regions {
			for _, cut := range ends {
				cand := text[start:cut]
				if !plausible(cand) {
					continue
				}
				k := key{cand, region}
				r, done := seen[k]
				if !done {
					tries++
					if n, ok := validate(cand, []string{region}); ok {
						r = &n
					}
					seen[k] = r
				}
				if r != nil {
					n := *r
					n.Raw = cand
					n.Offset = start
					out = append(out, n)
					next = cut
					break search
				}
				if tries >= limit {
					break search
				}
			}
			if intl := strings.HasPrefix(text[start:], "+") || strings.HasPrefix(text[start:], "00"); intl {
				break // the region does not matter for international numbers
			}
		}
		i = max(next, start+1)
	}
	return out
}

var nanpRegions = []string{"US"}

// nanpShape: written like a North American number, 1-AAA-EEE-NNNN or
// (AAA) EEE-NNNN, without a '+'.
func nanpShape(t string) bool {
	groups, _ := splitGroups(t)
	if strings.HasPrefix(t, "+") {
		return false
	}
	switch len(groups) {
	case 3:
		return len(groups[0]) == 3 && len(groups[1]) == 3 && len(groups[2]) == 4
	case 4:
		return groups[0] == "1" && len(groups[1]) == 3 && len(groups[2]) == 3 && len(groups[3]) == 4
	}
	return false
}

// callSchemes are stripped by Parse.
var callSchemes = []string{"facetime-audio:", "facetime:", "callto:", "skype:", "sips:", "sip:", "tel:"}

// Parse normalises one value: a number as written, or a call URI (tel:,
// callto:, sip:, sips:, facetime:, facetime-audio:, skype:), percent-encoded
// or not, with parameters such as ;ext= or ?call ignored.
func Parse(s string, opts Options) (Number, error) {
	raw := s
	v := strings.TrimSpace(s)
	lower := strings.ToLower(v)
	for _, sc := range callSchemes {
		if strings.HasPrefix(lower, sc) {
			v = v[len(sc):]
			break
		}
	}
	v = strings.TrimPrefix(v, "//")
	if u, err := url.PathUnescape(v); err == nil {
		v = u
	}
	if i := strings.IndexAny(v, ";?@,&"); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimSpace(v)
	digits := 0
	for i := 0; i < len(v); i++ {
		if isDigit(v[i]) {
			digits++
		}
	}
	if digits < 6 || digits > 17 || len(v) > 40 {
		return Number{}, fmt.Errorf("%w: %q", ErrNotNumber, clip(raw))
	}
	n, ok := validate(v, opts.regions())
	if !ok {
		return Number{}, fmt.Errorf("%w: %q", ErrNotNumber, clip(raw))
	}
	n.Raw = strings.TrimSpace(raw)
	return n, nil
}

// ParamNumber is a number carried in a URL query (or fragment) parameter.
type ParamNumber struct {
	Param  string
	Number Number
}

// FromURL returns the numbers carried in the query parameters, and in
// query-like fragments (#phone=…), of rawURL: scam templates take their
// number from ?phone=, ?n1=, ?ph= and the like.
func FromURL(rawURL string, opts Options) []ParamNumber {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil
	}
	var out []ParamNumber
	seen := map[string]bool{}
	for _, q := range []string{u.RawQuery, u.Fragment} {
		if !strings.Contains(q, "=") {
			continue
		}
		vals, _ := url.ParseQuery(q) // partial results are fine: keep what parsed
		for _, name := range sortedParams(vals) {
			for _, v := range vals[name] {
				if len(v) > 64 {
					continue
				}
				n, err := Parse(v, opts)
				if err != nil || seen[name+n.E164] {
					continue
				}
				seen[name+n.E164] = true
				n.Raw = v
				out = append(out, ParamNumber{Param: name, Number: n})
				if len(out) >= 16 {
					return out
				}
			}
		}
	}
	return out
}

// validate parses a candidate in each region until one gives a valid number.
func validate(s string, regions []string) (Number, bool) {
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "00") {
		s = "+" + t[2:] // the international prefix of most countries
	}
	intl := strings.HasPrefix(strings.TrimSpace(s), "+") || strings.HasPrefix(strings.TrimSpace(s), "00")
	for _, region := range regions {
		num, err := phonenumbers.Parse(s, region)
		if err != nil || !phonenumbers.IsValidNumber(num) {
			if intl {
				break // the region does not matter for +… numbers
			}
			continue
		}
		t, ok := typeNames[phonenumbers.GetNumberType(num)]
		if !ok {
			t = Unknown
		}
		return Number{
			E164:   phonenumbers.Format(num, phonenumbers.E164),
			Region: phonenumbers.GetRegionCodeForNumber(num),
			Type:   t,
		}, true
	}
	return Number{}, false
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// RegionsForLang maps an HTML lang value to region hints, most likely
// first, always ending with US (the home of most scam hotlines).
func RegionsForLang(lang string) []string {
	lang = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(lang, "_", "-")))
	primary, sub, _ := strings.Cut(lang, "-")
	var out []string
	add := func(rs ...string) {
		for _, r := range rs {
			r = strings.ToUpper(r)
			if len(r) == 2 && !contains(out, r) {
				out = append(out, r)
			}
		}
	}
	if len(sub) == 2 {
		add(sub)
	}
	add(langRegions[primary]...)
	add("US")
	return out
}

var langRegions = map[string][]string{
	"en": {"US", "GB", "CA", "AU", "IN", "IE", "NZ"},
	"fr": {"FR", "CA", "BE", "CH"},
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
	"no": {"NO"}, "nb": {"NO"},
	"fi": {"FI"},
	"ru": {"RU"},
	"tr": {"TR"},
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
