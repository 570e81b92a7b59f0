package analyze

import (
	"bytes"
	"strings"
	"unsafe"

	"github.com/tssguard/tssguard/analyze/htmltok"
	"github.com/tssguard/tssguard/capture"
)

// Reading a start tag's attributes. The accessors of x/net/html's
// tokenizer (TagName, TagAttr) copied every name and value, and the
// analysis then made a string of each value and a map of them, for every
// tag of every page: most of the cost of a parse beyond the tokenizer
// itself. Most tags read here have only attributes nobody looks at
// (class, width, …), so readStartTag takes the attributes htmltok found
// when it read the tag, names and values as pieces of the document, and
// values become strings only when something asks for them. Only a value
// the accessors would rewrite (NUL, '&' of a character reference, '\r')
// is a copy, unescaped as they do; a tag with a NUL in a name is read
// with the accessors, exactly as before.

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
	return l.push(key, val)
}

// push records an attribute whose name is not in l; it returns false once
// the tag has more than maxAttrs.
func (l *attrList) push(key, val []byte) bool {
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
// at, raw being z.Raw(), and reads its attributes into attrs: those the
// tokenizer found when it read the tag (no second scan of its bytes),
// names lowered, values as pieces of raw unless they need unescaping.
// A tag whose name or an attribute's name has a NUL, which the accessors
// replace, is read with the accessors.
func readStartTag(z *htmltok.Tokenizer, raw []byte, attrs *attrList) (string, tagFlags) {
	attrs.reset()
	name := z.RawTagName()
	if bytes.IndexByte(name, 0) >= 0 {
		return readStartTagSlow(z, attrs)
	}
	asRaw := true
	for i, n := 0, z.NumAttrs(); i < n; i++ {
		k, v, isRaw := z.Attr(i)
		up := false
		for _, c := range k {
			if c == 0 {
				// The tokenizer tells duplicates apart before NUL becomes
				// U+FFFD; attrs.add does after, as it always has.
				attrs.reset()
				return readStartTagSlow(z, attrs)
			}
			up = up || 'A' <= c && c <= 'Z'
		}
		if up {
			k = lowered(k)
		}
		asRaw = asRaw && isRaw
		// The tokenizer keeps only the first of each name: no duplicate
		// to look for.
		if !attrs.push(k, v) {
			break // past maxAttrs: the rest is not read
		}
	}
	if asRaw {
		attrs.raw = raw
	}
	return lowerTagName(name)
}

// readStartTagSlow reads the tag with the tokenizer's accessors.
func readStartTagSlow(z *htmltok.Tokenizer, attrs *attrList) (string, tagFlags) {
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

// readEndTag returns the name of the end tag z is at, raw being z.Raw():
// from its raw bytes ("</" and a letter, up to white space, '/' or '>',
// lowered), or with TagName if the name has a NUL it would replace.
func readEndTag(z *htmltok.Tokenizer, raw []byte) (string, tagFlags) {
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

// lowered returns a copy of k with ASCII upper-case letters lowered, as
// the tokenizer lowers names.
func lowered(k []byte) []byte {
	out := make([]byte, len(k))
	for i, c := range k {
		out[i] = lowerASCII(c)
	}
	return out
}

func lowerTagName(b []byte) (string, tagFlags) {
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
// allocation. Each comes with what parseDoc asks of it (tagFlags), found
// with the same look-up.
var commonTags = func() map[string]tagEntry {
	m := map[string]tagEntry{}
	for _, t := range append(keys(blockTags), strings.Fields(`a abbr area audio b base bdi bdo bgsound big blink button canvas cite code col colgroup data
		datalist del dfn em embed font frame g i iframe img input ins kbd label link map mark meta meter nobr noembed noframes
		object output path picture progress q rp rt ruby s samp script slot small source span strike strong style sub sup svg
		time tt u var video wbr`)...) {
		m[t] = tagEntry{name: t, flags: flagsOf(t)}
	}
	return m
}()

type tagEntry struct {
	name  string
	flags tagFlags
}

// tagFlags say what an element is to parseDoc.
type tagFlags uint8

const (
	tagBlock  tagFlags = 1 << iota // blockTags
	tagHidden                      // hiddenTextTags
	tagRef                         // capture.IsRefTag
)

func flagsOf(name string) tagFlags {
	var f tagFlags
	if blockTags[name] {
		f |= tagBlock
	}
	if hiddenTextTags[name] {
		f |= tagHidden
	}
	if capture.IsRefTag(name) {
		f |= tagRef
	}
	return f
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// internTag returns the tag named b and its flags.
func internTag(b []byte) (string, tagFlags) {
	if e, ok := commonTags[string(b)]; ok {
		return e.name, e.flags
	}
	s := string(b)
	return s, flagsOf(s)
}

// refAttrs returns the attributes capture.RefFromAttrs reads, in a map
// reused from tag to tag (RefFromAttrs keeps none of it).
func (l *attrList) refAttrs() map[string]string {
	if l.refs == nil {
		l.refs = make(map[string]string, 4)
	}
	clear(l.refs)
	for _, k := range []string{"src", "href", "rel", "srcdoc", "data"} {
		if i := l.index(k); i >= 0 {
			l.refs[k] = string(l.list[i].val)
		}
	}
	return l.refs
}

// bytesView is b as a string without a copy, for reading an attribute's
// value while the tokenizer has not moved on (nothing writes to b then).
func bytesView(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// stringBytes is s as bytes without a copy, for the byte searches
// (indexFold) over a string; nothing may write to them.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
