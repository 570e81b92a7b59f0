package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// scriptFlood puts 2,100-2,500 tiny inline scripts at the start of the
// main document's head (its body's without one), before every script of
// the page: past the number of scripts a detector analyses a page.
func scriptFlood(p *Page, rng *rand.Rand) (string, error) {
	if len(p.Docs) == 0 {
		return "", nil
	}
	n := 2100 + rng.IntN(400)
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<script>var v%d = %d;</script>", i, i*7)
	}
	p.insertMain(headStart(p.Docs[0]), b.String())
	return "", nil
}

// headStart is where the head's content begins (after <head>), else the
// body's (bodyStart): before the page's own scripts.
func headStart(doc []byte) int {
	lower := strings.ToLower(string(doc))
	if i := strings.Index(lower, "<head"); i >= 0 {
		if j := strings.IndexByte(lower[i:], '>'); j >= 0 {
			return i + j + 1
		}
	}
	return bodyStart(doc)
}
