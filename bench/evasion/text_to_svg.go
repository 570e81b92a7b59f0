package main

import (
	"encoding/base64"
	"html"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
)

// textToSVG replaces each visible text node of the documents with an
// <img> of an SVG picture that draws the same words as a <text> element
// (a data: URL, base64 or percent-encoded): the browser shows the words,
// the markup holds none, and no OCR of raster pictures reads them. Titles
// and script strings stay.
func textToSVG(p *Page, rng *rand.Rand) (string, error) {
	for i, d := range p.Docs {
		p.Docs[i] = rewriteHTML(d, func(text string, ctx textContext) string {
			line := strings.Join(strings.Fields(text), " ")
			if ctx != inHTML || line == "" {
				return escapeFor(text, ctx)
			}
			svg := `<svg xmlns="http://www.w3.org/2000/svg" width="` + strconv.Itoa(9*len([]rune(line))+8) +
				`" height="24"><text x="4" y="18" font-family="sans-serif" font-size="16">` + html.EscapeString(line) + `</text></svg>`
			src := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg))
			if rng.IntN(2) == 0 {
				src = "data:image/svg+xml," + url.PathEscape(svg)
			}
			return `<img alt="" src="` + src + `">`
		}, nil)
	}
	return "", nil
}
