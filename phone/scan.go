package phone

import (
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// Limits of a number: E.164 allows 15 digits; a trunk or international
// prefix leaves room for a couple more. Runs are read up to maxRun bytes so
// that two numbers side by side can be split.
const (
	minDigits = 7
	maxDigits = 17
	maxLen    = 30
	maxRun    = 80
)

// nextRun finds the next run of text from i that may hold a phone number: a
// '+', '(' or digit that does not follow a letter or digit, then digits and
// single separators (space, non-breaking space, '-', '.', '/', parentheses).
// ok is false when the run is part of something else (a decimal, a comma
// group, digits glued to letters); end is where scanning goes on.
func nextRun(s string, i int) (start, end int, ok bool) {
	for ; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || c == '+' || c == '(') {
			continue
		}
		if i > 0 && blocksStart(s, i) {
			return i, max(skipToken(s, i), i+1), false // '+' and '(' are not part of a token
		}
		end, digits, ok := runEnd(s, i)
		if !ok || digits < minDigits {
			return i, max(end, i+1), false
		}
		return i, end, true
	}
	return -1, len(s), false
}

// cuts lists the ends of the candidates a run offers, longest first: the
// whole run when it is not glued to what follows, then each earlier end of
// a digit group, while at least minDigits digits remain.
func cuts(s string, start, end int) []int {
	var out []int
	full := start + len(strings.TrimRight(s[start:end], " .-/(\u00a0"))
	full = start + len(balanceParens(s[start:full]))
	if !glued(s, full) && full-start <= maxLen && digitCount(s[start:full]) <= maxDigits {
		out = append(out, full)
	}
	for j := full - 1; j > start && len(out) < 6; j-- {
		if isDigit(s[j-1]) && !isDigit(s[j]) {
			cand := start + len(balanceParens(s[start:j]))
			d := digitCount(s[start:cand])
			if d < minDigits {
				break
			}
			if d <= maxDigits && cand-start <= maxLen && (len(out) == 0 || out[len(out)-1] != cand) {
				out = append(out, cand)
			}
		}
	}
	return out
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

// blocksStart: a number does not start right after a letter, digit, or
// characters that make it part of something else (an amount, an ID, a
// decimal, a hex value, a path).
func blocksStart(s string, i int) bool {
	p := s[i-1]
	if isAlnum(p) {
		return true
	}
	switch p {
	case '$', '#', ',', '=', '/', '\\', '%', '&', '@', '_':
		return true
	case ':':
		return i >= 2 && isDigit(s[i-2]) // a time, 10:30:45
	case '-':
		return i >= 2 && isAlnum(s[i-2]) // an ID or range, abc-123
	case '.':
		// a decimal or version (1.5), not a sentence ending ("call us. 0800")
		return i >= 2 && isAlnum(s[i-2])
	}
	if p >= 0x80 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		switch {
		case r == '¥' || r == '€' || r == '£' || r == '₹' || r == '円' || r == '№':
			return true
		case r >= 'À' && r <= 'ɏ': // Latin letters with accents
			return true
		}
	}
	return false
}

func skipToken(s string, i int) int {
	for i < len(s) && (isAlnum(s[i]) || s[i] == '.' || s[i] == ',' || s[i] == '-') {
		i++
	}
	return i
}

// runEnd consumes a candidate starting at i: digits and single separators.
// It returns the end, the digit count, and false when the run cannot be a
// number (a comma group like 51,900; a decimal; too long).
func runEnd(s string, i int) (end, digits int, ok bool) {
	j := i
	if s[j] == '+' {
		j++
		if j >= len(s) || !(isDigit(s[j]) || s[j] == ' ' || s[j] == '(') {
			return j, 0, false
		}
	}
	sep := 0 // consecutive separators
	for j < len(s) && j-i <= maxRun {
		c := s[j]
		switch {
		case isDigit(c):
			digits++
			sep = 0
			j++
			continue
		case c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')':
			sep++
		case c == 0xc2 && j+1 < len(s) && s[j+1] == 0xa0: // NBSP
			sep++
			j++
		case c == ',':
			// "51,900" and "1,299.00" are counts and prices.
			if j+1 < len(s) && isDigit(s[j+1]) {
				return skipToken(s, j), digits, false
			}
			return j, digits, true
		default:
			return j, digits, true
		}
		if sep > 2 || (sep == 2 && c != ' ' && c != '(' && s[j-1] != ' ' && s[j-1] != ')') {
			return j, digits, true
		}
		j++
	}
	// Longer runs are cut at maxRun; cuts() finds the numbers in the part read.
	return j, digits, true
}

// glued: the character after the number continues it as something else.
func glued(s string, end int) bool {
	if end >= len(s) {
		return false
	}
	c := s[end]
	if isAlnum(c) || c == '%' || c == '@' || c == '$' {
		return true
	}
	// "1.5.2-beta", "12.50"
	if (c == '.' || c == ',') && end+1 < len(s) && isDigit(s[end+1]) {
		return true
	}
	return false
}

// balanceParens drops a trailing "(" or an unmatched ")" at the end.
func balanceParens(t string) string {
	open := strings.Count(t, "(")
	closeN := strings.Count(t, ")")
	for closeN > open && strings.HasSuffix(t, ")") {
		t = strings.TrimRight(t[:len(t)-1], " ")
		closeN--
	}
	return t
}

// plausible rejects the shapes of digits that are not phone numbers.
func plausible(t string) bool {
	groups, seps := splitGroups(t)
	digits := 0
	for _, g := range groups {
		digits += len(g)
	}
	if len(groups) == 0 {
		return false
	}
	intl := strings.HasPrefix(t, "+")
	// A bare run of digits: only the lengths of a national or E.164 number.
	if len(groups) == 1 && !intl {
		return digits == 10 || digits == 11 || (digits >= 8 && digits <= 12 && t[0] == '0')
	}
	dots, slashes := 0, 0
	for _, s := range seps {
		switch s {
		case '.':
			dots++
		case '/':
			slashes++
		}
	}
	// IP addresses and version numbers: dot-separated short groups.
	if dots >= 2 && !intl {
		short := 0
		for _, g := range groups {
			if len(g) <= 3 {
				short++
			}
		}
		if short == len(groups) && len(groups) == 4 {
			return false
		}
	}
	// Dates: 02-12-2016, 2016/12/02, 12.02.2016 (three groups, one a year).
	if len(groups) == 3 && !intl {
		a, b, c := groups[0], groups[1], groups[2]
		if (len(a) == 4 && isYear(a) && len(b) <= 2 && len(c) <= 2) || (len(c) == 4 && isYear(c) && len(a) <= 2 && len(b) <= 2) {
			return false
		}
	}
	if slashes > 0 && len(groups) <= 3 && !intl && digits <= 8 {
		return false
	}
	// Times and ranges like 10-12 hold too few digits; caught by minDigits.
	// Credit-card-like 4-4-4-4 groups.
	if len(groups) == 4 && len(groups[0]) == 4 && len(groups[1]) == 4 && len(groups[2]) == 4 && len(groups[3]) == 4 {
		return false
	}
	// ZIP+4 and short codes
	if len(groups) == 2 && len(groups[0]) == 5 && len(groups[1]) == 4 && !intl {
		return false
	}
	return true
}

func isYear(g string) bool {
	return (g[0] == '1' && g[1] == '9') || (g[0] == '2' && g[1] == '0')
}

// splitGroups returns the digit groups of t and the separators between them.
func splitGroups(t string) (groups []string, seps []byte) {
	start := -1
	for i := 0; i <= len(t); i++ {
		if i < len(t) && isDigit(t[i]) {
			if start < 0 {
				start = i
				if len(groups) > 0 {
					seps = append(seps, lastSep(t[:i]))
				}
			}
			continue
		}
		if start >= 0 {
			groups = append(groups, t[start:i])
			start = -1
		}
	}
	return groups, seps
}

func lastSep(t string) byte {
	for i := len(t) - 1; i >= 0; i-- {
		if t[i] != ' ' && t[i] != '(' && t[i] != ')' && t[i] != 0xa0 && t[i] != 0xc2 {
			return t[i]
		}
	}
	return ' '
}

func sortedParams(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
