package htmltok

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Text returns the text of a text, comment or doctype token, as
// x/net/html's Text: "\r\n" and "\r" become "\n", NUL becomes U+FFFD in
// raw text and comments, and character references are unescaped except
// in raw text (script, style, …). It is a piece of the input when none of
// that changes it, else a buffer reused by the next token. As in
// x/net/html, a second call for the same token returns nothing.
func (z *Tokenizer) Text() []byte {
	switch z.tt {
	case TextToken, CommentToken, DoctypeToken:
	default:
		return nil
	}
	s := z.b[z.dataStart:z.dataEnd:z.dataEnd]
	z.dataStart, z.dataEnd = z.rawEnd, z.rawEnd
	cr := bytes.IndexByte(s, '\r') >= 0
	nul := (z.convertNUL || z.tt == CommentToken) && bytes.IndexByte(s, 0) >= 0
	amp := !z.textRaw && bytes.IndexByte(s, '&') >= 0
	if cr || nul {
		z.scratch = appendClean(z.scratch[:0], s, nul)
		s = z.scratch
	}
	if amp {
		z.scratch2 = appendUnescaped(z.scratch2[:0], s, false)
		s = z.scratch2
	}
	return s[:len(s):len(s)]
}

const replacementChar = "\ufffd"

// appendClean appends s with "\r\n" and "\r" made "\n", and NUL made
// U+FFFD if nul.
func appendClean(dst, s []byte, nul bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\r':
			dst = append(dst, '\n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case c == 0 && nul:
			dst = append(dst, replacementChar...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// TagName returns the lower-cased name of a tag token (NUL made U+FFFD)
// and whether the tag has attributes left for TagAttr. As in x/net/html,
// a second call for the same token returns nothing.
func (z *Tokenizer) TagName() (name []byte, hasAttr bool) {
	if z.dataStart >= z.dataEnd {
		return nil, false
	}
	switch z.tt {
	case StartTagToken, EndTagToken, SelfClosingTagToken:
	default:
		return nil, false
	}
	s := z.b[z.dataStart:z.dataEnd:z.dataEnd]
	z.dataStart, z.dataEnd = z.rawEnd, z.rawEnd
	if z.tt != EndTagToken {
		z.readAttrs()
	}
	return lowerName(s), z.nAttrReturned < len(z.attrs)
}

// TagAttr returns the next attribute of a start tag: its name lower-cased,
// its value unescaped (as in an attribute value), and whether more
// follow. Attributes with an empty name, and the later of two with the
// same name, are skipped, as x/net/html does.
func (z *Tokenizer) TagAttr() (key, val []byte, moreAttr bool) {
	switch z.tt {
	case StartTagToken, SelfClosingTagToken:
	default:
		return nil, nil, false
	}
	z.readAttrs()
	if z.nAttrReturned >= len(z.attrs) {
		return nil, nil, false
	}
	a := z.attrs[z.nAttrReturned]
	z.nAttrReturned++
	key = lowerName(z.b[a.ks:a.ke:a.ke])
	val = z.b[a.vs:a.ve:a.ve]
	cr := bytes.IndexByte(val, '\r') >= 0
	nul := bytes.IndexByte(val, 0) >= 0
	if cr || nul {
		val = appendClean(nil, val, nul)
	}
	if bytes.IndexByte(val, '&') >= 0 {
		val = appendUnescaped(nil, val, true)
	}
	return key, val, z.nAttrReturned < len(z.attrs)
}

// lowerName returns s with NUL made U+FFFD and ASCII letters lowered: s
// itself if that changes nothing, else a new slice.
func lowerName(s []byte) []byte {
	clean := true
	for _, c := range s {
		if c == 0 || 'A' <= c && c <= 'Z' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	out := make([]byte, 0, len(s)+8)
	for _, c := range s {
		if c == 0 {
			out = append(out, replacementChar...)
		} else {
			out = append(out, lowerASCII(c))
		}
	}
	return out
}

// manyAttrs is where readAttrs switches from scanning the kept names to a
// set of them.
const manyAttrs = 16

// readAttrs reads the current start tag's attributes into z.attrs, once:
// from z.spans, or from the tag's bytes if they do not hold them all.
func (z *Tokenizer) readAttrs() {
	if z.attrsRead {
		return
	}
	z.attrsRead = true
	z.attrs = z.attrs[:0]
	if z.seen != nil {
		clear(z.seen)
	}
	if !z.spansCut {
		for _, a := range z.spans {
			z.keepAttr(a)
		}
		return
	}
	b := z.b
	for i := z.attrStart; b[i] != '>'; {
		a, next, _ := nextAttr(b, i) // the tag is whole: no end of input
		i = skipSpace(b, next)
		z.keepAttr(a)
	}
}

// keepAttr adds a to z.attrs unless its name is empty or kept already.
func (z *Tokenizer) keepAttr(a attrSpan) {
	b := z.b
	if a.ks == a.ke || z.hasAttr(b[a.ks:a.ke]) {
		return
	}
	if len(z.attrs) == manyAttrs {
		if z.seen == nil {
			z.seen = make(map[string]struct{})
		}
		for _, k := range z.attrs {
			z.seen[lowerKey(b[k.ks:k.ke])] = struct{}{}
		}
	}
	if len(z.attrs) >= manyAttrs {
		z.seen[lowerKey(b[a.ks:a.ke])] = struct{}{}
	}
	z.attrs = append(z.attrs, a)
}

// hasAttr reports whether an attribute named key (ASCII case aside) is
// kept already.
func (z *Tokenizer) hasAttr(key []byte) bool {
	if len(z.attrs) > manyAttrs {
		_, ok := z.seen[lowerKey(key)]
		return ok
	}
	for _, a := range z.attrs {
		if lowerEq(z.b[a.ks:a.ke], key) {
			return true
		}
	}
	return false
}

// lowerKey is key with ASCII letters lowered (NUL kept: x/net/html tells
// duplicates apart before it replaces NUL).
func lowerKey(key []byte) string {
	out := make([]byte, len(key))
	for i, c := range key {
		out[i] = lowerASCII(c)
	}
	return string(out)
}

// appendUnescaped appends s with its character references replaced, as
// x/net/html unescapes text (attr false) or an attribute value.
func appendUnescaped(dst, s []byte, attr bool) []byte {
	for {
		k := bytes.IndexByte(s, '&')
		if k < 0 {
			return append(dst, s...)
		}
		dst = append(dst, s[:k]...)
		s = s[k:]
		var n int
		dst, n = appendReference(dst, s, attr)
		s = s[n:]
	}
}

// appendReference appends the character reference at the start of s
// (s[0] is '&') decoded, or just "&" if there is none, and returns how
// many bytes of s it read.
func appendReference(dst, s []byte, attr bool) ([]byte, int) {
	if len(s) <= 1 {
		return append(dst, '&'), 1
	}
	if s[1] == '#' {
		if len(s) <= 2 {
			return append(dst, '&'), 1
		}
		r, n := numericReference(s)
		if n == 0 {
			return append(dst, '&'), 1
		}
		return utf8.AppendRune(dst, r), n
	}
	// The longest run of letters and digits, and a ';' after it.
	i := 1
	for i < len(s) && (isLetter(s[i]) || '0' <= s[i] && s[i] <= '9') {
		i++
	}
	if i < len(s) && s[i] == ';' {
		i++
	}
	name := s[1:i]
	switch {
	case len(name) == 0:
		return append(dst, '&'), 1
	case attr && name[len(name)-1] != ';' && i < len(s) && s[i] == '=':
		// "&x=" in an attribute value is not a reference.
		return append(dst, '&'), 1
	case attr:
		return append(dst, namedInAttr(name)...), i
	}
	return append(dst, namedInText(name)...), i
}

// windows1252 are the characters numeric references 0x80 to 0x9F stand
// for (the HTML spec's table for the Windows-1252 code points).
var windows1252 = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// numericReference decodes the "&#…" at the start of s (len(s) > 2): the
// character and how many bytes it takes, or n 0 for no digit.
func numericReference(s []byte) (r rune, n int) {
	i := 2
	base := rune(10)
	if s[i] == 'x' || s[i] == 'X' {
		base = 16
		i++
	}
	i0 := i
	var x rune
	for ; i < len(s); i++ {
		c := rune(s[i])
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case base == 16 && 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			goto done
		}
		if x <= utf8.MaxRune {
			x = base*x + d // stops growing past the last code point
		}
	}
done:
	if i == i0 {
		return 0, 0
	}
	if i < len(s) && s[i] == ';' {
		i++
	}
	switch {
	case 0x80 <= x && x <= 0x9F:
		x = windows1252[x-0x80]
	case x == 0 || 0xD800 <= x && x <= 0xDFFF || x > utf8.MaxRune:
		x = utf8.RuneError
	}
	return x, i
}

// Named references are decoded by x/net/html itself (its table is not
// exported), once per name: in text, html.UnescapeString of "&name" is
// what unescaping gives there (a name that is no reference may start
// with one that is, "&notit;" → "¬it;"); in an attribute value only a
// whole name counts, which a tokenizer over `<a b="&name">` tells.
var named = struct {
	sync.RWMutex
	text, attr map[string]string
}{text: map[string]string{}, attr: map[string]string{}}

const (
	// maxCachedNames bounds the caches against input with many names.
	maxCachedNames = 4096
	// longestName is longer than any reference's name (32, with ';'):
	// such a name is decoded without the cache.
	longestName = 40
)

func namedInText(name []byte) string {
	return cachedName(named.text, name, func(s string) string {
		return html.UnescapeString("&" + s)
	})
}

func namedInAttr(name []byte) string {
	if len(name) > longestName {
		return "&" + string(name) // no reference is that long
	}
	return cachedName(named.attr, name, func(s string) string {
		z := html.NewTokenizer(strings.NewReader(`<a b="&` + s + `">`))
		z.Next()
		_, v, _ := z.TagAttr()
		return string(v)
	})
}

func cachedName(m map[string]string, name []byte, decode func(string) string) string {
	named.RLock()
	v, ok := m[string(name)]
	named.RUnlock()
	if ok {
		return v
	}
	s := string(name)
	v = decode(s)
	if len(name) <= longestName {
		named.Lock()
		if len(m) < maxCachedNames {
			m[s] = v
		}
		named.Unlock()
	}
	return v
}
