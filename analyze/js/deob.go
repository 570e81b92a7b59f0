package js

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/tdewolff/parse/v2"
	tjs "github.com/tdewolff/parse/v2/js"
)

// Decoded is a string recovered from obfuscated code.
type Decoded struct {
	// Method says how: atob, unescape, decodeURIComponent, fromCharCode,
	// join, escape-sequence, base64-literal, packer, fold.
	Method string
	Text   string
	Offset int // where in the script the encoded form starts (-1 unknown)
	Depth  int // 1: decoded from the script; 2: from a depth-1 result; …
}

// DeobfuscateOptions bound the work of Deobfuscate.
type DeobfuscateOptions struct {
	MaxDepth  int           // layers peeled (default 4)
	MaxOutput int           // total decoded bytes (default 4 MiB)
	Timeout   time.Duration // wall time (default 100ms)
}

// obfuscation markers for the cheap prefilter.
var obfMarkers = [][]byte{
	[]byte("eval("), []byte("atob("), []byte("unescape("), []byte("fromCharCode"), []byte("decodeURIComponent("),
	[]byte("\\x"), []byte("\\u00"), []byte("_0x"), []byte("function(p,a,c,k,e,"), []byte("new Function"),
	[]byte("Function("), []byte(".reverse()"), []byte(`setTimeout("`), []byte(`setTimeout('`), []byte(`setInterval("`), []byte(`setInterval('`), []byte("%u00"), []byte("document.write("), []byte("String.fromCodePoint"),
}

// LooksObfuscated is a cheap prefilter: true when src shows signs worth
// de-obfuscating.
func LooksObfuscated(src []byte) bool {
	for _, m := range obfMarkers {
		if bytes.Contains(src, m) {
			return true
		}
	}
	return hasLongBase64Run(src, 120)
}

// hasLongBase64Run reports whether src holds n or more base64 characters in
// a row (a hidden payload). A hand-written scan: a regular expression with a
// counted repetition is many times slower on large scripts.
func hasLongBase64Run(src []byte, n int) bool {
	run := 0
	for _, c := range src {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			run++
			if run >= n {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// Deobfuscate recovers hidden strings: constant arguments of atob,
// unescape, decodeURIComponent and String.fromCharCode (with arithmetic),
// split/reverse/join of constants, string literals spelled with escapes,
// base64 literals that decode to text, Dean Edwards-style packers
// (unpacked by their algorithm, not by running them), and esbuild's
// constant folding. Decoded JavaScript is searched again, up to MaxDepth.
// Trivial results (short, unprintable, same as their input) are dropped.
func Deobfuscate(src []byte, opts DeobfuscateOptions) (out []Decoded) {
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = 4
	}
	if opts.MaxOutput <= 0 {
		opts.MaxOutput = 4 << 20
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 100 * time.Millisecond
	}
	d := &deob{opts: opts, deadline: time.Now().Add(opts.Timeout), seen: map[string]bool{string(src): true}}
	defer func() {
		if r := recover(); r != nil {
			out = d.out // keep what was found before the failure
		}
	}()
	d.run(src, 1)
	return d.out
}

type deob struct {
	opts     DeobfuscateOptions
	deadline time.Time
	out      []Decoded
	total    int
	seen     map[string]bool
}

func (d *deob) emit(method, text string, offset, depth int) bool {
	if time.Now().After(d.deadline) || d.total+len(text) > d.opts.MaxOutput {
		return false
	}
	if len(strings.TrimSpace(text)) < 4 || d.seen[text] || !printable(text) {
		return false
	}
	d.seen[text] = true
	d.total += len(text)
	d.out = append(d.out, Decoded{Method: method, Text: text, Offset: offset, Depth: depth})
	if depth < d.opts.MaxDepth && looksJS(text) {
		d.run([]byte(text), depth+1)
	}
	return true
}

func (d *deob) run(src []byte, depth int) {
	if time.Now().After(d.deadline) || len(src) > 4<<20 {
		return
	}
	// 1. Decoding calls with constant arguments, found while folding.
	var found []Decoded
	if nesting(src) <= maxNesting {
		buf := make([]byte, len(src), len(src)+1)
		copy(buf, src)
		in := parse.NewInputBytes(buf)
		if ast, err := tjs.Parse(in, tjs.Options{}); err == nil {
			w := newWalker(in.Bytes(), Options{})
			w.decodings = &found
			w.prepass(ast)
			tjs.Walk(w, ast)
			d.packers(w, ast, depth)
		}
	}
	for _, f := range found {
		d.emit(f.Method, f.Text, f.Offset, depth)
	}
	// 2. Literals: escapes, base64 blobs, percent-encoding.
	for _, l := range Literals(src, maxLiterals) {
		if time.Now().After(d.deadline) {
			return
		}
		switch {
		case l.Escaped && len(l.Value) >= 6:
			d.emit("escape-sequence", l.Value, l.Offset, depth)
		case len(l.Value) >= 16 && isBase64ish(l.Value):
			if b, ok := decodeBase64(l.Value); ok && utf8.Valid(b) {
				d.emit("base64-literal", string(b), l.Offset, depth)
			}
		case strings.Count(l.Value, "%") >= 4:
			if u := jsUnescape(l.Value); u != l.Value {
				d.emit("unescape", u, l.Offset, depth)
			}
		}
	}
	// 3. esbuild constant folding, for what the folder above does not know.
	if depth == 1 && len(src) <= 64<<10 && time.Now().Before(d.deadline) {
		res := api.Transform(string(src), api.TransformOptions{MinifySyntax: true, Loader: api.LoaderJS, LogLevel: api.LogLevelSilent})
		if len(res.Errors) == 0 && len(res.Code) > 0 {
			before := map[string]bool{}
			for _, l := range Literals(src, maxLiterals) {
				before[l.Value] = true
			}
			for _, l := range Literals(res.Code, maxLiterals) {
				if !before[l.Value] && len(l.Value) >= 6 {
					d.emit("fold", l.Value, -1, depth)
				}
			}
		}
	}
}

// packers unpacks eval(function(p,a,c,k,e,d){…}('payload',a,c,'k|e|y|s'.split('|'),0,{})).
func (d *deob) packers(w *walker, ast *tjs.AST, depth int) {
	v := &packerFinder{w: w}
	tjs.Walk(v, ast)
	for _, p := range v.found {
		if out, ok := unpack(p.payload, p.radix, p.count, p.words); ok {
			d.emit("packer", out, p.offset, depth)
		}
	}
}

type packed struct {
	payload      string
	radix, count int
	words        []string
	offset       int
}

type packerFinder struct {
	w     *walker
	found []packed
}

func (p *packerFinder) Enter(n tjs.INode) tjs.IVisitor {
	c, ok := n.(*tjs.CallExpr)
	if !ok || len(p.found) > 16 || len(c.Args.List) < 4 {
		return p
	}
	fn := c.X
	if g, ok := fn.(*tjs.GroupExpr); ok {
		fn = g.X
	}
	fd, ok := fn.(*tjs.FuncDecl)
	if !ok || len(fd.Params.List) < 4 {
		return p
	}
	payload, ok1 := p.w.fold(c.Args.List[0].Value)
	radix, ok2 := p.w.fold(c.Args.List[1].Value)
	count, ok3 := p.w.fold(c.Args.List[2].Value)
	words, ok4 := p.w.foldValue(c.Args.List[3].Value, 0)
	if !ok1 || !ok2 || !ok3 || !ok4 || !words.isArr {
		return p
	}
	r, err1 := strconv.Atoi(radix)
	n2, err2 := strconv.Atoi(count)
	if err1 != nil || err2 != nil {
		return p
	}
	p.found = append(p.found, packed{payload: payload, radix: r, count: n2, words: words.arr, offset: p.w.callOffset(c)})
	return p
}

func (p *packerFinder) Exit(tjs.INode) {}

var packerWord = regexp.MustCompile(`\b\w+\b`)

// unpack reverses the packer: every word in the payload is a number in base
// radix indexing the word list; an empty entry keeps the word itself.
func unpack(payload string, radix, count int, words []string) (string, bool) {
	if radix < 2 || radix > 62 || len(payload) > 1<<20 {
		return "", false
	}
	out := packerWord.ReplaceAllStringFunc(payload, func(w string) string {
		i, ok := parseRadix(w, radix)
		if ok && i < len(words) && words[i] != "" {
			return words[i]
		}
		return w
	})
	return out, out != payload
}

// parseRadix reads a packer word: base 36 digits, then for radix > 36 the
// upper-case letters continue (a..z, A..Z).
func parseRadix(s string, radix int) (int, bool) {
	n := 0
	for _, c := range s {
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'a' && c <= 'z':
			v = int(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 36
		default:
			return 0, false
		}
		if v >= radix {
			return 0, false
		}
		n = n*radix + v
		if n > 1<<24 {
			return 0, false
		}
	}
	return n, true
}

func isBase64ish(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '=', c == '-', c == '_':
			n++
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
		default:
			return false
		}
	}
	return n >= 16
}

// printable: mostly letters, digits, punctuation and spaces.
func printable(s string) bool {
	good, total := 0, 0
	for _, r := range s {
		total++
		if r == utf8.RuneError {
			continue
		}
		if unicode.IsPrint(r) || r == '\n' || r == '\t' || r == '\r' {
			good++
		}
		if total > 4096 {
			break
		}
	}
	return total > 0 && good*100 >= total*90
}

// looksJS: worth parsing again as code.
func looksJS(s string) bool {
	return strings.ContainsAny(s, "(;=") && (strings.Contains(s, "(") || strings.Contains(s, "=")) && !strings.HasPrefix(strings.TrimSpace(s), "<")
}
