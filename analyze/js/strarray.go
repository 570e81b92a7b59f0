package js

import (
	"math"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

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
// for each rotation, or by the rotation count of older versions). The
// plain variant and the two encoded ones are resolved: base64 with the
// obfuscator's alphabet (lower case first) then UTF-8, and RC4 over that
// with the key the call passes. An accessor that decodes some other way is
// left alone rather than guessed.

type stringArrays struct {
	accessors map[*tjs.Var]*accessor
}

type accessor struct {
	arr    []string
	offset float64
	enc    encoding
}

// encoding is how an accessor decodes its array's strings.
type encoding int

const (
	encPlain encoding = iota
	encBase64
	encRC4
)

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
		offset, enc, ok := accessorShape(p, fd)
		if !ok {
			continue
		}
		acc := &accessor{arr: strs, offset: offset, enc: enc}
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

// obfuscatorAlphabet is the base64 alphabet of obfuscator.io's decoders.
const obfuscatorAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/="

// accessorShape finds the index offset (i = i - 0x141) and how the accessor
// decodes array elements: as they are, base64 or RC4 (see encoding); ok is
// false for any other decoding.
func accessorShape(p *program, fd *tjs.FuncDecl) (offset float64, enc encoding, ok bool) {
	plain := true
	alphabet, other, xor := false, false, false
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
			if n.Op == tjs.BitXorToken {
				xor = true
			}
		case *tjs.LiteralExpr:
			switch {
			case n.TokenType == tjs.StringToken && unquote(n.Data) == obfuscatorAlphabet:
				alphabet = true
			case n.TokenType == tjs.StringToken && len(n.Data) > 30 && len(unquote(n.Data)) > 30:
				other = true // some other decoding alphabet
			}
		case *tjs.DotExpr:
			switch dotName(n) {
			case "charCodeAt", "fromCharCode", "decodeURIComponent":
				plain = false
			}
		case *tjs.IndexExpr:
			if l, ok := n.Y.(*tjs.LiteralExpr); ok && l.TokenType == tjs.StringToken {
				switch unquote(l.Data) {
				case "charCodeAt", "fromCharCode":
					plain = false
				}
			}
		case *tjs.Var:
			switch string(n.Data) {
			case "atob", "unescape":
				other = true
			case "decodeURIComponent":
				plain = false
			}
		}
		return nodes <= 2000
	})
	tjs.Walk(&f, &fd.Body)
	switch {
	case nodes > 2000 || other:
		return 0, 0, false
	case plain && !alphabet:
		return offset, encPlain, true
	case alphabet && xor && len(fd.Params.List) >= 2:
		return offset, encRC4, true
	case alphabet && !xor:
		return offset, encBase64, true
	}
	return 0, 0, false
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
		offset, enc, ok := accessorShape(p, afd)
		if !ok {
			return 0, false
		}
		acc := &accessor{offset: offset, enc: enc}
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
		budget -= len(strs) / 8 // the rotated copy
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

// resolve returns the string an accessor call stands for; decoded is set
// when the accessor decoded it (base64, RC4) rather than reading it.
func (sa *stringArrays) resolve(p *program, v *tjs.Var, n *tjs.CallExpr, depth int) (s string, decoded, ok bool) {
	var enc encoding
	s, enc, ok = sa.lookup(p, v, n, depth)
	return s, ok && enc != encPlain, ok
}

func (sa *stringArrays) lookup(p *program, v *tjs.Var, n *tjs.CallExpr, depth int) (string, encoding, bool) {
	var acc *accessor
	for i := 0; i < 8 && v != nil; i++ {
		v = canon(v)
		if acc = sa.accessors[v]; acc != nil {
			break
		}
		init := p.single(v)
		next, ok := unwrap(init).(*tjs.Var)
		if !ok {
			return "", 0, false
		}
		v = next
	}
	if acc == nil || acc.arr == nil {
		return "", 0, false
	}
	idx, ok := p.foldValue(n.Args.List[0].Value, depth+1)
	if !ok {
		return "", 0, false
	}
	i := idx.toNumber() - acc.offset
	if i < 0 || i >= float64(len(acc.arr)) || i != math.Trunc(i) {
		return "", 0, false
	}
	raw := acc.arr[int(i)]
	// Decoding costs work in proportion to the string (RC4 sets up 256
	// entries first): charged as folding steps.
	if acc.enc != encPlain && !p.spend(len(raw)+64*int(acc.enc)) {
		return "", 0, false
	}
	switch acc.enc {
	case encBase64:
		out, ok := decodeObfuscatorBase64(raw)
		return out, encBase64, ok
	case encRC4:
		if len(n.Args.List) < 2 {
			return "", 0, false
		}
		key, ok := p.foldValue(n.Args.List[1].Value, depth+1)
		if !ok || key.kind != kString {
			return "", 0, false
		}
		out, ok := decodeObfuscatorRC4(raw, key.s)
		return out, encRC4, ok
	}
	return raw, encPlain, true
}

// decodeObfuscatorBase64 decodes as obfuscator.io's accessor does: base64
// with its alphabet, characters outside it skipped, then the bytes read as
// UTF-8 (decodeURIComponent of their percent-encoding, which fails on
// invalid UTF-8).
func decodeObfuscatorBase64(s string) (string, bool) {
	var out []byte
	bits, n := 0, 0
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(obfuscatorAlphabet, s[i]) // '=' is 64, as there
		if k < 0 {
			continue
		}
		if n%4 == 0 {
			bits = k
		} else {
			bits = bits*64 + k
		}
		n++
		if n%4 != 1 {
			out = append(out, byte(bits>>((-2*n)&6)))
		}
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

// decodeObfuscatorRC4 decodes base64 as above, then RC4 with key over the
// UTF-16 code units, as the accessor does.
func decodeObfuscatorRC4(s, key string) (string, bool) {
	b, ok := decodeObfuscatorBase64(s)
	if !ok || key == "" {
		return "", false
	}
	in := utf16.Encode([]rune(b))
	k := utf16.Encode([]rune(key))
	var box [256]int
	for i := range box {
		box[i] = i
	}
	j := 0
	for i := 0; i < 256; i++ {
		j = (j + box[i] + int(k[i%len(k)])) % 256
		box[i], box[j] = box[j], box[i]
	}
	out := make([]uint16, len(in))
	i, j := 0, 0
	for x, c := range in {
		i = (i + 1) % 256
		j = (j + box[i]) % 256
		box[i], box[j] = box[j], box[i]
		out[x] = c ^ uint16(box[(box[i]+box[j])%256])
	}
	return string(utf16.Decode(out)), true
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
