package js

import (
	"fmt"
	"strings"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/tdewolff/parse/v2"
	tjs "github.com/tdewolff/parse/v2/js"
)

// Analyze extracts the facts of one script. It never panics and always
// returns: a parser or walker failure yields the facts gathered from the
// script's tokens, with ParseError set.
func Analyze(src []byte, opts Options) (f Facts) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = defaultMaxBytes
	}
	defer func() {
		if r := recover(); r != nil {
			reportPanic(r)
			f = lexFacts(src, opts.Handler, TopLevel)
			f.ParseError = fmt.Sprintf("internal error: %v", r)
		}
	}()
	if !WithinData(src, opts.MaxBytes) {
		return Facts{Literals: Literals(src, maxLiterals), ParseError: fmt.Sprintf("script of %d bytes is over the %d-byte limit: literals only", len(src), opts.MaxBytes)}
	}
	return analyzeSource(src, source{handler: opts.Handler, top: TopLevel, invoked: opts.Invoked, globals: opts.Globals, shared: &shared{}, pre: opts.Parsed.of(src, opts.Handler)})
}

// Parsed is a script parsed once, for Analyze and Deobfuscate to share
// (Options.Parsed, DeobfuscateOptions.Parsed): both walk the same tree,
// which they only read.
type Parsed struct {
	buf []byte // a copy of the source, which the tree points into
	ast *tjs.AST
	err error
}

// Parse parses src as a script. It returns nil when the parser panics
// (Analyze and Deobfuscate then parse again, and handle it as before).
func Parse(src []byte) (p *Parsed) {
	defer func() {
		if r := recover(); r != nil {
			reportPanic(r)
			p = nil
		}
	}()
	buf := append(make([]byte, 0, len(src)+1), src...)
	in := parse.NewInputBytes(buf)
	ast, err := tjs.Parse(in, tjs.Options{})
	return &Parsed{buf: in.Bytes(), ast: ast, err: err}
}

// of returns p when it is the parse of src as a script (not a handler).
func (p *Parsed) of(src []byte, handler string) *Parsed {
	if p == nil || handler != "" || string(p.buf) != string(src) {
		return nil
	}
	return p
}

// source says how to analyse one piece of code.
type source struct {
	handler    string             // "": a script; "function" or on<event>: a function body
	top        Context            // context of top-level code
	invoked    map[string]Context // Options.Invoked
	globals    map[string]string  // Options.Globals
	evalDepth  int                // nesting of code strings
	recoveries int                // broken statements skipped so far
	shared     *shared
	pre        *Parsed // the parse of this very source, when done already
}

// shared is the state of one Analyze or Deobfuscate call.
type shared struct {
	evalBytes int        // bytes of code strings analysed
	rec       *[]Decoded // Deobfuscate: decodings found while folding
	deadline  deadline   // Deobfuscate: stop folding loops after it
	noEval    bool       // Deobfuscate searches code strings itself
	// both: one walk serves Analyze and Deobfuscate's first pass
	// (AnalyzeDeobfuscate), with the folding budgets of both.
	both bool
}

// rec is where o's decodings go: nowhere for a code string analysed in
// place (evalCode), which Deobfuscate searches as a layer of its own.
func (o source) rec() *[]Decoded {
	if o.evalDepth > 0 {
		return nil
	}
	return o.shared.rec
}

// maxRecoveries bounds how many broken statements are skipped.
const maxRecoveries = 8

const (
	wrapPrefix = "(function(event){"
	wrapSuffix = "\n})"
)

// analyzeSource runs both passes over src. handler "" is a script; an
// on<event> name or "function" wraps src as a function body (return is
// legal there) whose context is the handler's. top is the context of
// top-level code. rec, when set, collects decodings (Deobfuscate).
func analyzeSource(src []byte, o source) Facts {
	handler, top, invoked, rec := o.handler, o.top, o.invoked, o.rec()
	pre := o.pre
	o.pre = nil // parts and code strings analysed from here are other sources
	shift := 0
	var buf []byte
	var ast *tjs.AST
	var err error
	switch {
	case pre != nil:
		buf, ast, err = pre.buf, pre.ast, pre.err
	case handler != "":
		shift = len(wrapPrefix)
		buf = make([]byte, 0, len(wrapPrefix)+len(src)+len(wrapSuffix)+1)
		buf = append(buf, wrapPrefix...)
		buf = append(buf, src...)
		buf = append(buf, wrapSuffix...)
	default:
		buf = append(make([]byte, 0, len(src)+1), src...)
	}
	if pre == nil {
		in := parse.NewInputBytes(buf)
		ast, err = tjs.Parse(in, tjs.Options{})
		buf = in.Bytes()
	}
	if err != nil {
		if handler == "" && o.recoveries < maxRecoveries {
			if f, ok := recoverFacts(src, err, o); ok {
				return f
			}
		}
		hctx := top
		if handler != "" {
			hctx = top&^TopLevel | InFunction | handlerContext(handler)
		}
		f := lexFacts(src, handler, hctx)
		f.ParseError = firstLine(err.Error())
		return f
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(buf)))
	prog := newProgram(buf, base)
	prog.rec = rec
	prog.globals = o.globals
	prog.deadline = o.shared.deadline
	if o.shared.both && rec != nil {
		prog.foldSteps, prog.foldBytes = 2*prog.foldSteps, 2*prog.foldBytes
	}

	// First pass: learn the program.
	w1 := &walker{src: buf, base: base, prog: prog, top: top}
	w1.stmt(&ast.BlockStmt)
	if handler != "" {
		if fi := wrapperOf(ast, prog); fi != nil {
			fi.listener = true
			fi.inline |= top &^ (TopLevel | InFunction)
			if handler != "function" {
				fi.inline |= handlerContext(handler)
			}
		}
	}
	prog.analyse(top, invoked)

	// Second pass: facts.
	f := Facts{
		Calls:    make([]Call, 0, min(len(prog.calls)+8, maxFacts)),
		Assigns:  make([]Assign, 0, min(prog.nassign, maxFacts)),
		Literals: make([]Literal, 0, min(prog.nlit+8, maxLiterals)),
	}
	prog.final = &finalState{interest: interestByLength()}
	w2 := &walker{src: buf, base: base, prog: prog, top: top, final: true, facts: &f, src0: o}
	w2.stmt(&ast.BlockStmt)
	w2.finish()
	prog.foldConcats()
	if o.evalDepth == 0 {
		// A handler's own variables are its wrapper's, not the page's;
		// the globals it uses are.
		globalsOf(&f, &ast.BlockStmt.Scope, prog, handler == "")
	}
	if w1.steps > 8*len(buf)+1024 {
		f.Truncated = true
	}
	if shift > 0 {
		shiftOffsets(&f, shift, len(src))
		if rec != nil {
			for i := range *rec {
				(*rec)[i].Offset = shifted((*rec)[i].Offset, shift, len(src))
			}
		}
	}
	return f
}

// globalsOf records the script's top-level variables (when declared) and
// the globals it uses (Facts.Globals, Facts.Free).
func globalsOf(f *Facts, scope *tjs.Scope, prog *program, declared bool) {
	for _, v := range scope.Declared {
		if !declared {
			break
		}
		if len(f.Globals) == maxGlobals {
			break
		}
		if v.Decl != tjs.VariableDecl && v.Decl != tjs.LexicalDecl {
			continue
		}
		g := Global{Name: string(v.Data)}
		if x, ok := prog.varValue(v, 0); ok && x.kind == kString && len(x.s) <= maxGlobalValue && strings.Trim(x.s, Unknown) != "" {
			g.Value, g.Known, g.Partial = x.text(), true, x.partial
		}
		f.Globals = append(f.Globals, g)
	}
	for _, v := range scope.Undeclared {
		if len(f.Free) == maxFree {
			break
		}
		f.Free = append(f.Free, string(v.Data))
	}
}

// wrapperOf finds the function that wraps handler code.
func wrapperOf(ast *tjs.AST, prog *program) *funcInfo {
	if len(ast.List) == 0 {
		return nil
	}
	es, ok := ast.List[0].(*tjs.ExprStmt)
	if !ok {
		return nil
	}
	if fd, ok := unwrap(es.Value).(*tjs.FuncDecl); ok {
		return prog.funcs[fd]
	}
	return nil
}

func shifted(off, shift, n int) int {
	if off < 0 {
		return off
	}
	off -= shift
	if off < 0 || off > n {
		return -1
	}
	return off
}

func shiftOffsets(f *Facts, shift, n int) {
	for i := range f.Literals {
		f.Literals[i].Offset = shifted(f.Literals[i].Offset, shift, n)
	}
	for i := range f.Calls {
		f.Calls[i].Offset = shifted(f.Calls[i].Offset, shift, n)
	}
	for i := range f.Assigns {
		f.Assigns[i].Offset = shifted(f.Assigns[i].Offset, shift, n)
	}
	for i := range f.Listeners {
		f.Listeners[i].Offset = shifted(f.Listeners[i].Offset, shift, n)
	}
	for i := range f.URLReads {
		f.URLReads[i].Offset = shifted(f.URLReads[i].Offset, shift, n)
	}
	for i := range f.Members {
		f.Members[i].Offset = shifted(f.Members[i].Offset, shift, n)
	}
	for i := range f.Returns {
		f.Returns[i].Offset = shifted(f.Returns[i].Offset, shift, n)
	}
}

var interestCache atomic.Pointer[interestIndex]

type interestIndex struct {
	list  []string
	byLen [maxMemberName + 1][]string
	// ascii: every last component is ASCII and at most maxMemberName
	// long, so an ASCII name can only fold-equal one of its own length.
	ascii bool
}

// maxMemberName bounds the member names looked at.
const maxMemberName = 64

// interestByLength indexes the last components of InterestingMembers,
// again when the list was replaced.
func interestByLength() *[maxMemberName + 1][]string {
	return &interestIndexed().byLen
}

func interestIndexed() *interestIndex {
	if c := interestCache.Load(); c != nil && len(c.list) == len(InterestingMembers) && (len(c.list) == 0 || &c.list[0] == &InterestingMembers[0]) {
		return c
	}
	c := &interestIndex{list: InterestingMembers, ascii: true}
	for _, s := range InterestingMembers {
		last := s[strings.LastIndexByte(s, '.')+1:]
		if len(last) <= maxMemberName {
			c.byLen[len(last)] = append(c.byLen[len(last)], last)
		} else {
			c.ascii = false
		}
		if !isASCII(last) {
			c.ascii = false
		}
	}
	interestCache.Store(c)
	return c
}

// isInterestingName: name is the last component of one of
// InterestingMembers, ignoring case.
func isInterestingName(name string) bool {
	if c := interestIndexed(); c.ascii && isASCII(name) {
		if len(name) > maxMemberName {
			return false
		}
		for _, m := range c.byLen[len(name)] {
			if strings.EqualFold(m, name) {
				return true
			}
		}
		return false
	}
	// Unicode case folding can match strings of other lengths (K, the
	// Kelvin sign, folds to k).
	for _, m := range InterestingMembers {
		if strings.EqualFold(m[strings.LastIndexByte(m, '.')+1:], name) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// recoverFacts handles a script with a broken statement (HTML pasted into
// a script, a template hole): the top-level statements before it and
// after it are analysed as scripts of their own, the broken one from its
// tokens. Code before the error keeps its full contexts.
func recoverFacts(src []byte, perr error, o source) (Facts, bool) {
	top, rec := o.top, o.rec()
	pe, ok := perr.(*parse.Error)
	if !ok {
		return Facts{}, false
	}
	at := lineColumnOffset(src, pe.Line, pe.Column)
	a, b, st := statementAround(src, at)
	if a <= 0 && b >= len(src) && st.shared {
		// The broken statement is the whole script (an immediately
		// invoked function, say): it is read from the tokens just lexed,
		// as analyzeSource would read it from a second lexing.
		f := lexFactsOf(src, st.lexTokens(0), st.buf, "", top)
		f.ParseError = firstLine(perr.Error())
		return f, true
	}
	if a <= 0 && b >= len(src) || a >= b {
		return Facts{}, false
	}
	var f Facts
	part := func(g Facts, shift int) {
		shiftOffsets(&g, -shift, len(src))
		f.Calls = append(f.Calls, g.Calls...)
		f.Assigns = append(f.Assigns, g.Assigns...)
		f.Listeners = append(f.Listeners, g.Listeners...)
		f.URLReads = append(f.URLReads, g.URLReads...)
		f.URLHelpers = append(f.URLHelpers, g.URLHelpers...)
		f.Members = append(f.Members, g.Members...)
		f.Returns = append(f.Returns, g.Returns...)
		f.Literals = append(f.Literals, g.Literals...)
		f.Globals = append(f.Globals, g.Globals...)
		f.Free = append(f.Free, g.Free...)
		f.Truncated = f.Truncated || g.Truncated
	}
	analyse := func(from, to int) {
		n := 0
		if rec != nil {
			n = len(*rec)
		}
		sub := o
		sub.recoveries++
		part(analyzeSource(src[from:to], sub), from)
		if rec != nil {
			for i := n; i < len(*rec); i++ {
				if (*rec)[i].Offset >= 0 {
					(*rec)[i].Offset += from
				}
			}
		}
	}
	if a > 0 {
		analyse(0, a)
	}
	if st.shared {
		part(lexFactsOf(src[a:b], st.lexTokens(a), st.buf, "", top), a)
	} else {
		part(lexFacts(src[a:b], "", top), a)
	}
	if b < len(src) {
		analyse(b, len(src))
	}
	f.ParseError = fmt.Sprintf("%s (line %d): that statement was read from its tokens", pe.Message, pe.Line)
	capFacts(&f)
	return f, true
}

// capFacts applies the per-kind limits to merged facts.
func capFacts(f *Facts) {
	if len(f.Calls) > maxFacts {
		f.Calls, f.Truncated = f.Calls[:maxFacts], true
	}
	if len(f.Assigns) > maxFacts {
		f.Assigns, f.Truncated = f.Assigns[:maxFacts], true
	}
	if len(f.Listeners) > maxFacts {
		f.Listeners, f.Truncated = f.Listeners[:maxFacts], true
	}
	if len(f.URLReads) > maxFacts {
		f.URLReads, f.Truncated = f.URLReads[:maxFacts], true
	}
	if len(f.Members) > maxFacts {
		f.Members, f.Truncated = f.Members[:maxFacts], true
	}
	if len(f.Returns) > maxFacts {
		f.Returns, f.Truncated = f.Returns[:maxFacts], true
	}
	if len(f.Literals) > maxLiterals {
		f.Literals = f.Literals[:maxLiterals]
	}
}

// lineColumnOffset converts the parser's 1-based line and column (in
// characters; \n, \r\n, \r, U+2028 and U+2029 end lines) to an offset.
func lineColumnOffset(src []byte, line, col int) int {
	i := 0
	for l := 1; l < line && i < len(src); {
		switch c := src[i]; {
		case c == '\n':
			l++
			i++
		case c == '\r':
			l++
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			l++
			i += 3
		default:
			i++
		}
	}
	for c := 1; c < col && i < len(src); c++ {
		_, n := utf8.DecodeRune(src[i:])
		i += n
	}
	return min(i, len(src))
}

// statementAround returns the bounds of the top-level statement holding
// offset at: statements end after a ';' or a block's '}' at bracket depth
// zero. It also returns the statement's tokens when they are the ones a
// lexer started at its start would give (see stmtTokens).
func statementAround(src []byte, at int) (int, int, stmtTokens) {
	x := newLexer(src)
	// The tokens kept are those of one statement (restart drops the ones
	// before it), so they start small: sized for the whole script, a
	// script broken in many places (a page that escaped its scripts as
	// HTML) allocated its size over again at every break.
	st := stmtTokens{buf: x.buf, shared: true, toks: make([]lexTok, 0, min(len(src)/6+16, 256))}
	depth := 0
	start := 0
	endNext := false
	templates := 0 // template substitutions open
	// restart keeps the tokens from the statement starting at t on, and
	// whether lexing from there alone gives the same: no lexical error
	// so far (errors are counted and change what follows), no template
	// open (a '}' would end its substitution) and no '--' first (the
	// lexer reads '-->' at the start of its input as a comment).
	restart := func(from int) {
		st.toks = st.toks[:copy(st.toks, st.toks[from:])]
		st.shared = x.errN == 0 && templates == 0
		st.first = true
	}
	for {
		t := x.next()
		if t.tt == tjs.ErrorToken {
			return start, len(src), st
		}
		if st.first {
			st.first = false
			if t.tt == tjs.DecrToken {
				st.shared = false
			}
		}
		st.toks = append(st.toks, lexTok{off: t.off, at: x.at(t.data), n: int32(len(t.data)), tt: t.tt})
		switch t.tt {
		case tjs.TemplateStartToken:
			templates++
		case tjs.TemplateEndToken:
			templates--
		}
		if endNext {
			endNext = false
			switch t.tt {
			case tjs.ElseToken, tjs.CatchToken, tjs.FinallyToken, tjs.WhileToken, tjs.CloseParenToken, tjs.CommaToken,
				tjs.DotToken, tjs.OpenParenToken, tjs.OpenBracketToken, tjs.SemicolonToken:
			default:
				if tjs.IsIdentifierName(t.tt) || t.tt == tjs.StringToken || t.tt == tjs.OpenBraceToken {
					if t.off > at {
						st.toks = st.toks[:len(st.toks)-1] // t starts the next statement
						return start, t.off, st
					}
					start = t.off
					restart(len(st.toks) - 1)
					st.first = false // t is a name, a string or a brace
				}
			}
		}
		switch t.tt {
		case tjs.OpenParenToken, tjs.OpenBracketToken, tjs.OpenBraceToken:
			depth++
		case tjs.CloseParenToken, tjs.CloseBracketToken:
			depth = max(depth-1, 0)
		case tjs.CloseBraceToken:
			depth = max(depth-1, 0)
			if depth == 0 {
				endNext = true
			}
		case tjs.SemicolonToken:
			if depth == 0 {
				end := t.off + 1
				if end > at {
					return start, end, st
				}
				start = end
				restart(len(st.toks))
			}
		}
	}
}

// stmtTokens are the tokens of the statement statementAround found, when
// shared is set: then lexing the statement alone gives these very tokens
// (its tokens end before its end, which is a ';' or the next token, so
// nothing after it changes them; see restart for its start).
type stmtTokens struct {
	buf    []byte
	toks   []lexTok
	shared bool
	first  bool // the next token is the statement's first
}

// lexTokens returns the tokens with offsets from the statement's start a.
func (st *stmtTokens) lexTokens(a int) []lexTok {
	for i := range st.toks {
		st.toks[i].off -= a
	}
	return st.toks
}
