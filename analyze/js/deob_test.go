package js

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

// findDecoded returns the first result with the method and text.
func findDecoded(out []Decoded, method, text string) *Decoded {
	for i := range out {
		if out[i].Method == method && out[i].Text == text {
			return &out[i]
		}
	}
	return nil
}

func dumpDecoded(out []Decoded) string {
	var b strings.Builder
	for _, d := range out {
		fmt.Fprintf(&b, "\n  %s depth=%d off=%d %.120q", d.Method, d.Depth, d.Offset, d.Text)
	}
	return b.String()
}

func TestDeobfuscateMethods(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, src       string
		method, text    string
		depth           int
		offsetOfLiteral string // the encoded form: Offset must point at it
	}{
		{"atob", `eval(atob('` + b64(`location.href="tel:+18005551234"`) + `'))`, "atob", `location.href="tel:+18005551234"`, 1, "'"},
		{"atob of a variable", `var s = '` + b64("alert('Virus detected')") + `'; eval(atob(s))`, "atob", "alert('Virus detected')", 1, "'"},
		{"unescape", `document.write(unescape('%3Ca%20href%3D%22tel%3A1%22%3Ecall%3C/a%3E'))`, "unescape", `<a href="tel:1">call</a>`, 1, "'"},
		{"unescape %u", `x = unescape('%u0074%u0065%u006C%u003A%u0031')`, "unescape", "tel:1", 1, "'"},
		{"decodeURIComponent", `x = decodeURIComponent('%E2%9A%A0%20Windows%20Defender')`, "decodeURIComponent", "⚠ Windows Defender", 1, "'"},
		{"fromCharCode", `location = String.fromCharCode(116, 101, 108, 58, 49)`, "fromCharCode", "tel:1", 1, "116"},
		{"fromCharCode arithmetic", `x = String.fromCharCode(0x74, 102-1, 54*2, 29*2, 0x31^0)`, "fromCharCode", "tel:1", 1, "0x74"},
		{"charcode array apply", `x = String.fromCharCode.apply(null, [116,101,108,58,49])`, "charcode-array", "tel:1", 1, "116"},
		{"charcode array spread", `var a = [116,101,108,58,49]; x = String.fromCharCode(...a)`, "charcode-array", "tel:1", 1, "116"},
		{"charcode array map", `x = [119,104,111,61,52].map(function(c){ return String.fromCharCode(c - 3) }).join('')`, "charcode-array", "tel:1", 1, "119"},
		{"reverse", `x = '1:let'.split('').reverse().join('')`, "reverse", "tel:1", 1, "'"},
		{"array reverse", `x = ['1', ':', 'l', 'e', 't'].reverse().join('')`, "reverse", "tel:1", 1, "'"},
		{"join", `x = ['te', 'l:', '1'].join('')`, "join", "tel:1", 1, "'"},
		{"concatenation", `document.write('<scr' + 'ipt src="x.js"></scr' + 'ipt>')`, "fold", `<script src="x.js"></script>`, 1, "'"},
		{"replace", `x = 't_e_l_:_1'.replace(/_/g, '')`, "replace", "tel:1", 1, "'"},
		{"escape sequence", `var s = '\x74\x65\x6c\x3a\x2b\x31\x38\x30\x30'`, "escape-sequence", "tel:+1800", 1, "'"},
		{"hex string", `var h = '74656c3a2b3138303035353531323334'`, "hex-string", "tel:+18005551234", 1, "'"},
		{"base64 literal with spaces", `let s = '` + b64("<div>Windows Defender Security Center: call +1 800 555 1234</div>")[:40] + ` ` + b64("<div>Windows Defender Security Center: call +1 800 555 1234</div>")[40:] + `';`, "base64-literal", "<div>Windows Defender Security Center: call +1 800 555 1234</div>", 1, "'"},
		{"data URI", `var u = 'data:text/html;base64,` + b64("<h1>Your computer is locked</h1>") + `'`, "base64-literal", "<h1>Your computer is locked</h1>", 1, "'"},
		{"charcode loop", `var s1 = unescape('%7Dn%7C%7D'), t = ''; for (i = 0; i < s1.length; i++) t += String.fromCharCode(s1.charCodeAt(i) - 9);`, "charcode-loop", "test", 2, "'"},
		{"string array", `function _0xa(){var s=['tel:+18005551234','x'];_0xa=function(){return s;};return _0xa();}
function _0xb(i,k){var a=_0xa();return _0xb=function(j,l){j=j-0x0;var r=a[j];return r;},_0xb(i,k);}
var g=_0xb; location.href = g(0) + '#' + g(1);`, "fold", "tel:+18005551234#x", 1, "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := Deobfuscate([]byte(tt.src), DeobfuscateOptions{})
			d := findDecoded(out, tt.method, tt.text)
			if d == nil {
				t.Fatalf("no %s %q in%s", tt.method, tt.text, dumpDecoded(out))
			}
			if d.Depth != tt.depth {
				t.Errorf("depth %d, want %d", d.Depth, tt.depth)
			}
			if d.Offset < 0 || d.Offset >= len(tt.src) || !strings.HasPrefix(tt.src[d.Offset:], tt.offsetOfLiteral) {
				t.Errorf("offset %d does not point at the encoded form", d.Offset)
			}
		})
	}
}

func TestDeobfuscateNested(t *testing.T) {
	// eval(atob(unescape(String.fromCharCode(...)))): three layers.
	js := `document.write('<a id="c" href="tel:+18005551234">Call</a>'); document.getElementById('c').click();`
	b := base64.StdEncoding.EncodeToString([]byte(js))
	var pct strings.Builder
	for _, c := range []byte(b) {
		fmt.Fprintf(&pct, "%%%02X", c)
	}
	var codes []string
	for _, c := range pct.String() {
		codes = append(codes, fmt.Sprint(int(c)))
	}
	src := `eval(atob(unescape(String.fromCharCode(` + strings.Join(codes, ",") + `))));`
	out := Deobfuscate([]byte(src), DeobfuscateOptions{})
	for _, want := range []struct {
		method, text string
		depth        int
	}{
		{"fromCharCode", pct.String(), 1},
		{"unescape", b, 2},
		{"atob", js, 3},
	} {
		d := findDecoded(out, want.method, want.text)
		if d == nil {
			t.Errorf("no %s %.40q in%s", want.method, want.text, dumpDecoded(out))
			continue
		}
		if want.depth != 0 && d.Depth != want.depth {
			t.Errorf("%s depth %d, want %d", want.method, d.Depth, want.depth)
		}
	}
	// Searching decoded code: atob → script that unescapes.
	inner := `document.write(unescape('%3Cb%3EYour%20PC%20is%20infected%3C/b%3E'))`
	src = `eval(atob('` + base64.StdEncoding.EncodeToString([]byte(inner)) + `'))`
	out = Deobfuscate([]byte(src), DeobfuscateOptions{})
	d := findDecoded(out, "unescape", "<b>Your PC is infected</b>")
	if d == nil || d.Depth != 2 || d.Offset != 10 {
		t.Errorf("rescanned result %+v in%s", d, dumpDecoded(out))
	}
	if out := Deobfuscate([]byte(src), DeobfuscateOptions{MaxDepth: 1}); findDecoded(out, "unescape", "<b>Your PC is infected</b>") != nil {
		t.Error("MaxDepth 1 went deeper")
	}
}

func TestDeobfuscateTrivial(t *testing.T) {
	for _, src := range []string{
		`atob('YQ==')`,                       // too short
		`atob('AAECAwQFBgcICQoLDA0ODw==')`,   // binary
		`var x = 'abcdefghijklmnopqrstuvwx'`, // letters only: not base64 worth decoding
		`unescape('plain text here')`,        // no change
		`var s = 'hello world'; s.split(' ')`,
		`var id = 'a3f9c2e1b4d5a6f7e8d9c0b1a2f3e4d5'`, // a hash, not text
	} {
		if out := Deobfuscate([]byte(src), DeobfuscateOptions{}); len(out) != 0 {
			t.Errorf("%s:%s", src, dumpDecoded(out))
		}
	}
}

func TestDeobfuscateBudgets(t *testing.T) {
	b := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("Your computer is infected. ", 400)))
	var src strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&src, "var a%d = atob('%s%s');\n", i, b[:len(b)-8], base64.StdEncoding.EncodeToString([]byte(fmt.Sprint(i, "xyz")))[:4]+"QQ==")
	}
	out := Deobfuscate([]byte(src.String()), DeobfuscateOptions{MaxOutput: 30000})
	total := 0
	for _, d := range out {
		total += len(d.Text)
	}
	if total > 30000 {
		t.Errorf("output %d bytes over MaxOutput", total)
	}
	start := time.Now()
	Deobfuscate([]byte(src.String()), DeobfuscateOptions{Timeout: time.Millisecond})
	if el := time.Since(start); el > 500*time.Millisecond {
		t.Errorf("timeout 1ms took %v", el)
	}
}

// runJS evaluates src in goja with eval replaced by a function that keeps
// its argument: the ground truth for unpacking.
func runJS(t *testing.T, src string) string {
	t.Helper()
	vm := goja.New()
	var got string
	if err := vm.Set("captureEval", func(s string) { got = s }); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunString(strings.Replace(src, "eval(", "captureEval(", 1)); err != nil {
		t.Fatal(err)
	}
	return got
}

// packerFunc is the decoder a Dean Edwards packer emits (the widely
// published form), radix up to 62.
const packerFunc = `function(p,a,c,k,e,d){e=function(c){return(c<a?'':e(parseInt(c/a)))+((c=c%a)>35?String.fromCharCode(c+29):c.toString(36))};if(!''.replace(/^/,String)){while(c--){d[e(c)]=k[c]||e(c)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}`

func TestPacker(t *testing.T) {
	// Build a packed script with enough words to need base 62 digits.
	// Every word of a real payload is encoded; the first two name
	// document.title.
	words := []string{"document", "title"}
	var payload []string
	for i := 2; i < 100; i++ {
		words = append(words, fmt.Sprintf("word%d", i))
		payload = append(payload, packerEncode(i, 62, false))
	}
	words[7] = "" // an empty entry keeps the token itself
	body := packerEncode(0, 62, false) + "." + packerEncode(1, 62, false) + "=[" + strings.Join(payload, ",") + "];"
	src := "eval(" + packerFunc + "('" + body + "',62,100,'" + strings.Join(words, "|") + "'.split('|'),0,{}))"
	want := runJS(t, src)
	out := Deobfuscate([]byte(src), DeobfuscateOptions{})
	d := findDecoded(out, "packer", want)
	if d == nil {
		t.Fatalf("packer result differs from goja's %.200q:%s", want, dumpDecoded(out))
	}
	if !strings.Contains(want, "word99") || !strings.Contains(want, ",7,") {
		t.Errorf("unexpected ground truth %q", want)
	}
	if d.Offset != strings.Index(src, "'0.1=[") {
		t.Errorf("offset %d", d.Offset)
	}
	// Radix 10 and 36 work alike.
	for _, radix := range []int{10, 36} {
		src := "eval(" + packerFunc + "('0.1=\"2:3\";'," + fmt.Sprint(radix) + ",4,'location|href|tel|18005551234'.split('|'),0,{}))"
		want := runJS(t, src)
		if findDecoded(Deobfuscate([]byte(src), DeobfuscateOptions{}), "packer", want) == nil || want != `location.href="tel:18005551234";` {
			t.Errorf("radix %d: want %q", radix, want)
		}
	}
}

func TestStringArrayAgainstGoja(t *testing.T) {
	// The old obfuscator layout: an array variable rotated a fixed number
	// of times, an accessor with index offset 0.
	src := `var _0x1a2b=['b','c','tel:+18005551234','a'];(function(_0x3c,_0x4d){var _0x5e=function(_0x6f){while(--_0x6f){_0x3c['push'](_0x3c['shift']());}};_0x5e(++_0x4d);}(_0x1a2b,0x3));var _0x2b3c=function(_0x7a,_0x8b){_0x7a=_0x7a-0x0;var _0x9c=_0x1a2b[_0x7a];return _0x9c;};
document.title = _0x2b3c('0x3');`
	vm := goja.New()
	if _, err := vm.RunString("var document = {};" + src); err != nil {
		t.Fatal(err)
	}
	want := vm.Get("document").ToObject(vm).Get("title").String()
	if want != "tel:+18005551234" {
		t.Fatalf("ground truth %q", want)
	}
	f := Analyze([]byte(src), Options{})
	found := false
	for _, a := range f.Assigns {
		if a.Target == "document.title" && a.Value == want {
			found = true
		}
	}
	if !found {
		t.Errorf("assigns %+v", f.Assigns)
	}
}

func TestLooksObfuscated(t *testing.T) {
	yes := []string{
		`eval(x)`,
		`document.write(unescape('%3C'))`,
		`var s = String.fromCharCode(116)`,
		`x = atob(y)`,
		`eval(function(p,a,c,k,e,d){}('',1,1,''.split('|'),0,{}))`,
		`var _0x1=1,_0x2=2,_0x3=3,_0x4=4,_0x5=5,_0x6=6,_0x7=7,_0x8=8;`,
		`var b = "` + strings.Repeat("QWxhZGRpbjpvcGVuIHNlc2FtZQ", 10) + `"`,
		`var e = "` + strings.Repeat(`\x74\x65`, 20) + `"`,
		`x = 'abc'.split('').reverse().join('')`,
		`while (!![]) { try { if (f() === 1) break; } catch (e) {} }`, // the obfuscator's true, renamed and re-printed
		`var d = a(); d["push"](d["shift"]());`,
		`var d = a(); d['push']( d['shift']() );`,
	}
	no := []string{
		`queue.push(queue.shift())`,
		`if (!![].length) x()`,
		`jQuery.globalEval(code)`,
		`function isFunction(x){ return typeof x === 'function' }`,
		`document.getElementById('a').addEventListener('click', go)`,
		`var hash = "3f786850e387550fdab836ed7e6dc881de23001b"`,
		``,
	}
	for _, s := range yes {
		if !LooksObfuscated([]byte(s)) {
			t.Errorf("not flagged: %.60s", s)
		}
	}
	for _, s := range no {
		if LooksObfuscated([]byte(s)) {
			t.Errorf("flagged: %.60s", s)
		}
	}
}

// HidesCode keeps the signs of code made at run time and drops those of
// strings the static reading decodes itself, which analytics snippets and
// minifiers write (document.write(unescape("%3Cscript…")), "\x26").
func TestHidesCode(t *testing.T) {
	yes := []string{
		`eval(x)`,
		`var f = new Function(body)`,
		`var s = String.fromCharCode(116)`,
		`setTimeout("location.href='te" + "l:'+n", 400)`,
		`eval(function(p,a,c,k,e,d){}('',1,1,''.split('|'),0,{}))`,
		`var _0x1=1,_0x2=2,_0x3=3,_0x4=4,_0x5=5,_0x6=6,_0x7=7,_0x8=8;`,
		`var b = "` + strings.Repeat("QWxhZGRpbjpvcGVuIHNlc2FtZQ", 10) + `"`,
		`while (!![]) { try { if (f() === 1) break; } catch (e) {} }`,
		`var d = a(); d['push'](d['shift']());`,
	}
	weak := []string{
		`document.write(unescape("%3Cscript src='//stats.example/h.js' type='text/javascript'%3E%3C/script%3E"))`,
		`x = atob(y)`,
		`var e = "` + strings.Repeat(`\x74\x65`, 20) + `"`,
		`var q = a + "\x26\x3d\x26" + b`, // a minifier's escapes
		`x = 'abc'.split('').reverse().join('')`,
		`var c = s.charCodeAt(0)`,
	}
	for _, s := range yes {
		if !HidesCode([]byte(s)) {
			t.Errorf("not flagged: %.60s", s)
		}
	}
	for _, s := range weak {
		if !LooksObfuscated([]byte(s)) {
			t.Errorf("LooksObfuscated does not flag %.60s: the case tests nothing", s)
		}
		if HidesCode([]byte(s)) {
			t.Errorf("flagged: %.60s", s)
		}
	}
}

// Concatenations of constants are folded wherever they stand, not only
// where a value is used (call arguments, assignments): in return values,
// object literals, comparisons, template literals, through constants.
func TestFoldsConcatenationsAnywhere(t *testing.T) {
	for _, src := range []string{
		`function f(){ return "te" + "l:" + "+18005551234" }`,
		`var o = { href: "te" + ("l:" + "+18005551234") }`,
		`if (x == "te" + "l:+18005551234") go()`,
		"var n = `te${\"l:\"}+18005551234`",
		`const a = "te", b = "l:"; function f(){ return [a + b + "+18005551234"] }`,
	} {
		out := Deobfuscate([]byte(src), DeobfuscateOptions{})
		if d := findDecoded(out, "fold", "tel:+18005551234"); d == nil || d.Offset < 0 {
			t.Errorf("%s: no fold with its offset in%s", src, dumpDecoded(out))
		}
	}
	// A chain is folded once, from its outermost '+': not its inner links
	// too.
	out := Deobfuscate([]byte(`function f(){ return "abcdef" + "ghijkl" + "mnopqr" }`), DeobfuscateOptions{})
	if d := findDecoded(out, "fold", "abcdefghijkl"); d != nil {
		t.Errorf("inner link folded:%s", dumpDecoded(out))
	}
	if d := findDecoded(out, "fold", "abcdefghijklmnopqr"); d == nil {
		t.Errorf("chain not folded:%s", dumpDecoded(out))
	}
}

// A character loop folds each code unit once when the loop variable only
// indexes the string, and every character when it is used otherwise too:
// both must give what the loop computes.
func TestCharLoopRepeatedUnits(t *testing.T) {
	plain := strings.Repeat("tel:+18005551234 call now ", 40)
	shift := func(s string, by func(i int) int) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			b.WriteByte(byte(int(s[i]) + by(i)))
		}
		return b.String()
	}
	for _, tt := range []struct {
		name, encoded, body string
	}{
		{"index only", shift(plain, func(int) int { return 3 }), `t += String.fromCharCode(s.charCodeAt(i) - 3);`},
		{"index used twice", shift(plain, func(i int) int { return i % 2 }), `t += String.fromCharCode(s.charCodeAt(i) - i % 2);`},
	} {
		src := `var s = '` + tt.encoded + `', t = ''; for (var i = 0; i < s.length; i++) ` + tt.body
		out := Deobfuscate([]byte(src), DeobfuscateOptions{})
		if findDecoded(out, "charcode-loop", plain) == nil {
			t.Errorf("%s: no charcode-loop %.30q in%s", tt.name, plain, dumpDecoded(out))
		}
	}
}
