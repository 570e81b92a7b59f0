package js

import tjs "github.com/tdewolff/parse/v2/js"

// TokenKind classifies a token for Tokens.
type TokenKind int

const (
	TokenOther      TokenKind = iota
	TokenString               // '…' or "…", quotes included
	TokenTemplate             // a template literal or one of its parts
	TokenIdentifier           // a name (keywords excluded)
	TokenRegExp               // /…/flags
	TokenPunctuator           // operators and brackets
)

// Tokens calls fn for each significant token of src (white space and
// comments skipped) with its kind, text and byte offset, in source order,
// until fn returns false. Lexical errors are stepped over as in the rest
// of the package; it never panics.
func Tokens(src []byte, fn func(kind TokenKind, text []byte, off int) bool) {
	defer func() {
		if r := recover(); r != nil {
			reportPanic(r)
		}
	}()
	x := newLexer(src)
	for {
		t := x.next()
		if t.tt == tjs.ErrorToken {
			return
		}
		kind := TokenOther
		switch {
		case t.tt == tjs.StringToken:
			kind = TokenString
		case t.tt == tjs.TemplateToken || t.tt == tjs.TemplateStartToken || t.tt == tjs.TemplateMiddleToken || t.tt == tjs.TemplateEndToken:
			kind = TokenTemplate
		case t.tt == tjs.IdentifierToken:
			kind = TokenIdentifier
		case t.tt == tjs.RegExpToken:
			kind = TokenRegExp
		case tjs.IsPunctuator(t.tt) || tjs.IsOperator(t.tt):
			kind = TokenPunctuator
		}
		if !fn(kind, t.data, t.off) {
			return
		}
	}
}

// UnquoteString decodes a string literal token ('…' or "…", quotes
// included); ok is false for anything else.
func UnquoteString(tok []byte) (s string, ok bool) {
	if len(tok) < 2 || (tok[0] != '\'' && tok[0] != '"') || tok[len(tok)-1] != tok[0] {
		return "", false
	}
	s, _ = unescapeJS(tok[1 : len(tok)-1])
	return s, true
}
