package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// entities spells every character of the text as a numeric character
// reference, decimal or hexadecimal at random. Script prose cannot hold
// references, so it stays.
func entities(p *Page, rng *rand.Rand) (string, error) {
	p.mapText(func(text string, ctx textContext) string {
		if ctx == inScriptString {
			return text
		}
		var b strings.Builder
		for _, r := range text {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
				b.WriteRune(r)
				continue
			}
			if rng.IntN(2) == 0 {
				b.WriteString("&#" + strconv.Itoa(int(r)) + ";")
			} else {
				b.WriteString("&#x" + strconv.FormatInt(int64(r), 16) + ";")
			}
		}
		return b.String()
	})
	return "", nil
}
