package js

import (
	"strings"

	tjs "github.com/tdewolff/parse/v2/js"
)

// lexFacts extracts facts from tokens when a script does not parse:
// calls written as a.b.c(…), assignments a.b = …, listeners, members and
// URL reads, with contexts from the brace structure (function bodies,
// loops, handler and timer callbacks recognised by the tokens before
// them). It is the best effort the brief promises, not a parser.
func lexFacts(src []byte, handler string, base Context) Facts {
	var f Facts
	x := newLexer(src)
	toks := make([]lexTok, 0, min(len(src)/6+16, maxLexTokens))
	for len(toks) < maxLexTokens {
		t := x.next()
		if t.tt == tjs.ErrorToken {
			break
		}
		toks = append(toks, lexTok{off: t.off, at: x.at(t.data), n: int32(len(t.data)), tt: t.tt})
		if len(f.Literals) < maxLiterals {
			if l, ok := literalOf(t); ok {
				f.Literals = append(f.Literals, l)
			}
		}
	}
	return lexWalk(&f, src, x.buf, toks, base)
}

// maxLexTokens bounds the tokens lexFacts reads.
const maxLexTokens = 1 << 20

// lexFactsOf is lexFacts over the tokens of src read already (their text
// in buf), as newLexer(src) gives them.
func lexFactsOf(src []byte, toks []lexTok, buf []byte, handler string, base Context) Facts {
	var f Facts
	toks = toks[:min(len(toks), maxLexTokens)]
	for i := range toks {
		if len(f.Literals) >= maxLiterals {
			break
		}
		t := &toks[i]
		if l, ok := literalOf(token{tt: t.tt, data: buf[t.at : t.at+int(t.n) : t.at+int(t.n)], off: t.off}); ok {
			f.Literals = append(f.Literals, l)
		}
	}
	return lexWalk(&f, src, buf, toks, base)
}

func lexWalk(f *Facts, src, buf []byte, toks []lexTok, base Context) Facts {
	if len(toks) == maxLexTokens {
		f.Truncated = true
	}
	lf := &lexWalker{src: src, buf: buf, toks: toks, f: f, byName: map[string]Context{}}
	lf.matchBrackets()
	lf.registrations()
	lf.walk(base)
	return *f
}

type lexWalker struct {
	src    []byte
	buf    []byte // the lexer's buffer, which the tokens' text is in
	toks   []lexTok
	match  []int // index of the matching bracket, -1 if none
	f      *Facts
	byName map[string]Context // functions registered by name
}

// lexTok is a token held without pointers (a script has tens of
// thousands): its text is buf[at:at+n].
type lexTok struct {
	off int // in src, as token.off
	at  int
	n   int32
	tt  tjs.TokenType
}

// data is the text of token i, as the lexer returned it.
func (l *lexWalker) data(i int) []byte {
	t := &l.toks[i]
	return l.buf[t.at : t.at+int(t.n) : t.at+int(t.n)]
}

func (l *lexWalker) tt(i int) tjs.TokenType {
	if i < 0 || i >= len(l.toks) {
		return tjs.ErrorToken
	}
	return l.toks[i].tt
}

func (l *lexWalker) text(i int) string {
	if i < 0 || i >= len(l.toks) {
		return ""
	}
	return string(l.data(i))
}

// view is text without a copy, for comparisons and lookups: it shares the
// lexer's buffer, which is never written after lexing.
func (l *lexWalker) view(i int) string {
	if i < 0 || i >= len(l.toks) {
		return ""
	}
	return bytesView(l.data(i))
}

func (l *lexWalker) matchBrackets() {
	l.match = make([]int, len(l.toks))
	var stack []int
	for i, t := range l.toks {
		l.match[i] = -1
		switch t.tt {
		case tjs.OpenParenToken, tjs.OpenBracketToken, tjs.OpenBraceToken:
			stack = append(stack, i)
		case tjs.CloseParenToken, tjs.CloseBracketToken, tjs.CloseBraceToken:
			want := tjs.OpenBraceToken
			switch t.tt {
			case tjs.CloseParenToken:
				want = tjs.OpenParenToken
			case tjs.CloseBracketToken:
				want = tjs.OpenBracketToken
			}
			for k := len(stack) - 1; k >= 0 && k >= len(stack)-4; k-- {
				if l.toks[stack[k]].tt == want {
					l.match[i], l.match[stack[k]] = stack[k], i
					stack = stack[:k]
					break
				}
			}
		}
	}
}

func isName(tt tjs.TokenType) bool {
	return tt == tjs.ThisToken || tjs.IsIdentifier(tt)
}

// pathBefore reads the member path that ends at token end (inclusive),
// backwards: a.b['c'](…).d. It returns the path and its first token.
func (l *lexWalker) pathBefore(end int) (string, int) {
	var buf [8]string
	parts := buf[:0] // joinReversed copies them
	i := end
	for steps := 0; i >= 0 && steps < 32; steps++ {
		switch t := l.tt(i); {
		case isName(t) || len(parts) == 0 && tjs.IsIdentifierName(t) && (l.tt(i-1) == tjs.DotToken || l.tt(i-1) == tjs.OptChainToken) || len(parts) > 0 && tjs.IsIdentifierName(t) && l.tt(i-1) == tjs.DotToken:
			parts = append(parts, l.view(i))
			if l.tt(i-1) == tjs.DotToken || l.tt(i-1) == tjs.OptChainToken {
				i -= 2
				continue
			}
			return joinReversed(parts), i
		case t == tjs.CloseBracketToken && l.tt(i-1) == tjs.StringToken && l.tt(i-2) == tjs.OpenBracketToken:
			s := unquote(l.data(i - 1))
			if !isIdentName(s) {
				s = "[]"
			}
			parts = append(parts, s)
			i -= 3
			if i >= 0 && (isName(l.tt(i)) || l.tt(i) == tjs.CloseParenToken || l.tt(i) == tjs.CloseBracketToken) {
				continue
			}
			return joinReversed(parts), i + 1
		case t == tjs.CloseParenToken && l.match[i] > 0 && len(parts) > 0:
			open := l.match[i]
			head, start := l.pathBefore(open - 1)
			if head == "" {
				return joinReversed(parts), i + 1
			}
			if head == "$" || head == "jQuery" {
				sel := "…"
				if l.tt(open+1) == tjs.StringToken && l.match[i] == open && i == open+2 {
					sel = quoteShort(unquote(l.data(open + 1)))
				} else if isName(l.tt(open+1)) && i == open+2 {
					sel = l.view(open + 1) // copied by the concatenation below
				}
				parts = append(parts, head+"("+sel+")")
			} else {
				parts = append(parts, head+"()")
			}
			return joinReversed(parts), start
		default:
			if len(parts) == 0 {
				return "", end + 1
			}
			return joinReversed(parts), i + 1
		}
	}
	return joinReversed(parts), i + 1
}

// joinReversed joins path components found backwards into a new string
// (parts may share the lexer's buffer).
func joinReversed(parts []string) string {
	for a, b := 0, len(parts)-1; a < b; a, b = a+1, b-1 {
		parts[a], parts[b] = parts[b], parts[a]
	}
	if len(parts) == 1 {
		return clipPath(strings.Clone(parts[0])) // Join would return it as it is
	}
	return clipPath(strings.Join(parts, "."))
}

// args folds the arguments between the brackets open and close: string
// and number literals joined by +, else "".
func (l *lexWalker) args(open, close int) []string {
	if close <= open {
		return nil
	}
	var out []string
	var b strings.Builder
	ok, empty := true, true
	depth := 0
	flush := func() {
		if ok && !empty {
			out = append(out, b.String())
		} else {
			out = append(out, "")
		}
		b.Reset()
		ok, empty = true, true
	}
	for i := open + 1; i < close && len(out) < maxArgs; i++ {
		t := &l.toks[i]
		switch {
		case t.tt == tjs.OpenParenToken || t.tt == tjs.OpenBracketToken || t.tt == tjs.OpenBraceToken:
			depth++
			ok = false
		case t.tt == tjs.CloseParenToken || t.tt == tjs.CloseBracketToken || t.tt == tjs.CloseBraceToken:
			depth--
		case depth > 0:
		case t.tt == tjs.CommaToken:
			flush()
		case t.tt == tjs.StringToken:
			b.WriteString(unquote(l.data(i)))
			empty = false
		case t.tt == tjs.TemplateToken:
			s, _ := templateText(l.data(i))
			b.WriteString(s)
			empty = false
		case tjs.IsNumeric(t.tt):
			if v, good := literalValue(&tjs.LiteralExpr{TokenType: t.tt, Data: l.data(i)}); good {
				b.WriteString(v.text())
				empty = false
			} else {
				ok = false
			}
		case t.tt == tjs.AddToken:
		default:
			ok = false
		}
	}
	if open+1 < close {
		flush()
	}
	return out
}

// valueAfter folds the expression after an assignment operator.
func (l *lexWalker) valueAfter(i int) string {
	end := i + 1
	for end < len(l.toks) && end < i+64 {
		switch l.tt(end) {
		case tjs.SemicolonToken, tjs.CommaToken, tjs.CloseParenToken, tjs.CloseBraceToken, tjs.CloseBracketToken:
			goto done
		}
		end++
	}
done:
	a := l.args(i, end)
	if len(a) == 1 {
		return a[0]
	}
	return ""
}

// registrations finds functions registered by name:
// addEventListener('click', f), setTimeout(f, …), x.onclick = f.
func (l *lexWalker) registrations() {
	for i := range l.toks {
		if l.tt(i) != tjs.OpenParenToken || i == 0 {
			if l.tt(i) == tjs.EqToken && isName(l.tt(i+1)) && (l.tt(i+2) == tjs.SemicolonToken || l.tt(i+2) == tjs.ErrorToken || l.tt(i+2) == tjs.CloseBraceToken) {
				if p, _ := l.pathBefore(i - 1); p != "" {
					last := strings.ToLower(lastComponent(p))
					if len(last) > 2 && strings.HasPrefix(last, "on") {
						l.byName[l.text(i+1)] |= eventContext(last, targetOf(p, lastComponent(p)))
					}
				}
			}
			continue
		}
		method := l.view(i - 1) // only compared and looked up
		switch {
		case listenMethods[method] && l.tt(i+1) == tjs.StringToken && l.tt(i+2) == tjs.CommaToken && isName(l.tt(i+3)):
			callee, _ := l.pathBefore(i - 1)
			for _, ev := range eventNames(unquote(l.data(i+1)), method == "attachEvent") {
				l.byName[l.text(i+3)] |= eventContext(ev, targetOf(callee, method))
			}
		case timerFuncs[method] != 0 && isName(l.tt(i+1)) && l.tt(i+2) != tjs.OpenParenToken && l.tt(i+2) != tjs.DotToken:
			l.byName[l.text(i+1)] |= timerFuncs[method]
		case shortcutEvents[method] != "" && l.tt(i-2) == tjs.DotToken && isName(l.tt(i+1)) && l.tt(i+2) == tjs.CloseParenToken:
			callee, _ := l.pathBefore(i - 1)
			l.byName[l.text(i+1)] |= eventContext(shortcutEvents[method], targetOf(callee, method))
		}
	}
}

// frame is an open brace.
type lexFrame struct {
	ctx   Context
	close int
}

func (l *lexWalker) walk(base Context) {
	frames := []lexFrame{{ctx: base, close: len(l.toks)}}
	var parens []int // open parenthesis indexes
	for i := 0; i < len(l.toks); i++ {
		t := l.toks[i]
		for len(frames) > 1 && i > frames[len(frames)-1].close {
			frames = frames[:len(frames)-1]
		}
		for len(parens) > 0 && (l.match[parens[len(parens)-1]] < 0 || i > l.match[parens[len(parens)-1]]) {
			parens = parens[:len(parens)-1]
		}
		ctx := frames[len(frames)-1].ctx
		switch t.tt {
		case tjs.OpenBraceToken:
			c := l.blockContext(i, ctx, parens)
			closeAt := l.match[i]
			if closeAt < 0 {
				closeAt = len(l.toks)
			}
			frames = append(frames, lexFrame{ctx: c, close: closeAt})
		case tjs.OpenParenToken:
			l.callAt(i, ctx)
			parens = append(parens, i)
		case tjs.EqToken, tjs.AddEqToken, tjs.OrEqToken, tjs.NullishEqToken:
			l.assignAt(i, ctx)
		case tjs.IdentifierToken:
			l.memberAt(i, ctx)
		case tjs.StringToken:
			if l.tt(i-1) == tjs.OpenBracketToken && l.tt(i+1) == tjs.CloseBracketToken {
				l.memberAt(i+1, ctx)
			}
		}
	}
}

// blockContext decides what a brace opens: a function body (with the
// context of how the function is registered), a loop body, or a block.
func (l *lexWalker) blockContext(i int, outer Context, parens []int) Context {
	prev := l.tt(i - 1)
	switch {
	case prev == tjs.ArrowToken:
		start := i - 2
		if l.tt(start) == tjs.CloseParenToken && l.match[start] >= 0 {
			start = l.match[start]
		}
		return l.funcContext(start, "", outer, parens)
	case prev == tjs.DoToken:
		return outer | InLoop
	case prev == tjs.CloseParenToken && l.match[i-1] >= 0:
		open := l.match[i-1]
		kw := l.tt(open - 1)
		switch {
		case kw == tjs.ForToken || kw == tjs.WhileToken:
			return outer | InLoop
		case kw == tjs.IfToken || kw == tjs.SwitchToken || kw == tjs.CatchToken || kw == tjs.WithToken:
			return outer
		case kw == tjs.FunctionToken:
			return l.funcContext(open-1, "", outer, parens)
		case isName(kw) && l.tt(open-2) == tjs.FunctionToken:
			return l.funcContext(open-2, l.view(open-1), outer, parens)
		case isName(kw):
			return outer&^TopLevel | InFunction // a method
		}
	}
	return outer
}

// funcContext computes the context of a function whose header starts at
// token h.
func (l *lexWalker) funcContext(h int, name string, outer Context, parens []int) Context {
	ctx := outer&^TopLevel | InFunction
	if name != "" {
		ctx |= l.byName[name]
	}
	switch l.tt(h - 1) {
	case tjs.OpenParenToken, tjs.CommaToken:
		if len(parens) == 0 {
			return ctx
		}
		open := parens[len(parens)-1]
		callee, _ := l.pathBefore(open - 1)
		method := lastComponent(callee)
		args := l.args(open, l.match[open])
		switch {
		case listenMethods[method] && len(args) > 0 && args[0] != "":
			var c Context
			for _, ev := range eventNames(args[0], method == "attachEvent") {
				c |= eventContext(ev, targetOf(callee, method))
			}
			return InFunction | c | outer&(InEval|InUncalled)
		case shortcutEvents[method] != "" && strings.Contains(callee, "."):
			return InFunction | eventContext(shortcutEvents[method], targetOf(callee, method)) | outer&(InEval|InUncalled)
		case callee == "$" || callee == "jQuery":
			return InFunction | InLoadHandler | outer&(InEval|InUncalled)
		case timerFuncs[method] != 0 && isGlobalCall(callee, method):
			return ctx | timerFuncs[method]
		}
	case tjs.EqToken:
		target, _ := l.pathBefore(h - 2)
		last := strings.ToLower(lastComponent(target))
		if len(last) > 2 && strings.HasPrefix(last, "on") {
			return InFunction | eventContext(last, targetOf(target, lastComponent(target))) | outer&(InEval|InUncalled)
		}
		ctx |= l.byName[target]
	}
	return ctx
}

func (l *lexWalker) callAt(i int, ctx Context) {
	if i == 0 {
		return
	}
	prev := l.tt(i - 1)
	if !isName(prev) && prev != tjs.CloseBracketToken && prev != tjs.CloseParenToken {
		return
	}
	if prev == tjs.CloseParenToken && l.match[i-1] >= 0 && l.tt(l.match[i-1]-1) != tjs.DotToken && !isName(l.tt(l.match[i-1]-1)) {
		return // (function(){…})(): no path
	}
	callee, start := l.pathBefore(i - 1)
	if callee == "" || l.tt(start-1) == tjs.FunctionToken {
		return
	}
	if len(l.f.Calls) >= maxFacts {
		l.f.Truncated = true
		return
	}
	method := lastComponent(callee)
	args := l.args(i, l.match[i])
	off := l.toks[start].off
	if l.tt(start-1) == tjs.NewToken {
		callee = "new " + callee
	}
	l.f.Calls = append(l.f.Calls, Call{Callee: callee, Method: method, Args: args, Offset: off, Ctx: ctx})
	switch {
	case listenMethods[method] && len(args) > 1 && args[0] != "":
		target := strings.TrimSuffix(callee, "."+method)
		if target == callee {
			target = "window"
		}
		for _, ev := range eventNames(args[0], method == "attachEvent") {
			if len(l.f.Listeners) < maxFacts {
				l.f.Listeners = append(l.f.Listeners, Listener{Event: ev, Target: target, Offset: off, Ctx: ctx})
			}
		}
	case (method == "get" || method == "getAll" || method == "has") && (strings.Contains(callee, "URLSearchParams") || strings.Contains(callee, "searchParams")):
		if len(l.f.URLReads) < maxFacts {
			l.f.URLReads = append(l.f.URLReads, URLRead{Expr: callee, Param: paramName(argAt(args, 0)), Offset: off})
		}
	}
}

func (l *lexWalker) assignAt(i int, ctx Context) {
	prev := l.tt(i - 1)
	if !isName(prev) && prev != tjs.CloseBracketToken {
		return
	}
	target, start := l.pathBefore(i - 1)
	if target == "" {
		return
	}
	if d := l.tt(start - 1); d == tjs.VarToken || d == tjs.LetToken || d == tjs.ConstToken {
		if target != "location" && !strings.HasPrefix(target, "on") {
			return
		}
	}
	if len(l.f.Assigns) >= maxFacts {
		l.f.Truncated = true
		return
	}
	off := l.toks[start].off
	l.f.Assigns = append(l.f.Assigns, Assign{Target: target, Value: l.valueAfter(i), Op: string(l.data(i)), Offset: off, Ctx: ctx})
	last := strings.ToLower(lastComponent(target))
	if len(last) > 2 && strings.HasPrefix(last, "on") && len(l.f.Listeners) < maxFacts {
		obj := strings.TrimSuffix(target, "."+lastComponent(target))
		if obj == target {
			obj = "window"
		}
		l.f.Listeners = append(l.f.Listeners, Listener{Event: last[2:], Target: obj, Offset: off, Ctx: ctx})
	}
}

// memberAt looks at a property name (an identifier after a dot, or the
// closing bracket of ['name']).
func (l *lexWalker) memberAt(i int, ctx Context) {
	var name string
	switch {
	case l.tt(i) == tjs.IdentifierToken && (l.tt(i-1) == tjs.DotToken || l.tt(i-1) == tjs.OptChainToken):
		name = bytesView(l.data(i)) // only compared
	case l.tt(i) == tjs.CloseBracketToken:
		name = unquote(l.data(i - 1))
	default:
		return
	}
	interesting := isInterestingName(name)
	urlRead := name == "search" || name == "hash" || name == "href" || name == "URL"
	if !interesting && !urlRead {
		return
	}
	path, start := l.pathBefore(i)
	off := l.toks[start].off
	if interesting && interestingMember(path) && len(l.f.Members) < maxFacts {
		l.f.Members = append(l.f.Members, Member{Path: path, Offset: off, Ctx: ctx})
	}
	if urlRead && isLocationRead(path) && l.tt(i+1) != tjs.EqToken && len(l.f.URLReads) < maxFacts {
		l.f.URLReads = append(l.f.URLReads, URLRead{Expr: path, Offset: off})
	}
}
