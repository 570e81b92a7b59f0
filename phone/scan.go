package phone

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The scanner reads runs: digit groups joined by short separator clusters.
// It works on bytes and knows the few multi-byte characters pages use in
// numbers (full-width digits and punctuation, Unicode spaces and dashes), so
// it needs no normalisation pass and no allocation.

// kind is what a character can be in a phone number.
type kind uint8

const (
	kOther     kind = iota // ends a run
	kDigit                 // 0-9, full-width ０-９
	kPlus                  // + ＋
	kSpace                 // space, tab, NBSP, Unicode spaces, ideographic space
	kDash                  // - and the Unicode hyphens, dashes, minus, ー
	kDot                   // . ．
	kSlash                 // / ／
	kOpen                  // ( （
	kClose                 // ) ）
	kInvisible             // zero-width characters and soft hyphens: skipped
)

var asciiKind = func() (t [256]kind) {
	for c := '0'; c <= '9'; c++ {
		t[c] = kDigit
	}
	t['+'] = kPlus
	t[' '], t['\t'] = kSpace, kSpace
	t['-'] = kDash
	t['.'] = kDot
	t['/'] = kSlash
	t['('] = kOpen
	t[')'] = kClose
	return t
}()

// class returns the kind of the character at s[i], its length in bytes
// and, for a digit, its ASCII value. i must be < len(s).
func class(s string, i int) (kind, int, byte) {
	c := s[i]
	if c >= utf8.RuneSelf {
		return classMulti(s, i)
	}
	return asciiKind[c], 1, c
}

// classMulti is class for a byte >= 0x80.
func classMulti(s string, i int) (k kind, size int, digit byte) {
	c := s[i]
	// Only sequences of two or three bytes matter; everything else is kOther
	// with the length of its (possibly invalid) encoding.
	if i+1 < len(s) {
		c1 := s[i+1]
		switch c {
		case 0xC2:
			switch c1 {
			case 0xA0: // NBSP
				return kSpace, 2, 0
			case 0xAD: // soft hyphen
				return kInvisible, 2, 0
			case 0xB7: // middle dot, "01·23·45·67·89"
				return kDot, 2, 0
			}
		case 0xD9: // Arabic-Indic digits ٠-٩, as Arabic pages write numbers
			if c1 >= 0xA0 && c1 <= 0xA9 {
				return kDigit, 2, '0' + c1 - 0xA0
			}
		case 0xDB: // Extended Arabic-Indic digits ۰-۹ (Persian, Urdu)
			if c1 >= 0xB0 && c1 <= 0xB9 {
				return kDigit, 2, '0' + c1 - 0xB0
			}
		case 0xE0: // Devanagari ०-९ (Hindi, Marathi, Nepali), Bengali ০-৯, Thai ๐-๙
			if i+2 < len(s) {
				c2 := s[i+2]
				switch {
				case (c1 == 0xA5 || c1 == 0xA7) && c2 >= 0xA6 && c2 <= 0xAF:
					return kDigit, 3, '0' + c2 - 0xA6
				case c1 == 0xB9 && c2 >= 0x90 && c2 <= 0x99:
					return kDigit, 3, '0' + c2 - 0x90
				}
			}
		case 0xE2, 0xE3, 0xEF:
			if i+2 < len(s) {
				c2 := s[i+2]
				switch {
				case c == 0xEF && c1 == 0xBC:
					switch {
					case c2 >= 0x90 && c2 <= 0x99: // ０-９
						return kDigit, 3, '0' + c2 - 0x90
					case c2 == 0x8B:
						return kPlus, 3, 0
					case c2 == 0x8D:
						return kDash, 3, 0
					case c2 == 0x8E:
						return kDot, 3, 0
					case c2 == 0x8F:
						return kSlash, 3, 0
					case c2 == 0x88:
						return kOpen, 3, 0
					case c2 == 0x89:
						return kClose, 3, 0
					}
				case c == 0xEF && c1 == 0xBD && c2 == 0xB0: // ｰ half-width prolonged sound mark
					return kDash, 3, 0
				case c == 0xEF && c1 == 0xBD && c2 == 0xA5: // ･ half-width katakana middle dot
					return kDot, 3, 0
				case c == 0xEF && c1 == 0xBB && c2 == 0xBF: // zero-width no-break space
					return kInvisible, 3, 0
				case c == 0xE2 && c1 == 0x80:
					switch {
					case c2 <= 0x8A || c2 == 0xAF: // U+2000-200A spaces, narrow NBSP
						return kSpace, 3, 0
					case c2 <= 0x8D: // zero-width space, non-joiner, joiner
						return kInvisible, 3, 0
					case c2 >= 0x90 && c2 <= 0x95: // hyphens, dashes, horizontal bar
						return kDash, 3, 0
					}
				case c == 0xE2 && c1 == 0x81 && c2 == 0xA0: // word joiner
					return kInvisible, 3, 0
				case c == 0xE2 && c1 == 0x88 && c2 == 0x92: // minus sign
					return kDash, 3, 0
				case c == 0xE3 && c1 == 0x80 && c2 == 0x80: // ideographic space
					return kSpace, 3, 0
				case c == 0xE3 && c1 == 0x83 && c2 == 0xBC: // ー, written as a dash on Japanese pages
					return kDash, 3, 0
				case c == 0xE3 && c1 == 0x83 && c2 == 0xBB: // ・ katakana middle dot, "0120・123・456"
					return kDot, 3, 0
				}
			}
		}
	}
	_, size = utf8.DecodeRuneInString(s[i:])
	return kOther, size, 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// wordRune: a letter of an alphabet written with spaces between words
// (digits glued to one are part of a word), a full-width letter or digit, or
// a currency sign. CJK characters are not: Japanese text writes numbers
// right after a word ("電話0120-123-456").
func wordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isWordByte(byte(r))
	case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ', r == '№':
		return true
	}
	return unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Sc)
}

// blockedBefore: the character before s[i] makes a number starting at i
// part of something else: a word, an amount, an ID, a decimal, a time, a
// hex colour, a path, an escape or a percent-encoding.
func blockedBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	c := s[i-1]
	if c < utf8.RuneSelf {
		switch {
		case isWordByte(c):
			return true
		case c == '$' || c == '#' || c == ',' || c == '=' || c == '/' || c == '\\' || c == '%' || c == '&' || c == '@':
			return true
		case c == ':':
			return i >= 2 && isDigit(s[i-2]) // 10:30
		case c == '.':
			return true // 1.5, .057 (SVG, CSS); a sentence's full stop has a space after it
		case c == '-':
			return i >= 2 && isWordByte(s[i-2]) // abc-123, not "Hotline - 0800"
		}
		return false
	}
	r, size := utf8.DecodeLastRuneInString(s[:i])
	if r == '．' || r == '－' || r == '／' { // full-width "ｖ１．２", "ＩＤ－１２３"
		p, _ := utf8.DecodeLastRuneInString(s[:i-size])
		return wordRune(p)
	}
	return wordRune(r)
}

// gluedAt: the character at s[p], right after a number, continues it as
// something else: a word ("0199x", "1234567px"), a decimal or a count
// ("12.50", "51,900"), a time ("2016 10:30"), a domain or ID ("0199.com",
// "0199-abc"), a percentage or an e-mail address.
func gluedAt(s string, p int) bool {
	if p >= len(s) {
		return false
	}
	c := s[p]
	switch c {
	case '%', '@', '$':
		return true
	case 'x', 'X': // an extension, "…0142x123", is not part of the number
		j := p + 1
		for j < len(s) && j-p <= 6 && isDigit(s[j]) {
			j++
		}
		if j > p+1 && j-p <= 6 && (j == len(s) || !isWordByte(s[j])) {
			return false
		}
		return true
	case '.', ',', ':', '-', '/':
		if p+1 < len(s) {
			if k, _, _ := class(s, p+1); k == kDigit {
				return true
			}
			r, _ := utf8.DecodeRuneInString(s[p+1:])
			return wordRune(r)
		}
		return false
	}
	if k, _, _ := class(s, p); k == kDigit {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[p:])
	return wordRune(r)
}

// skipWord returns the end of the word, number or amount that starts at i.
func skipWord(s string, i int) int {
	for i < len(s) {
		k, size, _ := class(s, i)
		c := s[i]
		if k == kDigit || (c < utf8.RuneSelf && (isWordByte(c) || c == '.' || c == ',' || c == '-')) {
			i += size
			continue
		}
		break
	}
	return i
}

const (
	maxGroups    = 16 // digit groups read in one run
	maxNumGroups = 8  // digit groups in one number ("00 33 1 23 45 67 89")
	maxRunDigits = 48
	maxCluster   = 3 // visible separator characters between two groups
)

// group is one run of digits and how it is joined to the group before.
type group struct {
	start, end int  // byte offsets of the first digit and just past the last
	open       int  // offset of a '(' right before, kept only when closed right after; -1
	close      int  // offset just past that ')'; -1
	dpos, nd   int  // the group's digits: run.digits[dpos : dpos+nd]
	space      bool // whitespace in the separators before the group
	hard       kind // the one kDash, kDot or kSlash before the group, or kOther
}

// run is a maximal stretch of digit groups that may hold phone numbers.
type run struct {
	plus      int // offset of a leading '+', or -1
	g         [maxGroups]group
	n         int
	digits    [maxRunDigits]byte
	nd        int
	truncated bool // stopped by a limit, not by the text: the last group may go on
}

// parse reads a run starting at s[i], which must be a '+', '(' or digit.
func (r *run) parse(s string, i int) {
	r.plus, r.n, r.nd, r.truncated = -1, 0, 0, false
	j := i
	if k, size, _ := class(s, j); k == kPlus {
		r.plus = j
		j += size
		if j < len(s) {
			if k, size, _ := class(s, j); k == kSpace { // "+ 1-804-…"
				j += size
			}
		}
	}
	space, hard := false, kOther
	for r.n < maxGroups {
		if j >= len(s) {
			return
		}
		open := -1
		k, size, _ := class(s, j)
		if k == kOpen {
			open = j
			j += size
			if j >= len(s) {
				return
			}
			k, _, _ = class(s, j)
		}
		if k != kDigit {
			return
		}
		g := &r.g[r.n]
		g.start, g.open, g.close, g.dpos, g.space, g.hard = j, -1, -1, r.nd, space, hard
		j = r.readDigits(s, j)
		g.end = j
		g.nd = r.nd - g.dpos
		r.n++
		if r.truncated || j >= len(s) {
			return
		}
		if k, size, _ := class(s, j); open >= 0 && k == kClose {
			g.open, g.close = open, j+size
			j += size
		}
		// The separators before the next group: at most maxCluster visible
		// characters, of which at most one dash, dot or slash.
		space, hard = false, kOther
		visible := 0
		for j < len(s) {
			k, size, _ = class(s, j)
			if k == kDigit || k == kOpen {
				break
			}
			switch k {
			case kSpace:
				space = true
				visible++
			case kDash, kDot, kSlash:
				if hard != kOther {
					return
				}
				hard = k
				visible++
			case kInvisible:
			default:
				return
			}
			if visible > maxCluster {
				return
			}
			j += size
		}
	}
	r.truncated = true
}

// readDigits appends the digits from s[j] on to r.digits and returns where
// they end. Zero-width characters between two digits are skipped
// ("8\u200b44" hides a number from filters).
func (r *run) readDigits(s string, j int) int {
	for j < len(s) {
		c := s[j]
		size := 1
		if c-'0' > 9 {
			if c < utf8.RuneSelf {
				break
			}
			k, sz, d := classMulti(s, j)
			if k == kInvisible && j+sz < len(s) {
				if k2, _, _ := class(s, j+sz); k2 == kDigit {
					j += sz
					continue
				}
			}
			if k != kDigit {
				break
			}
			c, size = d, sz
		}
		if r.nd == maxRunDigits {
			r.truncated = true
			break
		}
		r.digits[r.nd] = c
		r.nd++
		j += size
	}
	return j
}

// span returns the bytes of s that groups a..b cover, with a leading '+'
// when a is the first group.
func (r *run) span(a, b int) (start, end int) {
	start = r.g[a].start
	if r.g[a].open >= 0 {
		start = r.g[a].open
	}
	if a == 0 && r.plus >= 0 {
		start = r.plus
	}
	end = r.g[b].end
	if r.g[b].close >= 0 {
		end = r.g[b].close
	}
	return start, end
}

// digitsTo returns the number of digits in groups a..b.
func (r *run) digitsTo(a, b int) int { return r.g[b].dpos + r.g[b].nd - r.g[a].dpos }

// digitsOf returns the digits of groups a..b.
func (r *run) digitsOf(a, b int) []byte {
	return r.digits[r.g[a].dpos : r.g[b].dpos+r.g[b].nd]
}

// plausible reports whether groups a..b are written like a phone number,
// and rejects the shapes of other things made of digits: dates, IP
// addresses, versions, thousands, card numbers, ZIP+4 codes, SVG and CSS
// coordinates, IDs and timestamps. Validation decides the rest. eight
// admits numbers of eight digits written in groups, as Denmark, Norway,
// Hong Kong and Singapore write theirs; only set when one of those regions
// is hinted.
func (r *run) plausible(a, b int, eight bool) bool {
	intl := a == 0 && r.plus >= 0
	ng := b - a + 1
	if ng > maxNumGroups {
		return false
	}
	d := r.digitsOf(a, b)
	n := len(d)
	lead0 := d[0] == '0'
	// A trunk prefix written on its own: "0 800 123 456" (France, Ukraine),
	// "8 800 123-45-67" and "8 (800) 123-45-67" (Russia).
	trunkApart := !intl && ng > 1 && r.g[a].nd == 1 && r.g[a+1].nd == 3 &&
		((lead0 && n == 10) || (d[0] == '8' && n == 11))
	trunk := lead0 || trunkApart
	switch {
	case intl:
		if n < 8 || n > 16 { // 15 plus a "(0)"
			return false
		}
	case trunkApart:
	case lead0: // a trunk or international prefix: "0800…", "00 1 …", "0101 …"
		if n < 9 || n > 15 {
			return false
		}
		if r.g[a].nd == 1 && r.g[a].open < 0 { // "0 0 320 512", not "(0)"
			return false
		}
	case n == 8 && eight:
		if !eightShape(r, a, b) {
			return false
		}
	default: // NANP 10 or 1+10; 9-11 elsewhere (IT, ES, CN, AU 1800)
		if n < 9 || n > 11 || (n == 11 && d[0] != '1') {
			return false
		}
	}
	if ng == 1 {
		// A bare run of digits: only the lengths of a number. Longer
		// bare runs are IDs and timestamps unless they carry a '+'.
		return intl || n == 10 || (n == 11 && d[0] == '1') || (lead0 && n >= 10 && n <= 14)
	}
	if n == 9 && !intl && !lead0 && ng < 3 {
		return false // "94105-1234"-like pairs
	}
	if ng == 2 && r.g[a].nd == 5 && r.g[b].nd == 4 && r.g[b].hard == kDash && !intl {
		return false // ZIP+4, "02134-1234"
	}
	if r.g[b].open >= 0 && ng > 1 {
		return false // "448–452 (1993)": brackets hold a prefix or area code, not the end
	}
	singles, short := 0, 0
	dots, slashes, spaced := 0, 0, 0
	for g := a; g <= b; g++ {
		nd := r.g[g].nd
		if nd == 1 {
			singles++
			if g-a > 2 {
				return false // "1 2 3 4 …", "24 7 1-844…"
			}
		}
		if nd <= 2 {
			short++
		}
		if nd > 10 {
			return false
		}
		if g == a {
			continue
		}
		switch r.g[g].hard {
		case kDot:
			dots++
			if g > a+1 && r.g[g].space {
				return false // "12.5 12.5", "9.2-9.2"
			}
		case kSlash:
			slashes++
		}
		if r.g[g].space {
			spaced++
		}
	}
	if singles > 2 {
		return false
	}
	// Two-digit groups are French, Japanese, … national style, always
	// with a trunk prefix; without one they are coordinates and counts,
	// except in the Spanish and Polish "91 123 45 67" and eight-digit
	// numbers ("80 12 34 56").
	if !intl && !trunk && short > 1 && !shape(r, a, b, 2, 3, 2, 2) && !(n == 8 && eight) {
		return false
	}
	if dots > 0 {
		// Dots separate every group after the first or none.
		if dots < ng-2 || (dots == ng-2 && r.g[a+1].hard == kDot) {
			return false
		}
		allShort := true
		for g := a; g <= b; g++ {
			if r.g[g].nd > 3 {
				allShort = false
			}
		}
		if allShort && (ng == 4 || !trunk) {
			return false // 192.168.100.101, but "01.23.45.67.89"
		}
		if !intl && !lead0 && r.g[a].nd <= 3 && dots == ng-1 {
			thousands := true
			for g := a + 1; g <= b; g++ {
				if r.g[g].nd != 3 {
					thousands = false
				}
			}
			if thousands {
				return false // 1.234.567.890
			}
		}
	}
	if !intl && ng == 3 {
		x, y, z := r.g[a].nd, r.g[a+1].nd, r.g[b].nd
		if (x == 4 && isYear(r.digitsOf(a, a)) && y <= 2 && z <= 2) || (z == 4 && isYear(r.digitsOf(b, b)) && x <= 2 && y <= 2) {
			return false // 2016-12-02, 02.12.2016
		}
	}
	if slashes > 0 && slashes == ng-1 && ng >= 3 && !intl {
		return false // 2016/12/02/1234, paths of numbers
	}
	if ng == 4 && r.g[a].nd == 4 && r.g[a+1].nd == 4 && r.g[a+2].nd == 4 && r.g[b].nd == 4 {
		return false // 4111 1111 1111 1111
	}
	if ng == 3 && r.g[a].nd == 4 && r.g[a+1].nd == 6 && r.g[b].nd == 5 && !intl {
		return false // 3782 822463 10005
	}
	return true
}

// shape reports whether groups a..b have exactly the given digit counts.
func shape(r *run, a, b int, counts ...int) bool {
	if b-a+1 != len(counts) {
		return false
	}
	for i, c := range counts {
		if r.g[a+i].nd != c {
			return false
		}
	}
	return true
}

// eightShape: an eight-digit number in the groupings of the regions that
// write them, not starting with 0 or 1, and not "2024 2025".
func eightShape(r *run, a, b int) bool {
	if d := r.digits[r.g[a].dpos]; d < '2' {
		return false
	}
	if shape(r, a, b, 4, 4) {
		return !isYear(r.digitsOf(a, a)) && !isYear(r.digitsOf(b, b))
	}
	return shape(r, a, b, 2, 2, 2, 2) || shape(r, a, b, 3, 2, 3) || shape(r, a, b, 3, 5)
}

func isYear(g []byte) bool {
	return len(g) == 4 && ((g[0] == '1' && g[1] == '9') || (g[0] == '2' && g[1] == '0'))
}

// cutAfter reports whether a number may end after group b of the run: at
// the end of the run when nothing is glued to it, or before a separator
// that holds a space or a slash ("844 555 0142 24 hours", "… 0142 / 0143").
func (r *run) cutAfter(s string, b int) bool {
	if b == r.n-1 {
		if r.truncated {
			return false
		}
		_, end := r.span(b, b)
		return !gluedAt(s, end)
	}
	next := r.g[b+1]
	return next.space || next.hard == kSlash
}

// spacesOnly: groups a..b are separated by whitespace alone.
func (r *run) spacesOnly(a, b int) bool {
	for g := a + 1; g <= b; g++ {
		if r.g[g].hard != kOther || r.g[g].open >= 0 || r.g[g-1].close >= 0 {
			return false
		}
	}
	return true
}

// fullWidth: group a is written in full-width digits (three bytes each;
// Arabic-Indic digits take two).
func (r *run) fullWidth(a int) bool { return r.g[a].end-r.g[a].start >= 3*r.g[a].nd }

// frenchStyle: three or more groups of one or two digits after a trunk
// prefix, as French, Belgian and Swiss numbers are written.
func (r *run) frenchStyle(a, b int) bool {
	short := 0
	for g := a; g <= b; g++ {
		if r.g[g].nd <= 2 {
			short++
		}
	}
	return short >= 3 && r.digits[r.g[a].dpos] == '0'
}

// prevByte returns the last byte before i that is not a space or tab,
// looking back a few bytes, and its offset; 0 and -1 if there is none.
func prevByte(s string, i int) (byte, int) {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		if s[j] != ' ' && s[j] != '\t' {
			return s[j], j
		}
	}
	return 0, -1
}

// phoneLabels are words that end a label before a number ("Support: …").
var phoneLabels = []string{"phone", "tel", "call", "hotline", "helpline", "support", "number", "contact", "fax",
	"mobile", "free", "whatsapp", "telefon", "téléphone", "appel", "numéro", "電話", "番号", "tfn"}

// labelBefore: the colon at s[c] ends a phone label.
func labelBefore(s string, c int) bool {
	w := strings.ToLower(strings.TrimRight(s[max(0, c-16):c], " \t\u00a0"))
	for _, l := range phoneLabels {
		if strings.HasSuffix(w, l) {
			return true
		}
	}
	return false
}

// startAt reports whether a number may start at group a: the first group
// of a run, or one after whitespace.
func (r *run) startAt(a int) bool { return a == 0 || r.g[a].space }
