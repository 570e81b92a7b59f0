package main

import (
	"math/rand/v2"
	"regexp"
	"strings"
)

// styleElement matches the style sheets of a document's head: <style>
// elements and <link rel=stylesheet>.
var styleElement = regexp.MustCompile(`(?is)<style\b.*?</style\s*>|<link\b[^>]*\bstylesheet\b[^>]*>`)

// bodyInFrame moves the main document's body into a frame over the whole
// window that a script makes, as kits that serve an empty page do: the
// frame's srcdoc, or a Blob of HTML loaded through URL.createObjectURL.
// The served body is that one script; the head stays, and its style
// sheets are copied into the frame's. A Blob's document has its own
// address, so relative scripts of the body do not load there, as they
// would not for the kit either; srcdoc's resolve as the page's.
func bodyInFrame(p *Page, rng *rand.Rand) (string, error) {
	if len(p.Docs) == 0 {
		return "", nil
	}
	doc := string(p.Docs[0])
	start := bodyStart(p.Docs[0])
	end := strings.LastIndex(strings.ToLower(doc), "</body")
	if end < start {
		end = len(doc)
		if i := strings.LastIndex(strings.ToLower(doc), "</html"); i >= start {
			end = i
		}
	}
	inner := doc[start:end]
	if strings.TrimSpace(inner) == "" {
		return "", nil
	}
	// The page's style sheets go with the body, so that it shows the same.
	var styles strings.Builder
	for _, m := range styleElement.FindAllString(doc[:start], -1) {
		styles.WriteString(m)
	}
	frameDoc := `<!doctype html><html><head><meta charset="utf-8">` + styles.String() + `</head><body>` + inner + `</body></html>`
	frame := `var f = document.createElement("iframe"); f.style.cssText = "position:fixed;top:0;left:0;width:100%;height:100%;border:0;z-index:2147483647";`
	variant, script := "srcdoc", frame+`f.srcdoc = `+quoteJS(frameDoc)+`; document.body.appendChild(f);`
	if rng.IntN(2) == 0 {
		variant = "blob"
		script = `var b = new Blob([` + quoteJS(frameDoc) + `], {type: "text/html;charset=utf-8"}); ` + frame + ` f.src = URL.createObjectURL(b); document.body.appendChild(f);`
	}
	p.Docs[0] = []byte(doc[:start] + "<script>" + script + "</script>" + doc[end:])
	return variant, nil
}
