package js

import (
	"bytes"
	"unsafe"

	tjs "github.com/tdewolff/parse/v2/js"
)

// The walker visits the AST in source order (tdewolff's Walk visits an if
// statement's body before its condition and a call's arguments before its
// callee), which lets it give every fact an offset: tdewolff shares one
// Var between all uses of a name, so the offset of a variable use is found
// by searching its name forward from the last offset known exactly (a
// cursor that every literal and property name advances).
//
// It runs twice over the same AST. The first pass (collect) learns the
// program: functions and their nesting, writes to variables, call sites,
// string-array obfuscation. Between the passes the contexts of all
// function bodies are computed (program.go). The second pass (facts)
// emits facts with those contexts.

type walker struct {
	src  []byte // the buffer that was parsed; AST byte slices point into it
	base uintptr
	prog *program

	final bool // second pass: emit facts
	facts *Facts

	fn    *funcInfo // innermost enclosing function, nil at top level
	local Context   // flags picked up inside fn since its boundary (loops)
	top   Context   // context of top-level code

	depth int

	// Variable offsets.
	cursor     int
	pendingVar *tjs.Var // a Var resolved ahead of its visit (a callee)
	pendingOff int
	scanned    int // bytes searched for names; bounded

	// How this code is analysed (nested code strings go one level deeper).
	src0 source

	steps int // nodes visited; bounded per pass
}

// maxSteps bounds the nodes visited per pass relative to the input; the
// parser limits nesting, not size, so this only guards against surprises.
func (w *walker) budget() bool {
	w.steps++
	return w.steps <= 8*len(w.src)+1024
}

func (w *walker) ctx() Context {
	if w.fn == nil {
		return w.top | w.local
	}
	return w.fn.ctx | w.local
}

// offsetOf returns the offset of b in the source when b is a slice of it.
func (w *walker) offsetOf(b []byte) int {
	if len(b) == 0 || len(w.src) == 0 {
		return -1
	}
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if p < w.base || p >= w.base+uintptr(len(w.src)) {
		return -1
	}
	return int(p - w.base)
}

// touch advances the cursor past a token known exactly.
func (w *walker) touch(b []byte) int {
	if !w.final {
		return -1
	}
	off := w.offsetOf(b)
	if off >= 0 && off+len(b) > w.cursor {
		w.cursor = off + len(b)
	}
	return off
}

// findName searches the next use of name from the cursor: not preceded by
// an identifier character or a dot, not followed by an identifier
// character.
func (w *walker) findName(name []byte) int {
	if len(name) == 0 || w.scanned > 64*len(w.src)+(1<<20) {
		return -1
	}
	from := w.cursor
	for from < len(w.src) {
		i := bytes.Index(w.src[from:], name)
		if i < 0 {
			w.scanned += len(w.src) - from
			return -1
		}
		w.scanned += i + len(name)
		at := from + i
		end := at + len(name)
		okBefore := at == 0 || !identByte(w.src[at-1]) && (w.src[at-1] != '.' || at >= 3 && w.src[at-2] == '.' && w.src[at-3] == '.')
		okAfter := end >= len(w.src) || !identByte(w.src[end])
		if okBefore && okAfter {
			return at
		}
		from = at + 1
	}
	return -1
}

func identByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// resolveVar finds the offset of the use of v that the walk is about to
// visit, ahead of the visit (for a callee or an assignment target).
func (w *walker) resolveVar(v *tjs.Var) int {
	if w.pendingVar == v {
		return w.pendingOff
	}
	off := w.findName(v.Data)
	if off >= 0 {
		w.cursor = off + len(v.Data)
	}
	w.pendingVar, w.pendingOff = v, off
	return off
}

// visitVar is called for every use of a variable.
func (w *walker) visitVar(v *tjs.Var) int {
	if !w.final {
		return -1 // the first pass needs no offsets
	}
	if w.pendingVar == v {
		w.pendingVar = nil
		return w.pendingOff
	}
	w.pendingVar = nil
	off := w.findName(v.Data)
	if off >= 0 {
		w.cursor = off + len(v.Data)
	}
	return off
}

// exprStart returns the offset where e starts, resolving its leftmost
// variable ahead of the visit; -1 when unknown.
func (w *walker) exprStart(e tjs.IExpr) int {
	for i := 0; i < 64 && e != nil; i++ {
		switch n := e.(type) {
		case *tjs.Var:
			return w.resolveVar(n)
		case *tjs.LiteralExpr:
			return w.offsetOf(n.Data)
		case *tjs.DotExpr:
			e = n.X
		case *tjs.IndexExpr:
			e = n.X
		case *tjs.CallExpr:
			e = n.X
		case *tjs.NewExpr:
			e = n.X
		case *tjs.GroupExpr:
			if off := w.exprStart(n.X); off > 0 {
				return off - 1 // the parenthesis, usually
			}
			return -1
		case *tjs.BinaryExpr:
			e = n.X
		case *tjs.CondExpr:
			e = n.Cond
		case *tjs.CommaExpr:
			if len(n.List) == 0 {
				return -1
			}
			e = n.List[0]
		case *tjs.TemplateExpr:
			if n.Tag != nil {
				e = n.Tag
			} else if len(n.List) > 0 {
				return w.offsetOf(n.List[0].Value)
			} else {
				return w.offsetOf(n.Tail)
			}
		case *tjs.ArrayExpr, *tjs.ObjectExpr, *tjs.FuncDecl, *tjs.ArrowFunc, *tjs.UnaryExpr, *tjs.ClassDecl:
			return w.nextTokenGuess()
		default:
			return -1
		}
	}
	return -1
}

// nextTokenGuess: the first non-space byte at the cursor.
func (w *walker) nextTokenGuess() int {
	for i := w.cursor; i < len(w.src) && i < w.cursor+256; i++ {
		switch w.src[i] {
		case ' ', '\t', '\n', '\r', ';', ',':
			continue
		}
		return i
	}
	return -1
}

// enter guards recursion depth: the parser bounds nesting near 1000 per
// statement or expression, this bounds it for the whole walk.
func (w *walker) enter() bool {
	if w.depth >= maxWalkDepth || !w.budget() {
		if w.facts != nil {
			w.facts.Truncated = true
		}
		return false
	}
	w.depth++
	return true
}

func (w *walker) leave() { w.depth-- }

const maxWalkDepth = 4000

// stmt visits a statement.
func (w *walker) stmt(s tjs.IStmt) {
	if s == nil || !w.enter() {
		return
	}
	defer w.leave()
	switch n := s.(type) {
	case *tjs.BlockStmt:
		if n != nil {
			for _, x := range n.List {
				w.stmt(x)
			}
		}
	case *tjs.ExprStmt:
		w.expr(n.Value)
	case *tjs.VarDecl:
		w.varDecl(n)
	case *tjs.IfStmt:
		w.expr(n.Cond)
		w.stmt(n.Body)
		w.stmt(n.Else)
	case *tjs.DoWhileStmt:
		saved := w.local
		w.local |= InLoop
		w.stmt(n.Body)
		w.expr(n.Cond)
		w.local = saved
	case *tjs.WhileStmt:
		saved := w.local
		w.local |= InLoop
		w.expr(n.Cond)
		w.stmt(n.Body)
		w.local = saved
	case *tjs.ForStmt:
		if w.final && w.prog.rec != nil {
			w.prog.charLoop(n)
		}
		w.expr(n.Init)
		saved := w.local
		w.local |= InLoop
		w.expr(n.Cond)
		w.expr(n.Post)
		if n.Body != nil {
			w.stmt(n.Body)
		}
		w.local = saved
	case *tjs.ForInStmt:
		w.forBinding(n.Init)
		w.expr(n.Value)
		saved := w.local
		w.local |= InLoop
		if n.Body != nil {
			w.stmt(n.Body)
		}
		w.local = saved
	case *tjs.ForOfStmt:
		w.forBinding(n.Init)
		w.expr(n.Value)
		saved := w.local
		w.local |= InLoop
		if n.Body != nil {
			w.stmt(n.Body)
		}
		w.local = saved
	case *tjs.SwitchStmt:
		w.expr(n.Init)
		for i := range n.List {
			c := &n.List[i]
			w.expr(c.Cond)
			for _, x := range c.List {
				w.stmt(x)
			}
		}
	case *tjs.ReturnStmt:
		if w.final && n.Value != nil && w.ctx()&handlerContexts != 0 {
			w.returnFact(n)
		}
		w.value(n.Value)
	case *tjs.WithStmt:
		w.expr(n.Cond)
		w.stmt(n.Body)
	case *tjs.LabelledStmt:
		w.stmt(n.Value)
	case *tjs.ThrowStmt:
		w.expr(n.Value)
	case *tjs.TryStmt:
		if n.Body != nil {
			w.stmt(n.Body)
		}
		w.binding(n.Binding, true)
		if n.Catch != nil {
			w.stmt(n.Catch)
		}
		if n.Finally != nil {
			w.stmt(n.Finally)
		}
	case *tjs.FuncDecl:
		w.funcDecl(n)
	case *tjs.ClassDecl:
		w.class(n)
	case *tjs.ExportStmt:
		w.expr(n.Decl)
	case *tjs.ImportStmt:
		w.touch(n.Module)
		if w.final {
			w.literal(n.Module, false)
		}
	case *tjs.DirectivePrologueStmt:
		w.touch(n.Value)
		if w.final {
			w.literal(n.Value, false)
		}
	}
}

// forBinding visits the left side of for-in/of: every variable it binds is
// written on each iteration.
func (w *walker) forBinding(e tjs.IExpr) {
	switch n := e.(type) {
	case *tjs.VarDecl:
		for i := range n.List {
			w.binding(n.List[i].Binding, true)
			w.expr(n.List[i].Default)
		}
	case *tjs.Var:
		w.visitVar(n)
		if !w.final {
			w.prog.write(n, nil, 2)
		}
	default:
		w.target(e)
	}
}

func (w *walker) varDecl(n *tjs.VarDecl) {
	for i := range n.List {
		el := &n.List[i]
		if v, ok := el.Binding.(*tjs.Var); ok {
			w.visitVar(v)
			if el.Default != nil {
				if !w.final {
					w.prog.write(v, el.Default, 1)
				} else {
					w.declAssign(v, el.Default)
				}
				if _, ok := unwrap(el.Default).(*tjs.Var); ok {
					w.expr(el.Default) // an alias when v is written once (program.aliases)
				} else {
					w.value(el.Default)
				}
			} else if !w.final && n.TokenType != tjs.VarToken {
				w.prog.write(v, nil, 0)
			}
			continue
		}
		w.binding(el.Binding, true)
		w.expr(el.Default)
	}
}

// binding visits a binding pattern; multi marks its variables as written
// more than once (parameters, catch, destructuring).
func (w *walker) binding(b tjs.IBinding, multi bool) {
	if b == nil || !w.enter() {
		return
	}
	defer w.leave()
	switch n := b.(type) {
	case *tjs.Var:
		w.visitVar(n)
		if !w.final && multi {
			w.prog.write(n, nil, 2)
		}
	case *tjs.BindingArray:
		for i := range n.List {
			w.binding(n.List[i].Binding, true)
			w.expr(n.List[i].Default)
		}
		w.binding(n.Rest, true)
	case *tjs.BindingObject:
		for i := range n.List {
			item := &n.List[i]
			if item.Key != nil {
				w.propertyName(item.Key)
			}
			w.binding(item.Value.Binding, true)
			w.expr(item.Value.Default)
		}
		if n.Rest != nil {
			w.binding(n.Rest, true)
		}
	}
}

func (w *walker) propertyName(p *tjs.PropertyName) {
	if p == nil {
		return
	}
	if p.Computed != nil {
		w.expr(p.Computed)
		return
	}
	off := w.touch(p.Literal.Data)
	if !w.final {
		return
	}
	if p.Literal.TokenType == tjs.StringToken {
		w.literal(p.Literal.Data, false)
	} else if off > 0 && off+len(p.Literal.Data) < len(w.src) && (w.src[off-1] == '"' || w.src[off-1] == '\'') && w.src[off+len(p.Literal.Data)] == w.src[off-1] {
		// The parser reads {'name': …} as an identifier without quotes.
		w.literal(w.src[off-1:off+len(p.Literal.Data)+1], false)
	}
}

// literal records a string literal token (with quotes) or a template part.
func (w *walker) literal(data []byte, template bool) {
	if len(w.facts.Literals) >= maxLiterals {
		return
	}
	off := w.offsetOf(data)
	if off < 0 {
		return
	}
	tt := tjs.StringToken
	if template {
		tt = tjs.TemplateToken
	}
	if l, ok := literalOf(token{tt: tt, data: data, off: off}); ok {
		w.facts.Literals = append(w.facts.Literals, l)
	}
}

func (w *walker) params(p *tjs.Params) {
	for i := range p.List {
		w.binding(p.List[i].Binding, true)
		w.expr(p.List[i].Default)
	}
	w.binding(p.Rest, true)
}

// function visits a function of any kind with its own context.
func (w *walker) function(n tjs.INode, name *tjs.Var, params *tjs.Params, body *tjs.BlockStmt) {
	var fi *funcInfo
	if w.final {
		fi = w.prog.funcs[n]
	}
	if fi == nil {
		fi = w.prog.newFunc(n, w.fn, w.local, w.top)
		fi.params = len(params.List)
		if name != nil {
			fi.self = name
		}
	}
	savedFn, savedLocal := w.fn, w.local
	w.fn, w.local = fi, 0
	if name != nil {
		w.visitVar(name)
		if !w.final {
			w.prog.write(name, n.(tjs.IExpr), 1)
		}
	}
	w.params(params)
	for _, s := range body.List {
		w.stmt(s)
	}
	if w.final {
		w.exitFunc(fi)
	}
	w.fn, w.local = savedFn, savedLocal
}

func (w *walker) funcDecl(n *tjs.FuncDecl) {
	w.function(n, n.Name, &n.Params, &n.Body)
}

func (w *walker) class(n *tjs.ClassDecl) {
	if n.Name != nil {
		w.visitVar(n.Name)
		if !w.final {
			w.prog.write(n.Name, n, 1)
		}
	}
	w.expr(n.Extends)
	for _, item := range n.List {
		switch {
		case item.StaticBlock != nil:
			w.stmt(item.StaticBlock)
		case item.Method != nil:
			w.propertyName(&item.Method.Name.PropertyName)
			w.function(item.Method, nil, &item.Method.Params, &item.Method.Body)
		default:
			w.propertyName(&item.Field.Name.PropertyName)
			w.expr(item.Field.Init)
		}
	}
}

// value visits an expression whose value is stored or passed on: a named
// function used there may be invoked by code we cannot see.
func (w *walker) value(e tjs.IExpr) {
	if v, ok := e.(*tjs.Var); ok && !w.final {
		w.prog.escape(v)
	}
	w.expr(e)
}

// target visits an assignment target.
func (w *walker) target(e tjs.IExpr) {
	switch n := e.(type) {
	case *tjs.Var:
		w.visitVar(n)
	case *tjs.ArrayExpr, *tjs.ObjectExpr:
		w.pattern(e)
	default:
		w.expr(e)
	}
}

// pattern visits a destructuring assignment target.
func (w *walker) pattern(e tjs.IExpr) {
	if !w.enter() {
		return
	}
	defer w.leave()
	switch n := e.(type) {
	case *tjs.Var:
		w.visitVar(n)
		if !w.final {
			w.prog.write(n, nil, 2)
		}
	case *tjs.ArrayExpr:
		for i := range n.List {
			w.pattern(n.List[i].Value)
		}
	case *tjs.ObjectExpr:
		for i := range n.List {
			p := &n.List[i]
			if p.Name != nil {
				w.propertyName(p.Name)
			}
			w.pattern(p.Value)
			w.expr(p.Init)
		}
	case *tjs.BinaryExpr:
		if n.Op == tjs.EqToken {
			w.pattern(n.X)
			w.expr(n.Y)
		} else {
			w.expr(e)
		}
	default:
		w.expr(e)
	}
}

// expr visits an expression.
func (w *walker) expr(e tjs.IExpr) {
	if e == nil || !w.enter() {
		return
	}
	defer w.leave()
	switch n := e.(type) {
	case *tjs.Var:
		w.visitVar(n)
	case *tjs.LiteralExpr:
		if n.TokenType == tjs.StringToken {
			if w.final {
				w.touch(n.Data)
				w.literal(n.Data, false)
			} else {
				w.prog.nlit++
			}
		} else {
			w.touch(n.Data)
		}
	case *tjs.ArrayExpr:
		for i := range n.List {
			w.value(n.List[i].Value)
		}
	case *tjs.ObjectExpr:
		for i := range n.List {
			p := &n.List[i]
			if p.Name != nil {
				w.propertyName(p.Name)
			}
			if m, ok := p.Value.(*tjs.MethodDecl); ok {
				w.function(m, nil, &m.Params, &m.Body)
			} else {
				w.value(p.Value)
			}
			w.expr(p.Init)
		}
	case *tjs.TemplateExpr:
		if n.Tag == nil && len(n.List) > 0 {
			w.concat(n)
		}
		w.expr(n.Tag)
		for i := range n.List {
			w.touch(n.List[i].Value)
			if w.final {
				w.literal(n.List[i].Value, true)
			}
			w.expr(n.List[i].Expr)
		}
		w.touch(n.Tail)
		if w.final {
			w.literal(n.Tail, true)
		}
	case *tjs.GroupExpr:
		w.expr(n.X)
	case *tjs.DotExpr:
		w.dot(n)
	case *tjs.IndexExpr:
		w.index(n)
	case *tjs.NewExpr:
		w.newExpr(n)
	case *tjs.CallExpr:
		w.call(n)
	case *tjs.UnaryExpr:
		if !w.final && (n.Op == tjs.PreIncrToken || n.Op == tjs.PreDecrToken || n.Op == tjs.PostIncrToken || n.Op == tjs.PostDecrToken || n.Op == tjs.DeleteToken) {
			if v, ok := n.X.(*tjs.Var); ok {
				w.prog.write(v, nil, 2)
			}
		}
		w.expr(n.X)
	case *tjs.BinaryExpr:
		w.binary(n)
	case *tjs.CondExpr:
		w.expr(n.Cond)
		w.expr(n.X)
		w.expr(n.Y)
	case *tjs.YieldExpr:
		w.value(n.X)
	case *tjs.ArrowFunc:
		w.function(n, nil, &n.Params, &n.Body)
	case *tjs.FuncDecl:
		w.funcDecl(n)
	case *tjs.ClassDecl:
		w.class(n)
	case *tjs.CommaExpr:
		for _, x := range n.List {
			w.expr(x)
		}
	case *tjs.VarDecl:
		w.varDecl(n)
	}
}

// concat notes, for Deobfuscate, a string built by concatenation ("te" +
// "l:" + n, `te${"l:"}`) wherever it stands: in a return value, an object
// literal, a comparison, as well as in the calls and assignments whose
// values are folded anyway. Each chain is noted once, at its outermost
// '+'; foldConcats folds them after the walk.
func (w *walker) concat(e tjs.IExpr) {
	p := w.prog
	if !w.final || p.rec == nil || len(p.concats) >= maxFacts {
		return
	}
	if b, ok := e.(*tjs.BinaryExpr); ok {
		if p.inConcat[b] {
			return
		}
		for _, x := range [2]tjs.IExpr{b.X, b.Y} {
			if c, ok := unwrap(x).(*tjs.BinaryExpr); ok && c.Op == tjs.AddToken {
				if p.inConcat == nil {
					p.inConcat = map[*tjs.BinaryExpr]bool{}
				}
				p.inConcat[c] = true
			}
		}
	}
	p.concats = append(p.concats, e)
}

func isAssignOp(op tjs.TokenType) bool {
	switch op {
	case tjs.EqToken, tjs.AddEqToken, tjs.SubEqToken, tjs.MulEqToken, tjs.DivEqToken, tjs.ModEqToken, tjs.ExpEqToken,
		tjs.LtLtEqToken, tjs.GtGtEqToken, tjs.GtGtGtEqToken, tjs.BitAndEqToken, tjs.BitOrEqToken, tjs.BitXorEqToken,
		tjs.AndEqToken, tjs.OrEqToken, tjs.NullishEqToken:
		return true
	}
	return false
}

func (w *walker) binary(n *tjs.BinaryExpr) {
	if !isAssignOp(n.Op) {
		if n.Op == tjs.AddToken {
			w.concat(n)
		}
		w.expr(n.X)
		w.expr(n.Y)
		return
	}
	if w.final {
		w.assign(n)
	} else {
		w.prog.nassign++
		if v, ok := n.X.(*tjs.Var); ok {
			if n.Op == tjs.EqToken {
				w.prog.write(v, n.Y, 1)
			} else {
				w.prog.write(v, nil, 2)
			}
		}
		switch unwrap(n.Y).(type) {
		case *tjs.FuncDecl, *tjs.ArrowFunc, *tjs.Var:
			w.prog.assigns = append(w.prog.assigns, site{node: n, from: w.fn, local: w.local})
		}
	}
	w.target(n.X)
	switch unwrap(n.Y).(type) {
	case *tjs.FuncDecl, *tjs.ArrowFunc, *tjs.Var:
		w.expr(n.Y) // aliases, handlers and escapes are decided in program.classify
	default:
		w.value(n.Y)
	}
}

func (w *walker) dot(n *tjs.DotExpr) {
	if w.final {
		w.member(n)
	}
	w.expr(n.X)
	switch y := n.Y.(type) {
	case tjs.LiteralExpr:
		w.touch(y.Data)
	case *tjs.LiteralExpr:
		w.touch(y.Data)
	case *tjs.Var:
		w.visitVar(y)
	}
}

func (w *walker) index(n *tjs.IndexExpr) {
	if w.final {
		w.member(n)
	}
	w.expr(n.X)
	w.expr(n.Y)
}

func (w *walker) newExpr(n *tjs.NewExpr) {
	if w.final {
		w.newFact(n)
	} else {
		w.prog.calls = append(w.prog.calls, site{node: n, from: w.fn, local: w.local})
	}
	w.expr(n.X)
	if n.Args != nil {
		for i := range n.Args.List {
			w.value(n.Args.List[i].Value)
		}
	}
}

func (w *walker) call(n *tjs.CallExpr) {
	if w.final {
		w.callFact(n)
	} else {
		w.prog.calls = append(w.prog.calls, site{node: n, from: w.fn, local: w.local})
	}
	w.expr(n.X)
	for i := range n.Args.List {
		w.expr(n.Args.List[i].Value) // escapes of arguments are decided in program.classify
	}
}

func isFunc(e tjs.IExpr) bool {
	switch e.(type) {
	case *tjs.FuncDecl, *tjs.ArrowFunc:
		return true
	}
	return false
}

// unwrap removes parentheses and takes the value of a comma expression.
func unwrap(e tjs.IExpr) tjs.IExpr {
	for i := 0; i < 32; i++ {
		switch n := e.(type) {
		case *tjs.GroupExpr:
			e = n.X
		case *tjs.CommaExpr:
			if len(n.List) == 0 {
				return e
			}
			e = n.List[len(n.List)-1]
		default:
			return e
		}
	}
	return e
}
