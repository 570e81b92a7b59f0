package main

import (
	"math/rand/v2"
	"strings"
)

// textToCanvas removes the visible text of every document and draws it
// instead, line by line, on a full-page canvas from a script at the end of
// the body. Titles stay (a tab title cannot be drawn).
func textToCanvas(p *Page, _ *rand.Rand) (string, error) {
	for i, d := range p.Docs {
		var lines []string
		d = rewriteHTML(d, func(text string, ctx textContext) string {
			if ctx != inHTML || strings.TrimSpace(text) == "" {
				return escapeFor(text, ctx)
			}
			lines = append(lines, strings.Join(strings.Fields(text), " "))
			return " "
		}, nil)
		if len(lines) == 0 {
			p.Docs[i] = d
			continue
		}
		var b strings.Builder
		b.WriteString(`<canvas id="__c" width="1200" height="800"></canvas><script>(function () {
var c = document.getElementById("__c").getContext("2d"); c.font = "20px Arial"; c.fillStyle = "#c00"; var y = 30;
`)
		for _, l := range lines {
			b.WriteString("c.fillText(" + quoteJS(l) + ", 20, y); y += 26;\n")
		}
		b.WriteString("})();</script>")
		p.Docs[i] = insertBeforeBodyEnd(d, b.String())
	}
	return "", nil
}

// insertBeforeBodyEnd puts markup before </body>, or at the end.
func insertBeforeBodyEnd(doc []byte, markup string) []byte {
	s := string(doc)
	if i := strings.LastIndex(strings.ToLower(s), "</body"); i >= 0 {
		return []byte(s[:i] + markup + s[i:])
	}
	return []byte(s + markup)
}
