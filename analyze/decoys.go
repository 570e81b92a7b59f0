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
// An element hidden by a class is read as hidden when a style element of
// the document hides that class with a rule of its own (classRules); the
// rest of the cascade (inheritance, specificity, style sheets in files)
// is the browser's reading's.

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

// mayHide: an element with these attributes may be hidden: the hidden
// attribute, an inline style, or a class (newDecoy reads which).
func mayHide(attrs *attrList) bool {
	return attrs.has("hidden") || attrs.has("style") || attrs.has("class")
}

// newDecoy starts a candidate decoy: element tag, its text from from. An
// element is hidden by its own attributes (the hidden attribute; an inline
// style of display:none, visibility:hidden, or a font size or opacity of
// zero), or by a class a style element of the document hides that way:
// which is asked only if the element turns out a decoy (hides).
func newDecoy(tag string, from int, attrs *attrList) decoyState {
	d := decoyState{tag: tag, from: from}
	if attrs.has("hidden") {
		d.hidden = true
	} else if i := attrs.index("style"); i >= 0 && hidingDecls(bytesView(attrs.list[i].val)) {
		d.hidden = true
	} else {
		d.class = attrs.get("class")
	}
	return d
}

// hides: the decoy's element is hidden, by its attributes or by one of its
// classes.
func (d *decoyState) hides(hidden *classRules, styles []attrAt) bool {
	if d.hidden {
		return true
	}
	for _, c := range strings.Fields(d.class) {
		if hidden.has(c, styles) {
			return true
		}
	}
	return false
}

// classRules answers whether a document's style elements give a class a
// rule whose declarations decls accepts (hidingDecls: the class hides its
// elements; overridesRTL: it shows their text reversed), looking for that
// class only, and only when the page asks (an element with a class inside
// a word; one where a style element overrides the direction): most pages
// ask nothing. Answers are kept.
type classRules struct {
	decls   func(decls string) bool
	known   map[string]bool
	read    int // styles (elements and attributes) the known answers cover
	scanned int // bytes of style sheets read for answers, within maxDecoyScan
}

// has: a style element among styles gives class c a rule of its own
// (classRule) that decls accepts.
func (h *classRules) has(c string, styles []attrAt) bool {
	for ; h.read < len(styles); h.read++ {
		if styles[h.read].Tag == "style" {
			clear(h.known) // a style element more since: ask again
		}
	}
	if v, ok := h.known[c]; ok {
		return v
	}
	if h.known == nil {
		h.known = map[string]bool{}
	}
	v := false
	for _, st := range styles {
		if st.Tag != "style" {
			continue
		}
		// A page of many classed elements inside words, or of many style
		// elements between them, cannot make the answers cost more than
		// this: past it, a class is taken as having no such rule.
		n := min(len(st.Value), maxDecoyCSS)
		if h.scanned+n > maxDecoyScan {
			return false
		}
		h.scanned += n
		if classRule(st.Value, c, h.decls) {
			v = true
			break
		}
	}
	if len(h.known) < maxHiddenClasses {
		h.known[c] = v
	}
	return v
}

// classRule: style sheet css has a rule whose selector ends with class c
// (".x", "span.x", ".menu .x:hover"; not ".x .y") and whose declarations
// decls accepts.
func classRule(css, c string, decls func(string) bool) bool {
	css = css[:min(len(css), maxDecoyCSS)]
	dotted := "." + c // rarer in style sheets than the name's first letter
	for from := 0; ; {
		i := strings.Index(css[from:], dotted)
		if i < 0 {
			return false
		}
		from += i + len(dotted)
		// The rest of the compound (:hover, [attr], .other), then the
		// selector's end: a comma or the block.
		j := from
		for j < len(css) && (isAlnum(css[j]) || strings.IndexByte("-_.:#[]()=\"'", css[j]) >= 0) {
			if j == from && (isAlnum(css[j]) || css[j] == '-' || css[j] == '_') {
				break // a longer name (".xy" for ".x")
			}
			j++
		}
		if j == from && j < len(css) && (isAlnum(css[j]) || css[j] == '-' || css[j] == '_') {
			continue
		}
		for j < len(css) && (css[j] == ' ' || css[j] == '\t' || css[j] == '\n' || css[j] == '\r') {
			j++
		}
		if j >= len(css) || css[j] != ',' && css[j] != '{' {
			continue
		}
		open := strings.IndexByte(css[j:], '{')
		if open < 0 {
			return false
		}
		open += j
		end := strings.IndexAny(css[open+1:], "{}")
		if end < 0 {
			return false
		}
		if css[open+1+end] == '}' && decls(css[open+1:open+1+end]) {
			return true
		}
	}
}

// decoyState follows one candidate decoy through parseDoc.
type decoyState struct {
	hidden bool   // by its own attributes
	class  string // its class attribute, when not hidden by them
	tag    string // the element, while its text is read ("" none)
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

// hidingDecls: CSS declarations that take an element off the screen
// (display:none, visibility:hidden, a font size or opacity of zero).
func hidingDecls(decls string) bool {
	return eachDecl(decls, func(prop, val string) bool {
		switch {
		case isWord(prop, "display"):
			return isWord(val, "none")
		case isWord(prop, "visibility"):
			return isWord(val, "hidden")
		case isWord(prop, "font-size"), isWord(prop, "opacity"):
			return zeroLength(val)
		}
		return false
	})
}

// eachDecl calls fn with each declaration of decls (a style attribute or
// a rule's block), its property and value without the spaces around them
// or !important, read without a copy, until fn says true; it says whether
// one did.
func eachDecl(decls string, fn func(prop, val string) bool) bool {
	for decls != "" {
		d := decls
		if i := strings.IndexByte(decls, ';'); i >= 0 {
			d, decls = decls[:i], decls[i+1:]
		} else {
			decls = ""
		}
		prop, val, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		if i := strings.IndexByte(val, '!'); i >= 0 {
			val = val[:i] // !important
		}
		if fn(strings.Trim(prop, cssSpace), strings.Trim(val, cssSpace)) {
			return true
		}
	}
	return false
}

// cssSpace is CSS's white space.
const cssSpace = " \t\n\r\f"

// isWord: s is word (lower case), ASCII case ignored, as CSS reads
// property names and keywords.
func isWord(s, word string) bool { return len(s) == len(word) && foldsToString(s, word) }

// zeroLength: a CSS value of zero ("0", "0px", "0em", "0%"), not "0.5".
func zeroLength(v string) bool {
	if len(v) == 0 || v[0] != '0' {
		return false
	}
	for i := 1; i < len(v); i++ {
		if c := v[i] | 0x20; (c < 'a' || c > 'z') && v[i] != '%' {
			return false
		}
	}
	return true
}

// maxHiddenClasses bounds the answers about classes parseDoc keeps;
// maxDecoyCSS the bytes of a style element it reads for one.
const (
	maxHiddenClasses = 256
	maxDecoyCSS      = 256 << 10
	maxDecoyScan     = 4 << 20 // bytes of style sheets a document's decoys may read in all
)
