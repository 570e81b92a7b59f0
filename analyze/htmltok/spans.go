package htmltok

import "bytes"

// Indexed access to a start tag's attributes, for a caller that reads
// every attribute of every tag: TagAttr copies names and values that need
// lowering or unescaping and returns them one by one; these return pieces
// of the input wherever nothing changes, and leave lowering names to the
// caller, which may have its own buffers for it. They do not move
// TagName's or TagAttr's place.

// RawTagName returns the name of the current tag token as written (neither
// lowered nor with NUL replaced), a piece of the input; nil for other
// tokens. Unlike TagName, it may be called again.
func (z *Tokenizer) RawTagName() []byte {
	switch z.tt {
	case StartTagToken, EndTagToken, SelfClosingTagToken:
	default:
		return nil
	}
	// dataStart is rawStart+1 ("<a") or +2 ("</a") until TagName empties it.
	s := z.rawStart + 1
	if z.tt == EndTagToken {
		s++
	}
	e := s + 1 // a tag name's first byte is a letter
	for e < z.rawEnd && class[z.b[e]]&cNameEnd == 0 {
		e++
	}
	return z.b[s:e:e]
}

// NumAttrs returns how many attributes TagAttr returns, in all, for the
// current start tag: those with a name, the first of each name (ASCII
// case aside). It is 0 for other tokens.
func (z *Tokenizer) NumAttrs() int {
	switch z.tt {
	case StartTagToken, SelfClosingTagToken:
	default:
		return 0
	}
	z.readAttrs()
	return len(z.attrs)
}

// Attr returns the i-th (0 ≤ i < NumAttrs) attribute TagAttr returns:
// its name as written (neither lowered nor with NUL replaced) and its
// value as TagAttr returns it. raw reports that the value is a piece of
// the input, as written; otherwise it is a new slice, unescaped.
func (z *Tokenizer) Attr(i int) (key, val []byte, raw bool) {
	a := z.attrs[i]
	key = z.b[a.ks:a.ke:a.ke]
	val = z.b[a.vs:a.ve:a.ve]
	if !needsRewrite(val) {
		return key, val, true
	}
	cr := bytes.IndexByte(val, '\r') >= 0
	nul := bytes.IndexByte(val, 0) >= 0
	amp := bytes.IndexByte(val, '&') >= 0
	// Neither rewrite makes a value much longer (U+FFFD for NUL, a
	// reference's characters for its name): one allocation mostly does.
	if cr || nul {
		val = appendClean(make([]byte, 0, len(val)+8), val, nul)
	}
	if amp {
		val = appendUnescaped(make([]byte, 0, len(val)+8), val, true)
	}
	return key, val, false
}

// needsRewrite reports whether an attribute value has a byte TagAttr
// rewrites: '\r', NUL, or the '&' of a character reference. Most values
// are short, and one loop over them costs less than three searches.
func needsRewrite(v []byte) bool {
	if len(v) > 32 {
		return bytes.IndexByte(v, '&') >= 0 || bytes.IndexByte(v, '\r') >= 0 || bytes.IndexByte(v, 0) >= 0
	}
	for _, c := range v {
		if c == '&' || c == '\r' || c == 0 {
			return true
		}
	}
	return false
}
