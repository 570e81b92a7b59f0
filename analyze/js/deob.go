package js

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tjs "github.com/tdewolff/parse/v2/js"
	"github.com/tssguard/tssguard/internal/cpuclock"
)

// Decoded is a string recovered from obfuscated code.
type Decoded struct {
	// Method says how: "atob", "unescape", "decodeURIComponent",
	// "fromCharCode", "charcode-array" (String.fromCharCode over an array
	// of codes), "charcode-loop" (a loop adding fromCharCode of shifted
	// char codes), "reverse", "join", "replace", "fold" (a concatenation of
	// constants, wherever it stands), "packer"
	// (p,a,c,k,e,d), "base64-literal" (a literal that decodes to text),
	// "hex-string", "escape-sequence" (a literal spelled in \x or \u
	// escapes).
	Method string
	Text   string
	// Offset is where in src the encoded form starts; for depth > 1 it is
	// the offset of the depth-1 result it came from; -1 when unknown.
	Offset int
	// Depth is 1 for a string decoded from src, 2 for one decoded from a
	// depth-1 result (atob of an unescape), and so on.
	Depth int
}

// DeobfuscateOptions bound the work of Deobfuscate.
type DeobfuscateOptions struct {
	MaxDepth  int           // decoding layers (default 4)
	MaxOutput int           // total decoded bytes (default 4 MiB)
	Timeout   time.Duration // wall time of the layers after the first pass (default 100ms); checked between steps
	// Parsed, when it is the parse of src (Parse), saves parsing it again.
	Parsed *Parsed
}

// Deobfuscate recovers hidden strings: the constant arguments of atob,
// unescape, decodeURIComponent and String.fromCharCode (with arithmetic,
// over arrays, spread or mapped), split/reverse/join and concatenation of
// constants, obfuscator.io string arrays, loops that shift char codes,
// Dean Edwards packers (unpacked by their algorithm, not run), literals
// that are base64 (with white space inside), hex or percent encoded, or
// spelled in escapes. Results that are
// JavaScript are searched again, and encoded results decoded again, up to
// MaxDepth; HTML is returned as it is. Trivial results (short, not text,
// the same as their input, seen before) are dropped. It never panics; on
// an internal error it returns what it found.
func Deobfuscate(src []byte, opts DeobfuscateOptions) (out []Decoded) {
	// The clock counts this goroutine's CPU time: what is decoded must not
	// depend on how loaded the machine is.
	clock, unlock := cpuclock.Start()
	defer unlock()
	d := newDeob(opts, clock)
	d.pre = opts.Parsed.of(src, "")
	defer func() {
		if r := recover(); r != nil {
			reportPanic(r)
			out = d.out
		}
	}()
	d.run(src, 1, -1)
	return d.out
}

func newDeob(opts DeobfuscateOptions, clock *cpuclock.Clock) *deob {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 4
	}
	if opts.MaxOutput <= 0 {
		opts.MaxOutput = 4 << 20
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 100 * time.Millisecond
	}
	return &deob{opts: opts, clock: clock, deadline: deadline{clock: clock, at: clock.Used() + opts.Timeout}, seen: map[string]bool{}}
}

// AnalyzeDeobfuscate is Analyze and Deobfuscate of one script, for the
// price of one walk: Deobfuscate's first pass folds every constant of the
// script while it walks it as Analyze does, so one walk gives Analyze's
// facts and the first layer's decodings (with both walks' folding
// budgets). Its results are theirs; a handler's code, a script over
// opts.MaxBytes, and a walk that fails inside take the two calls.
func AnalyzeDeobfuscate(src []byte, opts Options, dopts DeobfuscateOptions) (f Facts, out []Decoded) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = defaultMaxBytes
	}
	if opts.Handler != "" || !Within(src, opts.MaxBytes) {
		return Analyze(src, opts), Deobfuscate(src, dopts)
	}
	clock, unlock := cpuclock.Start()
	defer unlock()
	d := newDeob(dopts, clock)
	walked := false
	defer func() {
		if r := recover(); r != nil {
			reportPanic(r)
			if !walked {
				f, out = Analyze(src, opts), Deobfuscate(src, dopts)
				return
			}
			out = d.out
		}
	}()
	d.runs++
	var rec []Decoded
	pre := opts.Parsed.of(src, "")
	if pre == nil {
		pre = dopts.Parsed.of(src, "")
	}
	f = analyzeSource(src, source{top: TopLevel, invoked: opts.Invoked, globals: opts.Globals, shared: &shared{rec: &rec, both: true}, pre: pre})
	walked = true
	// Deobfuscate's first pass searches code strings itself, as layers;
	// Analyze's facts hold what it found in them too.
	calls := make([]Call, 0, len(f.Calls))
	for _, c := range f.Calls {
		if !c.inCode {
			calls = append(calls, c)
		}
	}
	d.after(src, 1, -1, rec, calls)
	return f, d.out
}

type deob struct {
	opts     DeobfuscateOptions
	clock    *cpuclock.Clock
	deadline deadline
	out      []Decoded
	total    int
	seen     map[string]bool
	runs     int
	pre      *Parsed // the parse of the first script run, when done already
}

func (d *deob) expired() bool {
	return d.deadline.passed() || d.total >= d.opts.MaxOutput
}

// The first pass over the script itself (folding, string arrays, its
// literals) is bounded by folding steps, as Analyze is, and not by the
// clock: what it finds must not depend on how loaded the machine is. The
// clock bounds the layers after it.
func (d *deob) stop(depth int) bool {
	if depth <= 1 {
		return d.total >= d.opts.MaxOutput
	}
	return d.expired()
}

// add keeps a non-trivial result; it reports whether it was kept.
func (d *deob) add(method, text string, offset, depth int, input string) bool {
	if d.stop(depth) || depth > d.opts.MaxDepth {
		return false
	}
	t := strings.TrimSpace(text)
	if len(t) < 4 || text == input || d.seen[text] || !isText(text) {
		return false
	}
	if d.total+len(text) > d.opts.MaxOutput {
		d.total = d.opts.MaxOutput
		return false
	}
	d.seen[text] = true
	d.total += len(text)
	d.out = append(d.out, Decoded{Method: method, Text: text, Offset: offset, Depth: depth})
	return true
}

// follow searches a kept result again: code is scanned like a script,
// other text is tried with the literal decoders (unescape of a loop's
// output, base64 in base64).
func (d *deob) follow(text string, offset, depth int) {
	if depth >= d.opts.MaxDepth || d.expired() {
		return
	}
	if looksCode(text) && !looksHTML(text) {
		d.run([]byte(text), depth+1, offset)
		return
	}
	d.decodeText(text, offset, depth+1)
}

func (d *deob) emit(method, text string, offset, depth int, input string) {
	if d.add(method, text, offset, depth, input) {
		d.follow(text, offset, depth)
	}
}

// emitBytes keeps decoded bytes that are UTF-8 text.
func (d *deob) emitBytes(method string, b []byte, offset, depth int, input string) {
	if utf8.Valid(b) {
		d.emit(method, string(b), offset, depth, input)
	}
}

// decodeText tries the literal decoders on a whole decoded text.
func (d *deob) decodeText(s string, offset, depth int) {
	t := strings.TrimSpace(s)
	switch {
	case strings.Count(t, "%") >= 3 && percentDense(t):
		if u := jsUnescape(t); u != t {
			d.emit("unescape", u, offset, depth, t)
		}
	case len(t) >= 16 && base64ish(t):
		if b, ok := decodeBase64(t); ok {
			d.emitBytes("base64-literal", b, offset, depth, t)
		}
	case len(t) >= 16 && hexish(t):
		if b, ok := decodeHexString(t); ok {
			d.emitBytes("hex-string", b, offset, depth, t)
		}
	}
}

// run searches one script: its decoding calls and concatenations (found
// while folding its facts) and its literals. at is the offset of the
// depth-1 result when src is itself decoded.
func (d *deob) run(src []byte, depth int, at int) {
	d.runs++
	if d.stop(depth) || d.runs > 256 || len(src) > 4<<20 {
		return
	}
	var rec []Decoded
	until := d.deadline
	if depth <= 1 {
		until = noDeadline // step-bounded, see stop
	}
	pre := d.pre
	d.pre = nil
	f := analyzeSource(src, source{top: TopLevel, shared: &shared{rec: &rec, deadline: until, noEval: true}, pre: pre})
	d.after(src, depth, at, rec, f.Calls)
}

// after is the rest of run once the script's walk gave its decodings
// (rec) and its calls.
func (d *deob) after(src []byte, depth int, at int, rec []Decoded, calls []Call) {
	place := func(off int) int {
		if depth > 1 {
			return at
		}
		return off
	}
	if depth <= 1 {
		// The layers' time starts after the first pass, however long it took.
		d.deadline = deadline{clock: d.clock, at: d.clock.Used() + d.opts.Timeout}
	}
	// Keep every result of this script before following any: a layer
	// found by folding (atob) beats the same text found by re-decoding.
	var kept []Decoded
	for _, r := range rec {
		if d.add(r.Method, r.Text, place(r.Offset), depth+r.Depth-1, "") {
			kept = append(kept, d.out[len(d.out)-1])
		}
	}
	for _, k := range kept {
		d.follow(k.Text, k.Offset, k.Depth)
	}
	if d.stop(depth) {
		return
	}
	// Code in strings (eval('…'), setTimeout('…')) is searched as code.
	for _, c := range calls {
		switch builtinName(c.Callee) {
		case "eval", "execScript", "Function", "new Function", "setTimeout", "setInterval":
			if len(c.Args) > 0 && c.Args[0] != "" && looksCode(c.Args[0]) && depth < d.opts.MaxDepth && !d.seen[c.Args[0]] {
				d.seen[c.Args[0]] = true
				d.run([]byte(c.Args[0]), depth+1, place(c.Offset))
			}
		}
	}
	d.literals(src, depth, place)
}

// literals decodes encoded literals.
func (d *deob) literals(src []byte, depth int, place func(int) int) {
	x := newLexer(src)
	for n := 0; n < maxLiterals; n++ {
		if n&63 == 0 && d.stop(depth) {
			return
		}
		t := x.next()
		if t.tt == tjs.ErrorToken {
			return
		}
		l, ok := literalOf(t)
		if !ok || len(l.Value) < 6 {
			continue
		}
		v := l.Value
		raw := len(t.data)
		switch {
		case l.Escaped && raw >= 2*len(v):
			// Mostly escapes: '\x74\x65\x6c\x3a'.
			d.emit("escape-sequence", v, place(l.Offset), depth, "")
		case strings.HasPrefix(v, "data:"):
			if i := strings.Index(v, ";base64,"); i > 0 && i < 100 && isTextMIME(v[5:i]) {
				if b, ok := decodeBase64(v[i+8:]); ok {
					d.emitBytes("base64-literal", b, place(l.Offset), depth, v)
				}
			}
		case len(v) >= 20 && base64ish(v):
			if b, ok := decodeBase64(v); ok {
				d.emitBytes("base64-literal", b, place(l.Offset), depth, v)
			}
		case len(v) >= 16 && hexish(v):
			if b, ok := decodeHexString(v); ok {
				d.emitBytes("hex-string", b, place(l.Offset), depth, v)
			}
		case strings.Count(v, "%") >= 3 && percentDense(v):
			if u := jsUnescape(v); u != v {
				d.emit("unescape", u, place(l.Offset), depth, v)
			}
		}
	}
}

func isTextMIME(m string) bool {
	return strings.HasPrefix(m, "text/") || strings.Contains(m, "javascript") || strings.Contains(m, "json") || strings.Contains(m, "xml")
}

// base64ish: only base64 characters (and white space), long enough, with
// the mix of cases and digits real base64 has.
func base64ish(s string) bool {
	n, lower, upper, digit := 0, false, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		case c == '+' || c == '/' || c == '-' || c == '_':
		case c == '=':
			if i < len(s)-2 {
				return false
			}
			continue
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			continue
		default:
			return false
		}
		n++
	}
	return n >= 16 && lower && upper && (digit || n >= 40)
}

func hexish(s string) bool {
	if len(s)%2 != 0 {
		return false
	}
	letter := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if _, ok := hexDigit(c); !ok {
			return false
		}
		if c > '9' {
			letter = true
		}
	}
	return letter
}

// percentDense: percent escapes make up much of the string.
func percentDense(s string) bool {
	n := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '%' {
			if _, ok := hexValue([]byte(s[i+1:i+3]), 0, 2); ok {
				n++
			} else if s[i+1] == 'u' {
				n++
			}
		}
	}
	return n*3*4 >= len(s) || n >= 16
}

// LooksObfuscated is a cheap prefilter: true when src shows signs worth
// de-obfuscating — a call of eval, atob, unescape, escape, Function,
// execScript, String.fromCharCode/fromCodePoint, charCodeAt, reverse(), a
// timer given a code string, a packer's function(p,a,c,k,e,…), or long runs
// of base64, hex, \x/\u escapes, percent escapes or obfuscator.io's _0x
// names, or the string-array obfuscator's shapes (rotatesArray).
func LooksObfuscated(src []byte) bool { return obfuscationSigns(src, false) }

// HidesCode is LooksObfuscated's stronger half: the signs of code that
// makes its code or its strings at run time, which only running it shows —
// eval, Function, execScript, a timer given a code string,
// String.fromCharCode/fromCodePoint, a packer, long base64 or hex runs,
// obfuscator.io's _0x names and the string-array obfuscator's shapes. The
// rest (atob, unescape, escape, charCodeAt, reverse(), runs of \x or
// percent escapes) mark strings the static reading decodes itself, and
// minifiers and analytics snippets write them on every other page.
func HidesCode(src []byte) bool { return obfuscationSigns(src, true) }

// obfuscationSigns is LooksObfuscated, or with strong HidesCode: the same
// scan, the weaker signs left out.
func obfuscationSigns(src []byte, strong bool) bool {
	// Calls: find each '(' and read the name before it (globalEval( is not
	// eval().
	for i := 0; i < len(src); {
		j := bytes.IndexByte(src[i:], '(')
		if j < 0 {
			break
		}
		at := i + j
		i = at + 1
		name, k := identBefore(src, at)
		switch string(name) {
		case "eval", "Function", "execScript", "fromCharCode", "fromCodePoint":
			return true
		case "atob", "unescape", "escape", "charCodeAt":
			if !strong {
				return true
			}
		case "reverse":
			if !strong && at+1 < len(src) && src[at+1] == ')' {
				return true
			}
		case "apply", "call":
			if k > 0 && src[k-1] == '.' {
				if prev, _ := identBefore(src, k-1); string(prev) == "fromCharCode" {
					return true
				}
			}
		case "setTimeout", "setInterval":
			for n := at + 1; n < len(src) && n < at+8; n++ {
				if c := src[n]; c != ' ' && c != '\n' && c != '\t' {
					if c == '"' || c == '\'' || c == '`' {
						return true
					}
					break
				}
			}
		case "function":
			if packerSignature(src[k:min(len(src), k+64)]) == 0 {
				return true
			}
		}
	}
	// One pass for runs and counts, driven by a byte class table.
	b64, hex, ox, esc, pct, run, lastEsc := 0, 0, 0, 0, 0, 0, -8
	for i := 0; i < len(src); i++ {
		switch byteClass[src[i]] {
		case clB64:
			b64++
			hex = 0
			if b64 >= 200 {
				return true
			}
		case clHex:
			b64++
			hex++
			if b64 >= 200 || hex >= 128 {
				return true
			}
		case clOther:
			b64, hex = 0, 0
		case clSpecial:
			b64, hex = 0, 0
			switch c := src[i]; {
			case c == '_' && i+2 < len(src) && src[i+1] == '0' && src[i+2] == 'x':
				ox++
			case c == '\\' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'u'):
				esc++
				// Escapes back to back ("\x3c\x70\x3e") spell hidden text.
				if i-lastEsc <= 6 {
					run++
				} else {
					run = 1
				}
				lastEsc = i
			case c == '%' && i+1 < len(src) && byteClass[src[i+1]] == clHex:
				pct++
			}
			if ox >= 8 || !strong && (esc >= 32 || run >= 3 || pct >= 64) {
				return true
			}
		}
	}
	// The string-array obfuscator's shapes survive renaming, re-printing
	// and decimal numbers: its "true" (!![]) and the rotation of the
	// array at start-up, a['push'](a['shift']()).
	return obfuscatorTrue(src) || rotatesArray(src)
}

// obfuscatorTrue finds !![] standing for true (not !![].length).
func obfuscatorTrue(src []byte) bool {
	for rest := src; ; {
		i := bytes.Index(rest, []byte("!![]"))
		if i < 0 {
			return false
		}
		rest = rest[i+4:]
		if len(rest) == 0 || rest[0] != '.' && rest[0] != '[' {
			return true
		}
	}
}

// rotatesArray finds x['push'](x['shift']()) in either quote: code
// written by people says x.push(x.shift()).
func rotatesArray(src []byte) bool {
	for _, q := range []string{`'`, `"`} {
		push, shift := []byte(q+"push"+q+"]("), []byte(q+"shift"+q+"]()")
		for rest := src; ; {
			i := bytes.Index(rest, push)
			if i < 0 {
				break
			}
			rest = rest[i+len(push):]
			if j := bytes.Index(rest[:min(len(rest), 24)], shift); j >= 0 {
				return true
			}
		}
	}
	return false
}

// Byte classes of the prefilter's scan.
const (
	clOther   = iota
	clB64     // base64 but not hex: G-Z g-z + /
	clHex     // 0-9 a-f A-F (also base64)
	clSpecial // _ \ %: start of _0x, escapes, percent encoding
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			t[c] = clHex
		case c >= 'G' && c <= 'Z' || c >= 'g' && c <= 'z' || c == '+' || c == '/':
			t[c] = clB64
		case c == '_' || c == '\\' || c == '%':
			t[c] = clSpecial
		}
	}
	return t
}()

// identBefore returns the identifier that ends at end (at most 24 bytes)
// and where it starts.
func identBefore(src []byte, end int) ([]byte, int) {
	k := end
	for k > 0 && end-k < 24 && identByte(src[k-1]) {
		k--
	}
	return src[k:end], k
}

// packerSignature finds "function(p,a,c,k,e," with any spacing.
func packerSignature(src []byte) int {
	for i := 0; i < len(src); {
		j := bytes.Index(src[i:], []byte("function"))
		if j < 0 {
			return -1
		}
		at := i + j
		k := at + len("function")
		want := "(p,a,c,k,e,"
		w := 0
		for k < len(src) && w < len(want) && k < at+64 {
			c := src[k]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				k++
				continue
			}
			if c != want[w] {
				break
			}
			k++
			w++
		}
		if w == len(want) {
			return at
		}
		i = at + 1
	}
	return -1
}

// packed recognises the call of a Dean Edwards packer:
// function(p,a,c,k,e,d){…}('payload',radix,count,'w|o|r|d|s'.split('|'),0,{})
// and unpacks it by its algorithm: every word of the payload is a number
// in base radix (digits 0-9a-zA-Z, or characters from U+00A1 for radix
// 95) that indexes the word list; an empty entry keeps the word.
func (p *program) packed(n *tjs.CallExpr) (string, bool) {
	fd, ok := unwrap(n.X).(*tjs.FuncDecl)
	if !ok || len(fd.Params.List) < 4 || len(n.Args.List) < 4 {
		return "", false
	}
	payload, ok1 := p.fold(n.Args.List[0].Value)
	radix, ok2 := p.foldValue(n.Args.List[1].Value, 0)
	count, ok3 := p.foldValue(n.Args.List[2].Value, 0)
	words, ok4 := p.foldValue(n.Args.List[3].Value, 0)
	if !ok1 || !ok2 || !ok3 || !ok4 || words.kind != kArray || radix.kind != kNumber || count.kind != kNumber {
		return "", false
	}
	high := false // the "high ASCII" encoding of radix 95
	if radix.n > 62 {
		high = true
	}
	k := make([]string, len(words.arr))
	for i, w := range words.arr {
		k[i] = w.text()
	}
	return unpack(payload, int(radix.n), int(count.n), k, high)
}

// packerEncode is the packer's e(c): c in base a, digits 0-9 a-z then
// String.fromCharCode(c+29) (A-Z…) above 35; or c+161 for radix 95.
func packerEncode(c, a int, high bool) string {
	var b []byte
	var digits []string
	for i := 0; i < 8; i++ {
		r := c % a
		var s string
		switch {
		case high:
			s = string(rune(r + 161))
		case r > 35:
			s = string(rune(r + 29))
		default:
			s = strconv.FormatInt(int64(r), 36)
		}
		digits = append(digits, s)
		if c < a {
			break
		}
		c /= a
	}
	for i := len(digits) - 1; i >= 0; i-- {
		b = append(b, digits[i]...)
	}
	return string(b)
}

func unpack(payload string, radix, count int, words []string, high bool) (string, bool) {
	if radix < 2 || radix > 95 || count < 0 || count > 1<<16 || len(payload) > 2<<20 {
		return "", false
	}
	count = min(count, len(words))
	dict := make(map[string]string, count)
	for c := count - 1; c >= 0; c-- {
		key := packerEncode(c, radix, high)
		if words[c] != "" {
			dict[key] = words[c]
		}
	}
	var b strings.Builder
	b.Grow(len(payload) * 2)
	isWord := func(c byte) bool {
		if high {
			return c >= 0x80
		}
		return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	changed := false
	for i := 0; i < len(payload); {
		if !isWord(payload[i]) {
			b.WriteByte(payload[i])
			i++
			continue
		}
		j := i
		for j < len(payload) && isWord(payload[j]) {
			j++
		}
		w := payload[i:j]
		if r, ok := dict[w]; ok {
			b.WriteString(r)
			changed = true
		} else {
			b.WriteString(w)
		}
		if b.Len() > 8<<20 {
			return "", false
		}
		i = j
	}
	return b.String(), changed
}

// charLoop recognises for (…) t += String.fromCharCode(f(s.charCodeAt(i)))
// over a constant string s and computes t.
func (p *program) charLoop(n *tjs.ForStmt) {
	if n.Body == nil || len(n.Body.List) != 1 {
		return
	}
	var stmt tjs.IStmt = n.Body.List[0]
	if b, ok := stmt.(*tjs.BlockStmt); ok && len(b.List) == 1 {
		stmt = b.List[0]
	}
	es, ok := stmt.(*tjs.ExprStmt)
	if !ok {
		return
	}
	add, ok := es.Value.(*tjs.BinaryExpr)
	if !ok || add.Op != tjs.AddEqToken {
		return
	}
	if _, ok := add.X.(*tjs.Var); !ok {
		return
	}
	// The loop variable and the string it walks.
	var idx *tjs.Var
	var s value
	found := false
	f := finder(func(nd tjs.INode) bool {
		c, ok := nd.(*tjs.CallExpr)
		if !ok || found {
			return !found
		}
		d, ok := c.X.(*tjs.DotExpr)
		if !ok || dotName(d) != "charCodeAt" && dotName(d) != "charAt" || len(c.Args.List) != 1 {
			return true
		}
		v, ok := unwrap(c.Args.List[0].Value).(*tjs.Var)
		if !ok {
			return true
		}
		sv, ok := p.foldValue(d.X, 0)
		if !ok || sv.kind != kString || sv.partial {
			return true
		}
		idx, s, found = canon(v), sv, true
		return false
	})
	tjs.Walk(&f, add.Y)
	if !found || len(s.s) > maxFold {
		return
	}
	units := len([]rune(s.s))
	saved := p.env
	p.env = map[*tjs.Var]value{}
	for k, v := range saved {
		p.env[k] = v
	}
	p.quiet++
	outerPaths := p.loopPaths
	if outerPaths == nil {
		p.loopPaths = map[tjs.IExpr]string{}
	}
	defer func() { p.env = saved; p.quiet--; p.loopPaths = outerPaths }()
	// When the loop variable appears only as that call's index, a
	// character's result depends on its code unit alone: each unit is
	// folded once, and a repeat replays the work it cost (steps and bytes
	// of the folding budget), so the budget runs out where it would have.
	uses := 0
	count := finder(func(nd tjs.INode) bool {
		if v, ok := nd.(*tjs.Var); ok && canon(v) == idx {
			uses++
		}
		return true
	})
	tjs.Walk(&count, add.Y)
	var byUnit map[int]foldedChar
	var u []uint16
	if uses == 1 {
		byUnit = map[int]foldedChar{}
		u = p.utf16Of(s.s)
	}
	var b strings.Builder
	for i := 0; i < units; i++ {
		key := -1
		if i < len(u) {
			key = int(u[i])
		}
		if f, ok := byUnit[key]; ok {
			if !p.spend(f.steps) {
				return
			}
			if p.foldBytes -= f.bytes; p.foldBytes < 0 {
				return
			}
			b.WriteString(f.s)
		} else {
			steps, bytes := p.foldSteps, p.foldBytes
			p.env[idx] = num(float64(i))
			v, ok := p.foldValue(add.Y, 0)
			if !ok || v.partial || v.kind != kString {
				return
			}
			if byUnit != nil {
				byUnit[key] = foldedChar{s: v.s, steps: steps - p.foldSteps, bytes: bytes - p.foldBytes}
			}
			b.WriteString(v.s)
		}
		if b.Len() > maxFold {
			return
		}
	}
	p.quiet--
	p.record("charcode-loop", b.String(), add.Y, s.layers+1)
	p.quiet++
}

// foldedChar is what one character of a charLoop folded to, and what the
// folding cost.
type foldedChar struct {
	s            string
	steps, bytes int
}

// deadline is a point on a CPU clock (see internal/cpuclock); the zero
// value never passes.
type deadline struct {
	clock *cpuclock.Clock
	at    time.Duration
}

var noDeadline deadline

func (d deadline) passed() bool { return d.clock != nil && d.clock.Used() > d.at }
