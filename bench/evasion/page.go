package main

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"github.com/tssguard/tssguard/analyze/js"
)

// Page is what a mutation changes: the page's HTML documents (the main
// document first, then frames) and its external scripts.
type Page struct {
	Docs    [][]byte
	Scripts [][]byte
}

func (p *Page) clone() *Page {
	c := &Page{}
	for _, d := range p.Docs {
		c.Docs = append(c.Docs, bytes.Clone(d))
	}
	for _, s := range p.Scripts {
		c.Scripts = append(c.Scripts, bytes.Clone(s))
	}
	return c
}

// textContext says where a piece of text sits, and so what a mutation may
// put in its place.
type textContext int

const (
	// inHTML: a text node; the replacement is raw HTML (tags and entities).
	inHTML textContext = iota
	// inRCDATA: the text of <title> or <textarea>; the replacement is raw
	// HTML without tags (entities are decoded).
	inRCDATA
	// inScriptString: prose in a script's string literal (an alert, a
	// textContent); the replacement is plain text.
	inScriptString
)

// textFunc rewrites one piece of text; see textContext for what it returns.
type textFunc func(text string, ctx textContext) string

// scriptFunc rewrites the code of one script; inline tells an inline
// script from an external file.
type scriptFunc func(code string, inline bool) string

// rewriteHTML streams doc through the HTML tokenizer, passing visible text
// to text and inline JavaScript to script (either may be nil), and copies
// every other byte unchanged.
func rewriteHTML(doc []byte, text textFunc, script scriptFunc) []byte {
	z := html.NewTokenizer(bytes.NewReader(doc))
	var out bytes.Buffer
	out.Grow(len(doc) + len(doc)/4)
	raw := ""     // the raw-text element we are in: script, style, title, ...
	isJS := false // the current <script> holds JavaScript
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.StartTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			b := bytes.Clone(z.Raw())
			switch tag {
			case "script", "style", "title", "textarea", "noscript", "xmp", "iframe", "noembed", "noframes", "plaintext":
				raw = tag
			}
			if tag == "script" {
				isJS = true
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "type" && !jsType(string(v)) {
						isJS = false
					}
				}
			}
			out.Write(b)
		case html.EndTagToken:
			raw = ""
			out.Write(z.Raw())
		case html.TextToken:
			rawBytes := z.Raw()
			switch {
			case raw == "script" && isJS && script != nil:
				code := script(string(rawBytes), true)
				out.WriteString(safeScriptText(code))
			case raw == "" && text != nil:
				out.WriteString(text(string(z.Text()), inHTML))
			case (raw == "title" || raw == "textarea") && text != nil:
				out.WriteString(text(string(z.Text()), inRCDATA))
			default:
				out.Write(rawBytes)
			}
		default:
			out.Write(z.Raw())
		}
	}
	return out.Bytes()
}

func jsType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "", "text/javascript", "application/javascript", "application/x-javascript", "text/ecmascript", "application/ecmascript", "module", "text/jscript":
		return true
	}
	return false
}

// safeScriptText keeps code from ending its <script> element early.
func safeScriptText(code string) string {
	if !strings.Contains(strings.ToLower(code), "</script") {
		return code
	}
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		if code[i] == '<' && i+7 < len(code) && strings.EqualFold(code[i+1:i+8], "/script") {
			b.WriteString(`<\/`)
			i++
			continue
		}
		b.WriteByte(code[i])
	}
	return b.String()
}

// rewriteStrings applies fn to the decoded value of every string literal
// of code and writes the result back as a double-quoted literal. Strings fn
// leaves unchanged keep their original spelling.
func rewriteStrings(code string, fn func(string) string) string {
	src := []byte(code)
	var out strings.Builder
	last := 0
	js.Tokens(src, func(kind js.TokenKind, tok []byte, off int) bool {
		if kind != js.TokenString || off < last || off+len(tok) > len(src) {
			return true
		}
		v, ok := js.UnquoteString(tok)
		if !ok {
			return true
		}
		nv := fn(v)
		if nv == v {
			return true
		}
		out.WriteString(code[last:off])
		out.WriteString(quoteJS(nv))
		last = off + len(tok)
		return true
	})
	if last == 0 {
		return code
	}
	out.WriteString(code[last:])
	return out.String()
}

// quoteJS writes s as a double-quoted JavaScript string literal, escaping
// what must be and "</" so the result is safe inside <script>.
func quoteJS(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '/' && i > 0 && s[i-1] == '<':
			b.WriteString(`\/`)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			b.WriteString(strings.Repeat("0", 4-len(h)) + h)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// mapText applies fn to all text of the page a visitor reads: text nodes
// and the titles of every document, and the strings of inline and external
// scripts that hold markup (rewritten as HTML) or prose.
func (p *Page) mapText(fn textFunc) {
	p.rewrite(fn, func(code string, _ bool) string {
		return rewriteStrings(code, func(s string) string { return mapScriptString(s, fn) })
	})
}

// rewrite passes every document through rewriteHTML with text and script
// (either may be nil), then every external script through script.
func (p *Page) rewrite(text textFunc, script scriptFunc) {
	for i, d := range p.Docs {
		p.Docs[i] = rewriteHTML(d, text, script)
	}
	if script == nil {
		return
	}
	for i, s := range p.Scripts {
		p.Scripts[i] = []byte(script(string(s), false))
	}
}

// mapScriptString rewrites one script string: markup through the HTML
// rewriter, prose as plain text, anything else (names, URLs, selectors)
// untouched.
func mapScriptString(s string, fn textFunc) string {
	switch {
	case looksMarkup(s):
		return string(rewriteHTML([]byte(s), fn, nil))
	case looksProse(s):
		return fn(s, inScriptString)
	}
	return s
}

func looksMarkup(s string) bool {
	i := strings.IndexByte(s, '<')
	return i >= 0 && i+1 < len(s) && (isASCIILetter(s[i+1]) || s[i+1] == '/')
}

// looksProse: words a person reads, not a URL, selector or code.
func looksProse(s string) bool {
	if !strings.ContainsAny(s, " \u00a0") || strings.Contains(s, "://") || strings.ContainsAny(s, "{};=") ||
		strings.HasPrefix(strings.TrimSpace(s), "tel:") {
		return false
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 4
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// mapWords calls fn for each maximal run of letters or digits in s and
// rebuilds s from what fn returns; the other bytes stay.
func mapWords(s string, fn func(word string) string) string {
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			b.WriteString(fn(s[start:end]))
			start = -1
		}
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
		b.WriteRune(r)
	}
	flush(len(s))
	return b.String()
}

// escapeFor escapes plain text for the context it goes back into.
func escapeFor(s string, ctx textContext) string {
	if ctx == inScriptString {
		return s
	}
	return html.EscapeString(s)
}

// pick returns one element of list.
func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }
