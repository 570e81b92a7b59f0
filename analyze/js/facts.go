package js

import (
	"regexp"
	"sort"
	"strings"

	tjs "github.com/tdewolff/parse/v2/js"
)

// This file emits facts in the second pass.

// urlCandidate is a call or property read that is a URL read if its
// target function turns out to read URL parameters (known at the end).
type urlCandidate struct {
	fn     *funcInfo
	expr   string
	param  string
	offset int
	whole  bool // a property of the object of all parameters: getUrlVars().phone
}

// finalState is the second pass's own bookkeeping.
type finalState struct {
	lhs        tjs.IExpr // the assignment target being visited
	candidates []urlCandidate
	interest   *[maxMemberName + 1][]string // last components of InterestingMembers by length
}

func (w *walker) st() *finalState { return w.prog.final }

func (w *walker) addCall(c Call) {
	if len(w.facts.Calls) >= maxFacts {
		w.facts.Truncated = true
		return
	}
	w.facts.Calls = append(w.facts.Calls, c)
}

func (w *walker) addAssign(a Assign) {
	if len(w.facts.Assigns) >= maxFacts {
		w.facts.Truncated = true
		return
	}
	w.facts.Assigns = append(w.facts.Assigns, a)
}

func (w *walker) addListener(l Listener) {
	if len(w.facts.Listeners) >= maxFacts {
		w.facts.Truncated = true
		return
	}
	w.facts.Listeners = append(w.facts.Listeners, l)
}

func (w *walker) addURLRead(r URLRead) {
	if len(w.facts.URLReads) >= maxFacts {
		w.facts.Truncated = true
		return
	}
	w.facts.URLReads = append(w.facts.URLReads, r)
}

// handlerContexts are the flags of event handlers.
const handlerContexts = InGestureHandler | InLoadHandler | InUnloadHandler | InMoveHandler | InLeaveHandler

func (w *walker) returnFact(n *tjs.ReturnStmt) {
	v, ok := w.prog.foldValue(n.Value, 0)
	if !ok || v.kind == kArray || v.kind == kRegExp {
		return
	}
	if v.partial && (v.kind != kString || strings.Trim(v.s, Unknown) == "") {
		// A string known in part ("Alert: " + phone) is still a string,
		// with Unknown where the parts did not fold.
		return
	}
	if len(w.facts.Returns) >= maxFacts {
		w.facts.Truncated = true
		return
	}
	w.facts.Returns = append(w.facts.Returns, Return{Value: v.text(), Offset: w.exprStart(n.Value), Ctx: w.ctx()})
}

func (w *walker) addMember(m Member) {
	if len(w.facts.Members) >= maxFacts {
		w.facts.Truncated = true
		return
	}
	w.facts.Members = append(w.facts.Members, m)
}

// foldArgs folds call arguments.
func (w *walker) foldArgs(list []tjs.Arg) (args, partial []string) {
	n := min(len(list), maxArgs)
	args = make([]string, n)
	for i := 0; i < n; i++ {
		if isFunc(list[i].Value) {
			continue
		}
		s, exact, ok := w.prog.foldPartial(list[i].Value)
		if !ok {
			continue
		}
		if exact {
			args[i] = s
			continue
		}
		if partial == nil {
			partial = make([]string, n)
		}
		partial[i] = s
	}
	if partial != nil {
		for i := range args {
			if partial[i] == "" {
				partial[i] = args[i]
			}
		}
	}
	return args, partial
}

func (w *walker) callFact(n *tjs.CallExpr) {
	p := w.prog
	x := unwrap(n.X)
	if v, ok := x.(*tjs.Var); ok && p.strArr != nil && p.strArr.isAccessor(p, v) {
		return // reading the string array is no behaviour
	}
	callee := p.path(x)
	method := lastComponent(callee)
	off := w.exprStart(n.X)
	ctx := w.ctx()
	args, partial := w.foldArgs(n.Args.List)
	w.addCall(Call{Callee: callee, Method: method, Args: args, PartialArgs: partial, Offset: off, Ctx: ctx})

	// Calls through .call/.apply or a variable holding a method.
	if obj, name := p.memberOf(x); name == "call" || name == "apply" {
		via := name
		var vargs []string
		if via == "call" && len(args) > 0 {
			vargs = args[1:]
		}
		for _, alt := range p.alternatives(obj, 0, nil) {
			ap := p.path(alt)
			w.addCall(Call{Callee: ap, Method: lastComponent(ap), Args: vargs, Offset: off, Ctx: ctx, Via: via})
		}
	} else if v, ok := x.(*tjs.Var); ok && p.single(v) != nil {
		for _, alt := range p.alternatives(v, 0, nil) {
			ap := p.path(alt)
			if ap != callee {
				w.addCall(Call{Callee: ap, Method: lastComponent(ap), Args: args, Offset: off, Ctx: ctx, Via: "alias"})
			}
		}
	}

	// Listeners.
	if r, ok := p.registrationOf(callee, method, n); ok && r.listener {
		target := strings.TrimSuffix(callee, "."+method)
		if target == callee || target == "" {
			target = "window"
		}
		if callee == "$" || callee == "jQuery" {
			target = "document"
		}
		events := r.events
		if r.objMap {
			if obj, ok := unwrap(n.Args.List[0].Value).(*tjs.ObjectExpr); ok {
				for i := range obj.List {
					if obj.List[i].Name != nil {
						events = append(events, eventNames(p.propName(obj.List[i].Name), false)...)
					}
				}
			}
		}
		for _, ev := range events {
			w.addListener(Listener{Event: ev, Target: target, Offset: off, Ctx: ctx})
		}
	}

	// URL reads and the signals of getParam-style helpers.
	switch method {
	case "exec", "match", "matchAll", "split", "indexOf", "substring", "substr", "replace", "test", "search", "slice", "get", "getAll", "has":
		if w.fn != nil {
			w.fn.picks = true
		}
	}
	if method == "get" || method == "getAll" || method == "has" {
		if d, ok := x.(*tjs.DotExpr); ok && w.isParamsObject(d.X, 0) {
			w.addURLRead(URLRead{Expr: callee, Param: paramName(argAt(args, 0)), Offset: off})
		}
	}
	if (method == "match" || method == "exec" || method == "matchAll" || method == "split") && (isLocationRead(callee) || w.argsReadLocation(n)) {
		if param := paramInPattern(n, p, method == "split"); param != "" {
			w.addURLRead(URLRead{Expr: callee, Param: param, Offset: off})
		}
	}
	if v, ok := x.(*tjs.Var); ok {
		if fi := p.funcOf(v); fi != nil && len(args) > 0 {
			w.st().candidates = append(w.st().candidates, urlCandidate{fn: fi, expr: callee, param: paramName(args[0]), offset: off})
		}
	} else if fi := p.pathFunc[callee]; fi != nil && len(args) > 0 {
		w.st().candidates = append(w.st().candidates, urlCandidate{fn: fi, expr: callee, param: paramName(args[0]), offset: off})
	}

	// Code in strings.
	w.evalArgs(n, callee, method, args, off, ctx)
	if p.rec != nil {
		if s, ok := p.packed(n); ok {
			p.record("packer", s, n, 1)
		}
	}
}

func argAt(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

// paramName keeps a constant that looks like a URL parameter name.
func paramName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 || strings.ContainsAny(s, " =&?#/<>\"'") {
		return ""
	}
	return s
}

// isParamsObject: e is new URLSearchParams(…), new URL(…).searchParams,
// x.searchParams, or a variable holding one.
func (w *walker) isParamsObject(e tjs.IExpr, depth int) bool {
	if depth > 6 {
		return false
	}
	switch n := unwrap(e).(type) {
	case *tjs.NewExpr:
		return strings.HasSuffix(w.prog.path(n.X), "URLSearchParams")
	case *tjs.DotExpr:
		return dotName(n) == "searchParams"
	case *tjs.Var:
		if init := w.prog.single(n); init != nil {
			return w.isParamsObject(init, depth+1)
		}
	}
	return false
}

// readsLocation: e's path reads the page URL (location.search, .href,
// .hash, document.URL).
func (w *walker) readsLocation(e tjs.IExpr) bool {
	return isLocationRead(w.prog.path(e))
}

func isLocationRead(p string) bool {
	return strings.Contains(p, "location.search") || strings.Contains(p, "location.href") || strings.Contains(p, "location.hash") ||
		strings.Contains(p, "document.URL") || strings.Contains(p, "document.documentURI")
}

func (w *walker) argsReadLocation(n *tjs.CallExpr) bool {
	for _, a := range n.Args.List {
		if d, ok := unwrap(a.Value).(*tjs.DotExpr); ok {
			switch dotName(d) {
			case "search", "href", "hash", "URL", "documentURI":
				if w.readsLocation(d) {
					return true
				}
			}
		}
	}
	return false
}

// paramRe finds "name=(" in a pattern that captures a parameter's value.
var paramRe = regexp.MustCompile(`(?:^|\\b|[?&\]]|\(\?:\^\|&\))([A-Za-z_][A-Za-z0-9_\-]{0,39})=\(`)

// paramInPattern finds the parameter a call extracts from the URL:
// location.search.match(/[?&]phone=([^&]*)/) and
// location.search.split('phone=') give "phone"; a pattern that only tests
// (indexOf('preview=true'), no capture group) gives "".
func paramInPattern(n *tjs.CallExpr, p *program, split bool) string {
	cands := []tjs.IExpr{}
	for _, a := range n.Args.List {
		cands = append(cands, a.Value)
	}
	if d, ok := unwrap(n.X).(*tjs.DotExpr); ok {
		cands = append(cands, d.X)
	}
	for _, c := range cands {
		v, ok := p.foldValue(c, 0)
		if !ok || v.partial {
			continue
		}
		if v.kind != kString && v.kind != kRegExp {
			continue
		}
		if split && v.kind == kString && strings.HasSuffix(v.s, "=") {
			return paramName(strings.TrimLeft(v.s[:len(v.s)-1], "?&"))
		}
		if m := paramRe.FindStringSubmatch(v.s); m != nil {
			return m[1]
		}
	}
	return ""
}

func (w *walker) newFact(n *tjs.NewExpr) {
	p := w.prog
	callee := "new " + p.path(unwrap(n.X))
	var args, partial []string
	if n.Args != nil {
		args, partial = w.foldArgs(n.Args.List)
	}
	name := lastComponent(callee)
	if name == "Blob" && n.Args != nil && len(n.Args.List) > 0 && len(args) > 0 {
		// new Blob([part, …]): its content is the parts joined.
		args[0], partial = w.blobParts(n.Args.List[0].Value, args, partial)
	}
	off := w.exprStart(n.X)
	ctx := w.ctx()
	w.addCall(Call{Callee: callee, Method: lastComponent(strings.TrimPrefix(callee, "new ")), Args: args, PartialArgs: partial, Offset: off, Ctx: ctx})
	if name == "RegExp" && w.fn != nil {
		w.fn.picks = true
	}
	if name == "Function" && n.Args != nil && len(args) > 0 {
		w.evalCode(args[len(args)-1], "function", off, ctx)
	}
}

// blobParts folds the parts of a Blob (an array literal of strings) into
// its content: exact into args[0] when every part folds, else into the
// partial arguments with Unknown for the parts that do not.
func (w *walker) blobParts(e tjs.IExpr, args, partial []string) (string, []string) {
	arr, ok := unwrap(e).(*tjs.ArrayExpr)
	if !ok || len(arr.List) == 0 || len(arr.List) > maxArgs*16 {
		return args[0], partial
	}
	var b strings.Builder
	exact, known := true, false
	for _, el := range arr.List {
		if el.Spread || el.Value == nil {
			return args[0], partial
		}
		s, ex, ok := w.prog.foldPartial(el.Value)
		if ok {
			known = true
		} else {
			s, ex = Unknown, false
		}
		exact = exact && ex
		if b.Len()+len(s) > maxFold {
			break
		}
		b.WriteString(s)
	}
	if !known {
		return args[0], partial
	}
	if exact {
		return b.String(), partial
	}
	if partial == nil {
		partial = append([]string(nil), args...)
	}
	partial[0] = b.String()
	return "", partial
}

// assign emits an assignment before its children are visited.
func (w *walker) assign(n *tjs.BinaryExpr) {
	p := w.prog
	x := unwrap(n.X)
	switch x.(type) {
	case *tjs.Var, *tjs.DotExpr, *tjs.IndexExpr:
	default:
		return // destructuring
	}
	target := p.path(x)
	off := w.exprStart(n.X)
	ctx := w.ctx()
	w.st().lhs = x
	a := Assign{Target: target, Op: opString(n.Op), Offset: off, Ctx: ctx}
	if s, exact, ok := p.foldPartial(n.Y); ok {
		if exact {
			a.Value = s
		} else {
			a.Partial = s
		}
	}
	w.addAssign(a)
	last := strings.ToLower(lastComponent(target))
	if xv, isVar := x.(*tjs.Var); len(last) > 2 && strings.HasPrefix(last, "on") && (!isVar || canon(xv).Decl == tjs.NoDecl) && (n.Op == tjs.EqToken || n.Op == tjs.OrEqToken || n.Op == tjs.NullishEqToken) {
		obj := strings.TrimSuffix(target, "."+lastComponent(target))
		if obj == target {
			obj = "window"
		}
		w.addListener(Listener{Event: last[2:], Target: obj, Offset: off, Ctx: ctx})
	}
	if (last == "location" || last == "href") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Value)), "javascript:") {
		w.evalCode(strings.TrimSpace(a.Value)[len("javascript:"):], "", off, ctx)
	}
}

func opString(op tjs.TokenType) string {
	switch op {
	case tjs.EqToken:
		return "="
	case tjs.AddEqToken:
		return "+="
	case tjs.OrEqToken:
		return "||="
	case tjs.AndEqToken:
		return "&&="
	case tjs.NullishEqToken:
		return "??="
	}
	return "op="
}

// declAssign records top-level declarations of window properties: a
// classic script's var location = 'tel:…' navigates.
func (w *walker) declAssign(v *tjs.Var, init tjs.IExpr) {
	if w.fn != nil {
		if w.prog.rec != nil {
			w.prog.foldTop(init) // Deobfuscate wants every constant
		}
		return
	}
	name := string(v.Data)
	if name != "location" && !(len(name) > 2 && strings.HasPrefix(name, "on")) {
		if w.prog.rec != nil {
			w.prog.foldTop(init)
		}
		return
	}
	off := w.offsetOf(v.Data)
	a := Assign{Target: name, Op: "=", Offset: off, Ctx: w.ctx()}
	if s, exact, ok := w.prog.foldPartial(init); ok {
		if exact {
			a.Value = s
		} else {
			a.Partial = s
		}
	}
	w.addAssign(a)
	if strings.HasPrefix(name, "on") {
		w.addListener(Listener{Event: name[2:], Target: "window", Offset: off, Ctx: w.ctx()})
	}
}

// member records interesting members and URL reads.
func (w *walker) member(e tjs.IExpr) {
	st := w.st()
	var name string
	var nameOff int
	switch n := e.(type) {
	case *tjs.DotExpr:
		name = dotName(n)
		switch y := n.Y.(type) {
		case tjs.LiteralExpr:
			nameOff = w.offsetOf(y.Data)
		case *tjs.LiteralExpr:
			nameOff = w.offsetOf(y.Data)
		}
	case *tjs.IndexExpr:
		s, ok := w.prog.fold(n.Y)
		if !ok {
			return
		}
		name = s
		nameOff = w.prog.firstOffset(n.Y)
	}
	if name == "" || len(name) > 64 {
		return
	}
	if len(name) > maxMemberName {
		return
	}
	for _, m := range st.interest[len(name)] {
		if strings.EqualFold(m, name) {
			if path := w.prog.path(e); interestingMember(path) {
				w.addMember(Member{Path: path, Offset: nameOff, Ctx: w.ctx()})
			}
			break
		}
	}
	isLHS := st.lhs == e
	switch name {
	case "search", "href", "hash", "URL", "documentURI":
		path := w.prog.path(e)
		if isLocationRead(path) && strings.HasSuffix(path, "."+name) {
			if w.fn != nil {
				w.fn.readsURL = true
			}
			if !isLHS {
				w.addURLRead(URLRead{Expr: path, Offset: nameOff})
			}
		}
	}
	// getUrlVars()['phone'], params.phone where params = getUrlVars().
	if !isLHS && len(w.prog.funcs) > 0 {
		param := paramName(name)
		if param == "" {
			return
		}
		var obj tjs.IExpr
		switch n := e.(type) {
		case *tjs.DotExpr:
			obj = n.X
		case *tjs.IndexExpr:
			obj = n.X
		}
		if fi := w.getterCallOf(obj); fi != nil {
			st.candidates = append(st.candidates, urlCandidate{fn: fi, expr: w.prog.path(e), param: strings.Clone(param), offset: nameOff, whole: true})
		}
	}
}

// getterCallOf returns the function called by e (f() or a variable holding
// f()), for getUrlVars-style helpers that return all parameters.
func (w *walker) getterCallOf(e tjs.IExpr) *funcInfo {
	for i := 0; i < 4 && e != nil; i++ {
		switch n := unwrap(e).(type) {
		case *tjs.CallExpr:
			if len(n.Args.List) != 0 {
				return nil
			}
			if v, ok := unwrap(n.X).(*tjs.Var); ok {
				return w.prog.funcOf(v)
			}
			return w.prog.pathFunc[w.prog.path(unwrap(n.X))]
		case *tjs.Var:
			e = w.prog.single(n)
		default:
			return nil
		}
	}
	return nil
}

// exitFunc passes URL-helper signals of anonymous callbacks to the
// function that runs them.
func (w *walker) exitFunc(fi *funcInfo) {
	if fi.parent != nil && !fi.named {
		fi.parent.readsURL = fi.parent.readsURL || fi.readsURL
		fi.parent.picks = fi.parent.picks || fi.picks
	}
}

// finish resolves URL-helper calls and orders facts by offset.
func (w *walker) finish() {
	for _, c := range w.st().candidates {
		if !c.fn.readsURL || !c.fn.picks {
			continue
		}
		if c.whole != (c.fn.params == 0) {
			continue
		}
		w.addURLRead(URLRead{Expr: c.expr, Param: c.param, Offset: c.offset})
	}
	for _, fi := range w.prog.order {
		if !fi.readsURL || !fi.picks || fi.params == 0 || fi.parent != nil || len(w.facts.URLHelpers) >= 8 {
			continue
		}
		if d, ok := fi.node.(*tjs.FuncDecl); ok && d.Name != nil && len(d.Name.Data) > 0 {
			w.facts.URLHelpers = append(w.facts.URLHelpers, string(d.Name.Data))
		}
	}
	sort.SliceStable(w.facts.URLReads, func(i, j int) bool { return w.facts.URLReads[i].Offset < w.facts.URLReads[j].Offset })
}

// evalArgs analyses constant code strings passed to eval, timers, new
// Function (handled in newFact), setAttribute('on…') and javascript: URLs.
func (w *walker) evalArgs(n *tjs.CallExpr, callee, method string, args []string, off int, ctx Context) {
	if len(args) == 0 {
		return
	}
	b := builtinName(callee)
	switch {
	case b == "eval" || b == "execScript":
		w.evalCode(args[0], "", off, ctx)
	case b == "Function" && len(args) > 0:
		w.evalCode(args[len(args)-1], "function", off, ctx)
	case timerFuncs[method] != 0 && isGlobalCall(callee, method) && len(n.Args.List) > 0 && !isFunc(n.Args.List[0].Value):
		if args[0] != "" {
			w.evalCode(args[0], "", off, ctx|timerFuncs[method])
		}
	case method == "setAttribute" && len(args) > 1 && len(args[0]) > 2 && strings.HasPrefix(strings.ToLower(args[0]), "on"):
		w.evalCode(args[1], strings.ToLower(args[0]), off, ctx)
	case (method == "assign" || method == "replace" || method == "open") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(args[0])), "javascript:"):
		w.evalCode(strings.TrimSpace(args[0])[len("javascript:"):], "", off, ctx)
	}
}

// evalCode analyses a code string and merges its facts at offset off.
// handler is "function" for a Function body, an on<event> name for
// attribute code, or "" for code evaluated in place.
func (w *walker) evalCode(code, handler string, off int, ctx Context) {
	sh := w.src0.shared
	if strings.TrimSpace(code) == "" || sh == nil || sh.noEval || w.src0.evalDepth >= maxEvalDepth || sh.evalBytes+len(code) > maxEvalBytes {
		return
	}
	sh.evalBytes += len(code)
	top := ctx | InEval
	o := source{handler: handler, top: top, globals: w.src0.globals, evalDepth: w.src0.evalDepth + 1, recoveries: w.src0.recoveries, shared: sh}
	switch {
	case handler == "function":
		o.top = top&^TopLevel | InFunction
	case handler != "":
		o.top = top &^ TopLevel
	}
	nested := analyzeSource([]byte(code), o)
	for _, c := range nested.Calls {
		c.Offset, c.inCode = off, true
		w.addCall(c)
	}
	for _, a := range nested.Assigns {
		a.Offset = off
		w.addAssign(a)
	}
	for _, l := range nested.Listeners {
		l.Offset = off
		w.addListener(l)
	}
	for _, u := range nested.URLReads {
		u.Offset = off
		w.addURLRead(u)
	}
	for _, m := range nested.Members {
		m.Offset = off
		w.addMember(m)
	}
	for _, r := range nested.Returns {
		if len(w.facts.Returns) < maxFacts {
			r.Offset = off
			w.facts.Returns = append(w.facts.Returns, r)
		}
	}
	if nested.Truncated {
		w.facts.Truncated = true
	}
}
