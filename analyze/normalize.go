package analyze

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeText prepares text for phrase matching: NFKC (full-width letters
// and digits become ASCII, as Japanese pages write them), Cyrillic and Greek
// look-alikes in mixed-script words as Latin, lower case, no zero-width or
// soft-hyphen characters (inserted to break up keywords),
// typographic quotes folded to ASCII, runs of white space as one space.
func normalizeText(s string) string {
	if isASCII(s) {
		return normalizeASCII(s)
	}
	s = norm.NFKC.String(s)
	s = foldLookalikes(s) // homoglyph.go: look-alike letters, invisible characters
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading space
	for _, r := range s {
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
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}

func normalizeASCII(s string) string {
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			if !space {
				b = append(b, ' ')
				space = true
			}
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		space = false
		b = append(b, c)
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

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
