package analyze

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// normalizeText prepares text for phrase matching and number scanning: NFKC
// (full-width letters and digits become ASCII, as Japanese pages write
// them; NBSP, thin and narrow no-break spaces become spaces; the
// non-breaking hyphen a hyphen), Cyrillic and Greek look-alikes in
// mixed-script words as Latin (homoglyph.go), lower case, no zero-width or soft-hyphen
// characters (inserted to break up keywords), typographic quotes folded to
// ASCII, runs of white space as one space, or as one line break when they
// hold a line break or a tab: a block boundary of the page's text (see
// docFacts.Text; a browser's innerText puts a tab between table cells),
// which the term matcher reads as a space and phone.Find as the end of a
// number.
// What is left of digits and separators (Arabic-Indic digits, "・", "·")
// phone's scanner reads itself: one table decides what a number character
// is.
func normalizeText(s string) string {
	if isASCII(s) {
		return normalizeASCII(s)
	}
	s = norm.NFKC.String(s)
	s = foldLookalikes(s) // homoglyph.go: look-alike letters, invisible characters
	b := make([]byte, 0, len(s))
	space := true // drop leading space
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			// A run of ASCII, most of any text: as normalizeASCII (the
			// same white space as unicode.IsSpace's, the same lower case).
			j := nextNonASCII(s, i)
			b, space = appendASCIIRun(b, s[i:j], space)
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError:
			continue
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			continue
		case r == '\u2018' || r == '\u2019' || r == '\u02bc':
			r = '\''
		case r == '\u201c' || r == '\u201d':
			r = '"'
		}
		if unicode.IsSpace(r) {
			b, space = appendSpace(b, r == '\n' || r == '\t', space), true
			continue
		}
		space = false
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return trimmedEnd(b)
}

// termForms keeps what normalizeText makes of a rule pack's terms while
// an engine is built: the text rules and the fast path normalise the same
// terms, and a named term list or a brand comes back in every rule that
// names it (the default pack: some 6,000 calls for 2,200 terms). The
// terms that are not ASCII cost most, NFKC's about a microsecond each.
type termForms map[string]string

// packTermsHint sizes the maps of a pack's terms from the start (the
// default pack has about 2,000 of them): growing them took a tenth of
// building an engine.
const packTermsHint = 2048

func (f termForms) normalize(s string) string {
	n, ok := f[s]
	if !ok {
		n = normalizeText(s)
		f[s] = n
	}
	return n
}

// nextNonASCII returns the index of the first byte of s from i on that is
// not ASCII, len(s) if none: eight bytes at a time.
func nextNonASCII(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return i
		}
	}
	return i
}

// normalizeASCII is normalizeText of ASCII text.
func normalizeASCII(s string) string {
	b, _ := appendASCIIRun(make([]byte, 0, len(s)), s, true) // true: drop leading space
	return trimmedEnd(b)
}

// appendASCIIRun appends ASCII text s as normalizeText writes it (each
// byte kept, lowered or, with the white space around it, one space or line
// break as appendSpace makes them), in place: the run takes at most len(s)
// bytes more. space says whether b ends in white space, before and after.
func appendASCIIRun(b []byte, s string, space bool) ([]byte, bool) {
	n := len(b)
	b = slices.Grow(b, len(s))[:n+len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i] & 0x7f
		if asciiClass[c] < asciiSpace { // kept, or in lower case: one table
			b[n] = asciiLower[c]
			n++
			space = false
			continue
		}
		if asciiClass[c] == asciiSpace {
			if !space {
				b[n] = ' '
				n++
				space = true
			}
			continue
		}
		// A line break or a tab: as appendSpace with newline set.
		if !space {
			n++
		}
		if n > 0 {
			b[n-1] = '\n'
		}
		space = true
	}
	return b[:n], space
}

// How normalizeText writes an ASCII byte: as it is, in lower case, or as
// white space (the same as unicode.IsSpace's), a line break when it is
// '\n' or '\t'.
const (
	asciiKeep = iota
	asciiUpper
	asciiSpace
	asciiBreak
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = asciiUpper
	}
	for _, c := range " \r\f\v" {
		t[c] = asciiSpace
	}
	t['\n'], t['\t'] = asciiBreak, asciiBreak
	return t
}()

// appendSpace collapses a run of white space into one space, a newline
// when the run holds a line break or a tab.
func appendSpace(b []byte, newline, space bool) []byte {
	if !space {
		b = append(b, ' ')
	}
	if newline && len(b) > 0 {
		b[len(b)-1] = '\n'
	}
	return b
}

// trimmedEnd is b without its trailing white space, as a string: b
// itself, which nothing writes to again.
func trimmedEnd(b []byte) string {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n') {
		b = b[:len(b)-1]
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func isASCII(s string) bool { return nextNonASCII(s, 0) == len(s) }

// snippet returns s[start:end] widened by up to ctx bytes each side, on rune
// boundaries, with white space collapsed, at most max bytes.
func snippet(s string, start, end, ctx, max int) string {
	if start < 0 {
		start = 0
	}
	if end > len(s) {
		end = len(s)
	}
	if start > end {
		start = end
	}
	a, z := start-ctx, end+ctx
	if a < 0 {
		a = 0
	}
	if z > len(s) {
		z = len(s)
	}
	for a > 0 && !utf8.RuneStart(s[a]) {
		a--
	}
	for z < len(s) && !utf8.RuneStart(s[z]) {
		z++
	}
	out := strings.Join(strings.Fields(strings.ToValidUTF8(s[a:z], "")), " ")
	if len(out) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut] + "…"
	}
	return out
}

// clip shortens s to at most max bytes on a rune boundary.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
