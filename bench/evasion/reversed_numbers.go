package main

import "math/rand/v2"

// reversedNumbers writes every phone number of the text backwards and has
// the browser show it forwards: in a text node inside <bdo dir="rtl"> or a
// span whose style overrides the direction, in a title or a script's
// string between a right-to-left override and a pop (U+202E … U+202C).
// The DOM's text keeps the written order, so a reader of it sees
// "2410-555-448-1+". A right-to-left run shows its brackets mirrored, so
// "(844)" is written "(448)", as a kit that checked its page would write it.
func reversedNumbers(p *Page, rng *rand.Rand) (string, error) {
	p.mapText(func(text string, ctx textContext) string {
		return mapPhones(text, ctx, func(n string) string {
			rev := escapeFor(reverseString(n), ctx)
			switch {
			case ctx != inHTML:
				return "\u202e" + rev + "\u202c"
			case rng.IntN(2) == 0:
				return `<bdo dir="rtl">` + rev + `</bdo>`
			default:
				return `<span style="unicode-bidi: bidi-override; direction: rtl">` + rev + `</span>`
			}
		})
	})
	return "", nil
}

// reverseString reverses s by characters, its brackets mirrored.
func reverseString(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	for i, c := range r {
		if m, ok := mirror[c]; ok {
			r[i] = m
		}
	}
	return string(r)
}

var mirror = map[rune]rune{'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<'}
