package js

import (
	"strings"

	"github.com/tdewolff/parse/v2"
	tjs "github.com/tdewolff/parse/v2/js"
)

// lexer wraps the tokenizer with the offset of each token. Division and
// regular expressions are told apart by the previous significant token.
type lexer struct {
	l      *tjs.Lexer
	offset int
	prev   tjs.TokenType
}

func newLexer(src []byte) *lexer {
	buf := make([]byte, len(src), len(src)+1)
	copy(buf, src)
	return &lexer{l: tjs.NewLexer(parse.NewInputBytes(buf)), prev: tjs.ErrorToken}
}

// next returns the next significant token and its offset; ErrorToken at the end.
func (x *lexer) next() (tjs.TokenType, []byte, int) {
	for {
		tt, data := x.l.Next()
		if (tt == tjs.DivToken || tt == tjs.DivEqToken) && regexpAllowed(x.prev) {
			tt, data = x.l.RegExp()
		}
		start := x.offset
		x.offset += len(data)
		switch tt {
		case tjs.WhitespaceToken, tjs.LineTerminatorToken, tjs.CommentToken, tjs.CommentLineTerminatorToken:
			continue
		}
		x.prev = tt
		return tt, data, start
	}
}

// regexpAllowed: after these tokens a slash starts a regular expression.
func regexpAllowed(prev tjs.TokenType) bool {
	switch prev {
	case tjs.ErrorToken, tjs.OpenParenToken, tjs.CommaToken, tjs.EqToken, tjs.ColonToken, tjs.OpenBracketToken,
		tjs.NotToken, tjs.AndToken, tjs.OrToken, tjs.QuestionToken, tjs.OpenBraceToken, tjs.CloseBraceToken,
		tjs.SemicolonToken, tjs.ReturnToken, tjs.TypeofToken, tjs.AddToken, tjs.SubToken, tjs.EqEqToken,
		tjs.EqEqEqToken, tjs.NotEqToken, tjs.NotEqEqToken, tjs.ArrowToken:
		return true
	}
	return false
}

// Literals returns the string literals of src, in order; at most max
// (<= 0: 10000). Template literals are returned part by part.
func Literals(src []byte, max int) []Literal {
	if max <= 0 {
		max = maxLiterals
	}
	var out []Literal
	x := newLexer(src)
	for steps := 0; len(out) < max && steps < 4*len(src)+16; steps++ {
		tt, data, off := x.next()
		switch tt {
		case tjs.ErrorToken:
			return out
		case tjs.StringToken:
			if len(data) >= 2 {
				v, esc := unescapeJS(data[1 : len(data)-1])
				out = append(out, Literal{Value: v, Offset: off, Escaped: esc})
			}
		case tjs.TemplateToken, tjs.TemplateStartToken, tjs.TemplateMiddleToken, tjs.TemplateEndToken:
			if v := templateText(data); v != "" {
				out = append(out, Literal{Value: v, Offset: off})
			}
		}
	}
	return out
}

// lexFacts extracts what it can from tokens when a script does not parse:
// calls written as a.b.c(literal, …) and assignments a.b = literal. Their
// context is unknown (0).
func lexFacts(src []byte, opts Options) Facts {
	var f Facts
	f.Literals = Literals(src, maxLiterals)
	if len(src) > opts.MaxBytes && opts.MaxBytes > 0 {
		return f
	}
	base := Context(0)
	if opts.Handler != "" {
		base = handlerContext(opts.Handler)
	}
	x := newLexer(src)
	var path []string
	pathOff := -1
	var lastDot bool
	type tok struct {
		tt   tjs.TokenType
		data []byte
		off  int
	}
	var pending []tok // lookahead buffer
	read := func() tok {
		if len(pending) > 0 {
			t := pending[0]
			pending = pending[1:]
			return t
		}
		tt, d, o := x.next()
		return tok{tt, d, o}
	}
	// peekArgs reads literal arguments up to the closing parenthesis; when
	// there is none nearby (broken code) the tokens are put back.
	peekArgs := func() []string {
		var look []tok
		var args []string
		depth := 1
		cur := ""
		for len(look) < 48 {
			t := read()
			look = append(look, t)
			switch t.tt {
			case tjs.ErrorToken:
				pending = append(look, pending...)
				return nil
			case tjs.OpenParenToken:
				depth++
			case tjs.CloseParenToken:
				depth--
				if depth == 0 {
					return append(args, cur)
				}
			case tjs.CommaToken:
				if depth == 1 {
					args = append(args, cur)
					cur = ""
				}
			case tjs.StringToken:
				if depth == 1 && len(t.data) >= 2 {
					cur += unquote(t.data)
				}
			case tjs.OpenBraceToken, tjs.CloseBraceToken, tjs.SemicolonToken:
				pending = append(look, pending...)
				return nil
			}
		}
		pending = append(look, pending...)
		return nil
	}
	for steps := 0; steps < 4*len(src)+16 && len(f.Calls) < maxFacts && len(f.Assigns) < maxFacts; steps++ {
		t := read()
		switch {
		case t.tt == tjs.ErrorToken:
			return f
		case tjs.IsIdentifierName(t.tt) || t.tt == tjs.ThisToken:
			if !lastDot {
				path = path[:0]
				pathOff = t.off
			}
			path = append(path, string(t.data))
			lastDot = false
		case t.tt == tjs.DotToken:
			lastDot = true
		case t.tt == tjs.OpenParenToken && len(path) > 0:
			callee := strings.Join(path, ".")
			args := peekArgs()
			f.Calls = append(f.Calls, Call{Callee: callee, Method: path[len(path)-1], Args: args, Offset: pathOff, Ctx: base})
			if m := path[len(path)-1]; (m == "get" && strings.Contains(callee, "arams")) && len(args) > 0 {
				f.URLReads = append(f.URLReads, URLRead{Expr: callee, Param: args[0], Offset: pathOff})
			}
			path = path[:0]
		case t.tt == tjs.EqToken && len(path) > 0:
			target := strings.Join(path, ".")
			v := read()
			val := ""
			if v.tt == tjs.StringToken {
				val = unquote(v.data)
			}
			f.Assigns = append(f.Assigns, Assign{Target: target, Value: val, Offset: pathOff, Ctx: base})
			path = path[:0]
		default:
			if len(path) > 0 {
				p := strings.Join(path, ".")
				if interestingMember(p) {
					f.Members = append(f.Members, Member{Path: p, Offset: pathOff, Ctx: base})
				}
				if strings.HasSuffix(p, "location.search") || strings.HasSuffix(p, "location.hash") {
					f.URLReads = append(f.URLReads, URLRead{Expr: p, Offset: pathOff})
				}
			}
			path = path[:0]
			lastDot = false
		}
	}
	return f
}
