package main

import (
	"html"
	"math/rand/v2"
	"strconv"
	"strings"
)

// textInScript removes the visible text of every document and has a
// script put it back, as kits that keep their alert and number in code do:
// each text's place becomes an empty <span>, and a script at the end of
// the body fills the spans in with textContent (one statement each, or
// in a loop over an array of the lines), or sets them all at once with
// innerHTML of their parent markup, or the text is written where it stood
// with document.write. The page shows the
// same once its scripts run; a reader of the served markup sees none of
// it. The titles stay.
func textInScript(p *Page, rng *rand.Rand) (string, error) {
	how := rng.IntN(4)
	variant := []string{"textContent", "innerHTML", "document.write", "loop"}[how]
	for i, d := range p.Docs {
		var texts []string
		d = rewriteHTML(d, func(text string, ctx textContext) string {
			if ctx != inHTML || strings.TrimSpace(text) == "" {
				return escapeFor(text, ctx)
			}
			line := strings.Join(strings.Fields(text), " ")
			if how == 2 {
				return "<script>document.write(" + quoteJS(html.EscapeString(line)) + ");</script>"
			}
			texts = append(texts, line)
			return `<span id="__t` + strconv.Itoa(len(texts)-1) + `"></span>`
		}, nil)
		if len(texts) == 0 {
			p.Docs[i] = d
			continue
		}
		var b strings.Builder
		b.WriteString("<script>\n")
		switch how {
		case 0:
			for k, t := range texts {
				b.WriteString(`document.getElementById("__t` + strconv.Itoa(k) + `").textContent = ` + quoteJS(t) + ";\n")
			}
		case 3:
			b.WriteString("var __l = [\n")
			for _, t := range texts {
				b.WriteString(quoteJS(t) + ",\n")
			}
			b.WriteString(`];
for (var __i = 0; __i < __l.length; __i++) document.getElementById("__t" + __i).textContent = __l[__i];
`)
		default:
			var m strings.Builder
			for _, t := range texts {
				m.WriteString("<p>" + html.EscapeString(t) + "</p>")
			}
			b.WriteString(`document.getElementById("__t0").innerHTML = ` + quoteJS(m.String()) + ";\n")
		}
		b.WriteString("</script>")
		p.Docs[i] = insertBeforeBodyEnd(d, b.String())
	}
	return variant, nil
}
