package analyze

import (
	"strings"
	"unicode/utf8"
)

// Text shown reversed. A kit can write its number backwards and have the
// browser show it forwards: inside <bdo dir="rtl">, in an element whose
// inline style or class overrides the direction (unicode-bidi:
// bidi-override; direction: rtl), or after a right-to-left override
// character (U+202E, up to a pop, U+202C). The DOM's text (innerText,
// textContent) keeps the written order, so a reader of it sees
// "2410-555-448-1+" where the visitor reads "+1-844-555-0142". parseDoc
// reads such text in the order it is shown, as the extension does
// (content.js shownText). One reversal at a time (not nested); of the
// cascade, only a class's rule of its own in a style element of the
// document is read (not style sheets in files, nor a rule that sets one
// of the two properties and another rule the other).

const (
	rlo = "\u202e" // right-to-left override
	pdf = "\u202c" // pop directional formatting
)

// reversedState follows one element whose text is shown reversed.
type reversedState struct {
	tag   string // the element ("" none)
	depth int    // elements of the same name open inside it
	from  int    // where its text starts in the document's text
}

// showsReversed: an element with these attributes shows its text in
// reverse (bdo with dir=rtl; an inline style overriding the direction to
// right-to-left; a class that a style element of the document gives such
// a rule of its own, asked of overriding only when a style element holds
// "bidi-override", as few pages' style elements do).
func showsReversed(tag string, attrs *attrList, overriding *classRules, styles []attrAt, cssOverrides bool) bool {
	if tag == "bdo" {
		return strings.EqualFold(strings.TrimSpace(attrs.get("dir")), "rtl")
	}
	// Most styles hold no "bidi-override": no need to read their
	// declarations.
	if i := attrs.index("style"); i >= 0 && indexFold(attrs.list[i].val, "bidi-override") >= 0 && overridesRTL(bytesView(attrs.list[i].val)) {
		return true
	}
	if !cssOverrides {
		return false
	}
	for _, c := range strings.Fields(attrs.get("class")) {
		if overriding.has(c, styles) {
			return true
		}
	}
	return false
}

// overridesRTL: CSS declarations that show text reversed (unicode-bidi:
// bidi-override and direction: rtl).
func overridesRTL(decls string) bool {
	override, rtl := false, false
	eachDecl(decls, func(prop, val string) bool {
		override = override || isWord(prop, "unicode-bidi") && isWord(val, "bidi-override")
		rtl = rtl || isWord(prop, "direction") && isWord(val, "rtl")
		return override && rtl
	})
	return override && rtl
}

// reverseRunes reverses the characters of b in place, as a right-to-left
// override shows them: brackets mirrored too (Unicode's bidi rule L4), so
// "2410-555 (558) 1+" shows, and reads, "+1 (855) 555-0142".
func reverseRunes(b []byte) {
	// Reverse the bytes, then each character's bytes back.
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			b[i] = mirrored(b[i])
			i++
			continue
		}
		// A reversed multi-byte character ends with its lead byte.
		j := i
		for j < len(b) && !utf8.RuneStart(b[j]) {
			j++
		}
		if j < len(b) {
			for x, y := i, j; x < y; x, y = x+1, y-1 {
				b[x], b[y] = b[y], b[x]
			}
		}
		i = j + 1
	}
}

// mirrored is the ASCII bracket a right-to-left run shows for c.
func mirrored(c byte) byte {
	switch c {
	case '(':
		return ')'
	case ')':
		return '('
	case '[':
		return ']'
	case ']':
		return '['
	case '{':
		return '}'
	case '}':
		return '{'
	case '<':
		return '>'
	case '>':
		return '<'
	}
	return c
}

// unoverride returns t with each run after a right-to-left override (to a
// pop, or t's end) reversed, the control characters removed.
func unoverride(t string) string {
	var b strings.Builder
	for {
		i := strings.Index(t, rlo)
		if i < 0 {
			b.WriteString(t)
			return b.String()
		}
		b.WriteString(t[:i])
		t = t[i+len(rlo):]
		end := strings.Index(t, pdf)
		run := t
		if end >= 0 {
			run, t = t[:end], t[end+len(pdf):]
		} else {
			t = ""
		}
		r := []byte(run)
		reverseRunes(r)
		b.Write(r)
	}
}
