// Package htmltok tokenizes an HTML document held in memory, token for
// token as golang.org/x/net/html's Tokenizer does (same types, raw bytes,
// text and tag names), but over the document's bytes in place: no reader,
// no buffer copy, and text, raw text and comments are skipped with
// bytes.IndexByte instead of byte by byte. Raw and, where nothing needs
// rewriting, Text and TagName return pieces of the input.
//
// Only the parts of the x/net/html API the analysis uses are here: Next,
// Raw, Text, TagName and TagAttr, for a tokenizer made by NewTokenizer
// (no fragment context, CDATA not allowed, no buffer limit). Its
// behaviour, quirks included, is x/net/html's: the differential tests and
// fuzz target hold the two to the same token stream.
package htmltok

import (
	"bytes"

	"golang.org/x/net/html"
)

// TokenType is x/net/html's, so that callers and tests compare the two
// tokenizers' types directly.
type TokenType = html.TokenType

// The token types, as in x/net/html.
const (
	ErrorToken          = html.ErrorToken
	TextToken           = html.TextToken
	StartTagToken       = html.StartTagToken
	EndTagToken         = html.EndTagToken
	SelfClosingTagToken = html.SelfClosingTagToken
	CommentToken        = html.CommentToken
	DoctypeToken        = html.DoctypeToken
)

// Tokenizer returns the tokens of one document. The slices it returns are
// valid until the next call to Next; Raw's are pieces of the input.
type Tokenizer struct {
	b    []byte
	pos  int  // where the next token starts
	done bool // an ErrorToken was returned: every later token is one too

	tt               TokenType
	rawStart, rawEnd int
	// data is a text token's text, a comment's or doctype's content, or a
	// tag's name (before unescaping or lowering).
	dataStart, dataEnd int
	textRaw            bool // the text is not unescaped (script, style, …)
	convertNUL         bool // NUL becomes U+FFFD in the text
	// rawTag is the element ("script", "title", …) whose raw text or
	// RCDATA the next token reads, as after x/net/html's start tags.
	rawTag string

	// attrStart is where a start tag's attributes begin; attrs are read
	// from there only when TagName or TagAttr asks. spans are the first
	// maxSpans attributes scanTag read (spansCut if there were more), so
	// that the tag's bytes need not be read again for them.
	attrStart     int
	spans         []attrSpan
	spansCut      bool
	attrsRead     bool
	attrs         []attrSpan // the attributes x/net/html keeps
	nAttrReturned int
	seen          map[string]struct{}

	scratch, scratch2 []byte // Text's output when it rewrites
}

// attrSpan is an attribute's name and value, as offsets into the input.
type attrSpan struct{ ks, ke, vs, ve int }

// New returns a tokenizer over b, which must not change while it is used.
func New(b []byte) *Tokenizer {
	return &Tokenizer{b: b}
}

// Byte classes of tag syntax, looked up once per byte of a tag.
const (
	cSpace   uint8 = 1 << iota // white space
	cNameEnd                   // ends a tag name: white space, '/', '>'
	cKeyEnd                    // ends an attribute name: those and '='
	cValEnd                    // ends an unquoted value: white space, '>'
)

var class = func() (t [256]uint8) {
	for _, c := range []byte(" \n\r\t\f") {
		t[c] = cSpace | cNameEnd | cKeyEnd | cValEnd
	}
	t['/'] = cNameEnd | cKeyEnd
	t['>'] = cNameEnd | cKeyEnd | cValEnd
	t['='] = cKeyEnd
	return t
}()

func isSpace(c byte) bool { return class[c]&cSpace != 0 }

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// Next scans the next token and returns its type.
func (z *Tokenizer) Next() TokenType {
	z.rawStart, z.rawEnd = z.pos, z.pos
	z.dataStart, z.dataEnd = z.pos, z.pos
	z.attrsRead = false
	z.attrs = z.attrs[:0]
	z.nAttrReturned = 0
	if z.done || z.pos >= len(z.b) {
		// x/net/html ends at the end of input whatever state it is in.
		return z.fail()
	}
	if z.rawTag != "" {
		end := z.readRawText()
		if end > z.pos {
			z.convertNUL = true
			return z.token(TextToken, end, z.pos, end)
		}
	}
	z.textRaw = false
	z.convertNUL = false
	return z.next()
}

// fail ends the stream.
func (z *Tokenizer) fail() TokenType {
	z.done = true
	z.pos = len(z.b)
	z.tt = ErrorToken
	return ErrorToken
}

// token sets the current token: its type, where it ends (its raw bytes
// run from z.pos) and its data.
func (z *Tokenizer) token(tt TokenType, end, dataStart, dataEnd int) TokenType {
	z.tt = tt
	z.rawEnd = end
	z.pos = end
	z.dataStart, z.dataEnd = dataStart, dataEnd
	return tt
}

// next reads a token outside raw text: text up to a '<' that opens a tag,
// an end tag, a comment or a doctype, or that token.
func (z *Tokenizer) next() TokenType {
	b, n := z.b, len(z.b)
	start := z.pos
	p := start
	for {
		k := bytes.IndexByte(b[p:], '<')
		if k < 0 || p+k+1 >= n {
			return z.token(TextToken, n, start, n)
		}
		q := p + k
		c := b[q+1]
		if !isLetter(c) && c != '/' && c != '!' && c != '?' {
			p = q + 1 // a '<' of the text
			continue
		}
		if q > start {
			return z.token(TextToken, q, start, q)
		}
		switch c {
		case '/':
			return z.endTag(q)
		case '!':
			return z.markupDeclaration(q)
		case '?':
			return z.untilCloseAngle(q, q+1) // "<?php …>" is a bogus comment
		default:
			return z.startTag(q)
		}
	}
}

// untilCloseAngle ends a comment at the next '>', its data from ds.
func (z *Tokenizer) untilCloseAngle(q, ds int) TokenType {
	k := bytes.IndexByte(z.b[ds:], '>')
	if k < 0 {
		return z.token(CommentToken, len(z.b), ds, len(z.b))
	}
	return z.token(CommentToken, ds+k+1, ds, ds+k)
}

// endTag reads the token at "</".
func (z *Tokenizer) endTag(q int) TokenType {
	b := z.b
	if q+2 >= len(b) {
		return z.token(TextToken, len(b), q, len(b)) // "</" at the end is text
	}
	switch c := b[q+2]; {
	case c == '>':
		// "</>" is no token in HTML; x/net/html returns an empty comment.
		return z.token(CommentToken, q+3, q, q)
	case isLetter(c):
		nameEnd, _, end, ok := z.scanTag(q + 2)
		if !ok {
			return z.fail()
		}
		return z.token(EndTagToken, end, q+2, nameEnd)
	}
	return z.untilCloseAngle(q, q+2) // "</ x>" is a bogus comment
}

// startTag reads the start tag at "<a".
func (z *Tokenizer) startTag(q int) TokenType {
	b := z.b
	nameEnd, attrStart, end, ok := z.scanTag(q + 1)
	if !ok {
		return z.fail() // x/net/html drops a tag the input cuts short
	}
	z.attrStart = attrStart
	name := b[q+1 : nameEnd]
	switch name[0] | 0x20 {
	case 'i':
		z.rawTag = matchName(name, "iframe")
	case 'n':
		z.rawTag = matchName(name, "noembed", "noframes", "noscript")
	case 'p':
		z.rawTag = matchName(name, "plaintext")
	case 's':
		z.rawTag = matchName(name, "script", "style")
	case 't':
		z.rawTag = matchName(name, "textarea", "title")
	case 'x':
		z.rawTag = matchName(name, "xmp")
	}
	tt := StartTagToken
	if b[end-2] == '/' && !z.lastAttrEndsAt(attrStart, end-2) {
		tt = SelfClosingTagToken
	}
	return z.token(tt, end, q+1, nameEnd)
}

// matchName returns the one of names that name is, ignoring ASCII case,
// or "".
func matchName(name []byte, names ...string) string {
	for _, s := range names {
		if len(name) == len(s) && eqFold(name, s) {
			return s
		}
	}
	return ""
}

// eqFold reports whether b is s (lower-case letters) in either case.
func eqFold(b []byte, s string) bool {
	for i := range len(s) {
		if b[i]|0x20 != s[i] {
			return false
		}
	}
	return true
}

// maxSpans bounds the spans kept of one tag: a tag of many short
// attributes (" b b b …") would otherwise cost several times its size.
const maxSpans = 1024

// scanTag reads a tag whose name starts at nameStart (a letter), up to
// and including its '>', its attributes into z.spans: it returns the
// end of the name, where the attributes start and the end of the tag; ok
// is false if the input ends first.
func (z *Tokenizer) scanTag(nameStart int) (nameEnd, attrStart, end int, ok bool) {
	b, n := z.b, len(z.b)
	i := nameStart + 1
	for i < n && class[b[i]]&cNameEnd == 0 {
		i++
	}
	if i >= n {
		return 0, 0, 0, false
	}
	nameEnd = i
	z.spans, z.spansCut = z.spans[:0], false
	if isSpace(b[i]) {
		i++
	}
	i = skipSpace(b, i)
	attrStart = i
	for {
		if i >= n {
			return 0, 0, 0, false
		}
		if b[i] == '>' {
			return nameEnd, attrStart, i + 1, true
		}
		a, next, ok := nextAttr(b, i)
		if !ok {
			return 0, 0, 0, false
		}
		if len(z.spans) < maxSpans {
			z.spans = append(z.spans, a)
		} else {
			z.spansCut = true
		}
		i = skipSpace(b, next)
	}
}

// nextAttr reads the attribute at i (not white space, not '>'): its
// name runs to white space, '/', '>' or an '=' that is not its first
// byte; a value follows '=' (white space around it allowed), quoted, or
// up to white space or '>'. next is where reading goes on; ok is false if
// the input ends first.
func nextAttr(b []byte, i int) (a attrSpan, next int, ok bool) {
	n := len(b)
	a.ks = i
	j := i
	if j < n && b[j] == '=' {
		j++ // a name may start with '='
	}
	for j < n && class[b[j]]&cKeyEnd == 0 {
		j++
	}
	if j >= n {
		return a, n, false
	}
	a.ke = j
	a.vs, a.ve = j, j // no value: an empty one where the name ends
	if j = skipSpace(b, j); j >= n {
		return a, n, false
	}
	switch b[j] {
	case '/':
		return a, j + 1, true
	case '=':
	default:
		return a, j, true
	}
	if j = skipSpace(b, j+1); j >= n {
		return a, n, false
	}
	switch q := b[j]; q {
	case '>':
		return a, j, true
	case '"', '\'':
		k := bytes.IndexByte(b[j+1:], q)
		if k < 0 {
			return a, n, false
		}
		a.vs, a.ve = j+1, j+1+k
		return a, j + 1 + k + 1, true
	}
	a.vs = j
	for j++; j < n && class[b[j]]&cValEnd == 0; j++ {
	}
	if j >= n {
		return a, n, false
	}
	a.ve = j
	if b[j] == '>' {
		return a, j, true
	}
	return a, j + 1, true // the white space that ended it
}

// lastAttrEndsAt reports whether the last attribute x/net/html keeps of
// the start tag whose attributes start at i ends its value with the byte
// at slash: such a '/' is the value's ("<a href=/>"), and the tag is not
// self-closing. Only the last attribute read can end there (anything
// after it would lie between), and it is kept unless its name repeats an
// earlier one.
func (z *Tokenizer) lastAttrEndsAt(i, slash int) bool {
	if !z.spansCut {
		return z.lastSpanEndsAt(slash)
	}
	b := z.b
	var last attrSpan
	found := false
	for j := i; b[j] != '>'; {
		a, next, _ := nextAttr(b, j)
		last, found = a, true
		j = skipSpace(b, next)
	}
	if !found || last.ks == last.ke || last.ve-1 != slash {
		return false
	}
	key := b[last.ks:last.ke]
	for j := i; j < last.ks; {
		a, next, _ := nextAttr(b, j)
		if lowerEq(b[a.ks:a.ke], key) {
			return false // a duplicate: the kept attribute is an earlier one
		}
		j = skipSpace(b, next)
	}
	return true
}

// lastSpanEndsAt is lastAttrEndsAt over z.spans, all the tag's
// attributes.
func (z *Tokenizer) lastSpanEndsAt(slash int) bool {
	if len(z.spans) == 0 {
		return false
	}
	b := z.b
	last := z.spans[len(z.spans)-1]
	if last.ks == last.ke || last.ve-1 != slash {
		return false
	}
	key := b[last.ks:last.ke]
	for _, a := range z.spans[:len(z.spans)-1] {
		if lowerEq(b[a.ks:a.ke], key) {
			return false // a duplicate: the kept attribute is an earlier one
		}
	}
	return true
}

// lowerEq reports whether a and b are equal once ASCII upper-case letters
// are lowered (as x/net/html compares attribute names).
func lowerEq(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Raw returns the bytes of the current token, a piece of the input. The
// raw bytes of the tokens up to the ErrorToken are the input, in order.
func (z *Tokenizer) Raw() []byte {
	return z.b[z.rawStart:z.rawEnd:z.rawEnd]
}
