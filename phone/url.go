package phone

import "strings"

// ParamNumber is a number carried in a URL query (or fragment) parameter.
type ParamNumber struct {
	Param  string
	Number Number
}

// Limits for FromURL: URLs are attacker-controlled.
const (
	maxURL         = 8 << 10 // bytes of the URL read
	maxParams      = 128     // parameters read
	maxParamNumber = 16      // numbers returned
)

// FromURL returns the numbers carried in the query parameters of rawURL,
// and in parameters in its fragment ("#phone=…", "#/page?ph=…"), in the
// order they appear, each number once per parameter name. Scam templates
// take their hotline from ?phone=, ?n1=, ?ph= and the like. A value is a
// number when all of it is one (as Parse reads it, percent-encoding, '+'
// for space and a literal leading '+' understood); otherwise the numbers
// Find sees in it count ("?msg=Call+1-844-555-0142+now").
//
// The URL need not parse: hostile and truncated URLs still carry
// parameters.
func FromURL(rawURL string, opts Options) []ParamNumber {
	if len(rawURL) > maxURL {
		rawURL = rawURL[:maxURL]
	}
	query, fragment := rawURL, ""
	if h := strings.IndexByte(query, '#'); h >= 0 {
		query, fragment = query[:h], query[h+1:]
	}
	if q := strings.IndexByte(query, '?'); q >= 0 {
		query = query[q+1:]
	} else {
		query = ""
	}
	if q := strings.IndexByte(fragment, '?'); q >= 0 { // "#/alert?phone=…"
		fragment = fragment[q+1:]
	}
	var out []ParamNumber
	var val *validator
	seen := 0
	for _, part := range []string{query, fragment} {
		for part != "" && seen < maxParams && len(out) < maxParamNumber {
			var kv string
			kv, part, _ = strings.Cut(part, "&")
			name, value, ok := strings.Cut(kv, "=")
			if !ok || value == "" {
				continue
			}
			seen++
			if val == nil {
				val = newValidator(opts)
			}
			name = unescape(name, true)
			// A literal '+' that starts a value is a plus sign, not an
			// encoded space: scam links are typed by hand (?phone=+1844…).
			plus := strings.HasPrefix(value, "+")
			value = unescape(value, true)
			if plus {
				value = "+" + value[1:]
			}
			if len(value) > maxValue {
				continue
			}
			add := func(n Number) {
				for _, p := range out {
					if p.Param == name && p.Number.E164 == n.E164 {
						return
					}
				}
				n.Offset = 0
				out = append(out, ParamNumber{Param: name, Number: n})
			}
			if n, ok := parseValue(value, val, false); ok {
				// A bare run of digits under a name like id, ts or slot is an
				// ID far more often than a phone number.
				if n.Type == TollFree || phoneParam(name) || !digitsOnlyValue(value) {
					n.Raw = value
					add(n)
				}
				continue
			}
			for _, n := range val.find(value, nil, maxParamNumber) {
				add(n)
			}
		}
	}
	if len(out) > maxParamNumber {
		out = out[:maxParamNumber]
	}
	return out
}

// unescape decodes %XX escapes (and '+' as a space when form is set),
// leaving malformed escapes as they are.
func unescape(s string, form bool) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		case c == '+' && form:
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// phoneParam: a parameter name templates use for a number: phone, ph,
// tel, number, num, call, mobile, cell, contact, hotline, support, n1, p2.
func phoneParam(name string) bool {
	name = strings.ToLower(name)
	for _, w := range []string{"ph", "tel", "num", "call", "mob", "cell", "contact", "dial", "hotline", "support", "fon", "tfn"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	// n, n1, p, p2, no, nr: the short names of template kits.
	base := strings.TrimRight(name, "0123456789_")
	switch base {
	case "n", "p", "no", "nr", "nb", "pn", "tn", "cn":
		return true
	}
	return false
}

func digitsOnlyValue(v string) bool {
	v = strings.TrimSpace(v)
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return false
		}
	}
	return v != ""
}
