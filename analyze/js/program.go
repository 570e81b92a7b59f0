package js

import (
	"strings"
	"unsafe"

	tjs "github.com/tdewolff/parse/v2/js"
)

// program is what the first pass learns about a script, and what is
// derived from it before facts are emitted: which variables are constant,
// which functions are invoked how, and so the context of every function
// body.
type program struct {
	src  []byte
	base uintptr

	funcs map[tjs.INode]*funcInfo
	order []*funcInfo // pre-order: parents before children

	vars    map[*tjs.Var]*varInfo
	viSlab  []varInfo
	fiSlab  []funcInfo
	calls   []site // call and new expressions
	assigns []site // assignments of functions and variables

	pathSites map[string][]site // invocations through a member path ("window.dial()")
	pathFunc  map[string]*funcInfo
	pathLast  map[string]bool // last components of pathFunc's paths

	nconst  int // constant values cached
	nassign int // assignments seen by the first pass
	nlit    int // string literals seen by the first pass

	strArr *stringArrays

	foldSteps int // folding work left
	foldBytes int // bytes folding may still build

	rec *[]Decoded // when set, folding records the decodings it performs
	// concats: the concatenations to fold after the walk (walker.concat);
	// inConcat: the '+' expressions folded with the chain they are
	// operands of.
	concats  []tjs.IExpr
	inConcat map[*tjs.BinaryExpr]bool

	deadline deadline // zero: none (Deobfuscate sets one)
	unitsOf  string   // the string utf16Of last encoded
	units    []uint16

	env map[*tjs.Var]value // parameters bound while folding a callback
	// loopPaths keeps the member paths of a loop body folded once per
	// character (charLoop): the same nodes, the same paths.
	loopPaths map[tjs.IExpr]string
	inlining  int // nesting of inlined functions
	quiet     int // > 0: do not record decodings (inside loops and callbacks)

	final *finalState // second pass bookkeeping

	scratch []byte // room for the paths being built (pathBuilder)

	globals map[string]string // Options.Globals
}

// varInfo is what the program knows about one variable.
type varInfo struct {
	writes  int       // 1: written once, with init
	init    tjs.IExpr // the value of that write
	escaped bool      // a function it names is passed or stored
	mutated bool      // an array it holds is changed in place
	busy    bool      // being folded or normalised (cycles)
	sites   []site    // invocations of the function it names
	cnst    *constEntry
	path    string // alias path (see aliasPath), when pathSet
	pathSet bool
}

// vi returns the information on v, creating it.
func (p *program) vi(v *tjs.Var) *varInfo {
	v = canon(v)
	if i := p.vars[v]; i != nil {
		return i
	}
	// Allocated in slabs: scripts have thousands of variables.
	if len(p.viSlab) == cap(p.viSlab) {
		p.viSlab = make([]varInfo, 0, min(max(2*cap(p.viSlab), 8), 256))
	}
	p.viSlab = p.viSlab[:len(p.viSlab)+1]
	i := &p.viSlab[len(p.viSlab)-1]
	p.vars[v] = i
	return i
}

// look returns the information on v, nil when there is none.
func (p *program) look(v *tjs.Var) *varInfo {
	return p.vars[canon(v)]
}

// notConst is the cache entry of every variable that is not a constant.
var notConst = &constEntry{}

type constEntry struct {
	v  value
	ok bool
}

// site is a place that invokes (or may invoke) a function.
type site struct {
	node     tjs.INode // *CallExpr, *NewExpr or *BinaryExpr (an assignment)
	from     *funcInfo // function the site is in, nil at top level
	local    Context   // flags picked up inside from (loops)
	reg      Context   // registration: the handler's or timer's flags
	listener bool      // an event listener registration: reg is the whole context
	external bool      // from Options.Invoked: reg is the whole context
}

// funcInfo describes one function (declaration, expression, arrow,
// method).
type funcInfo struct {
	node     tjs.INode
	parent   *funcInfo
	defLocal Context // flags at the definition inside parent, or the top context
	self     *tjs.Var
	params   int

	named     bool    // bound to a variable or a member path
	pathNamed bool    // assigned to a member path: code we cannot see may call it
	inline    Context // flags of inline registrations (handler, timer)
	listener  bool    // registered inline as an event listener
	invoked   bool    // called where it is written (IIFE) or passed to code we cannot see
	escapes   bool    // its name is passed or stored: invoked by code we cannot see
	selfRef   bool    // arguments.callee
	sites     []site
	recursive bool
	ctx       Context

	// URL getter signals, gathered in the second pass.
	readsURL, picks bool

	// Tarjan's strongly connected components.
	index, low int
	onStack    bool
	edges      []*funcInfo
}

func newProgram(src []byte, base uintptr) *program {
	return &program{
		src: src, base: base,
		funcs: map[tjs.INode]*funcInfo{}, vars: map[*tjs.Var]*varInfo{},
		calls:     make([]site, 0, len(src)/40+4),
		pathSites: map[string][]site{}, pathFunc: map[string]*funcInfo{},
		foldSteps: 16*len(src) + 100000, foldBytes: 8*len(src) + (1 << 20),
	}
}

// canon follows tdewolff's links between uses of an undeclared name.
func canon(v *tjs.Var) *tjs.Var {
	for i := 0; v != nil && v.Link != nil && i < 64; i++ {
		v = v.Link
	}
	return v
}

func (p *program) newFunc(n tjs.INode, parent *funcInfo, local, top Context) *funcInfo {
	if len(p.fiSlab) == cap(p.fiSlab) {
		p.fiSlab = make([]funcInfo, 0, min(max(2*cap(p.fiSlab), 4), 128))
	}
	p.fiSlab = p.fiSlab[:len(p.fiSlab)+1]
	fi := &p.fiSlab[len(p.fiSlab)-1]
	*fi = funcInfo{node: n, parent: parent, defLocal: local}
	if parent == nil {
		fi.defLocal |= top
	}
	p.funcs[n] = fi
	p.order = append(p.order, fi)
	return fi
}

// write records a write to v: n is 1 for a plain assignment of init, 2 for
// writes whose value is unknown (parameters, ++, +=, destructuring).
func (p *program) write(v *tjs.Var, init tjs.IExpr, n int) {
	i := p.vi(v)
	i.writes += n
	if n == 1 && init != nil {
		i.init = init
	}
}

func (p *program) addSite(v *tjs.Var, s site) {
	i := p.vi(v)
	i.sites = append(i.sites, s)
}

func (p *program) escape(v *tjs.Var) { p.vi(v).escaped = true }

// single returns the value of v when it is written exactly once.
func (p *program) single(v *tjs.Var) tjs.IExpr {
	i := p.look(v)
	if i == nil || i.writes != 1 {
		return nil
	}
	return i.init
}

// funcOf returns the function a variable holds, following aliases.
func (p *program) funcOf(v *tjs.Var) *funcInfo {
	for i := 0; i < 8 && v != nil; i++ {
		init := p.single(v)
		if init == nil {
			return nil
		}
		switch n := unwrap(init).(type) {
		case *tjs.FuncDecl, *tjs.ArrowFunc:
			return p.funcs[n]
		case *tjs.Var:
			v = n
		default:
			return nil
		}
	}
	return nil
}

// analyse derives everything the second pass needs.
func (p *program) analyse(top Context, invoked map[string]Context) {
	p.strArr = findStringArrays(p)
	// Solving rotations folded with trial arrays: forget what was cached.
	for _, i := range p.vars {
		i.cnst, i.path, i.pathSet = nil, "", false
	}
	p.nconst = 0
	// Bindings: variables that hold a function name it.
	for _, i := range p.vars {
		if i.writes != 1 || i.init == nil {
			continue
		}
		switch n := unwrap(i.init).(type) {
		case *tjs.FuncDecl, *tjs.ArrowFunc:
			if fi := p.funcs[n]; fi != nil {
				fi.named = true
			}
		case *tjs.Var:
			_ = n
		}
	}
	for _, s := range p.assigns {
		p.classifyAssign(s)
	}
	p.pathLast = map[string]bool{}
	for path := range p.pathFunc {
		p.pathLast[lastComponent(path)] = true
	}
	for _, s := range p.calls {
		p.classifyCall(s)
	}
	// Variables written more than once with a function or alias: the
	// function escapes our view.
	for _, i := range p.vars {
		if i.writes == 1 || i.init == nil {
			continue
		}
		switch n := unwrap(i.init).(type) {
		case *tjs.FuncDecl, *tjs.ArrowFunc:
			if fi := p.funcs[n]; fi != nil {
				fi.escapes = true
			}
		case *tjs.Var:
			p.escape(n)
		}
	}
	// Sites by variable go to the function the variable holds.
	for v, i := range p.vars {
		if len(i.sites) == 0 && !i.escaped {
			continue
		}
		if fi := p.funcOf(v); fi != nil {
			fi.sites = append(fi.sites, i.sites...)
			fi.escapes = fi.escapes || i.escaped
		}
	}
	for path, fi := range p.pathFunc {
		fi.sites = append(fi.sites, p.pathSites[path]...)
		if strings.HasPrefix(path, "window.") || strings.HasPrefix(path, "self.") {
			fi.sites = append(fi.sites, p.pathSites[path[strings.IndexByte(path, '.')+1:]]...)
		}
	}
	for name, ctx := range invoked {
		for _, fi := range p.functionsNamed(name) {
			fi.sites = append(fi.sites, site{reg: ctx, external: true})
		}
	}
	p.recursion()
	p.contexts(top)
}

// functionsNamed finds the functions a global name may refer to.
func (p *program) functionsNamed(name string) []*funcInfo {
	var out []*funcInfo
	for _, fi := range p.order {
		if fi.self != nil && string(fi.self.Data) == name {
			out = append(out, fi)
		}
	}
	for v, i := range p.vars {
		if i.init != nil && string(v.Data) == name {
			if fi := p.funcOf(v); fi != nil {
				out = append(out, fi)
			}
		}
	}
	for _, path := range []string{name, "window." + name, "self." + name} {
		if fi := p.pathFunc[path]; fi != nil {
			out = append(out, fi)
		}
	}
	return out
}

// Events whose removal functions take a handler without invoking it.
var removers = map[string]bool{
	"removeEventListener": true, "detachEvent": true, "off": true, "unbind": true, "undelegate": true, "die": true,
	"clearTimeout": true, "clearInterval": true, "cancelAnimationFrame": true, "cancelIdleCallback": true,
}

// arrayMutators change an array in place.
var arrayMutators = map[string]bool{"push": true, "pop": true, "shift": true, "unshift": true, "splice": true, "sort": true, "fill": true, "copyWithin": true}

// jQuery-style shortcut methods that register their function argument.
var shortcutEvents = map[string]string{
	"click": "click", "dblclick": "dblclick", "mousedown": "mousedown", "mouseup": "mouseup", "keydown": "keydown",
	"keyup": "keyup", "keypress": "keypress", "submit": "submit", "contextmenu": "contextmenu", "touchstart": "touchstart",
	"touchend": "touchend", "mousemove": "mousemove", "mouseover": "mouseover", "mouseenter": "mouseenter",
	"mouseleave": "mouseleave", "mouseout": "mouseout", "hover": "hover", "scroll": "scroll", "ready": "ready",
	"load": "load", "unload": "unload", "focusout": "focusout", "blur": "blur",
}

var listenMethods = map[string]bool{"addEventListener": true, "attachEvent": true, "on": true, "bind": true, "one": true, "live": true, "delegate": true}

var timerFuncs = map[string]Context{
	"setTimeout": InTimer, "setInterval": InTimer | InInterval, "setImmediate": InTimer,
	"requestAnimationFrame": InTimer, "webkitRequestAnimationFrame": InTimer, "mozRequestAnimationFrame": InTimer,
	"requestIdleCallback": InTimer,
}

// iterators call their function argument once for every element: its
// code runs as in a loop ([…].forEach(() => history.pushState(…))).
var iterators = map[string]bool{
	"forEach": true, "map": true, "flatMap": true, "filter": true, "some": true, "every": true, "find": true,
	"findIndex": true, "findLast": true, "findLastIndex": true, "reduce": true, "reduceRight": true,
	"each": true, // jQuery's $(…).each(fn), $.each(list, fn)
	"from": true, // Array.from(list, fn)
}

// Kinds of method names, one lookup per call.
const (
	mkListen = 1 << iota
	mkShortcut
	mkTimer
	mkJQuery
	mkIterator
)

var methodKinds = map[string]uint8{"$": mkJQuery, "jQuery": mkJQuery}

func init() {
	for m := range listenMethods {
		methodKinds[m] |= mkListen
	}
	for m := range shortcutEvents {
		methodKinds[m] |= mkShortcut
	}
	for m := range timerFuncs {
		methodKinds[m] |= mkTimer
	}
	for m := range iterators {
		methodKinds[m] |= mkIterator
	}
}

// isGlobalCall: callee is the global function itself, not a method of
// some object (window.setTimeout yes, $timeout.setTimeout no).
func isGlobalCall(callee, method string) bool {
	if callee == method {
		return true
	}
	switch strings.TrimSuffix(callee, "."+method) {
	case "window", "self", "top", "parent", "globalThis", "frames", "this":
		return true
	}
	return false
}

// registration describes how a call registers its function arguments.
type registration struct {
	listener bool     // an event listener (else a timer or ready callback)
	events   []string // for listeners
	flags    Context
	args     []int // indexes of the handler arguments
	objMap   bool  // .on({click: fn, …})
}

// registrationOf classifies a call as a listener, timer or ready
// registration.
func (p *program) registrationOf(callee, method string, n *tjs.CallExpr) (registration, bool) {
	kind := methodKinds[method]
	if kind == 0 {
		return registration{}, false
	}
	args := n.Args.List
	last := len(args) - 1
	switch {
	case kind&mkListen != 0 && len(args) >= 1:
		evArg := 0
		if method == "delegate" {
			evArg = 1
		}
		if len(args) == 1 {
			if _, ok := unwrap(args[0].Value).(*tjs.ObjectExpr); ok && method != "addEventListener" && method != "attachEvent" {
				return registration{listener: true, objMap: true}, true
			}
			return registration{}, false
		}
		if evArg >= len(args) {
			return registration{}, false
		}
		ev, _ := p.fold(args[evArg].Value)
		events := eventNames(ev, method == "attachEvent")
		target := targetOf(callee, method)
		var flags Context
		for _, e := range events {
			flags |= eventContext(e, target)
		}
		r := registration{listener: true, events: events, flags: flags}
		if method == "addEventListener" || method == "attachEvent" {
			r.args = []int{1}
		} else {
			r.args = []int{last}
		}
		return r, true
	case kind&mkShortcut != 0 && strings.Contains(callee, ".") && len(args) > 0 && p.isHandlerArg(args[last].Value):
		ev := shortcutEvents[method]
		if method == "load" && !strings.HasPrefix(callee, "$(window)") && !strings.HasPrefix(callee, "jQuery(window)") {
			return registration{}, false // $(el).load(url, fn) loads content
		}
		r := registration{listener: true, events: []string{ev}, flags: eventContext(ev, targetOf(callee, method)), args: []int{last}}
		if method == "hover" && len(args) == 2 {
			r.args = []int{0, 1}
		}
		return r, true
	case (callee == "$" || callee == "jQuery") && len(args) == 1 && p.isFunctionArg(args[0].Value):
		return registration{listener: true, events: []string{"ready"}, flags: InLoadHandler, args: []int{0}}, true
	case kind&mkTimer != 0 && isGlobalCall(callee, method) && len(args) > 0:
		return registration{flags: timerFuncs[method], args: []int{0}}, true
	case kind&mkIterator != 0 && strings.Contains(callee, ".") && (method != "from" || callee == "Array.from"):
		r := registration{flags: InIteration}
		for i := range args {
			if i < 2 && p.isFunctionArg(args[i].Value) {
				r.args = append(r.args, i)
			}
		}
		return r, len(r.args) > 0
	}
	return registration{}, false
}

// targetOf is the object a method is called on ("window" for a bare call).
func targetOf(callee, method string) string {
	t := strings.TrimSuffix(callee, "."+method)
	if t == callee || t == "" {
		return "window"
	}
	return t
}

// eventNames splits "click touchstart.ns" into events, lower case, without
// jQuery namespaces; attachEvent names carry an "on" prefix.
func eventNames(s string, stripOn bool) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		if i := strings.IndexByte(f, '.'); i > 0 {
			f = f[:i]
		}
		f = strings.ToLower(f)
		if stripOn {
			f = strings.TrimPrefix(f, "on")
		}
		if f != "" && len(out) < 8 {
			out = append(out, f)
		}
	}
	return out
}

// isHandlerArg: a function, a variable, or fn.bind(…).
func (p *program) isHandlerArg(e tjs.IExpr) bool {
	switch n := unwrap(e).(type) {
	case *tjs.FuncDecl, *tjs.ArrowFunc, *tjs.Var:
		return true
	case *tjs.CallExpr:
		if d, ok := n.X.(*tjs.DotExpr); ok && dotName(d) == "bind" {
			return true
		}
	}
	return false
}

// isFunctionArg: a function, fn.bind(…), or a variable known to hold one
// ($(init) registers init; $(document) registers nothing).
func (p *program) isFunctionArg(e tjs.IExpr) bool {
	node, v := handlerTarget(e)
	return node != nil || v != nil && p.funcOf(v) != nil
}

// handlerTarget returns the function node or variable a handler argument
// designates.
func handlerTarget(e tjs.IExpr) (tjs.INode, *tjs.Var) {
	switch n := unwrap(e).(type) {
	case *tjs.FuncDecl, *tjs.ArrowFunc:
		return n, nil
	case *tjs.Var:
		return nil, n
	case *tjs.CallExpr:
		if d, ok := n.X.(*tjs.DotExpr); ok && dotName(d) == "bind" {
			return handlerTarget(d.X)
		}
	}
	return nil, nil
}

// dotName is the property name of a dot expression. It shares the bytes of
// the parsed buffer (never modified after parsing): callers compare it or
// build new strings from it, they do not keep it.
func dotName(d *tjs.DotExpr) string {
	switch y := d.Y.(type) {
	case tjs.LiteralExpr:
		return bytesView(y.Data)
	case *tjs.LiteralExpr:
		return bytesView(y.Data)
	}
	return ""
}

func bytesView(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

func (p *program) register(e tjs.IExpr, s site, r registration) {
	node, v := handlerTarget(e)
	switch {
	case node != nil:
		if fi := p.funcs[node]; fi != nil {
			fi.inline |= r.flags
			if r.listener {
				fi.listener = true
			} else {
				fi.invoked = true
			}
		}
	case v != nil:
		s.reg = r.flags | InFunction // InFunction: an invocation that says nothing is still no gesture
		s.listener = r.listener
		p.addSite(v, s)
	}
}

func (p *program) classifyCall(s site) {
	switch n := s.node.(type) {
	case *tjs.NewExpr:
		if v, ok := unwrap(n.X).(*tjs.Var); ok {
			p.addSite(v, s)
		}
	case *tjs.CallExpr:
		x := unwrap(n.X)
		method := p.methodName(x)
		callee := method
		if p.needsPath(method) {
			callee = p.path(x)
		}
		r, isReg := p.registrationOf(callee, method, n)
		var handler uint64 // bit i: argument i is a registered handler
		if isReg {
			if r.objMap {
				if obj, ok := unwrap(n.Args.List[0].Value).(*tjs.ObjectExpr); ok {
					for i := range obj.List {
						pr := &obj.List[i]
						if pr.Name == nil || pr.Value == nil {
							continue
						}
						name := p.propName(pr.Name)
						var flags Context
						for _, e := range eventNames(name, false) {
							flags |= eventContext(e, targetOf(callee, method))
						}
						p.register(pr.Value, s, registration{listener: true, flags: flags})
					}
				}
			}
			for _, i := range r.args {
				if i >= 0 && i < len(n.Args.List) {
					handler |= 1 << (uint(i) & 63)
					p.register(n.Args.List[i].Value, s, r)
				}
			}
		}
		for i := range n.Args.List {
			if i < 64 && handler&(1<<uint(i)) != 0 {
				continue
			}
			switch a := unwrap(n.Args.List[i].Value).(type) {
			case *tjs.Var:
				if !removers[method] {
					p.escape(a)
				}
			case *tjs.FuncDecl, *tjs.ArrowFunc:
				if fi := p.funcs[a]; fi != nil {
					fi.invoked = true // forEach, Promise, $.ajax…: runs, we do not know when
				}
			}
		}
		// Direct calls.
		switch c := x.(type) {
		case *tjs.Var:
			p.addSite(c, s)
		case *tjs.FuncDecl, *tjs.ArrowFunc:
			if fi := p.funcs[c]; fi != nil {
				fi.invoked = true
			}
		case *tjs.DotExpr, *tjs.IndexExpr:
			obj, name := p.memberOf(c)
			inner := unwrap(obj)
			switch {
			case name == "call" || name == "apply":
				switch t := inner.(type) {
				case *tjs.Var:
					p.addSite(t, s)
				case *tjs.FuncDecl, *tjs.ArrowFunc:
					if fi := p.funcs[t]; fi != nil {
						fi.invoked = true
					}
				}
			case arrayMutators[name]:
				if v, ok := inner.(*tjs.Var); ok {
					p.vi(v).mutated = true
				}
			}
			if p.pathLast[method] {
				p.pathSites[callee] = append(p.pathSites[callee], s)
			}
		}
		// arguments.callee passed or called: the function recurses.
		if s.from != nil {
			for i := range n.Args.List {
				if isArgumentsCallee(n.Args.List[i].Value) {
					s.from.selfRef = true
				}
			}
			if isArgumentsCallee(x) {
				s.from.selfRef = true
			}
		}
	}
}

// memberOf splits a member expression into its object and constant
// property name ("" when it is not one).
func (p *program) memberOf(x tjs.IExpr) (tjs.IExpr, string) {
	switch n := x.(type) {
	case *tjs.DotExpr:
		return n.X, dotName(n)
	case *tjs.IndexExpr:
		if s, ok := p.fold(n.Y); ok {
			return n.X, s
		}
	}
	return nil, ""
}

// methodName is the last component of a callee's path, cheaply.
func (p *program) methodName(x tjs.IExpr) string {
	switch n := x.(type) {
	case *tjs.Var:
		return string(n.Data)
	case *tjs.DotExpr:
		return dotName(n)
	case *tjs.IndexExpr:
		if s, ok := p.fold(n.Y); ok {
			return s
		}
	}
	return "?"
}

// needsPath: classifying a call with this method needs the callee's full
// path.
func (p *program) needsPath(method string) bool {
	return methodKinds[method] != 0 || len(p.pathLast) > 0 && p.pathLast[method]
}

func isArgumentsCallee(e tjs.IExpr) bool {
	d, ok := unwrap(e).(*tjs.DotExpr)
	if !ok || dotName(d) != "callee" {
		return false
	}
	v, ok := d.X.(*tjs.Var)
	return ok && string(v.Data) == "arguments"
}

func (p *program) propName(pn *tjs.PropertyName) string {
	if pn.Computed != nil {
		s, _ := p.fold(pn.Computed)
		return s
	}
	if pn.Literal.TokenType == tjs.StringToken {
		return unquote(pn.Literal.Data)
	}
	return string(pn.Literal.Data)
}

func (p *program) classifyAssign(s site) {
	n := s.node.(*tjs.BinaryExpr)
	if n.Op != tjs.EqToken && n.Op != tjs.OrEqToken && n.Op != tjs.NullishEqToken {
		return
	}
	y := unwrap(n.Y)
	x := unwrap(n.X)
	target := p.path(x)
	last := strings.ToLower(lastComponent(target))
	xv, isVar := x.(*tjs.Var)
	onProp := len(last) > 2 && strings.HasPrefix(last, "on") && (!isVar || xv.Decl == tjs.NoDecl)
	if onProp {
		obj := strings.TrimSuffix(target, "."+lastComponent(target))
		if obj == target {
			obj = "window"
		}
		ctx := eventContext(last, obj)
		p.register(y, s, registration{listener: true, flags: ctx})
		return
	}
	switch v := y.(type) {
	case *tjs.FuncDecl, *tjs.ArrowFunc:
		if !isVar {
			if fi := p.funcs[v]; fi != nil {
				fi.named, fi.pathNamed = true, true
				p.pathFunc[target] = fi
			}
		}
	case *tjs.Var:
		if !isVar || p.single(xv) == nil {
			p.escape(v)
		}
	}
}

// recursion marks the functions on a cycle of the invocation graph:
// direct calls and registrations by name, plus the edges from a function
// to the inline functions it creates and runs (timer callbacks, IIFEs,
// callbacks of unknown calls) — not to the listeners it installs, which
// run on events.
func (p *program) recursion() {
	if len(p.order) > 50000 {
		return
	}
	for _, fi := range p.order {
		for _, s := range fi.sites {
			if s.from != nil {
				s.from.edges = append(s.from.edges, fi)
			}
		}
		if fi.parent != nil && !fi.listener && (fi.invoked || fi.inline != 0) {
			fi.parent.edges = append(fi.parent.edges, fi)
		}
		if fi.selfRef {
			fi.recursive = true
		}
	}
	index := 0
	var stack []*funcInfo
	var strong func(v *funcInfo)
	strong = func(v *funcInfo) {
		index++
		v.index, v.low = index, index
		stack = append(stack, v)
		v.onStack = true
		for _, w := range v.edges {
			if w == v {
				v.recursive = true
			}
			if w.index == 0 {
				strong(w)
				v.low = min(v.low, w.low)
			} else if w.onStack {
				v.low = min(v.low, w.index)
			}
		}
		if v.low == v.index {
			var comp []*funcInfo
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				w.onStack = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 {
				for _, w := range comp {
					w.recursive = true
				}
			}
		}
	}
	for _, fi := range p.order {
		if fi.index == 0 {
			strong(fi)
		}
	}
}

// contexts computes the context of every function body to a fixpoint.
func (p *program) contexts(top Context) {
	for iter := 0; iter < 16; iter++ {
		changed := false
		for _, fi := range p.order {
			if c := p.bodyContext(fi, top); c != fi.ctx {
				fi.ctx = c
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

func (p *program) bodyContext(fi *funcInfo, top Context) Context {
	lex := top
	if fi.parent != nil {
		lex = fi.parent.ctx
	}
	lex |= fi.defLocal
	if fi.listener {
		// A listener runs when its event fires, not where it is written:
		// a handler installed in a loop or a timer is not repeated.
		lex &= InEval | InUncalled
	}
	c := InFunction | lex&^TopLevel | fi.inline
	gesture := len(fi.sites) > 0
	for _, s := range fi.sites {
		sc := s.reg
		if !s.external && !s.listener {
			if s.from == nil {
				sc |= top | s.local
			} else {
				sc |= s.from.ctx | s.local
			}
		}
		if sc&InGestureHandler == 0 {
			gesture = false
		}
		c |= sc &^ (InGestureHandler | TopLevel | InUncalled)
	}
	if gesture {
		c |= InGestureHandler
	}
	if fi.recursive {
		c |= InRecursion
	}
	if fi.named && !fi.pathNamed && len(fi.sites) == 0 && !fi.escapes && !fi.invoked && fi.inline == 0 && !fi.listener {
		c |= InUncalled
	}
	return c
}

// foldConcats folds the concatenations the second pass noted (walker.concat)
// and records the strings they build. It runs after the walk, with a budget
// of its own, so that the facts do not depend on whether Deobfuscate is
// recording: they are the same for Analyze alone.
func (p *program) foldConcats() {
	if p.rec == nil || len(p.concats) == 0 {
		return
	}
	p.foldSteps, p.foldBytes = 4*len(p.src)+50000, 2*len(p.src)+(256<<10)
	for _, e := range p.concats {
		if p.foldSteps <= 0 || p.foldBytes <= 0 {
			break
		}
		p.foldTop(e)
	}
}
