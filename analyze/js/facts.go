// Package js turns one script into neutral, explainable facts — the calls
// it makes, the assignments it performs, the listeners it installs, the URL
// parameters it reads, its string literals — each with the syntactic
// context it sits in (a loop, a timer, a click handler…). It also recovers
// strings hidden by obfuscation. It decides nothing: the analysis rules do.
//
// The parser is github.com/tdewolff/parse/v2/js; when a script does not
// parse (attackers write broken code on purpose), facts come from its tokens.
package js

import (
	"fmt"
	"strings"
	"unsafe"

	"github.com/tdewolff/parse/v2"
	tjs "github.com/tdewolff/parse/v2/js"
)

// Context says where in the program a call or assignment sits. Bit flags.
type Context uint32

const (
	InLoop           Context = 1 << iota // for / while / do-while body
	InTimer                              // callback of setTimeout, setInterval, requestAnimationFrame
	InRecursion                          // a function that calls or re-schedules itself
	InGestureHandler                     // click, mousedown, touchstart, keydown, submit … handler
	InLoadHandler                        // DOMContentLoaded, load, ready handler
	InUnloadHandler                      // beforeunload, unload, pagehide handler
	InMoveHandler                        // mousemove, mouseover, scroll handler (not an activation)
	InFunction                           // inside any function body
	TopLevel                             // not inside any function
	InInterval                           // callback of setInterval: runs again and again
)

func (c Context) String() string {
	var parts []string
	for i, n := range []string{"loop", "timer", "recursion", "gesture", "load", "unload", "move", "function", "top", "interval"} {
		if c&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "|")
}

// Literal is a string or template literal, escapes decoded, with its byte
// offset in the source.
type Literal struct {
	Value  string
	Offset int
	// Escaped is set when the source spelled the value with escapes
	// (\x74, \u0074): a common way to hide strings.
	Escaped bool
}

// Call is one call (or new) expression.
type Call struct {
	// Callee is the normalised dotted path as written:
	// "window.alert", "document.getElementById().click", "new Audio".
	Callee string
	// Method is the last component: "click", "requestFullscreen".
	Method string
	// Args holds each argument's constant string value when it can be
	// folded (literals, concatenations, String.fromCharCode, atob, …),
	// else "".
	Args   []string
	Offset int
	Ctx    Context
}

// Assign is one assignment (=, +=).
type Assign struct {
	Target string // "window.location.href", "x.src", "window.onbeforeunload"
	Value  string // constant value when foldable
	Offset int
	Ctx    Context
}

// Listener is one event handler registration.
type Listener struct {
	Event  string
	Target string // path of the object listened on: "window", "document", "$('.x')"
	Offset int
	Ctx    Context
}

// URLRead is a read of the page's URL parameters; Param is the parameter
// name when a constant was used.
type URLRead struct {
	Expr   string
	Param  string
	Offset int
}

// Member is an access to a property of interest (full screen, pointer and
// keyboard lock), called or not: kits write rfs = el.requestFullScreen;
// rfs.call(el).
type Member struct {
	Path   string
	Offset int
	Ctx    Context
}

// Facts are what one script does, as written.
type Facts struct {
	Calls     []Call
	Assigns   []Assign
	Listeners []Listener
	URLReads  []URLRead
	Members   []Member
	Literals  []Literal
	// ParseError is set when the script did not parse and the facts come
	// from its tokens (contexts are then unknown).
	ParseError string
}

// Options tune Analyze.
type Options struct {
	// Handler names the HTML attribute when src is an inline event
	// handler ("onclick", "onload", "onbeforeunload"); its code then gets
	// that handler's context.
	Handler string
	// MaxBytes: larger scripts are only lexed for literals (default 1 MiB).
	MaxBytes int
}

// Limits on facts per script: hostile scripts can be endless lists.
const (
	maxFacts    = 4096
	maxLiterals = 10000
	maxNesting  = 500 // deeper nesting falls back to tokens (the parser recurses)
	maxPath     = 120
)

// Analyze extracts the facts of src. It never panics: a parser or walker
// failure yields the facts gathered from tokens.
func Analyze(src []byte, opts Options) (f Facts) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = 1 << 20
	}
	defer func() {
		if r := recover(); r != nil {
			f = lexFacts(src, opts)
			f.ParseError = fmt.Sprintf("internal error: %v", r)
		}
	}()
	if len(src) > opts.MaxBytes {
		f = Facts{Literals: Literals(src, maxLiterals), ParseError: fmt.Sprintf("script over %d bytes: literals only", opts.MaxBytes)}
		return f
	}
	if d := nesting(src); d > maxNesting {
		f = lexFacts(src, opts)
		f.ParseError = fmt.Sprintf("nesting %d deeper than %d", d, maxNesting)
		return f
	}
	buf := make([]byte, len(src), len(src)+1)
	copy(buf, src)
	in := parse.NewInputBytes(buf)
	ast, err := tjs.Parse(in, tjs.Options{})
	if err != nil {
		f = lexFacts(src, opts)
		f.ParseError = firstLine(err.Error())
		return f
	}
	w := newWalker(in.Bytes(), opts)
	w.prepass(ast)
	tjs.Walk(w, ast)
	f = w.facts
	f.Literals = Literals(src, maxLiterals)
	return f
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// nesting returns the deepest bracket nesting of src, roughly (strings
// and comments are not skipped; that only overestimates).
func nesting(src []byte) int {
	depth, deepest := 0, 0
	for _, c := range src {
		switch c {
		case '(', '[', '{':
			depth++
			if depth > deepest {
				deepest = depth
			}
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return deepest
}

// handlerContext maps an event name to the context its handler runs in.
func handlerContext(event string) Context {
	e := strings.ToLower(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(event)), "on"))
	switch e {
	case "click", "dblclick", "mousedown", "mouseup", "pointerdown", "pointerup", "touchstart", "touchend",
		"keydown", "keyup", "keypress", "submit", "contextmenu", "auxclick", "change", "input":
		return InGestureHandler
	case "domcontentloaded", "load", "readystatechange", "pageshow", "ready":
		return InLoadHandler
	case "beforeunload", "unload", "pagehide", "popstate", "blur", "visibilitychange":
		return InUnloadHandler
	case "mousemove", "mouseover", "mouseenter", "mouseleave", "mouseout", "scroll", "wheel", "pointermove", "touchmove", "hover", "focus", "resize":
		return InMoveHandler
	}
	return InFunction
}

// jQuery-style shortcut methods that take a handler.
var shortcutEvents = map[string]bool{
	"click": true, "dblclick": true, "mousedown": true, "mouseup": true, "keydown": true, "keyup": true,
	"keypress": true, "submit": true, "contextmenu": true, "touchstart": true, "touchend": true,
	"mousemove": true, "mouseover": true, "mouseenter": true, "hover": true, "scroll": true, "ready": true, "load": true,
}

var timerFuncs = map[string]bool{"setTimeout": true, "setInterval": true, "requestAnimationFrame": true, "setImmediate": true, "queueMicrotask": true}

// walker extracts facts in one walk, keeping a stack of contexts.
type walker struct {
	src   []byte
	opts  Options
	facts Facts
	stack []Context

	// From the first pass:
	funcCtx   map[string]Context    // named function -> context of its registrations
	nodeCtx   map[tjs.INode]Context // function node -> context of its registration
	recursive map[string]bool
	getters   map[string]bool // functions that read a URL parameter by name
	consts    map[string]string
	funcNames map[tjs.INode]string

	decodings *[]Decoded // when set, folding records what it decoded
}

func newWalker(src []byte, opts Options) *walker {
	base := TopLevel
	if opts.Handler != "" {
		base = handlerContext(opts.Handler) | InFunction
	}
	return &walker{
		src: src, opts: opts, stack: []Context{base},
		funcCtx: map[string]Context{}, nodeCtx: map[tjs.INode]Context{}, recursive: map[string]bool{},
		getters: map[string]bool{}, consts: map[string]string{}, funcNames: map[tjs.INode]string{},
	}
}

func (w *walker) ctx() Context { return w.stack[len(w.stack)-1] }

// offsetOf returns the offset of b in the source when b is a slice of it.
func (w *walker) offsetOf(b []byte) int {
	if len(b) == 0 || len(w.src) == 0 {
		return -1
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(w.src)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if p < base || p >= base+uintptr(len(w.src)) {
		return -1
	}
	return int(p - base)
}

// exprOffset finds a source offset for an expression: its leftmost token
// that is a slice of the source.
func (w *walker) exprOffset(e tjs.IExpr) int {
	for depth := 0; e != nil && depth < 64; depth++ {
		switch n := e.(type) {
		case *tjs.Var:
			return w.offsetOf(n.Data)
		case *tjs.LiteralExpr:
			return w.offsetOf(n.Data)
		case tjs.LiteralExpr:
			return w.offsetOf(n.Data)
		case *tjs.DotExpr:
			if off := w.exprOffset(n.X); off >= 0 {
				return off
			}
			e = n.Y
		case *tjs.IndexExpr:
			e = n.X
		case *tjs.CallExpr:
			e = n.X
		case *tjs.NewExpr:
			e = n.X
		case *tjs.GroupExpr:
			e = n.X
		case *tjs.BinaryExpr:
			e = n.X
		default:
			return -1
		}
	}
	return -1
}

// callOffset prefers the use site: the property name of a method call
// (variables share one Data slice, their declaration's).
func (w *walker) callOffset(n *tjs.CallExpr) int {
	if d, ok := n.X.(*tjs.DotExpr); ok {
		if l, ok := d.Y.(tjs.LiteralExpr); ok {
			if off := w.offsetOf(l.Data); off >= 0 {
				return off
			}
		}
	}
	for _, a := range n.Args.List {
		if off := w.exprOffset(a.Value); off >= 0 {
			return off
		}
	}
	return w.exprOffset(n.X)
}

// path normalises an expression to a dotted path.
func (w *walker) path(e tjs.IExpr) string {
	var b strings.Builder
	w.writePath(&b, e, 0)
	s := b.String()
	if len(s) > maxPath {
		s = s[len(s)-maxPath:]
	}
	return s
}

func (w *walker) writePath(b *strings.Builder, e tjs.IExpr, depth int) {
	if depth > 32 || b.Len() > 2*maxPath {
		b.WriteString("…")
		return
	}
	switch n := e.(type) {
	case *tjs.Var:
		b.Write(n.Name())
	case tjs.LiteralExpr:
		w.writePath(b, &n, depth)
	case *tjs.LiteralExpr:
		if n.TokenType == tjs.ThisToken {
			b.WriteString("this")
		} else if n.TokenType == tjs.StringToken {
			b.WriteString("'" + unquote(n.Data) + "'")
		} else {
			b.Write(n.Data)
		}
	case *tjs.DotExpr:
		w.writePath(b, n.X, depth+1)
		b.WriteByte('.')
		w.writePath(b, n.Y, depth+1)
	case *tjs.IndexExpr:
		w.writePath(b, n.X, depth+1)
		if v, ok := w.fold(n.Y); ok && isIdentLike(v) {
			b.WriteByte('.')
			b.WriteString(v)
		} else {
			b.WriteString("[]")
		}
	case *tjs.CallExpr:
		w.writePath(b, n.X, depth+1)
		if name := w.path(n.X); name == "$" || name == "jQuery" {
			// keep the selector: $(document), $('body')
			b.WriteByte('(')
			if len(n.Args.List) > 0 {
				w.writePath(b, n.Args.List[0].Value, depth+1)
			}
			b.WriteByte(')')
		} else {
			b.WriteString("()")
		}
	case *tjs.NewExpr:
		b.WriteString("new ")
		w.writePath(b, n.X, depth+1)
	case *tjs.GroupExpr:
		w.writePath(b, n.X, depth+1)
	case *tjs.CommaExpr:
		if len(n.List) > 0 {
			w.writePath(b, n.List[len(n.List)-1], depth+1)
		}
	default:
		b.WriteString("?")
	}
}

func isIdentLike(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func lastComponent(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[i+1:]
	}
	return strings.TrimPrefix(p, "new ")
}

// Enter implements tjs.IVisitor.
func (w *walker) Enter(n tjs.INode) tjs.IVisitor {
	ctx := w.ctx()
	switch n := n.(type) {
	case *tjs.ForStmt, *tjs.WhileStmt, *tjs.DoWhileStmt, *tjs.ForInStmt, *tjs.ForOfStmt:
		ctx |= InLoop
	case *tjs.FuncDecl:
		ctx = w.enterFunc(n, ctx)
	case *tjs.ArrowFunc:
		ctx = w.enterFunc(n, ctx)
	case *tjs.MethodDecl:
		ctx = (ctx &^ TopLevel) | InFunction
	case *tjs.CallExpr:
		w.call(n, ctx)
	case *tjs.NewExpr:
		w.newExpr(n, ctx)
	case *tjs.BinaryExpr:
		w.binary(n, ctx)
	case *tjs.DotExpr:
		w.member(n, ctx)
	}
	w.stack = append(w.stack, ctx)
	return w
}

// Exit implements tjs.IVisitor.
func (w *walker) Exit(tjs.INode) {
	if len(w.stack) > 1 {
		w.stack = w.stack[:len(w.stack)-1]
	}
}

// enterFunc computes the context of a function body from how the function
// is registered (as a handler, a timer callback) and whether it recurses.
func (w *walker) enterFunc(n tjs.INode, outer Context) Context {
	ctx := (outer &^ TopLevel) | InFunction
	ctx |= w.nodeCtx[n]
	if name := w.funcNames[n]; name != "" {
		ctx |= w.funcCtx[name]
		if w.recursive[name] {
			ctx |= InRecursion
		}
	}
	return ctx
}

func (w *walker) call(n *tjs.CallExpr, ctx Context) {
	callee := w.path(n.X)
	method := lastComponent(callee)
	args := make([]string, len(n.Args.List))
	for i, a := range n.Args.List {
		if i >= 8 {
			args = args[:8]
			break
		}
		args[i], _ = w.fold(a.Value)
	}
	off := w.callOffset(n)
	if len(w.facts.Calls) < maxFacts {
		w.facts.Calls = append(w.facts.Calls, Call{Callee: callee, Method: method, Args: args, Offset: off, Ctx: ctx})
	}
	// Handlers registered here: their bodies get the handler's context.
	register := func(c Context, fnArgs []tjs.Arg) {
		for _, a := range fnArgs {
			switch v := a.Value.(type) {
			case *tjs.FuncDecl, *tjs.ArrowFunc:
				w.nodeCtx[v] |= c
			}
		}
	}
	switch {
	case method == "addEventListener" || method == "attachEvent" || method == "on" || method == "bind" || method == "one" || method == "live" || method == "delegate":
		if len(args) > 0 && args[0] != "" && len(n.Args.List) > 1 {
			for _, ev := range strings.Fields(args[0]) {
				target := strings.TrimSuffix(callee, "."+method)
				if target == method {
					target = ""
				}
				if len(w.facts.Listeners) < maxFacts {
					w.facts.Listeners = append(w.facts.Listeners, Listener{Event: strings.TrimPrefix(strings.ToLower(ev), "on"), Target: target, Offset: off, Ctx: ctx})
				}
				register(handlerContext(ev), n.Args.List[1:])
			}
		}
	case shortcutEvents[method] && len(n.Args.List) > 0 && strings.Contains(callee, "."):
		target := strings.TrimSuffix(callee, "."+method)
		if isFunc(n.Args.List[len(n.Args.List)-1].Value) {
			if len(w.facts.Listeners) < maxFacts {
				w.facts.Listeners = append(w.facts.Listeners, Listener{Event: method, Target: target, Offset: off, Ctx: ctx})
			}
			register(handlerContext(method), n.Args.List)
		}
	case (callee == "$" || callee == "jQuery") && len(n.Args.List) == 1 && isFunc(n.Args.List[0].Value):
		register(InLoadHandler, n.Args.List)
	case timerFuncs[method] && (callee == method || strings.HasPrefix(callee, "window.") || strings.HasPrefix(callee, "self.")):
		c := InTimer
		if method == "setInterval" {
			c |= InInterval
		}
		register(c, n.Args.List[:min(1, len(n.Args.List))])
	}
	// URL parameter reads.
	switch {
	case method == "get" || method == "getAll" || method == "has":
		if strings.Contains(callee, "URLSearchParams") || strings.Contains(callee, "searchParams") {
			w.urlRead(callee, args, off)
		}
	case w.getters[callee]:
		w.urlRead(callee, args, off)
	}
}

func isFunc(e tjs.IExpr) bool {
	switch e.(type) {
	case *tjs.FuncDecl, *tjs.ArrowFunc:
		return true
	}
	return false
}

func (w *walker) urlRead(expr string, args []string, off int) {
	p := ""
	if len(args) > 0 {
		p = args[0]
	}
	if len(p) > 40 {
		p = ""
	}
	if len(w.facts.URLReads) < maxFacts {
		w.facts.URLReads = append(w.facts.URLReads, URLRead{Expr: expr, Param: p, Offset: off})
	}
}

func (w *walker) newExpr(n *tjs.NewExpr, ctx Context) {
	callee := "new " + w.path(n.X)
	var args []string
	off := w.exprOffset(n.X)
	if n.Args != nil {
		for i, a := range n.Args.List {
			if i >= 8 {
				break
			}
			v, _ := w.fold(a.Value)
			args = append(args, v)
			if o := w.exprOffset(a.Value); o >= 0 && off < 0 {
				off = o
			}
		}
	}
	if len(w.facts.Calls) < maxFacts {
		w.facts.Calls = append(w.facts.Calls, Call{Callee: callee, Method: lastComponent(strings.TrimPrefix(callee, "new ")), Args: args, Offset: off, Ctx: ctx})
	}
}

func (w *walker) binary(n *tjs.BinaryExpr, ctx Context) {
	if n.Op != tjs.EqToken && n.Op != tjs.AddEqToken {
		return
	}
	target := w.path(n.X)
	if target == "?" {
		return
	}
	val, _ := w.fold(n.Y)
	if len(w.facts.Assigns) < maxFacts {
		w.facts.Assigns = append(w.facts.Assigns, Assign{Target: target, Value: val, Offset: w.exprOffset(n.X), Ctx: ctx})
	}
	last := strings.ToLower(lastComponent(target))
	if strings.HasPrefix(last, "on") && len(last) > 2 {
		c := handlerContext(last)
		if isFunc(n.Y) {
			w.nodeCtx[n.Y] |= c
		}
		if len(w.facts.Listeners) < maxFacts {
			obj := strings.TrimSuffix(target, "."+lastComponent(target))
			if obj == target {
				obj = ""
			}
			w.facts.Listeners = append(w.facts.Listeners, Listener{Event: last[2:], Target: obj, Offset: w.exprOffset(n.X), Ctx: ctx})
		}
	}
}

// interesting member names (lower case) recorded as Members.
func interestingMember(path string) bool {
	p := strings.ToLower(path)
	last := lastComponent(p)
	return strings.Contains(last, "fullscreen") || strings.Contains(last, "pointerlock") ||
		strings.HasSuffix(p, "keyboard.lock") || strings.HasSuffix(p, "speechsynthesis.speak")
}

func (w *walker) member(n *tjs.DotExpr, ctx Context) {
	l, ok := n.Y.(tjs.LiteralExpr)
	if !ok {
		return
	}
	name := strings.ToLower(string(l.Data))
	if !(strings.Contains(name, "fullscreen") || strings.Contains(name, "pointerlock") || name == "lock" || name == "speak" ||
		name == "search" || name == "href" || name == "hash") {
		return
	}
	p := w.path(n)
	if interestingMember(p) && len(w.facts.Members) < maxFacts {
		w.facts.Members = append(w.facts.Members, Member{Path: p, Offset: w.offsetOf(l.Data), Ctx: ctx})
	}
	if (strings.HasSuffix(p, "location.search") || strings.HasSuffix(p, "location.hash")) && len(w.facts.URLReads) < maxFacts {
		w.facts.URLReads = append(w.facts.URLReads, URLRead{Expr: p, Offset: w.offsetOf(l.Data)})
	}
}

// prepass collects what the main walk needs to know in advance: names of
// functions registered as handlers or timers, recursive functions, URL
// parameter getters, and constant variables.
func (w *walker) prepass(ast *tjs.AST) {
	p := &prewalker{w: w, assigned: map[string]int{}}
	tjs.Walk(p, ast)
	for name, v := range p.values {
		if p.assigned[name] == 1 {
			w.consts[name] = v
		}
	}
}

type prewalker struct {
	w        *walker
	funcs    []string // names of the enclosing named functions
	nodes    []tjs.INode
	uses     []urlUse // per enclosing named function: what it does with the URL
	values   map[string]string
	assigned map[string]int
}

// urlUse records whether a function reads the page URL and picks a part
// out of it (the getParam helper of template kits).
type urlUse struct {
	reads, picks, params bool
}

func (p *prewalker) Enter(n tjs.INode) tjs.IVisitor {
	w := p.w
	name := ""
	switch n := n.(type) {
	case *tjs.FuncDecl:
		if n.Name != nil {
			name = string(n.Name.Name())
			w.funcNames[n] = name
		} else if fn := w.funcNames[n]; fn != "" {
			name = fn
		}
		if name != "" {
			p.uses = append(p.uses, urlUse{params: len(n.Params.List) > 0})
		}
	case *tjs.ArrowFunc:
		name = w.funcNames[n]
	case *tjs.VarDecl:
		for _, el := range n.List {
			v, ok := el.Binding.(*tjs.Var)
			if !ok || el.Default == nil {
				continue
			}
			vn := string(v.Name())
			p.assigned[vn]++
			if isFunc(el.Default) {
				w.funcNames[el.Default] = vn
			} else if s, ok := w.fold(el.Default); ok {
				if p.values == nil {
					p.values = map[string]string{}
				}
				p.values[vn] = s
			}
		}
	case *tjs.BinaryExpr:
		if n.Op == tjs.EqToken || n.Op == tjs.AddEqToken {
			if v, ok := n.X.(*tjs.Var); ok {
				p.assigned[string(v.Name())] += 2 // reassigned: not a constant
			}
			target := strings.ToLower(w.path(n.X))
			last := lastComponent(target)
			if v, ok := n.Y.(*tjs.Var); ok && strings.HasPrefix(last, "on") {
				w.funcCtx[string(v.Name())] |= handlerContext(last)
			}
			if isFunc(n.Y) {
				if v, ok := n.X.(*tjs.Var); ok {
					w.funcNames[n.Y] = string(v.Name())
				}
			}
		}
	case *tjs.DotExpr:
		if len(p.uses) > 0 {
			if l, ok := n.Y.(tjs.LiteralExpr); ok {
				switch string(l.Data) {
				case "href", "search", "hash", "URL":
					if path := w.path(n); strings.Contains(path, "location") || strings.HasSuffix(path, "document.URL") {
						p.uses[len(p.uses)-1].reads = true
					}
				}
			}
		}
	case *tjs.NewExpr:
		if len(p.uses) > 0 {
			if name := w.path(n.X); name == "RegExp" || name == "URLSearchParams" || name == "URL" {
				p.uses[len(p.uses)-1].picks = true
			}
		}
	case *tjs.CallExpr:
		callee := w.path(n.X)
		method := lastComponent(callee)
		if len(p.uses) > 0 {
			switch method {
			case "exec", "match", "split", "indexOf", "substring", "substr", "get", "replace":
				p.uses[len(p.uses)-1].picks = true
			}
		}
		// Registrations by name.
		switch {
		case method == "addEventListener" || method == "on" || method == "bind" || method == "one" || method == "attachEvent":
			if len(n.Args.List) > 1 {
				ev, _ := w.fold(n.Args.List[0].Value)
				for _, a := range n.Args.List[1:] {
					if v, ok := a.Value.(*tjs.Var); ok {
						w.funcCtx[string(v.Name())] |= handlerContext(ev)
					}
				}
			}
		case shortcutEvents[method] && strings.Contains(callee, "."):
			for _, a := range n.Args.List {
				if v, ok := a.Value.(*tjs.Var); ok {
					w.funcCtx[string(v.Name())] |= handlerContext(method)
				}
			}
		case timerFuncs[method] && len(n.Args.List) > 0:
			if v, ok := n.Args.List[0].Value.(*tjs.Var); ok {
				fn := string(v.Name())
				w.funcCtx[fn] |= InTimer
				if method == "setInterval" {
					w.funcCtx[fn] |= InInterval
				}
				if contains(p.funcs, fn) {
					w.recursive[fn] = true
				}
			}
		}
		// Direct self-calls.
		if v, ok := n.X.(*tjs.Var); ok && contains(p.funcs, string(v.Name())) {
			w.recursive[string(v.Name())] = true
		}
	}
	if name != "" {
		if _, ok := n.(*tjs.FuncDecl); !ok {
			p.uses = append(p.uses, urlUse{params: true})
		}
		p.funcs = append(p.funcs, name)
		p.nodes = append(p.nodes, n)
	}
	return p
}

func (p *prewalker) Exit(n tjs.INode) {
	if len(p.nodes) > 0 && p.nodes[len(p.nodes)-1] == n {
		u := p.uses[len(p.uses)-1]
		if u.reads && u.picks && u.params {
			p.w.getters[p.funcs[len(p.funcs)-1]] = true
		}
		p.nodes = p.nodes[:len(p.nodes)-1]
		p.funcs = p.funcs[:len(p.funcs)-1]
		p.uses = p.uses[:len(p.uses)-1]
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
