package analyze

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/tssguard/tssguard/analyze/htmltok"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/csstext"
)

// Text a served page shows outside its text nodes, read from its bytes:
// the strings of CSS generated content (::before/::after) and the
// attributes it shows with attr(), and the prose a script draws on a
// canvas. The browser reads the same and more (computed styles, what was
// actually drawn, OCR); see the sandbox.

const (
	maxHiddenText   = 64 << 10 // bytes of hidden text per document or script
	maxContentDecls = 512      // content: declarations read per style
	maxContentAttrs = 16       // attributes content: attr() shows, per document
)

// readHiddenText adds CSS content strings, attribute text, the words of
// SVG pictures and canvas prose to the page text, as sources css-content,
// attribute, svg and canvas.
func (a *analysis) readHiddenText() {
	readsData := sync.OnceValue(a.readsAttributes)
	for _, d := range a.docs {
		if d.scriptMade() {
			continue
		}
		var parts []string
		size := 0
		seen := map[string]bool{}
		add := func(t string) {
			if t == "" || seen[t] || size > maxHiddenText {
				return
			}
			seen[t] = true
			size += len(t)
			parts = append(parts, t)
		}
		var attrs []string // what content: attr(…) shows
		for _, st := range d.Styles {
			for _, v := range csstext.Contents(st.Value, maxContentDecls) {
				add(csstext.Text(v))
				for _, n := range csstext.AttrNames(v) {
					if !slices.Contains(attrs, n) && len(attrs) < maxContentAttrs {
						attrs = append(attrs, n)
					}
				}
			}
		}
		if len(attrs) > 0 && d.index < len(a.cap.Documents) {
			for _, v := range attrValues(a.markup(d.index), attrs) {
				add(v)
			}
		}
		if len(parts) > 0 {
			a.decodedText = append(a.decodedText, segment{Name: d.Name + " CSS content", Source: "css-content", Text: strings.Join(parts, "\n")})
		}
		// What the browser shows of attributes (sandbox/text.go reads the
		// same), and the data-* text a script may put in the page.
		shown := d.AttrText
		if len(d.DataText) > 0 && readsData() {
			shown = append(slices.Clip(shown), d.DataText...)
		}
		if len(shown) > 0 {
			a.decodedText = append(a.decodedText, segment{Name: d.Name + " attributes", Source: capture.TextAttribute, Text: strings.Join(shown, "\n")})
		}
		a.addSVGPictureText(d) // svgtext.go
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

// attrValues returns the values of the named attributes (lower case) in
// the document's tags that read as prose or a number's line, in order:
// what CSS shows of them with content: attr(name). Links and addresses
// are left out: print style sheets show every link's href that way.
// Bounded by maxHiddenText.
func attrValues(doc []byte, names []string) []string {
	var out []string
	size := 0
	z := htmltok.New(doc)
	for size <= maxHiddenText {
		switch z.Next() {
		case htmltok.ErrorToken:
			return out
		case htmltok.StartTagToken, htmltok.SelfClosingTagToken:
			_, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if !slices.Contains(names, string(k)) {
					continue
				}
				if t := strings.TrimSpace(string(v)); proseLine(t) {
					out = append(out, t)
					size += len(t)
				}
			}
		}
	}
	return out
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
	words, letters, chars := 0, 0, 0
	inWord := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			inWord = false
			continue
		}
		if !inWord {
			words++ // as len(strings.Fields(s)), without the slice
			inWord = true
		}
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

// attributeText keeps the prose of a start tag's title, alt and aria-label
// attributes (shown: the tag is not in a hidden element) and of its data-*
// attributes.
func (d *docFacts) attributeText(attrs *attrList, shown bool) {
	for _, a := range attrs.list {
		k := a.key
		if len(k) < 3 || len(a.val) < 7 {
			continue
		}
		data := k[0] == 'd' && len(k) > 5 && string(k[:5]) == "data-"
		if !data && !(shown && (string(k) == "title" || string(k) == "alt" || string(k) == "aria-label")) {
			continue
		}
		// Prose has words, and a number's line a word beside it: a value
		// without a space is an identifier, a path or a setting, and is
		// not copied.
		if bytes.IndexByte(a.val, ' ') < 0 {
			continue
		}
		if data {
			d.DataText = d.keepAttrText(d.DataText, a.val, true)
		} else {
			d.AttrText = d.keepAttrText(d.AttrText, a.val, false)
		}
	}
}

// keepAttrText adds an attribute's value to list when it reads as prose or
// a number's line with words, once, within maxHiddenText bytes for the
// document's attributes in all. A data-* value may hold markup for a
// script to put in the page: its text counts.
func (d *docFacts) keepAttrText(list []string, val []byte, markup bool) []string {
	if d.attrBytes+len(val) > 2*maxHiddenText {
		return list
	}
	// A view of the value, copied only when kept.
	t := strings.TrimSpace(bytesView(val))
	if markup && strings.IndexByte(t, '<') >= 0 {
		t = strings.Join(strings.Fields(stripTags(t)), " ")
	}
	// Letters too: a number alone is an identifier here (data-user-id,
	// data-ad-slot), not a line to call.
	if !proseLine(t) || !hasLetters(t) || d.attrSeen[t] {
		return list
	}
	t = strings.Clone(t)
	if d.attrSeen == nil {
		d.attrSeen = map[string]bool{}
	}
	d.attrSeen[t] = true
	d.attrBytes += len(t)
	return append(list, t)
}

// stripTags drops what is between '<' and '>' (a value's markup), putting a
// space in its place.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// readsAttributes: some script of the page reads its elements' attributes
// or data (dataset, getAttribute, jQuery's attr and data).
func (a *analysis) readsAttributes() bool {
	for _, u := range a.scripts {
		c := u.Code
		if strings.Contains(c, "dataset") || strings.Contains(c, "getAttribute") || strings.Contains(c, ".data(") || strings.Contains(c, ".attr(") {
			return true
		}
	}
	return false
}
