package js

import (
	"unsafe"

	"github.com/tdewolff/parse/v2"
	tjs "github.com/tdewolff/parse/v2/js"
)

// lexer wraps the tokenizer: it skips white space and comments, gives each
// token its offset, tells regular expressions from division by the
// previous token, and steps over lexical errors (an unterminated string, a
// stray byte) instead of stopping, so broken scripts still yield tokens.
type lexer struct {
	buf  []byte // the input, terminating NUL included: tokens are slices of it
	in   *parse.Input
	l    *tjs.Lexer
	prev tjs.TokenType
	end  int
	errs int // consecutive errors without progress
	errN int // errors so far
}

// maxLexErrors: the tokenizer computes each error's line and column from
// the start of the input, so errors are bounded to keep lexing linear.
const maxLexErrors = 32

type token struct {
	tt   tjs.TokenType
	data []byte
	off  int
}

// newLexer lexes a copy of src: the input wants a terminating NUL it may
// write past len(src).
func newLexer(src []byte) *lexer {
	buf := make([]byte, len(src), len(src)+1)
	copy(buf, src)
	in := parse.NewInputBytes(buf)
	return &lexer{buf: buf[:len(src)+1], in: in, l: tjs.NewLexer(in), prev: tjs.ErrorToken, end: len(src)}
}

// at is where the text of a token starts in buf: the bytes before it.
func (x *lexer) at(data []byte) int {
	if len(data) == 0 {
		return 0
	}
	return int(uintptr(unsafe.Pointer(unsafe.SliceData(data))) - uintptr(unsafe.Pointer(unsafe.SliceData(x.buf))))
}

// next returns the next significant token; ErrorToken (with off = len) at
// the end.
func (x *lexer) next() token {
	for {
		before := x.in.Offset()
		tt, data := x.l.Next()
		if (tt == tjs.DivToken || tt == tjs.DivEqToken) && regexpAllowed(x.prev) {
			tt, data = x.l.RegExp()
			if tt == tjs.ErrorToken {
				// Not a regular expression after all (a / at the end of a
				// line): go on after the slash.
				tt, data = tjs.DivToken, nil
				if x.errN++; x.errN > maxLexErrors {
					return token{tt: tjs.ErrorToken, off: x.end}
				}
			}
		}
		off := x.in.Offset() - len(data)
		switch tt {
		case tjs.WhitespaceToken, tjs.LineTerminatorToken, tjs.CommentToken, tjs.CommentLineTerminatorToken:
			continue
		case tjs.ErrorToken:
			x.errN++
			if x.in.Offset() >= x.end || x.errN > maxLexErrors {
				return token{tt: tjs.ErrorToken, off: x.end}
			}
			if x.in.Offset() <= before {
				x.errs++
				if x.errs > 2 {
					return token{tt: tjs.ErrorToken, off: x.end}
				}
				x.in.Move(1)
			} else {
				x.errs = 0
			}
			x.in.Skip() // drop what the failed token consumed
			continue
		}
		x.errs = 0
		if off < 0 {
			off = 0
		}
		x.prev = tt
		return token{tt: tt, data: data, off: off}
	}
}

// regexpAllowed: after prev, a slash starts a regular expression rather
// than a division.
func regexpAllowed(prev tjs.TokenType) bool {
	switch prev {
	case tjs.IdentifierToken, tjs.PrivateIdentifierToken, tjs.StringToken, tjs.TemplateToken, tjs.TemplateEndToken,
		tjs.RegExpToken, tjs.CloseParenToken, tjs.CloseBracketToken, tjs.ThisToken, tjs.SuperToken,
		tjs.NullToken, tjs.TrueToken, tjs.FalseToken, tjs.IncrToken, tjs.DecrToken:
		return false
	}
	return !tjs.IsNumeric(prev)
}

// Literals returns the string and template literals of src in source
// order, escapes decoded, at most max (<= 0: 10000). A template literal
// yields one Literal per constant part. Broken scripts yield the literals
// their tokens show.
func Literals(src []byte, max int) (out []Literal) {
	if max <= 0 {
		max = maxLiterals
	}
	defer func() {
		if r := recover(); r != nil {
			reportPanic(r) // out holds what was found
		}
	}()
	x := newLexer(src)
	for len(out) < max {
		t := x.next()
		if t.tt == tjs.ErrorToken {
			break
		}
		if l, ok := literalOf(t); ok {
			out = append(out, l)
		}
	}
	return out
}

// literalOf decodes a string or template token.
func literalOf(t token) (Literal, bool) {
	switch t.tt {
	case tjs.StringToken:
		if len(t.data) < 2 {
			return Literal{}, false
		}
		v, esc := unescapeJS(t.data[1 : len(t.data)-1])
		return Literal{Value: v, Offset: t.off, Escaped: esc}, true
	case tjs.TemplateToken, tjs.TemplateStartToken, tjs.TemplateMiddleToken, tjs.TemplateEndToken:
		v, esc := templateText(t.data)
		if v == "" {
			return Literal{}, false
		}
		return Literal{Value: v, Offset: t.off, Escaped: esc}, true
	}
	return Literal{}, false
}
