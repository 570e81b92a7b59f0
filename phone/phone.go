// Package phone finds phone numbers in page text, attributes, call URIs and
// URL parameters, and normalises them to E.164 with their type.
//
// Candidates are found by a hand-written byte scanner (a regular expression
// over page text is several times slower), checked against the number
// lengths of the calling code or region, and only then validated with
// github.com/nyaruka/phonenumbers. The scanner is strict about what it
// offers, because its input is web pages: dates, times, IP addresses,
// versions, prices, counters, long bare digit runs (IDs, timestamps), card
// numbers, ZIP+4 codes, CSS and SVG values and digits glued to letters are
// not candidates.
//
// Accepted spellings: separators space, NBSP and other Unicode spaces, '-'
// and Unicode dashes (and the Japanese "ー"), '.', the middle dots "・" and
// "·", '/', parentheses; a leading '+', the international prefix 00 (and
// 011 in North America, 010 in Japan, 0011 in Australia when those regions
// are given); the NANP trunk prefix 1; a national trunk prefix 0 (8 in
// Russia), also as "(0)" after a country code or written apart ("0 800 12
// 34 56", "8 (800) 123-45-67"); numbers written without their trunk prefix
// where people do (Brazil, China, Colombia, Saudi Arabia, the Emirates);
// the eight-digit numbers of Denmark, Norway, Hong Kong, Singapore and
// Luxembourg in their groupings, when one of them is hinted; full-width
// digits and punctuation, as Japanese pages write them; Arabic-Indic,
// Devanagari, Bengali and Thai digits; zero-width characters inside a
// number (a trick to dodge filters).
//
// Numbers written without a country code are read in the regions of
// Options.Regions (the analysis infers them from the page); Number.Hint
// says which.
//
// A bare run of digits (no '+', no separators) is taken from prose, but in
// code-like context (after a quote, '=', ':', '?', a bracket or another
// figure: "data-ad-slot=\"4757652955\"", "z-index: 2147483647") only when it
// is a toll-free number, the kind scam pages show; "Support: 2125550142"
// counts as prose. A number written without a country code must also be
// written the way its region dials it ("18000000000" is not German, since
// Germany writes its trunk prefix 0). Full-width numbers try East Asian
// regions first.
//
// Only numbers that libphonenumber considers valid are returned. The
// placeholders scam kits ship with, such as 1-800-000-0000 or
// 000-0000-0000, are not valid and are not returned; the fictional
// 555-01xx numbers are valid and are.
//
// All functions are safe for concurrent use and never panic on any input.
package phone

import (
	"errors"
	"fmt"
	"strings"
)

// Type is the kind of line a number belongs to.
type Type string

// The types libphonenumber tells apart.
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

// Number is a valid phone number found in some input.
type Number struct {
	Raw    string // as written in the input
	E164   string // "+18445550199"
	Region string // ISO 3166 region code, "US"; "001" for international services (+800 …)
	Type   Type
	Offset int // byte offset of Raw in the input (Find only)
	// Hint is the region of Options.Regions a number written without its
	// country code was read in; empty for one written with it.
	Hint string
}

// Options tune Find, Parse and FromURL. The zero value is ready to use.
type Options struct {
	// Regions to try, in order, for numbers written without a country code
	// ("US" when empty). Unknown codes are ignored; at most 12 are used.
	// When the digits are valid in several, a toll-free, premium-rate or
	// shared-cost reading wins over the order.
	Regions []string
	// MaxCandidates bounds the work on hostile input (default 256): the
	// number of distinct candidates handed to libphonenumber. Find returns
	// at most four times as many numbers (repeats of one number are cheap).
	MaxCandidates int
}

// ErrNotNumber is returned by Parse for input that is not a valid number.
var ErrNotNumber = errors.New("not a valid phone number")

// Find returns the valid phone numbers in text, in order, each once per
// offset. text may be any bytes; invalid UTF-8 is skipped.
func Find(text string, opts Options) []Number {
	v := newValidator(opts)
	return v.find(text, nil, 4*v.limit)
}

// startByte: bytes that can start a number: digits, '+', '(' and the lead
// byte of the full-width forms and of the other scripts' digits (scan.go).
var startByte = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['+'], t['('], t[0xEF], t[0xD9], t[0xDB], t[0xE0] = true, true, true, true, true, true
	return t
}()

// find appends to out the numbers in text, up to maxOut in all.
func (v *validator) find(text string, out []Number, maxOut int) []Number {
	var r run
	last := -1
	for i := 0; i < len(text) && len(out) < maxOut; {
		// Most bytes cannot start a number: skip them with a table.
		for i < len(text) && !startByte[text[i]] {
			i++
		}
		if i >= len(text) {
			break
		}
		c := text[i]
		if c >= 0x80 { // maybe a full-width or Arabic-Indic digit, '＋' or '（'
			if k, _, _ := class(text, i); k != kDigit && k != kPlus && k != kOpen {
				i++
				continue
			}
		}
		if blockedBefore(text, i) {
			if c == '+' || c == '(' { // not part of the word before: "Support(1-844-…)"
				i++
			} else {
				i = max(skipWord(text, i), i+1)
			}
			continue
		}
		r.parse(text, i)
		if r.n == 0 {
			i += max(1, sizeOf(text, i))
			continue
		}
		if n, ok := r.match(text, v, last); ok {
			last = n.Offset + len(n.Raw)
			out = append(out, n)
			i = n.Offset + len(n.Raw)
			continue
		}
		i = r.resume(i)
	}
	return out
}

func sizeOf(s string, i int) int {
	_, size, _ := class(s, i)
	return size
}

// match returns the first number in the run: the earliest start (the run's
// first group or one after whitespace), then the first region that
// validates, then the longest end. A shorter number in the likeliest region
// beats a longer one in another ("844 555 0142 24 hours"). last is where
// the number found before ended.
func (r *run) match(s string, v *validator, last int) (Number, bool) {
	if r.nd < 8 {
		return Number{}, false
	}
	var ends [maxNumGroups]int
	for a := 0; a < r.n; a++ {
		if !r.startAt(a) {
			continue
		}
		if r.nd-r.g[a].dpos < 8 {
			break
		}
		// What comes before: another figure (not a number found before),
		// or code punctuation.
		start, _ := r.span(a, a)
		afterFigure := a > 0
		prev, at := prevByte(s, start)
		if a == 0 && isDigit(prev) && at+1 != last {
			afterFigure = true
		}
		// Ends that give 8 to 17 digits, longest first.
		hi := a
		for hi+1 < r.n && hi+1 < a+maxNumGroups && r.digitsTo(a, hi+1) <= 17 {
			hi++
		}
		ne := 0
		for b := hi; b >= a && r.digitsTo(a, b) >= 8; b-- {
			if !r.plausible(a, b, v.eight) || !r.cutAfter(s, b) {
				continue
			}
			// "10 0 01-10 10 11 11" is SVG path data, not a French number.
			if afterFigure && r.frenchStyle(a, b) {
				continue
			}
			if a == b && r.plus < 0 && isIntLimit(r.digitsOf(a, b)) {
				continue
			}
			// "3782 822463 10005": a figure written with spaces only goes on
			// with another group of three or more digits; a number does not
			// end inside it.
			if b < r.n-1 && r.g[b+1].nd >= 3 && r.g[b+1].hard == kOther && r.g[b+1].open < 0 && r.spacesOnly(a, b) {
				continue
			}
			ends[ne] = b
			ne++
		}
		if ne == 0 {
			continue
		}
		intl := a == 0 && r.plus >= 0
		if intl || withPrefix00(r.digits[r.g[a].dpos:r.nd]) {
			for _, b := range ends[:ne] {
				d := r.digitsOf(a, b)
				if !intl {
					d = d[2:]
				}
				if n, ok := v.intl(d); ok {
					return r.number(s, n, a, b), true
				}
			}
			continue
		}
		// A bare run of digits in code ("data-ad-slot=\"4757652955\"",
		// "z-index: 2147483647", "?2017030901") or after another figure is
		// an ID far more often than a phone number: only a toll-free
		// number, what scam pages show, is taken from there.
		weak := afterFigure || strings.IndexByte("\"'`:?=,([{|", prev) >= 0 && !(prev == ':' && labelBefore(s, at))
		order := v.order(r.fullWidth(a))
		for k, ri := range order {
			for _, b := range ends[:ne] {
				d := r.digitsOf(a, b)
				n, ok := v.national(d, ri)
				if !ok || (a == b && weak && n.Type != TollFree) {
					continue
				}
				return r.number(s, v.scamElsewhere(n, d, order[k+1:]), a, b), true
			}
		}
	}
	return Number{}, false
}

// isIntLimit: 2^31-1 and friends fill z-index values, IDs and sentinels.
func isIntLimit(d []byte) bool {
	switch string(d) {
	case "2147483647", "2147483648", "2147483646", "4294967295", "4294967296":
		return true
	}
	return false
}

func (r *run) number(s string, n Number, a, b int) Number {
	start, end := r.span(a, b)
	n.Raw, n.Offset = s[start:end], start
	return n
}

// resume returns where to go on after a run without a number that started
// at i: its end, or when a limit cut it short, a group near its end, so
// that a number at the end of a long run of figures is still read whole.
func (r *run) resume(i int) int {
	if r.truncated && r.n > 1 {
		for a := max(1, r.n-maxNumGroups); a < r.n; a++ {
			if r.g[a].space {
				return r.g[a].start
			}
		}
	}
	_, end := r.span(r.n-1, r.n-1)
	return max(end, i+1)
}

// callSchemes are the URI schemes Parse strips: pages auto-dial with all of
// them.
var callSchemes = []string{"tel:", "callto:", "sip:", "sips:", "facetime:", "facetime-audio:", "skype:"}

// maxValue bounds the input Parse looks at.
const maxValue = 256

// Parse normalises one value: a number as written ("+1 (844) 555-0142"),
// or a call URI (tel:, callto:, sip:, sips:, facetime:, facetime-audio:,
// skype:) with its scheme, "//", percent-encoding, user@host part and
// parameters (;ext=, ?call, pauses) removed; a tel: URI's phone-context
// supplies the country code of a local number. A URI may hold a bare run of
// digits of any length; a plain value must be written like a number, as
// Find requires.
func Parse(s string, opts Options) (Number, error) {
	v := strings.TrimSpace(s)
	if len(v) > maxValue {
		return Number{}, fmt.Errorf("%w: %d bytes", ErrNotNumber, len(v))
	}
	uri := false
	if rest, ok := cutScheme(v); ok {
		uri = true
		v = callValue(rest)
	}
	n, ok := parseValue(v, newValidator(opts), uri)
	if !ok {
		return Number{}, fmt.Errorf("%w: %q", ErrNotNumber, clip(s))
	}
	n.Raw = strings.TrimSpace(s)
	return n, nil
}

func cutScheme(v string) (string, bool) {
	for _, sc := range callSchemes {
		if len(v) >= len(sc) && strings.EqualFold(v[:len(sc)], sc) {
			return v[len(sc):], true
		}
	}
	return "", false
}

// callValue returns the number part of a call URI after its scheme.
func callValue(rest string) string {
	rest = unescape(strings.TrimPrefix(rest, "//"), false)
	if at := strings.IndexByte(rest, '@'); at >= 0 { // sip:+1844…@host
		rest = rest[:at]
	}
	var context string
	if semi := strings.IndexByte(rest, ';'); semi >= 0 {
		for _, p := range strings.Split(rest[semi+1:], ";") {
			name, val, _ := strings.Cut(p, "=")
			if strings.EqualFold(strings.TrimSpace(name), "phone-context") && strings.HasPrefix(val, "+") {
				context = val
			}
		}
		rest = rest[:semi]
	}
	// Anything else ends the number: ?call, pauses (p, w, ','), DTMF (#, *).
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c < 0x80 && !isDigit(c) && !strings.ContainsRune("+-.() \t", rune(c)) {
			rest = rest[:i]
			break
		}
	}
	rest = strings.TrimSpace(rest)
	if context != "" && rest != "" && rest[0] != '+' && len(context) <= 8 {
		rest = context + " " + rest
	}
	return rest
}

// parseValue validates v when all of it is one number. relaxed accepts any
// grouping with 6 to 17 digits (a tel: URI is an explicit number).
func parseValue(v string, val *validator, relaxed bool) (Number, bool) {
	v = strings.TrimRight(strings.TrimSpace(v), ".,;:")
	if v == "" {
		return Number{}, false
	}
	if k, _, _ := class(v, 0); k != kDigit && k != kPlus && k != kOpen {
		return Number{}, false
	}
	var r run
	r.parse(v, 0)
	if r.n == 0 || r.truncated {
		return Number{}, false
	}
	if start, end := r.span(0, r.n-1); start != 0 || strings.TrimSpace(v[end:]) != "" {
		return Number{}, false
	}
	b := r.n - 1
	d := r.digitsOf(0, b)
	if relaxed {
		if len(d) < 6 || len(d) > 17 || r.n > 12 {
			return Number{}, false
		}
	} else if !r.plausible(0, b, val.eight) {
		return Number{}, false
	}
	if r.plus >= 0 {
		return val.intl(d)
	}
	if withPrefix00(d) {
		return val.intl(d[2:])
	}
	return val.nationalIn(d, val.order(r.fullWidth(0)))
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}
