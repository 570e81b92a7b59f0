package analyze

import (
	"bytes"
	"strings"

	"github.com/tssguard/tssguard/analyze/htmltok"
)

// Reading a start tag's attributes. The tokenizer's accessors (TagName,
// TagAttr) copy every name and value, and the analysis then made a string
// of each value and a map of them, for every tag of every page: most of
// the cost of a parse beyond the tokenizer itself. Most tags read here
// have only attributes nobody looks at (class, width, …), so readStartTag
// reads the raw bytes of the tag in place, as the tokenizer read them,
// and values become strings only when something asks for them. A tag
// whose name, attribute names or values hold a byte the accessors would
// rewrite (NUL, '&' of a character reference, '\r') is read with the
// accessors, exactly as before.

// maxAttrs is how many attributes of a tag readStartTag keeps (one more,
// and it stops reading).
const maxAttrs = 256

// attr is one attribute: its name in lower case and its value. Both are
// valid until the tokenizer moves on.
type attr struct {
	key, val []byte
}

// attrList is a start tag's attributes in document order, the first of
// duplicate names only (as in a browser). It is reused from tag to tag.
type attrList struct {
	list []attr
	// seen holds the names of a tag with many attributes, where a scan of
	// list for each new name would cost the square of their number.
	seen map[string]struct{}
	// raw is the tag's raw bytes when every value is a piece of them (not
	// read with the accessors, which unescape).
	raw  []byte
	refs map[string]string // refAttrs' map
}

// manyAttrs is where attrList switches from scanning list to a set.
const manyAttrs = 16

func (l *attrList) reset() {
	l.list = l.list[:0]
	l.raw = nil
	if l.seen != nil {
		if len(l.seen) > 4*manyAttrs {
			l.seen = nil // clearing a map costs what it once held
		} else {
			clear(l.seen)
		}
	}
}

// add records an attribute unless its name was seen; it returns false once
// the tag has more than maxAttrs.
func (l *attrList) add(key, val []byte) bool {
	if l.has(string(key)) {
		return true
	}
	if len(l.list) == manyAttrs {
		if l.seen == nil {
			l.seen = make(map[string]struct{}, 2*manyAttrs)
		}
		for _, a := range l.list {
			l.seen[string(a.key)] = struct{}{}
		}
	}
	if len(l.list) >= manyAttrs {
		l.seen[string(key)] = struct{}{}
	}
	l.list = append(l.list, attr{key: key, val: val})
	return len(l.list) <= maxAttrs
}

func (l *attrList) index(key string) int {
	if len(l.list) > manyAttrs {
		if _, ok := l.seen[key]; !ok {
			return -1
		}
	}
	for i, a := range l.list {
		if string(a.key) == key {
			return i
		}
	}
	return -1
}

func (l *attrList) has(key string) bool { return l.index(key) >= 0 }

// get returns the value of the attribute key, "" if there is none.
func (l *attrList) get(key string) string {
	if i := l.index(key); i >= 0 {
		return string(l.list[i].val)
	}
	return ""
}

func (l *attrList) len() int { return len(l.list) }

// readStartTag returns the name of the start (or self-closing) tag z is
// at, raw being z.Raw(), and reads its attributes into attrs.
func readStartTag(z *htmltok.Tokenizer, raw []byte, attrs *attrList) string {
	attrs.reset()
	if name, ok := scanStartTag(raw, attrs); ok {
		attrs.raw = raw
		return name
	}
	attrs.reset()
	nameB, more := z.TagName()
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if !attrs.add(k, v) {
			break
		}
	}
	return internTag(nameB)
}

// scanStartTag reads raw as the tokenizer reads a start tag: the name runs
// to white space, '/' or '>'; an attribute name runs to white space, '/',
// '>' or an '=' that is not its first byte; a value follows '=' (white
// space around it allowed), quoted or up to white space or '>'. It returns
// false, with attrs partly filled, for a tag the accessors would rewrite
// or one that does not end as a start tag the tokenizer returns does.
func scanStartTag(raw []byte, attrs *attrList) (string, bool) {
	if len(raw) < 3 || raw[0] != '<' || raw[len(raw)-1] != '>' || lowerASCII(raw[1]) < 'a' || lowerASCII(raw[1]) > 'z' {
		return "", false
	}
	i := 2 // the name's first byte is a letter
	for i < len(raw) && !isTagSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++
	}
	name := raw[1:i]
	if bytes.IndexByte(name, 0) >= 0 {
		return "", false
	}
	i = skipTagSpace(raw, i)
	for i < len(raw) && raw[i] != '>' {
		// The attribute's name; its first byte may be '='.
		ks := i
		i++
		if raw[ks] == '/' || raw[ks] == '>' {
			i = ks // an empty name: '/' is read below
		}
		for i < len(raw) && !isTagSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' && raw[i] != '=' {
			i++
		}
		key := raw[ks:i]
		// Its value.
		var val []byte
		j := skipTagSpace(raw, i)
		switch {
		case j >= len(raw):
			return "", false
		case raw[j] == '/':
			i = j + 1
		case raw[j] != '=':
			i = j
		default:
			j = skipTagSpace(raw, j+1)
			if j >= len(raw) {
				return "", false
			}
			switch q := raw[j]; q {
			case '>':
				i = j
			case '"', '\'':
				end := bytes.IndexByte(raw[j+1:], q)
				if end < 0 {
					return "", false
				}
				val = raw[j+1 : j+1+end]
				i = j + 1 + end + 1
			default:
				e := j
				for e < len(raw) && !isTagSpace(raw[e]) && raw[e] != '>' {
					e++
				}
				val = raw[j:e]
				i = e
				if i < len(raw) && raw[i] != '>' {
					i++ // the white space that ended it
				}
			}
		}
		if len(key) > 0 {
			if bytes.IndexByte(key, 0) >= 0 || bytes.IndexByte(val, 0) >= 0 || bytes.IndexByte(val, '&') >= 0 || bytes.IndexByte(val, '\r') >= 0 {
				return "", false
			}
			if !attrs.add(attrs.lower(key), val) {
				// Past maxAttrs: the rest is not read.
				return lowerTagName(name), true
			}
		}
		i = skipTagSpace(raw, i)
	}
	if i != len(raw)-1 {
		return "", false // a '>' inside the tag ended it
	}
	return lowerTagName(name), true
}

// readEndTag returns the name of the end tag z is at, raw being z.Raw():
// from its raw bytes ("</" and a letter, up to white space, '/' or '>',
// lowered), or with TagName if the name has a NUL it would replace.
func readEndTag(z *htmltok.Tokenizer, raw []byte) string {
	if len(raw) >= 4 && raw[0] == '<' && raw[1] == '/' && raw[len(raw)-1] == '>' {
		i := 3 // the name's first byte is a letter
		for i < len(raw) && !isTagSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
			i++
		}
		if name := raw[2:i]; bytes.IndexByte(name, 0) < 0 {
			return lowerTagName(name)
		}
	}
	name, _ := z.TagName()
	return internTag(name)
}

func isTagSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

func skipTagSpace(raw []byte, i int) int {
	for i < len(raw) && isTagSpace(raw[i]) {
		i++
	}
	return i
}

// lower returns k with ASCII upper-case letters lowered (as the tokenizer
// lowers names), in place of k only if it has none.
func (*attrList) lower(k []byte) []byte {
	up := false
	for _, c := range k {
		if 'A' <= c && c <= 'Z' {
			up = true
			break
		}
	}
	if !up {
		return k
	}
	out := make([]byte, len(k))
	for i, c := range k {
		out[i] = lowerASCII(c)
	}
	return out
}

func lowerTagName(b []byte) string {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			out := make([]byte, len(b))
			for i, c := range b {
				out[i] = lowerASCII(c)
			}
			return internTag(out)
		}
	}
	return internTag(b)
}

// commonTags are tag names kept as constants: a tag's name then costs no
// allocation.
var commonTags = func() map[string]string {
	m := map[string]string{}
	for _, t := range append(keys(blockTags), strings.Fields(`a abbr area audio b base bdi bdo bgsound big blink button canvas cite code col colgroup data
		datalist del dfn em embed font frame g i iframe img input ins kbd label link map mark meta meter nobr noembed noframes
		object output path picture progress q rp rt ruby s samp script slot small source span strike strong style sub sup svg
		time tt u var video wbr`)...) {
		m[t] = t
	}
	return m
}()

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func internTag(b []byte) string {
	if s, ok := commonTags[string(b)]; ok {
		return s
	}
	return string(b)
}

// refAttrs returns the attributes capture.RefFromAttrs reads, in a map
// reused from tag to tag (RefFromAttrs keeps none of it).
func (l *attrList) refAttrs() map[string]string {
	if l.refs == nil {
		l.refs = make(map[string]string, 4)
	}
	clear(l.refs)
	for _, k := range []string{"src", "href", "rel", "srcdoc"} {
		if i := l.index(k); i >= 0 {
			l.refs[k] = string(l.list[i].val)
		}
	}
	return l.refs
}
