package js

import (
	"math"

	tjs "github.com/tdewolff/parse/v2/js"
)

// String-array obfuscation (obfuscator.io, the most common JavaScript
// obfuscator, used by many kits) moves every string into one array, hides
// each use behind an accessor call — document[_0x26db(0x14e)] — and
// rotates the array at start-up until an arithmetic checksum over
// parseInt(accessor(N)) values matches a constant. The strings are resolved
// here without running the code: find the array (returned by a provider
// function or held by a variable), the accessor (which subtracts a
// constant from its index), and the rotation (by evaluating the checksum
// for each rotation, or by the rotation count of older versions). Only the
// plain variant is resolved; accessors that decode their strings further
// (base64, RC4) are left alone rather than guessed.

type stringArrays struct {
	accessors map[*tjs.Var]*accessor
}

type accessor struct {
	arr    []string
	offset float64
}

const maxStringArray = 20000

// findStringArrays detects string arrays, their accessors and rotations.
func findStringArrays(p *program) *stringArrays {
	arrays := map[*tjs.Var][]string{} // provider function or array variable -> strings
	for _, fi := range p.order {
		fd, ok := fi.node.(*tjs.FuncDecl)
		if !ok || fd.Name == nil || len(fd.Params.List) != 0 || len(fd.Body.List) == 0 {
			continue
		}
		if vd, ok := fd.Body.List[0].(*tjs.VarDecl); ok && len(vd.List) == 1 {
			if strs, ok := stringArray(vd.List[0].Default); ok {
				arrays[canon(fd.Name)] = strs
			}
		}
	}
	for v, i := range p.vars {
		if i.writes == 1 && i.init != nil {
			if strs, ok := stringArray(i.init); ok {
				arrays[v] = strs
			}
		}
	}
	if len(arrays) == 0 {
		return nil
	}
	sa := &stringArrays{accessors: map[*tjs.Var]*accessor{}}
	// Rotations, by the array they rotate.
	rotated := map[*tjs.Var]bool{}
	solved := map[*tjs.Var][]string{}
	for _, s := range p.calls {
		call, ok := s.node.(*tjs.CallExpr)
		if !ok || len(call.Args.List) != 2 {
			continue
		}
		fd, ok := unwrap(call.X).(*tjs.FuncDecl)
		if !ok || len(fd.Params.List) != 2 {
			continue
		}
		av, ok := unwrap(call.Args.List[0].Value).(*tjs.Var)
		if !ok {
			continue
		}
		strs, ok := arrays[canon(av)]
		if !ok {
			continue
		}
		rotated[canon(av)] = true
		target, ok := p.foldValue(call.Args.List[1].Value, 0)
		if !ok || target.kind != kNumber {
			continue
		}
		if r, ok := p.solveRotation(fd, strs, target.n, sa, arrays, canon(av)); ok {
			solved[canon(av)] = rotate(strs, r)
		}
	}
	// Accessors.
	for _, fi := range p.order {
		fd, ok := fi.node.(*tjs.FuncDecl)
		if !ok || len(fd.Params.List) == 0 {
			continue
		}
		src := arraySource(fd, arrays)
		if src == nil {
			continue
		}
		strs := arrays[src]
		if rotated[src] {
			if strs, ok = solved[src]; !ok {
				continue
			}
		}
		offset, plain := accessorShape(p, fd)
		if !plain {
			continue
		}
		acc := &accessor{arr: strs, offset: offset}
		for _, v := range p.bindingsOf(fi) {
			sa.accessors[v] = acc
		}
	}
	if len(sa.accessors) == 0 {
		return nil
	}
	return sa
}

// stringArray: an array literal of at least two string literals.
func stringArray(e tjs.IExpr) ([]string, bool) {
	a, ok := unwrap(e).(*tjs.ArrayExpr)
	if !ok || len(a.List) < 2 || len(a.List) > maxStringArray {
		return nil, false
	}
	out := make([]string, len(a.List))
	for i, el := range a.List {
		l, ok := el.Value.(*tjs.LiteralExpr)
		if !ok || l.TokenType != tjs.StringToken || el.Spread {
			return nil, false
		}
		out[i] = unquote(l.Data)
	}
	return out, true
}

func rotate(strs []string, r int) []string {
	if len(strs) == 0 {
		return strs
	}
	r %= len(strs)
	out := make([]string, 0, len(strs))
	out = append(out, strs[r:]...)
	return append(out, strs[:r]...)
}

// bindingsOf lists the variables that name a function.
func (p *program) bindingsOf(fi *funcInfo) []*tjs.Var {
	var out []*tjs.Var
	if fi.self != nil {
		out = append(out, canon(fi.self))
	}
	for v, i := range p.vars {
		if i.init != nil && unwrap(i.init) == fi.node && i.writes == 1 && (fi.self == nil || v != canon(fi.self)) {
			out = append(out, v)
		}
	}
	return out
}

// arraySource finds which known array a function reads in its first
// statements — var a = provider(); a = a - N; var x = array[i] — by their
// shape alone (no walk: big functions are common, accessors are small).
func arraySource(fd *tjs.FuncDecl, arrays map[*tjs.Var][]string) *tjs.Var {
	known := func(e tjs.IExpr) *tjs.Var {
		switch n := unwrap(e).(type) {
		case *tjs.CallExpr:
			if v, ok := unwrap(n.X).(*tjs.Var); ok && len(n.Args.List) == 0 {
				if _, ok := arrays[canon(v)]; ok {
					return canon(v)
				}
			}
		case *tjs.IndexExpr:
			if v, ok := unwrap(n.X).(*tjs.Var); ok {
				if _, ok := arrays[canon(v)]; ok {
					return canon(v)
				}
			}
		}
		return nil
	}
	for i, s := range fd.Body.List {
		if i >= 3 {
			break
		}
		switch n := s.(type) {
		case *tjs.VarDecl:
			for _, el := range n.List {
				if v := known(el.Default); v != nil {
					return v
				}
			}
		case *tjs.ExprStmt:
			if b, ok := n.Value.(*tjs.BinaryExpr); ok && b.Op == tjs.EqToken {
				if v := known(b.Y); v != nil {
					return v
				}
			}
		}
	}
	return nil
}

// accessorShape finds the index offset (i = i - 0x141) and checks that the
// accessor returns array elements as they are.
func accessorShape(p *program, fd *tjs.FuncDecl) (float64, bool) {
	offset := 0.0
	plain := true
	nodes := 0
	f := finder(func(n tjs.INode) bool {
		nodes++
		if nodes > 2000 {
			plain = false
			return false
		}
		switch n := n.(type) {
		case *tjs.BinaryExpr:
			if n.Op == tjs.EqToken {
				if x, ok := n.X.(*tjs.Var); ok {
					if sub, ok := unwrap(n.Y).(*tjs.BinaryExpr); ok && sub.Op == tjs.SubToken {
						if y, ok := unwrap(sub.X).(*tjs.Var); ok && canon(y) == canon(x) {
							if v, ok := p.foldValue(sub.Y, 0); ok && v.kind == kNumber {
								offset = v.n
							}
						}
					}
				}
			}
		case *tjs.LiteralExpr:
			if n.TokenType == tjs.StringToken && len(n.Data) > 30 {
				plain = false // a decoding alphabet
			}
		case *tjs.DotExpr:
			switch dotName(n) {
			case "charCodeAt", "fromCharCode", "decodeURIComponent":
				plain = false
			}
		case *tjs.Var:
			switch string(n.Data) {
			case "atob", "decodeURIComponent", "unescape":
				plain = false
			}
		}
		return plain
	})
	tjs.Walk(&f, &fd.Body)
	return offset, plain
}

// solveRotation finds how far the array is rotated: the checksum
// expression of the rotation loop is evaluated for each rotation until it
// equals the target. Older versions rotate a fixed number of times.
func (p *program) solveRotation(fd *tjs.FuncDecl, strs []string, target float64, sa *stringArrays, arrays map[*tjs.Var][]string, src *tjs.Var) (int, bool) {
	var checksum tjs.IExpr
	hasWhile, pushShift := false, 0
	f := finder(func(n tjs.INode) bool {
		switch n := n.(type) {
		case *tjs.WhileStmt, *tjs.DoWhileStmt, *tjs.ForStmt:
			hasWhile = true
		case *tjs.VarDecl:
			for _, el := range n.List {
				if checksum == nil && el.Default != nil && callsParseInt(el.Default) {
					checksum = el.Default
				}
			}
		case *tjs.BinaryExpr:
			if checksum == nil && n.Op == tjs.EqToken && callsParseInt(n.Y) {
				checksum = n.Y
			}
		case *tjs.DotExpr:
			if name := dotName(n); name == "push" || name == "shift" {
				pushShift++
			}
		case *tjs.IndexExpr:
			if s, ok := n.Y.(*tjs.LiteralExpr); ok && s.TokenType == tjs.StringToken {
				if v := unquote(s.Data); v == "push" || v == "shift" {
					pushShift++
				}
			}
		}
		return true
	})
	tjs.Walk(&f, &fd.Body)
	if !hasWhile || pushShift < 2 {
		return 0, false
	}
	if checksum == nil {
		// while(--n) arr.push(arr.shift()) after f(++count): count times.
		if target < 0 || target != math.Trunc(target) || target > 1e7 {
			return 0, false
		}
		return int(target) % len(strs), true
	}
	// Accessors see the array under test through a temporary table.
	savedArr, savedSteps := p.strArr, p.foldSteps
	defer func() { p.strArr, p.foldSteps = savedArr, savedSteps }()
	trial := &stringArrays{accessors: map[*tjs.Var]*accessor{}}
	var accs []*accessor
	for _, fi := range p.order {
		afd, ok := fi.node.(*tjs.FuncDecl)
		if !ok || len(afd.Params.List) == 0 || arraySource(afd, arrays) != src {
			continue
		}
		offset, plain := accessorShape(p, afd)
		if !plain {
			return 0, false
		}
		acc := &accessor{offset: offset}
		accs = append(accs, acc)
		for _, v := range p.bindingsOf(fi) {
			trial.accessors[v] = acc
		}
	}
	if len(accs) == 0 {
		return 0, false
	}
	p.strArr = trial
	budget := 4000 * 1000
	for r := 0; r < len(strs); r++ {
		arr := rotate(strs, r)
		for _, a := range accs {
			a.arr = arr
		}
		p.foldSteps = 1 << 20
		v, ok := p.foldValue(checksum, 0)
		budget -= (1 << 20) - p.foldSteps
		if ok && v.kind == kNumber && v.n == target {
			return r, true
		}
		if budget < 0 {
			return 0, false
		}
	}
	return 0, false
}

func callsParseInt(e tjs.IExpr) bool {
	found := false
	f := finder(func(n tjs.INode) bool {
		if v, ok := n.(*tjs.Var); ok && string(v.Data) == "parseInt" {
			found = true
		}
		return !found
	})
	tjs.Walk(&f, e)
	return found
}

// isAccessor: v is (an alias of) a string-array accessor.
func (sa *stringArrays) isAccessor(p *program, v *tjs.Var) bool {
	for i := 0; i < 8 && v != nil; i++ {
		v = canon(v)
		if sa.accessors[v] != nil {
			return true
		}
		next, ok := unwrap(p.single(v)).(*tjs.Var)
		if !ok {
			return false
		}
		v = next
	}
	return false
}

// resolve returns the string an accessor call stands for.
func (sa *stringArrays) resolve(p *program, v *tjs.Var, n *tjs.CallExpr, depth int) (string, bool) {
	var acc *accessor
	for i := 0; i < 8 && v != nil; i++ {
		v = canon(v)
		if acc = sa.accessors[v]; acc != nil {
			break
		}
		init := p.single(v)
		next, ok := unwrap(init).(*tjs.Var)
		if !ok {
			return "", false
		}
		v = next
	}
	if acc == nil || acc.arr == nil {
		return "", false
	}
	idx, ok := p.foldValue(n.Args.List[0].Value, depth+1)
	if !ok {
		return "", false
	}
	i := idx.toNumber() - acc.offset
	if i < 0 || i >= float64(len(acc.arr)) || i != math.Trunc(i) {
		return "", false
	}
	return acc.arr[int(i)], true
}

// finder is a tjs.IVisitor from a function: false stops descending.
type finder func(tjs.INode) bool

func (f *finder) Enter(n tjs.INode) tjs.IVisitor {
	if (*f)(n) {
		return f
	}
	return nil
}

func (f *finder) Exit(tjs.INode) {}
