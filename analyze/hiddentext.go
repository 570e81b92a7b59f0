package analyze

import (
	"strings"

	"github.com/tssguard/tssguard/internal/csstext"
)

// Text a served page shows outside its text nodes, read from its bytes:
// the strings of CSS generated content (::before/::after), and the prose a
// script draws on a canvas. The browser reads the same and more (computed
// styles, attr() values, what was actually drawn, OCR); see the sandbox.

const (
	maxHiddenText   = 64 << 10 // bytes of hidden text per document or script
	maxContentDecls = 512      // content: declarations read per style
)

// readHiddenText adds CSS content strings and canvas prose to the page text,
// as sources css-content and canvas.
func (a *analysis) readHiddenText() {
	for _, d := range a.docs {
		if d.scriptMade() {
			continue
		}
		var parts []string
		size := 0
		seen := map[string]bool{}
		for _, st := range d.Styles {
			for _, v := range csstext.Contents(st.Value, maxContentDecls) {
				t := csstext.Text(v)
				if t == "" || seen[t] || size > maxHiddenText {
					continue
				}
				seen[t] = true
				size += len(t)
				parts = append(parts, t)
			}
		}
		if len(parts) > 0 {
			a.decodedText = append(a.decodedText, segment{Name: d.Name + " CSS content", Source: "css-content", Text: strings.Join(parts, "\n")})
		}
	}
	for _, u := range a.scripts {
		draws, drawn := drawsText(u)
		if !draws { // at any depth: a decoded script draws as well
			continue
		}
		var parts []string
		size := 0
		for _, l := range u.Facts.Literals {
			if size > maxHiddenText {
				break
			}
			if prose(l.Value) || drawn[l.Value] {
				parts = append(parts, l.Value)
				size += len(l.Value)
			}
		}
		if len(parts) > 0 {
			a.decodedText = append(a.decodedText, segment{Name: u.Name + " canvas text", Source: "canvas", Text: strings.Join(parts, "\n")})
		}
	}
}

// drawsText says whether the script draws text on a canvas, and which
// strings it draws in so many words: those are page text, prose or not
// ("5 viruses" on one line, "found on your PC." on the next).
func drawsText(u *scriptUnit) (draws bool, drawn map[string]bool) {
	for _, c := range u.Facts.Calls {
		if !strings.EqualFold(c.Method, "fillText") && !strings.EqualFold(c.Method, "strokeText") {
			continue
		}
		draws = true
		if len(c.Args) > 0 && len(c.Args[0]) >= 2 {
			if drawn == nil {
				drawn = map[string]bool{}
			}
			drawn[c.Args[0]] = true
		}
	}
	return draws, drawn
}

// prose: a string literal that reads as words (three or more, mostly
// letters) or as a phone number, not as code, a selector or a URL.
func prose(s string) bool {
	if len(s) < 7 || len(s) > 1000 || strings.ContainsAny(s, "<>{}=;") || strings.Contains(s, "://") {
		return false
	}
	if digitCount(s) >= 7 && len(s) <= 40 {
		return true
	}
	// Characters, not bytes: Cyrillic, Greek or CJK letters take two or
	// three bytes each, and invisible characters slipped into the words
	// count for nothing.
	words, letters, chars := len(strings.Fields(s)), 0, 0
	for _, r := range s {
		switch {
		case invisible(r):
		case r > 0x7f || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters++
			chars++
		default:
			chars++
		}
	}
	return words >= 3 && letters*10 >= chars*6
}
