package js

import (
	"bytes"

	tjs "github.com/tdewolff/parse/v2/js"
)

// Within reports whether src is within max bytes for analysis: by its
// length, or, when it is longer and mostly comments, by its size without
// them. A kit padded its payload with a comment of 600 KB to pass the
// size past which scripts are only read for their literals; what costs
// parsing and walking is code, and a comment costs neither.
func Within(src []byte, max int) bool {
	return within(src, max, false)
}

// WithinData is Within with string contents left out too: a kit can pad
// the markup a script writes (innerHTML = "…" of 200 KB) as well as a
// comment, and a string costs the parser one token. Scripts are analysed
// by it; the de-obfuscator, which reads strings, keeps Within.
func WithinData(src []byte, max int) bool {
	return within(src, max, true)
}

func within(src []byte, max int, data bool) bool {
	if len(src) <= max {
		return true
	}
	if data && len(src) > maxDataScale*max {
		return false // the parser's work grows with the bytes too
	}
	// A look at the bytes first (no lexing): dense bundles, the usual
	// large scripts, stop here.
	light := commentBytesAtMost(src)
	if data {
		light += quotedBytes(src)
	}
	if light < len(src)-max {
		return false
	}
	return codeSize(src, max, data) <= max
}

// quotedBytes estimates the bytes of src inside quotes: each span from a
// quote to the next of the same kind not escaped by a backslash. It reads
// bytes, not tokens (a quote in a comment or a regular expression starts
// a span too): an estimate for the look before lexing, which decides.
func quotedBytes(src []byte) int {
	n := 0
	for i := 0; i < len(src); {
		j := bytes.IndexAny(src[i:], "\"'`")
		if j < 0 {
			break
		}
		i += j
		q := src[i]
		k := i + 1
		for k < len(src) {
			e := bytes.IndexByte(src[k:], q)
			if e < 0 {
				k = len(src)
				break
			}
			k += e
			if backslashesBefore(src, k)%2 == 0 {
				break
			}
			k++
		}
		n += k - i
		i = k + 1
	}
	return n
}

// backslashesBefore counts the backslashes just before src[i].
func backslashesBefore(src []byte, i int) int {
	n := 0
	for i > 0 && src[i-1] == '\\' {
		n++
		i--
	}
	return n
}

// commentBytesAtMost bounds from above the bytes of src that /* */ and //
// comments could take: it counts every such span, even those that are in
// fact in strings or regular expressions.
func commentBytesAtMost(src []byte) int {
	n := 0
	for i := 0; i < len(src); {
		j := bytes.IndexByte(src[i:], '/')
		if j < 0 || i+j+1 >= len(src) {
			break
		}
		i += j
		switch src[i+1] {
		case '*':
			end := bytes.Index(src[i+2:], []byte("*/"))
			if end < 0 {
				return n + len(src) - i
			}
			n += end + 4
			i += end + 4
		case '/':
			end := bytes.IndexByte(src[i:], '\n')
			if end < 0 {
				return n + len(src) - i
			}
			n += end
			i += end
		default:
			i++
		}
	}
	return n
}

// codeSize is the size of src's tokens (comments and white space left
// out, a byte counted between tokens), stopping once past stop; with data,
// a string or a template's piece counts for at most maxStringCost.
func codeSize(src []byte, stop int, data bool) int {
	x := newLexer(src)
	n := 0
	for n <= stop {
		t := x.next()
		if t.tt == tjs.ErrorToken {
			break
		}
		switch t.tt {
		case tjs.StringToken, tjs.TemplateToken, tjs.TemplateStartToken, tjs.TemplateMiddleToken, tjs.TemplateEndToken:
			if data {
				n += min(len(t.data), maxStringCost) + 1 // data, one token
				continue
			}
		}
		n += len(t.data) + 1
	}
	return n
}

// maxDataScale bounds WithinData: past this many times the limit, a
// script is read for its literals whatever its strings hold.
const maxDataScale = 32

// maxStringCost is what a string or a template's piece counts for at most
// in codeSize.
const maxStringCost = 64
