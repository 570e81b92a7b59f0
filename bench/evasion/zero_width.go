package main

import (
	"math/rand/v2"
	"strings"
)

var zeroWidthChars = []string{"\u200b", "\u200c", "\u200d", "\ufeff"}

// zeroWidth puts invisible characters inside words of three or more
// letters and inside every number, so no keyword or digit run stays whole.
func zeroWidth(p *Page, rng *rand.Rand) (string, error) {
	p.mapText(func(text string, ctx textContext) string {
		return escapeFor(mapWords(text, func(w string) string {
			rs := []rune(w)
			if len(rs) < 3 && !isDigit(w[0]) || len(rs) < 2 {
				return w
			}
			var b strings.Builder
			for i, r := range rs {
				if i > 0 && (isDigit(w[0]) || rng.IntN(3) == 0 || i == len(rs)/2) {
					b.WriteString(pick(rng, zeroWidthChars))
				}
				b.WriteRune(r)
			}
			return b.String()
		}), ctx)
	})
	return "", nil
}
