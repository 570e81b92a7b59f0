package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
)

// padding puts 8,000-12,000 empty elements at the start of the main
// document's body, before everything the page shows or runs: nested in
// one hidden container, or side by side. Kits pad to push their payload
// past what a detector reads or has time for; the page looks the same.
func padding(p *Page, rng *rand.Rand) (string, error) {
	if len(p.Docs) == 0 {
		return "", nil
	}
	n := 8000 + rng.IntN(4000)
	var b strings.Builder
	variant := "nested"
	if rng.IntN(2) == 0 {
		variant = "side-by-side"
		for i := range n {
			fmt.Fprintf(&b, `<div class="c%d" hidden></div>`, i%97)
		}
	} else {
		b.WriteString(`<div style="display:none">`)
		for i := range n / 2 {
			fmt.Fprintf(&b, `<div class="c%d"><span></span></div>`, i%97)
		}
		b.WriteString(`</div>`)
	}
	p.insertMain(bodyStart(p.Docs[0]), b.String())
	return variant, nil
}

// insertMain puts s into the main document at byte at.
func (p *Page) insertMain(at int, s string) {
	doc := p.Docs[0]
	p.Docs[0] = append(append(append(make([]byte, 0, len(doc)+len(s)), doc[:at]...), s...), doc[at:]...)
}

// bodyStart is where the body's content begins: after the <body> start
// tag, else after <html>'s, else the document's start.
func bodyStart(doc []byte) int {
	lower := bytes.ToLower(doc)
	for _, tag := range []string{"<body", "<html"} {
		if i := bytes.Index(lower, []byte(tag)); i >= 0 {
			if j := bytes.IndexByte(doc[i:], '>'); j >= 0 {
				return i + j + 1
			}
		}
	}
	return 0
}
