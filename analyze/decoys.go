package analyze

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hidden decoys. A kit can put a letter or two inside each word and a digit
// inside each number, in an element its own attributes hide:
// "vi<span style="display:none">q</span>rus", "+1-84<span hidden>7</span>4-…".
// The screen shows the words and the number whole; the markup's text holds
// neither. parseDoc leaves such a decoy out of the text, as the browser
// does: the text of an inline element hidden by its attributes (hidesElement)
// that holds no other element, is short and without white space, and sits
// inside a word or a number (a letter or digit right before and right
// after it). A hidden element a script shows later (a modal, a number
// revealed on a click) is longer, or stands apart from the words around it:
// its text stays.
//
// Hiding through a style sheet's class is not read here (no CSS cascade);
// the browser's reading of the page sees it.

// maxDecoy is the longest decoy text, in bytes.
const maxDecoy = 16

// decoyTags are the inline elements a decoy can be: inside a word, a
// block element would break the line.
var decoyTags = map[string]bool{
	"span": true, "b": true, "i": true, "u": true, "s": true, "em": true, "strong": true, "small": true,
	"big": true, "font": true, "sup": true, "sub": true, "mark": true, "ins": true, "del": true, "q": true,
	"abbr": true, "label": true, "code": true, "tt": true, "cite": true, "dfn": true, "kbd": true,
	"samp": true, "var": true, "a": true, "bdi": true, "bdo": true, "time": true, "data": true, "strike": true,
}

// hidesElement: an element with these attributes is not on screen (the
// hidden attribute; an inline style of display:none, visibility:hidden,
// or a font size or opacity of zero; or a class the document's style
// sheets hide that way, hidden).
func hidesElement(attrs *attrList, hidden map[string]bool) bool {
	if attrs.has("hidden") {
		return true
	}
	if st := attrs.get("style"); st != "" && hidingDecls(st) {
		return true
	}
	if len(hidden) > 0 {
		for _, c := range strings.Fields(attrs.get("class")) {
			if hidden[c] {
				return true
			}
		}
	}
	return false
}

// hidingDecls: CSS declarations that take an element off the screen.
func hidingDecls(decls string) bool {
	st := strings.ToLower(strings.Join(strings.Fields(decls), ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") ||
		zeroValue(st, "font-size:") || zeroValue(st, "opacity:")
}

// mayHide is hidingDecls' cheap first test.
func mayHide(decls string) bool {
	return strings.Contains(decls, "none") || strings.Contains(decls, "hidden") || strings.Contains(decls, "size") || strings.Contains(decls, "opacity") ||
		strings.ContainsAny(decls, "NHSO") // upper case: let hidingDecls decide
}

// maxHiddenClasses bounds the classes a document's style sheets hide that
// parseDoc keeps; maxDecoyCSS the bytes of a style element it reads.
const (
	maxHiddenClasses = 256
	maxDecoyCSS      = 256 << 10
)

// hidingClasses adds to hidden the classes that style sheet css hides
// with a rule of their own: "span.qx, .other { display: none }". Only
// the last part of a selector counts (".menu .qx" hides .qx elements in a
// menu: cautiously, every .qx). At-rules are read as if they were not
// there (a print style sheet's hidden class counts too: a decoy is short
// and inside a word, where nothing else stands).
func hidingClasses(css string, hidden map[string]bool) {
	css = css[:min(len(css), maxDecoyCSS)]
	from := 0
	for len(hidden) < maxHiddenClasses {
		open := strings.IndexByte(css[from:], '{')
		if open < 0 {
			return
		}
		open += from
		end := strings.IndexAny(css[open+1:], "{}")
		if end < 0 {
			return
		}
		end += open + 1
		if css[end] == '{' { // an at-rule's block: read its rules
			from = open + 1
			continue
		}
		sel := css[from:open]
		if i := strings.LastIndexAny(sel, "};"); i >= 0 {
			sel = sel[i+1:]
		}
		if block := css[open+1 : end]; strings.IndexByte(sel, '.') >= 0 && mayHide(block) && hidingDecls(block) {
			for _, one := range strings.Split(sel, ",") {
				f := strings.Fields(one)
				if len(f) == 0 {
					continue
				}
				last := f[len(f)-1]
				for _, part := range strings.Split(last, ".")[1:] {
					name := part
					if i := strings.IndexAny(name, ":[#>+~("); i >= 0 {
						name = name[:i] // .u:hover, .x[data-y]
					}
					if name != "" && len(hidden) < maxHiddenClasses {
						hidden[name] = true
					}
				}
			}
		}
		from = end + 1
	}
}

// zeroValue: style st (lower case, without spaces) sets property prop to
// zero ("font-size:0", "font-size:0px", "opacity:0;", but not "0.9em").
func zeroValue(st, prop string) bool {
	for i := strings.Index(st, prop); i >= 0; {
		v := st[i+len(prop):]
		if strings.HasPrefix(v, "0") && (len(v) == 1 || v[1] != '.' && (v[1] < '0' || v[1] > '9')) {
			return true
		}
		next := strings.Index(v, prop)
		if next < 0 {
			return false
		}
		i += len(prop) + next
	}
	return false
}

// decoyState follows one candidate decoy through parseDoc.
type decoyState struct {
	tag    string // the hidden element, while its text is read ("" none)
	from   int    // where its text starts in the document's text
	to     int    // where it ends, once its element closed (closed)
	closed bool   // waiting for the next text: cut if it goes on the word
}

// endsWithWord: the text so far ends with a letter or digit.
func endsWithWord(text []byte) bool {
	r, _ := utf8.DecodeLastRune(text)
	return len(text) > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// startsWord: s starts with a letter or digit.
func startsWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return len(s) > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// rawTagHides is the prefilter's cautious reading of the start tag at the
// start of b: it may hide its element by its own attributes (a hidden
// attribute, or a style, by the words hidesElement reads), or it has a
// class a style sheet may hide. The tag ends at the first '>' outside
// quotes.
func rawTagHides(b []byte) (hides, class bool) {
	var quote byte
	end := len(b)
	for i := 1; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			end = i
		}
		if end < len(b) {
			break
		}
	}
	tag := b[:end]
	for _, w := range []string{"hidden", "none", "font-size", "opacity"} {
		if indexFold(tag, w) >= 0 {
			return true, false
		}
	}
	return false, indexFold(tag, "class") >= 0
}

// wordBefore: the prefilter's prose view ends inside a word (a letter or
// digit, or a byte of a longer character: cautiously, any).
func wordBefore(prose []byte) bool {
	if len(prose) == 0 {
		return false
	}
	c := prose[len(prose)-1]
	return isAlnum(c) || c >= utf8.RuneSelf
}
