package main

import (
	"math/rand/v2"
	"strings"
)

// reversedNumbers writes every phone number of the text backwards and has
// the browser show it forwards: in a text node inside <bdo dir="rtl"> or a
// span whose style overrides the direction, in a title or a script's
// string between a right-to-left override and a pop (U+202E … U+202C).
// The DOM's text keeps the written order, so a reader of it sees
// "2410-555-448-1+".
func reversedNumbers(p *Page, rng *rand.Rand) (string, error) {
	p.mapText(func(text string, ctx textContext) string {
		var b strings.Builder
		i := 0
		for i < len(text) {
			start, end := nextPhone(text, i)
			if start < 0 {
				b.WriteString(escapeFor(text[i:], ctx))
				break
			}
			b.WriteString(escapeFor(text[i:start], ctx))
			rev := reverseString(text[start:end])
			switch {
			case ctx != inHTML:
				b.WriteString("\u202e" + escapeFor(rev, ctx) + "\u202c")
			case rng.IntN(2) == 0:
				b.WriteString(`<bdo dir="rtl">` + escapeFor(rev, ctx) + `</bdo>`)
			default:
				b.WriteString(`<span style="unicode-bidi: bidi-override; direction: rtl">` + escapeFor(rev, ctx) + `</span>`)
			}
			i = end
		}
		return b.String()
	})
	return "", nil
}

// reverseString reverses s by characters.
func reverseString(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
