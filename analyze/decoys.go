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
// hidden attribute, or an inline style of display:none, visibility:hidden,
// or a font size or opacity of zero).
func hidesElement(attrs *attrList) bool {
	if attrs.has("hidden") {
		return true
	}
	st := attrs.get("style")
	if st == "" {
		return false
	}
	st = strings.ToLower(strings.Join(strings.Fields(st), ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") ||
		zeroValue(st, "font-size:") || zeroValue(st, "opacity:")
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
// start of b: it may hide its element (a hidden attribute, or a style, by
// the words hidesElement reads). The tag ends at the first '>' outside
// quotes.
func rawTagHides(b []byte) bool {
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
			return true
		}
	}
	return false
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
