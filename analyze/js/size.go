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
	if len(src) <= max {
		return true
	}
	// A look at the bytes first (no lexing): dense bundles, the usual
	// large scripts, stop here.
	if commentBytesAtMost(src) < len(src)-max {
		return false
	}
	return codeSize(src, max) <= max
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
// out, a byte counted between tokens), stopping once past stop.
func codeSize(src []byte, stop int) int {
	x := newLexer(src)
	n := 0
	for n <= stop {
		t := x.next()
		if t.tt == tjs.ErrorToken {
			break
		}
		n += len(t.data) + 1
	}
	return n
}
