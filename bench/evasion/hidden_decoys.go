package main

import (
	"math/rand/v2"
	"strings"
)

// hidingStyles are ways an element is hidden: its own attributes, or a
// class a style sheet of the page hides (decoyClassCSS); its text is in
// the markup, never on screen.
var hidingStyles = []string{
	`style="display:none"`, `style="display: none;"`, `hidden`,
	`style="font-size:0"`, `style="visibility:hidden;position:absolute"`, `style="opacity:0;position:absolute"`,
	`class="` + decoyClass + `"`, `class="w ` + decoyClass + `"`,
}

// decoyClass is the class the head's style sheet hides (decoyClassCSS).
const decoyClass = "qx"

var decoyClassCSS = `<style>.w{color:inherit}span.` + decoyClass + `, .other { display: none }</style>`

const decoyLetters = "abcdefghijklmnopqrstuvwxyz"

// hiddenDecoys puts hidden decoys inside words of four or more letters and
// inside every run of digits of the visible text: an element hidden by its
// own attributes holding a letter or two (a digit in a number), so the page
// reads "vi<span style="display:none">q</span>rus" and "+1-84<span
// hidden>7</span>4-…" in its markup while the screen shows the words and the
// number whole. Text in titles and scripts stays as it is (no tags there).
// A decoy hidden by a class gets its style sheet in the main document's
// head, which hides it in markup a script writes there too.
func hiddenDecoys(p *Page, rng *rand.Rand) (string, error) {
	classes := false
	p.mapText(func(text string, ctx textContext) string {
		if ctx != inHTML {
			return escapeFor(text, ctx)
		}
		return mapWordsEscaped(text, func(w string) string {
			digits := isDigit(w[0])
			if len(w) < 4 && !digits || len(w) < 2 {
				return escapeFor(w, inHTML)
			}
			var b strings.Builder
			at := 1 + rng.IntN(len(w)-1)
			for i := range len(w) {
				if i == at {
					hide := pick(rng, hidingStyles)
					classes = classes || strings.Contains(hide, decoyClass)
					b.WriteString("<span " + hide + ">")
					for range 1 + rng.IntN(2) {
						if digits {
							b.WriteByte('0' + byte(rng.IntN(10)))
						} else {
							b.WriteByte(decoyLetters[rng.IntN(len(decoyLetters))])
						}
					}
					b.WriteString("</span>")
				}
				b.WriteByte(w[i])
			}
			return b.String()
		})
	})
	if classes && len(p.Docs) > 0 {
		p.insertMain(headStart(p.Docs[0]), decoyClassCSS)
	}
	return "", nil
}

// mapWordsEscaped is mapWords over text for an HTML text node: the ASCII
// words and digit runs go through fn (which escapes what it returns), the
// rest is escaped.
func mapWordsEscaped(s string, fn func(word string) string) string {
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			b.WriteString(fn(s[start:end]))
			start = -1
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isASCIILetter(c) || isDigit(c) {
			if start >= 0 && isDigit(c) != isDigit(s[start]) {
				flush(i)
			}
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		if c >= 0x80 {
			b.WriteByte(c) // a piece of a longer character: nothing to escape
		} else {
			b.WriteString(escapeFor(string(c), inHTML))
		}
	}
	flush(len(s))
	return b.String()
}
