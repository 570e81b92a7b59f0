package js

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tjs "github.com/tdewolff/parse/v2/js"
)

// maxFold caps one folded string: a doubling concatenation must not
// exhaust memory.
const maxFold = 64 << 10

// Kinds of folded values.
const (
	kString = iota
	kNumber
	kBool
	kArray
	kRegExp
	kUndefined
	kNull
)

// Operations a folded value went through (for Deobfuscate's Method).
const (
	opConcat = 1 << iota
	opSplit
	opReverse
	opJoin
	opReplace
	opDecode
	opCharCodes
	opAccessor
)

// value is a folded constant.
type value struct {
	kind    int
	s       string  // string, regexp source, or the text of other kinds
	n       float64 // number
	arr     []value
	flags   string // regexp flags
	partial bool   // s holds Unknown for parts that did not fold
	ops     int
	layers  int  // decoding layers applied (atob of unescape: 2)
	fresh   bool // this very value was recorded by a decoder
}

func str(s string) value { return value{kind: kString, s: s} }

func num(f float64) value { return value{kind: kNumber, n: f, s: numberString(f)} }

// text is the value converted to a string as JavaScript would.
func (v value) text() string {
	switch v.kind {
	case kArray:
		parts := make([]string, len(v.arr))
		n := 0
		for i, x := range v.arr {
			if x.kind != kUndefined && x.kind != kNull {
				parts[i] = x.text()
			}
			n += len(parts[i]) + 1
			if n > maxFold {
				return ""
			}
		}
		return strings.Join(parts, ",")
	case kRegExp:
		return "/" + v.s + "/" + v.flags
	case kUndefined:
		return "undefined"
	case kNull:
		return "null"
	}
	return v.s
}

// numberString formats a number like Number.prototype.toString.
func numberString(f float64) string {
	if f >= 0 && f < float64(len(smallInts)) && f == math.Trunc(f) {
		return smallInts[int(f)] // loop counters and char codes: no formatting, no allocation
	}
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	a := math.Abs(f)
	if a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // 1.5e-07
	if i := strings.IndexByte(s, 'e'); i > 0 {
		mant, exp := s[:i], s[i+1:]
		sign := exp[0]
		exp = strings.TrimLeft(exp[1:], "0")
		s = mant + "e" + string(sign) + exp
	}
	return s
}

// smallInts are the strings of 0 … 1023, the numbers folding meets most.
var smallInts = func() (t [1024]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

// toNumber converts like JavaScript's ToNumber for the kinds we fold.
func (v value) toNumber() float64 {
	switch v.kind {
	case kNumber:
		return v.n
	case kBool:
		if v.s == "true" {
			return 1
		}
		return 0
	case kNull:
		return 0
	case kString:
		t := strings.TrimSpace(v.s)
		if t == "" {
			return 0
		}
		if len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
			if i, err := strconv.ParseUint(t[2:], 16, 64); err == nil {
				return float64(i)
			}
			return math.NaN()
		}
		if f, err := strconv.ParseFloat(t, 64); err == nil && !strings.ContainsAny(t, "_xXpPnN") {
			return f
		}
		if t == "Infinity" || t == "+Infinity" {
			return math.Inf(1)
		}
		if t == "-Infinity" {
			return math.Inf(-1)
		}
	case kArray:
		if len(v.arr) == 0 {
			return 0
		}
		if len(v.arr) == 1 {
			return v.arr[0].toNumber()
		}
	}
	return math.NaN()
}

func (v value) truthy() (bool, bool) {
	switch v.kind {
	case kString:
		return v.s != "", !v.partial
	case kNumber:
		return v.n != 0 && !math.IsNaN(v.n), true
	case kBool:
		return v.s == "true", true
	case kArray, kRegExp:
		return true, true
	case kUndefined, kNull:
		return false, true
	}
	return false, false
}

// fold returns the constant string value of e, when it folds fully.
func (p *program) fold(e tjs.IExpr) (string, bool) {
	v, ok := p.foldTop(e)
	if !ok || v.partial || v.kind == kArray || v.kind == kRegExp || v.kind == kUndefined {
		return "", false
	}
	return v.text(), true
}

// foldPartial returns the value of e with Unknown for the parts that do
// not fold; ok is false when nothing is constant.
func (p *program) foldPartial(e tjs.IExpr) (s string, exact, ok bool) {
	v, ok := p.foldTop(e)
	if !ok || v.kind == kArray || v.kind == kRegExp || v.kind == kUndefined {
		return "", false, false
	}
	if v.partial && strings.Trim(v.s, Unknown) == "" {
		return "", false, false
	}
	return v.text(), !v.partial, true
}

// asDefault is the value of a default an unknown value falls back on
// (getParam("phone") || "+1-844-…"): a partial string, the default's text
// with nothing to mark the unknown alternative, so that what a page writes
// when its URL gives nothing is read (a template kit's own number) while
// no exact reading (a navigation's target, a condition) takes it as sure.
func asDefault(y value) (value, bool) {
	if y.kind != kString || y.partial || y.s == "" {
		return value{}, false
	}
	y.partial = true
	return y, true
}

// foldTop folds e and, for Deobfuscate, records strings that took more
// than reading a literal.
func (p *program) foldTop(e tjs.IExpr) (value, bool) {
	if e == nil {
		return value{}, false
	}
	v, ok := p.foldValue(e, 0)
	if ok {
		p.recordFolded(&v, e)
	}
	return v, ok
}

// recordFolded records, for Deobfuscate, a string that took more than
// reading a literal and was not recorded by a decoder already.
func (p *program) recordFolded(v *value, e tjs.IExpr) {
	if p.rec == nil || v.kind != kString || v.partial || v.fresh || v.ops&(opConcat|opReverse|opJoin|opReplace|opSplit|opCharCodes|opDecode) == 0 {
		return
	}
	method := "fold"
	switch {
	case v.ops&opCharCodes != 0:
		method = "charcode-array"
	case v.ops&opReverse != 0:
		method = "reverse"
	case v.ops&opJoin != 0:
		method = "join"
	case v.ops&opReplace != 0:
		method = "replace"
	}
	p.record(method, v.s, e, max(v.layers, 1))
	v.fresh = true
}

func (p *program) record(method, text string, e tjs.IExpr, depth int) {
	if p.rec == nil || p.quiet > 0 || len(text) < 4 || len(*p.rec) >= maxFacts {
		return
	}
	*p.rec = append(*p.rec, Decoded{Method: method, Text: text, Offset: p.firstOffset(e), Depth: depth})
}

// firstOffset is the offset of the first literal inside e: where its
// encoded form starts.
func (p *program) firstOffset(e tjs.IExpr) int {
	for i := 0; i < 64 && e != nil; i++ {
		switch n := e.(type) {
		case *tjs.LiteralExpr:
			switch n.TokenType {
			case tjs.NullToken, tjs.TrueToken, tjs.FalseToken, tjs.ThisToken:
				return -1
			}
			return p.offsetOf(n.Data)
		case *tjs.CallExpr:
			// A method's receiver holds the encoded form ('x'.split…),
			// else the first argument that is not null/this (apply).
			if d, ok := n.X.(*tjs.DotExpr); ok {
				if off := p.firstOffset(d.X); off >= 0 {
					return off
				}
			}
			for _, a := range n.Args.List {
				if off := p.firstOffset(a.Value); off >= 0 {
					return off
				}
			}
			return -1
		case *tjs.DotExpr:
			e = n.X
		case *tjs.IndexExpr:
			e = n.X
		case *tjs.GroupExpr:
			e = n.X
		case *tjs.BinaryExpr:
			e = n.X
		case *tjs.ArrayExpr:
			if len(n.List) == 0 {
				return -1
			}
			e = n.List[0].Value
		case *tjs.TemplateExpr:
			if len(n.List) > 0 {
				return p.offsetOf(n.List[0].Value)
			}
			return p.offsetOf(n.Tail)
		case *tjs.Var:
			if init := p.single(n); init != nil {
				e = init
				continue
			}
			return -1
		default:
			return -1
		}
	}
	return -1
}

func (p *program) offsetOf(b []byte) int {
	w := walker{src: p.src, base: p.base}
	return w.offsetOf(b)
}

func (p *program) spend(n int) bool {
	p.foldSteps -= n
	if p.foldSteps&^4095 != (p.foldSteps+n)&^4095 && p.deadline.passed() {
		p.foldSteps = 0
	}
	return p.foldSteps > 0
}

// utf16Of returns the UTF-16 code units of s, remembering the last string:
// loops index the same string again and again.
func (p *program) utf16Of(s string) []uint16 {
	if p.unitsOf == s && p.units != nil {
		return p.units
	}
	var u []uint16
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		u = make([]uint16, len(s))
		for i := 0; i < len(s); i++ {
			u[i] = uint16(s[i])
		}
	} else {
		u = utf16.Encode([]rune(s))
	}
	if len(s) > 64 {
		p.unitsOf, p.units = s, u
	}
	return u
}

func (p *program) capped(v value) (value, bool) {
	if len(v.s) > maxFold {
		return value{}, false
	}
	p.foldBytes -= len(v.s)
	if p.foldBytes < 0 {
		return value{}, false
	}
	return v, true
}

// foldValue folds e; ok is false when e is not constant.
func (p *program) foldValue(e tjs.IExpr, depth int) (value, bool) {
	if e == nil || depth > 64 || !p.spend(1) {
		return value{}, false
	}
	switch n := e.(type) {
	case *tjs.LiteralExpr:
		return literalValue(n)
	case *tjs.TemplateExpr:
		if n.Tag != nil {
			return value{}, false
		}
		var b strings.Builder
		var out value
		for _, part := range n.List {
			t, _ := templateText(part.Value)
			b.WriteString(t)
			v, ok := p.foldValue(part.Expr, depth+1)
			if !ok || v.kind == kArray && v.partial {
				b.WriteString(Unknown)
				out.partial = true
			} else {
				b.WriteString(v.text())
				out.partial = out.partial || v.partial
				out.ops |= v.ops
				out.layers = max(out.layers, v.layers)
			}
			if b.Len() > maxFold {
				return value{}, false
			}
		}
		t, _ := templateText(n.Tail)
		b.WriteString(t)
		out.kind, out.s = kString, b.String()
		if len(n.List) > 0 {
			out.ops |= opConcat
		}
		return p.capped(out)
	case *tjs.GroupExpr:
		return p.foldValue(n.X, depth+1)
	case *tjs.CommaExpr:
		if len(n.List) == 0 {
			return value{}, false
		}
		return p.foldValue(n.List[len(n.List)-1], depth+1)
	case *tjs.Var:
		return p.varValue(n, depth)
	case *tjs.UnaryExpr:
		return p.foldUnary(n, depth)
	case *tjs.BinaryExpr:
		return p.foldBinary(n, depth)
	case *tjs.CondExpr:
		c, ok := p.foldValue(n.Cond, depth+1)
		t, known := false, false
		if ok {
			t, known = c.truthy()
		}
		if !known {
			// p ? p : "+1-844-…": the one branch that folds is what the
			// page shows when the other has nothing.
			x, okx := p.foldValue(n.X, depth+1)
			y, oky := p.foldValue(n.Y, depth+1)
			switch {
			case okx && !x.partial && (!oky || y.partial):
				return asDefault(x)
			case oky && !y.partial && (!okx || x.partial):
				return asDefault(y)
			}
			return value{}, false
		}
		if t {
			return p.foldValue(n.X, depth+1)
		}
		return p.foldValue(n.Y, depth+1)
	case *tjs.ArrayExpr:
		if len(n.List) > 1<<14 || !p.spend(len(n.List)) {
			return value{}, false
		}
		arr := make([]value, 0, len(n.List))
		size := 0
		for _, el := range n.List {
			if el.Spread {
				return value{}, false
			}
			if el.Value == nil {
				arr = append(arr, value{kind: kUndefined})
				continue
			}
			v, ok := p.foldValue(el.Value, depth+1)
			if !ok || v.partial {
				return value{}, false
			}
			size += len(v.s) + 8
			if size > maxFold*4 {
				return value{}, false
			}
			arr = append(arr, v)
		}
		return value{kind: kArray, arr: arr}, true
	case *tjs.IndexExpr:
		x, ok := p.foldValue(n.X, depth+1)
		if !ok {
			return value{}, false
		}
		i, ok := p.foldValue(n.Y, depth+1)
		if !ok {
			return value{}, false
		}
		return p.indexValue(x, i)
	case *tjs.DotExpr:
		name := dotName(n)
		if name == "length" {
			x, ok := p.foldValue(n.X, depth+1)
			if !ok || x.partial {
				return value{}, false
			}
			switch x.kind {
			case kString:
				return num(float64(len(p.utf16Of(x.s)))), true
			case kArray:
				return num(float64(len(x.arr))), true
			}
		}
		return value{}, false
	case *tjs.CallExpr:
		return p.foldCall(n, depth)
	}
	return value{}, false
}

func literalValue(n *tjs.LiteralExpr) (value, bool) {
	switch n.TokenType {
	case tjs.StringToken:
		return str(unquote(n.Data)), true
	case tjs.DecimalToken, tjs.IntegerToken:
		f, err := strconv.ParseFloat(digits(n.Data), 64)
		if err != nil {
			// 1e400 and friends: ParseFloat reports range errors with ±Inf.
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return value{}, false
			}
		}
		return num(f), true
	case tjs.HexadecimalToken, tjs.OctalToken, tjs.BinaryToken:
		d := digits(n.Data)
		if len(d) > 2 && d[0] == '0' && (d[1] == 'o' || d[1] == 'O' || d[1] == 'b' || d[1] == 'B' || d[1] == 'x' || d[1] == 'X') {
			base := 16
			switch d[1] {
			case 'o', 'O':
				base = 8
			case 'b', 'B':
				base = 2
			}
			if i, err := strconv.ParseUint(d[2:], base, 64); err == nil {
				return num(float64(i)), true
			}
			return value{}, false
		}
		if i, err := strconv.ParseUint(d, 8, 64); err == nil { // legacy 0777
			return num(float64(i)), true
		}
	case tjs.TrueToken:
		return value{kind: kBool, s: "true"}, true
	case tjs.FalseToken:
		return value{kind: kBool, s: "false"}, true
	case tjs.NullToken:
		return value{kind: kNull, s: "null"}, true
	case tjs.RegExpToken:
		d := string(n.Data)
		if i := strings.LastIndexByte(d, '/'); i > 0 {
			return value{kind: kRegExp, s: d[1:i], flags: d[i+1:]}, true
		}
	}
	return value{}, false
}

// digits is a numeric literal without its _ separators, for strconv (which
// copies what it keeps): it shares data when there are none.
func digits(data []byte) string {
	if bytes.IndexByte(data, '_') < 0 {
		return bytesView(data)
	}
	return strings.ReplaceAll(string(data), "_", "")
}

func (p *program) indexValue(x, i value) (value, bool) {
	if x.partial || i.partial {
		return value{}, false
	}
	idx := i.toNumber()
	switch x.kind {
	case kArray:
		if idx >= 0 && idx < float64(len(x.arr)) && idx == math.Trunc(idx) {
			return x.arr[int(idx)], true
		}
	case kString:
		u := p.utf16Of(x.s)
		if idx >= 0 && idx < float64(len(u)) && idx == math.Trunc(idx) {
			return str(string(utf16.Decode(u[int(idx) : int(idx)+1]))), true
		}
	}
	return value{}, false
}

// varValue: a parameter bound while folding a callback, a constant
// variable, or undefined/NaN/Infinity.
func (p *program) varValue(n *tjs.Var, depth int) (value, bool) {
	v := canon(n)
	if p.env != nil {
		if x, ok := p.env[v]; ok {
			return x, true
		}
	}
	if v.Decl == tjs.NoDecl {
		switch string(v.Data) {
		case "undefined":
			return value{kind: kUndefined}, true
		case "NaN":
			return num(math.NaN()), true
		case "Infinity":
			return num(math.Inf(1)), true
		}
	}
	i := p.vars[v]
	if v.Decl == tjs.NoDecl && p.globals != nil && (i == nil || i.writes == 0) {
		// A global an earlier script of the page set, which this one
		// does not write.
		if s, ok := p.globals[string(v.Data)]; ok {
			if rest, partial := strings.CutPrefix(s, Unknown); partial {
				return value{kind: kString, s: rest, partial: true}, true
			}
			return str(s), true
		}
	}
	if i == nil {
		return value{}, false
	}
	if i.cnst != nil {
		return i.cnst.v, i.cnst.ok
	}
	if i.writes != 1 || i.mutated || i.init == nil {
		i.cnst = notConst
		return value{}, false
	}
	if i.busy {
		return value{}, false
	}
	i.busy = true
	x, ok := p.foldValue(i.init, depth+1)
	i.busy = false
	if p.nconst < 1<<16 {
		p.nconst++
		i.cnst = &constEntry{x, ok}
	}
	return x, ok
}

func (p *program) foldUnary(n *tjs.UnaryExpr, depth int) (value, bool) {
	switch n.Op {
	case tjs.NegToken, tjs.PosToken, tjs.BitNotToken, tjs.NotToken, tjs.VoidToken, tjs.TypeofToken:
	default:
		return value{}, false
	}
	if n.Op == tjs.VoidToken {
		return value{kind: kUndefined}, true
	}
	x, ok := p.foldValue(n.X, depth+1)
	if !ok || x.partial {
		return value{}, false
	}
	switch n.Op {
	case tjs.NegToken:
		return num(-x.toNumber()), true
	case tjs.PosToken:
		return num(x.toNumber()), true
	case tjs.BitNotToken:
		return num(float64(^toInt32(x.toNumber()))), true
	case tjs.NotToken:
		t, known := x.truthy()
		if !known {
			return value{}, false
		}
		return value{kind: kBool, s: strconv.FormatBool(!t)}, true
	case tjs.TypeofToken:
		switch x.kind {
		case kString:
			return str("string"), true
		case kNumber:
			return str("number"), true
		case kBool:
			return str("boolean"), true
		case kUndefined:
			return str("undefined"), true
		}
	}
	return value{}, false
}

func toInt32(f float64) int32 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return int32(uint32(int64(math.Mod(math.Trunc(f), 4294967296))))
}

func (p *program) foldBinary(n *tjs.BinaryExpr, depth int) (value, bool) {
	switch n.Op {
	case tjs.AddToken:
		// a + b + c + …, parsed left-deep, is folded as a list: split
		// strings make chains of hundreds that the depth limit would cut.
		var rest []tjs.IExpr
		left := n.X
		for len(rest) < maxChain {
			b, ok := left.(*tjs.BinaryExpr)
			if !ok || b.Op != tjs.AddToken {
				break
			}
			rest = append(rest, b.Y)
			left = b.X
		}
		if len(rest) > 0 {
			acc, okAcc := p.foldValue(left, depth+1)
			for i := len(rest) - 1; i >= 0; i-- {
				y, oky := p.foldValue(rest[i], depth+1)
				acc, okAcc = p.add(acc, okAcc, y, oky)
			}
			y, oky := p.foldValue(n.Y, depth+1)
			return p.add(acc, okAcc, y, oky)
		}
		x, okx := p.foldValue(n.X, depth+1)
		y, oky := p.foldValue(n.Y, depth+1)
		return p.add(x, okx, y, oky)
	}
	return p.foldBinaryOther(n, depth)
}

// maxChain bounds the operands of one a + b + c + … chain folded as a list.
const maxChain = 1 << 14

// add is the + operator on two folded operands (either may be unknown).
func (p *program) add(x value, okx bool, y value, oky bool) (value, bool) {
	{
		if okx && oky && x.kind != kString && y.kind != kString && x.kind != kArray && y.kind != kArray && x.kind != kRegExp && y.kind != kRegExp {
			return num(x.toNumber() + y.toNumber()), true
		}
		// String concatenation, with Unknown for a side that does not fold.
		if !okx && !oky {
			return value{}, false
		}
		if !okx {
			x = value{kind: kString, s: Unknown, partial: true}
		}
		if !oky {
			y = value{kind: kString, s: Unknown, partial: true}
		}
		xs, ys := x.text(), y.text()
		if x.partial && y.partial && strings.HasSuffix(xs, Unknown) && strings.HasPrefix(ys, Unknown) {
			ys = ys[len(Unknown):]
		}
		return p.capped(value{kind: kString, s: xs + ys, partial: x.partial || y.partial, ops: x.ops | y.ops | opConcat, layers: max(x.layers, y.layers)})
	}
}

func (p *program) foldBinaryOther(n *tjs.BinaryExpr, depth int) (value, bool) {
	switch n.Op {
	case tjs.SubToken, tjs.MulToken, tjs.DivToken, tjs.ModToken, tjs.ExpToken,
		tjs.BitAndToken, tjs.BitOrToken, tjs.BitXorToken, tjs.LtLtToken, tjs.GtGtToken, tjs.GtGtGtToken:
		x, ok1 := p.foldValue(n.X, depth+1)
		if !ok1 || x.partial {
			return value{}, false
		}
		y, ok2 := p.foldValue(n.Y, depth+1)
		if !ok2 || y.partial {
			return value{}, false
		}
		a, b := x.toNumber(), y.toNumber()
		switch n.Op {
		case tjs.SubToken:
			return num(a - b), true
		case tjs.MulToken:
			return num(a * b), true
		case tjs.DivToken:
			return num(a / b), true
		case tjs.ModToken:
			return num(math.Mod(a, b)), true
		case tjs.ExpToken:
			return num(math.Pow(a, b)), true
		case tjs.BitAndToken:
			return num(float64(toInt32(a) & toInt32(b))), true
		case tjs.BitOrToken:
			return num(float64(toInt32(a) | toInt32(b))), true
		case tjs.BitXorToken:
			return num(float64(toInt32(a) ^ toInt32(b))), true
		case tjs.LtLtToken:
			return num(float64(toInt32(a) << (uint32(toInt32(b)) & 31))), true
		case tjs.GtGtToken:
			return num(float64(toInt32(a) >> (uint32(toInt32(b)) & 31))), true
		case tjs.GtGtGtToken:
			return num(float64(uint32(toInt32(a)) >> (uint32(toInt32(b)) & 31))), true
		}
	case tjs.OrToken, tjs.AndToken, tjs.NullishToken:
		x, ok := p.foldValue(n.X, depth+1)
		t, known := false, false
		if ok {
			t, known = x.truthy()
		}
		if !known {
			if n.Op == tjs.AndToken {
				return value{}, false
			}
			y, ok := p.foldValue(n.Y, depth+1)
			if !ok {
				return value{}, false
			}
			return asDefault(y) // getParam("phone") || "+1-844-…"
		}
		switch {
		case n.Op == tjs.OrToken && t, n.Op == tjs.AndToken && !t, n.Op == tjs.NullishToken && x.kind != kUndefined && x.kind != kNull:
			return x, true
		}
		return p.foldValue(n.Y, depth+1)
	}
	return value{}, false
}

// globalPrefixes are stripped from callee paths before matching builtins.
func builtinName(callee string) string {
	for _, pre := range []string{"window.", "self.", "globalThis.", "top.", "parent."} {
		callee = strings.TrimPrefix(callee, pre)
	}
	return callee
}

// foldCall folds the decoding functions and the string, array and number
// methods kits build strings with.
func (p *program) foldCall(n *tjs.CallExpr, depth int) (value, bool) {
	x := unwrap(n.X)
	// An obfuscator.io string-array accessor: _0x26db(0x14e).
	if v, ok := x.(*tjs.Var); ok && p.strArr != nil && len(n.Args.List) >= 1 {
		if s, decoded, ok := p.strArr.resolve(p, v, n, depth); ok {
			ops := opAccessor
			if decoded {
				ops |= opDecode // base64 or RC4: a hidden string, recorded
			}
			return value{kind: kString, s: s, ops: ops}, true
		}
	}
	// A function of this script that returns one expression.
	if v, ok := p.inline(x, n, depth); ok {
		return v, true
	}
	if isFunc(x) {
		return value{}, false
	}
	callee := builtinName(p.path(x))
	args := make([]value, 0, len(n.Args.List))
	argsOK := true
	spread := false
	for _, a := range n.Args.List {
		if isFunc(a.Value) {
			args = append(args, value{})
			argsOK = false
			continue
		}
		v, ok := p.foldValue(a.Value, depth+1)
		if !ok || v.partial {
			argsOK = false
			args = append(args, value{})
			continue
		}
		if a.Rest {
			spread = true
		}
		args = append(args, v)
	}
	arg := func(i int) value {
		if i < len(args) {
			return args[i]
		}
		return value{kind: kUndefined}
	}
	layers := 0
	for _, a := range args {
		layers = max(layers, a.layers)
	}
	decoded := func(method string, s string, extra int) (value, bool) {
		v, ok := p.capped(value{kind: kString, s: s, ops: opDecode | extra, layers: layers + 1})
		if ok && p.rec != nil {
			p.record(method, s, n, v.layers)
			v.fresh = true
		}
		return v, ok
	}
	switch callee {
	case "String.fromCharCode", "String.fromCodePoint":
		if !argsOK {
			return value{}, false
		}
		vals := args
		method := "fromCharCode"
		if spread {
			if len(args) != 1 || args[0].kind != kArray {
				return value{}, false
			}
			vals = args[0].arr
			method = "charcode-array"
		}
		s, ok := charCodes(vals, callee == "String.fromCodePoint")
		if !ok {
			return value{}, false
		}
		return decoded(method, s, opCharCodes)
	case "String.fromCharCode.apply", "String.fromCharCode.call", "String.fromCodePoint.apply":
		if len(args) < 2 || args[1].kind != kArray || !argsOK && args[1].kind != kArray {
			if callee == "String.fromCharCode.call" && argsOK && len(args) >= 2 {
				s, ok := charCodes(args[1:], false)
				if ok {
					return decoded("fromCharCode", s, opCharCodes)
				}
			}
			return value{}, false
		}
		s, ok := charCodes(args[1].arr, strings.HasPrefix(callee, "String.fromCodePoint"))
		if !ok {
			return value{}, false
		}
		return decoded("charcode-array", s, opCharCodes)
	case "atob":
		if !argsOK || len(args) != 1 {
			return value{}, false
		}
		b, ok := decodeBase64(arg(0).text())
		if !ok {
			return value{}, false
		}
		return decoded("atob", binaryString(b), 0)
	case "unescape":
		if !argsOK || len(args) != 1 {
			return value{}, false
		}
		return decoded("unescape", jsUnescape(arg(0).text()), 0)
	case "escape":
		if !argsOK || len(args) != 1 {
			return value{}, false
		}
		return p.capped(value{kind: kString, s: jsEscape(arg(0).text()), layers: layers})
	case "decodeURIComponent", "decodeURI":
		if !argsOK || len(args) != 1 {
			return value{}, false
		}
		s, ok := decodeURIComponentJS(arg(0).text())
		if !ok {
			return value{}, false
		}
		return decoded("decodeURIComponent", s, 0)
	case "encodeURIComponent", "encodeURI":
		if argsOK && len(args) == 1 {
			return p.capped(value{kind: kString, s: encodeURIComponent(arg(0).text())})
		}
		return value{}, false
	case "String":
		if argsOK && len(args) == 1 {
			a := arg(0)
			return value{kind: kString, s: a.text(), ops: a.ops, layers: a.layers}, true
		}
		return value{}, false
	case "Number", "parseFloat":
		if argsOK && len(args) == 1 {
			return num(arg(0).toNumber()), true
		}
		return value{}, false
	case "parseInt":
		if argsOK && len(args) >= 1 {
			radix := 0
			if len(args) > 1 {
				radix = int(toInt32(arg(1).toNumber()))
			}
			return num(parseIntJS(arg(0).text(), radix)), true
		}
		return value{}, false
	}
	d, ok := x.(*tjs.DotExpr)
	if !ok {
		return value{}, false
	}
	method := dotName(d)
	// Array.prototype.map with a callback we can evaluate.
	if method == "map" && len(n.Args.List) == 1 {
		recv, ok := p.foldValue(d.X, depth+1)
		if !ok || recv.kind != kArray {
			return value{}, false
		}
		return p.foldMap(recv, n.Args.List[0].Value, depth)
	}
	if method == "reduce" && (len(n.Args.List) == 1 || len(n.Args.List) == 2) {
		recv, ok := p.foldValue(d.X, depth+1)
		if !ok || recv.kind != kArray {
			return value{}, false
		}
		var init tjs.IExpr
		if len(n.Args.List) == 2 {
			init = n.Args.List[1].Value
		}
		return p.foldReduce(recv, n.Args.List[0].Value, init, depth)
	}
	if !argsOK {
		return value{}, false
	}
	recv, ok := p.foldValue(d.X, depth+1)
	if !ok || recv.partial {
		return value{}, false
	}
	return p.method(recv, method, args, depth)
}

// method applies a string, array or number method to a folded receiver.
func (p *program) method(recv value, method string, args []value, depth int) (value, bool) {
	arg := func(i int) value {
		if i < len(args) {
			return args[i]
		}
		return value{kind: kUndefined}
	}
	keep := func(v value, ok bool, op int) (value, bool) {
		if !ok {
			return v, false
		}
		v.ops |= recv.ops | op
		v.layers = max(v.layers, recv.layers)
		return p.capped(v)
	}
	switch recv.kind {
	case kArray:
		switch method {
		case "reverse":
			out := make([]value, len(recv.arr))
			for i, s := range recv.arr {
				out[len(out)-1-i] = s
			}
			return keep(value{kind: kArray, arr: out}, true, opReverse)
		case "join":
			sep := ","
			if len(args) > 0 && arg(0).kind != kUndefined {
				sep = arg(0).text()
			}
			var b strings.Builder
			for i, x := range recv.arr {
				if i > 0 {
					b.WriteString(sep)
				}
				if x.kind != kUndefined && x.kind != kNull {
					b.WriteString(x.text())
				}
				if b.Len() > maxFold {
					return value{}, false
				}
			}
			return keep(value{kind: kString, s: b.String()}, true, opJoin)
		case "toString":
			return keep(str(recv.text()), true, opJoin)
		case "concat":
			out := append([]value(nil), recv.arr...)
			for _, a := range args {
				if a.kind == kArray {
					out = append(out, a.arr...)
				} else {
					out = append(out, a)
				}
			}
			return keep(value{kind: kArray, arr: out}, true, 0)
		case "slice":
			lo, hi := sliceBounds(len(recv.arr), arg(0), arg(1))
			return keep(value{kind: kArray, arr: recv.arr[lo:hi]}, true, 0)
		}
	case kNumber:
		if method == "toString" {
			radix := 10
			if len(args) > 0 {
				radix = int(arg(0).toNumber())
			}
			if radix == 10 {
				return str(recv.s), true
			}
			if radix >= 2 && radix <= 36 && recv.n == math.Trunc(recv.n) && math.Abs(recv.n) < 1<<53 {
				return keep(str(strconv.FormatInt(int64(recv.n), radix)), true, opConcat)
			}
		}
		return value{}, false
	case kString:
		s := recv.s
		switch method {
		case "split":
			var parts []string
			a := arg(0)
			switch {
			case a.kind == kUndefined:
				parts = []string{s}
			case a.kind == kRegExp:
				re, err := compileJSRegexp(a.s, a.flags)
				if err != nil {
					return value{}, false
				}
				parts = re.Split(s, -1)
			case a.text() == "":
				for _, r := range s {
					parts = append(parts, string(r))
				}
			default:
				parts = strings.Split(s, a.text())
			}
			if len(args) > 1 {
				if l := int(arg(1).toNumber()); l >= 0 && l < len(parts) {
					parts = parts[:l]
				}
			}
			if len(parts) > 1<<16 {
				return value{}, false
			}
			arr := make([]value, len(parts))
			for i, x := range parts {
				arr[i] = str(x)
			}
			return keep(value{kind: kArray, arr: arr}, true, opSplit)
		case "charAt":
			v, ok := p.indexValue(recv, num(arg(0).toNumber()))
			if !ok {
				return str(""), true
			}
			return keep(v, true, 0)
		case "charCodeAt":
			u := p.utf16Of(s)
			i := 0
			if len(args) > 0 {
				i = int(arg(0).toNumber())
			}
			if i >= 0 && i < len(u) {
				return num(float64(u[i])), true
			}
			return num(math.NaN()), true
		case "concat":
			var b strings.Builder
			b.WriteString(s)
			for _, a := range args {
				b.WriteString(a.text())
			}
			return keep(str(b.String()), true, opConcat)
		case "replace", "replaceAll":
			if len(args) != 2 || arg(1).kind == kUndefined {
				return value{}, false
			}
			repl := arg(1).text()
			pat := arg(0)
			if pat.kind == kRegExp {
				re, err := compileJSRegexp(pat.s, pat.flags)
				if err != nil {
					return value{}, false
				}
				goRepl := jsReplacement(repl)
				if strings.Contains(pat.flags, "g") {
					return keep(str(re.ReplaceAllString(s, goRepl)), true, opReplace)
				}
				loc := re.FindStringSubmatchIndex(s)
				if loc == nil {
					return keep(str(s), true, opReplace)
				}
				out := string(re.ExpandString(nil, goRepl, s, loc))
				return keep(str(s[:loc[0]]+out+s[loc[1]:]), true, opReplace)
			}
			old := pat.text()
			if strings.Contains(repl, "$") {
				return value{}, false // $& and friends: not worth it
			}
			if method == "replaceAll" {
				if old == "" {
					return value{}, false
				}
				return keep(str(strings.ReplaceAll(s, old, repl)), true, opReplace)
			}
			return keep(str(strings.Replace(s, old, repl, 1)), true, opReplace)
		case "toLowerCase", "toLocaleLowerCase":
			return keep(str(strings.ToLower(s)), true, 0)
		case "toUpperCase", "toLocaleUpperCase":
			return keep(str(strings.ToUpper(s)), true, 0)
		case "trim":
			return keep(str(strings.TrimSpace(s)), true, 0)
		case "trimStart", "trimLeft":
			return keep(str(strings.TrimLeft(s, " \t\n\r\v\f")), true, 0)
		case "trimEnd", "trimRight":
			return keep(str(strings.TrimRight(s, " \t\n\r\v\f")), true, 0)
		case "toString", "valueOf":
			return recv, true
		case "substr", "substring", "slice":
			u := p.utf16Of(s)
			var lo, hi int
			switch method {
			case "slice":
				lo, hi = sliceBounds(len(u), arg(0), arg(1))
			case "substring":
				lo, hi = clampIndex(arg(0), len(u), 0), clampIndex(arg(1), len(u), len(u))
				if lo > hi {
					lo, hi = hi, lo
				}
			case "substr":
				lo, _ = sliceBounds(len(u), arg(0), value{kind: kUndefined})
				hi = len(u)
				if arg(1).kind != kUndefined {
					l := int(math.Max(0, arg(1).toNumber()))
					hi = min(len(u), lo+l)
				}
			}
			return keep(str(string(utf16.Decode(u[lo:hi]))), true, 0)
		case "repeat":
			c := arg(0).toNumber()
			if c < 0 || c*float64(len(s)) > maxFold || math.IsNaN(c) {
				return value{}, false
			}
			return keep(str(strings.Repeat(s, int(c))), true, opConcat)
		case "indexOf":
			return num(float64(strings.Index(s, arg(0).text()))), true
		case "at":
			i := arg(0).toNumber()
			if i < 0 {
				i += float64(len([]rune(s)))
			}
			v, ok := p.indexValue(recv, num(i))
			return keep(v, ok, 0)
		}
	}
	return value{}, false
}

// lambda returns the parameters and the returned expression of a function
// whose body is a single return (or an arrow with an expression body).
func lambda(n tjs.INode) ([]*tjs.Var, tjs.IExpr, bool) {
	var params *tjs.Params
	var body *tjs.BlockStmt
	switch f := n.(type) {
	case *tjs.FuncDecl:
		params, body = &f.Params, &f.Body
	case *tjs.ArrowFunc:
		params, body = &f.Params, &f.Body
	default:
		return nil, nil, false
	}
	if len(body.List) != 1 || params.Rest != nil || len(params.List) > 8 {
		return nil, nil, false
	}
	ret, ok := body.List[0].(*tjs.ReturnStmt)
	if !ok || ret.Value == nil {
		return nil, nil, false
	}
	names := make([]*tjs.Var, 0, len(params.List))
	for _, b := range params.List {
		v, ok := b.Binding.(*tjs.Var)
		if !ok || b.Default != nil {
			return nil, nil, false
		}
		names = append(names, canon(v))
	}
	return names, ret.Value, true
}

// withEnv folds e with the parameters bound to args.
func (p *program) withEnv(names []*tjs.Var, args []value, e tjs.IExpr, depth int) (value, bool) {
	if p.inlining >= 4 {
		return value{}, false
	}
	p.inlining++
	p.quiet++ // the parts of a callback's result are not results
	defer func() { p.quiet-- }()
	saved := p.env
	env := make(map[*tjs.Var]value, len(saved)+len(names))
	for k, v := range saved {
		env[k] = v
	}
	for i, n := range names {
		if i < len(args) {
			env[n] = args[i]
		} else {
			env[n] = value{kind: kUndefined}
		}
	}
	p.env = env
	v, ok := p.foldValue(e, depth+1)
	p.env = saved
	p.inlining--
	return v, ok
}

// foldMap evaluates arr.map(function(c, i){ return expr }).
func (p *program) foldMap(recv value, cb tjs.IExpr, depth int) (value, bool) {
	if v, ok := unwrap(cb).(*tjs.Var); ok && (string(v.Data) == "Number" || string(v.Data) == "String") {
		out := make([]value, len(recv.arr))
		for i, x := range recv.arr {
			if string(v.Data) == "Number" {
				out[i] = num(x.toNumber())
			} else {
				out[i] = str(x.text())
			}
		}
		return value{kind: kArray, arr: out, ops: recv.ops}, true
	}
	names, ret, ok := lambda(unwrap(cb))
	if !ok || len(names) == 0 || len(recv.arr) > 1<<14 || !p.spend(len(recv.arr)) {
		return value{}, false
	}
	out := make([]value, len(recv.arr))
	ops := recv.ops
	for i, x := range recv.arr {
		v, ok := p.withEnv(names, []value{x, num(float64(i))}, ret, depth)
		if !ok || v.partial {
			return value{}, false
		}
		ops |= v.ops & opCharCodes
		out[i] = v
	}
	return value{kind: kArray, arr: out, ops: ops}, true
}

// foldReduce evaluates arr.reduce(function(acc, c, i){ return expr }, init).
func (p *program) foldReduce(recv value, cb tjs.IExpr, init tjs.IExpr, depth int) (value, bool) {
	names, ret, ok := lambda(unwrap(cb))
	if !ok || len(names) < 2 || len(recv.arr) > 1<<14 || !p.spend(len(recv.arr)) {
		return value{}, false
	}
	items := recv.arr
	var acc value
	if init != nil {
		if acc, ok = p.foldValue(init, depth+1); !ok || acc.partial {
			return value{}, false
		}
	} else {
		if len(items) == 0 {
			return value{}, false
		}
		acc, items = items[0], items[1:]
	}
	ops := recv.ops
	for i, x := range items {
		v, ok := p.withEnv(names, []value{acc, x, num(float64(i))}, ret, depth)
		if !ok || v.partial || len(v.s) > maxFold {
			return value{}, false
		}
		ops |= v.ops & (opCharCodes | opConcat)
		acc = v
	}
	acc.ops |= ops
	return acc, true
}

// inline evaluates a call of a function of this script whose body is one
// return expression (decode(s) { return atob(s) }, o.f = s => …).
func (p *program) inline(x tjs.IExpr, n *tjs.CallExpr, depth int) (value, bool) {
	var fi *funcInfo
	switch c := x.(type) {
	case *tjs.Var:
		fi = p.funcOf(c)
	case *tjs.DotExpr, *tjs.IndexExpr:
		if _, name := p.memberOf(c); p.pathLast[name] {
			fi = p.pathFunc[p.path(c)]
		}
	}
	if fi == nil {
		return value{}, false
	}
	names, ret, ok := lambda(fi.node)
	if !ok {
		return value{}, false
	}
	args := make([]value, 0, len(n.Args.List))
	for _, a := range n.Args.List {
		if a.Rest {
			return value{}, false
		}
		v, ok := p.foldValue(a.Value, depth+1)
		if !ok || v.partial {
			return value{}, false
		}
		args = append(args, v)
	}
	v, ok := p.withEnv(names, args, ret, depth)
	if ok {
		p.recordFolded(&v, n) // decode(s) may be used with unknown parts
	}
	return v, ok
}

func sliceBounds(n int, a, b value) (int, int) {
	lo := 0
	if a.kind != kUndefined {
		f := a.toNumber()
		if math.IsNaN(f) {
			f = 0
		}
		if f < 0 {
			f += float64(n)
		}
		lo = int(math.Max(0, math.Min(f, float64(n))))
	}
	hi := n
	if b.kind != kUndefined {
		f := b.toNumber()
		if math.IsNaN(f) {
			f = 0
		}
		if f < 0 {
			f += float64(n)
		}
		hi = int(math.Max(0, math.Min(f, float64(n))))
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

func clampIndex(a value, n, def int) int {
	if a.kind == kUndefined {
		return def
	}
	f := a.toNumber()
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	return int(math.Min(f, float64(n)))
}

// charCodes builds a string from UTF-16 code units (fromCharCode) or code
// points (fromCodePoint).
func charCodes(vals []value, points bool) (string, bool) {
	if len(vals) > maxFold {
		return "", false
	}
	units := make([]uint16, 0, len(vals))
	var rs []rune
	for _, v := range vals {
		if v.kind != kNumber && v.kind != kString {
			return "", false
		}
		f := v.toNumber()
		if math.IsNaN(f) {
			return "", false
		}
		if points {
			if f < 0 || f > utf8.MaxRune || f != math.Trunc(f) {
				return "", false
			}
			rs = append(rs, rune(f))
			continue
		}
		units = append(units, uint16(uint32(toInt32(f))))
	}
	if points {
		return string(rs), true
	}
	return string(utf16.Decode(units)), true
}

// parseIntJS implements parseInt's prefix parsing.
func parseIntJS(s string, radix int) float64 {
	s = strings.TrimLeft(s, " \t\n\r\v\f\u00a0\ufeff")
	sign := 1.0
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	if radix == 0 || radix == 16 {
		if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
			s = s[2:]
			radix = 16
		}
	}
	if radix == 0 {
		radix = 10
	}
	if radix < 2 || radix > 36 {
		return math.NaN()
	}
	n := 0.0
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			d = int(c-'A') + 10
		default:
			d = 99
		}
		if d >= radix {
			break
		}
		n = n*float64(radix) + float64(d)
		digits++
	}
	if digits == 0 {
		return math.NaN()
	}
	return sign * n
}

func encodeURIComponent(s string) string {
	const keep = "-_.!~*'()"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(hex2(int(c))))
		}
	}
	return b.String()
}

// compileJSRegexp compiles the subset of JavaScript regular expressions
// that RE2 shares (Go's engine runs in linear time: safe on hostile
// patterns).
func compileJSRegexp(src, flags string) (*regexp.Regexp, error) {
	if len(src) > 1024 {
		return nil, errTooLong
	}
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "(?i)"
	}
	if strings.Contains(flags, "m") {
		prefix += "(?m)"
	}
	if strings.Contains(flags, "s") {
		prefix += "(?s)"
	}
	return regexp.Compile(prefix + src)
}

type foldError string

func (e foldError) Error() string { return string(e) }

const errTooLong = foldError("regular expression too long")

// jsReplacement turns a JavaScript replacement string ($1, $&) into Go's
// template syntax.
func jsReplacement(r string) string {
	if !strings.Contains(r, "$") {
		return r
	}
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		if r[i] != '$' || i+1 >= len(r) {
			b.WriteByte(r[i])
			continue
		}
		switch c := r[i+1]; {
		case c == '$':
			b.WriteString("$$")
			i++
		case c == '&':
			b.WriteString("${0}")
			i++
		case c >= '0' && c <= '9':
			b.WriteString("${" + string(c) + "}")
			i++
		default:
			b.WriteString("$$")
		}
	}
	return b.String()
}
