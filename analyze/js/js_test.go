package js

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// call finds the first call whose callee ends with suffix.
func call(f Facts, suffix string) *Call {
	for i := range f.Calls {
		if strings.HasSuffix(f.Calls[i].Callee, suffix) {
			return &f.Calls[i]
		}
	}
	return nil
}

func TestContexts(t *testing.T) {
	tests := []struct {
		name, src, callee string
		want, not         Context
	}{
		{"loop", `while (true) { alert('x') }`, "alert", InLoop | TopLevel, InFunction},
		{"for", `for (var i = 0; i < 9; i++) history.pushState({}, '', '#' + i)`, "pushState", InLoop, InFunction},
		{"interval", `setInterval(function () { print() }, 100)`, "print", InTimer | InInterval | InFunction, InLoop},
		{"one-shot timer", `setTimeout(function () { alert('saved') }, 100)`, "alert", InTimer, InInterval},
		{"recursion by timer", `function nag() { alert('x'); setTimeout(nag, 10) } nag()`, "alert", InRecursion | InTimer, 0},
		{"direct recursion", `var f = function () { confirm('x'); f() }`, "confirm", InRecursion, 0},
		{"click listener", `btn.addEventListener('click', function () { location.assign('tel:1') })`, "location.assign", InGestureHandler, InLoadHandler},
		{"named handler", `function go() { window.open('tel:1') } el.addEventListener('touchstart', go)`, "window.open", InGestureHandler, 0},
		{"onclick property", `document.getElementById('b').onclick = function () { x.click() }`, "x.click", InGestureHandler, 0},
		{"jquery click", `$('.map').click(function () { a.play() })`, "a.play", InGestureHandler, 0},
		{"load", `window.addEventListener('load', function () { x.click() })`, "x.click", InLoadHandler, InGestureHandler},
		{"ready", `$(document).ready(function () { x.click() })`, "x.click", InLoadHandler, InGestureHandler},
		{"jquery fn", `$(function () { x.click() })`, "x.click", InLoadHandler, 0},
		{"unload", `window.onbeforeunload = function () { alert('stay') }`, "alert", InUnloadHandler, 0},
		{"mousemove", `document.addEventListener('mousemove', function () { d.requestFullscreen() })`, "requestFullscreen", InMoveHandler, InGestureHandler},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Analyze([]byte(tt.src), Options{})
			if f.ParseError != "" {
				t.Fatalf("parse error: %s", f.ParseError)
			}
			c := call(f, tt.callee)
			if c == nil {
				t.Fatalf("no call %s in %+v", tt.callee, f.Calls)
			}
			if c.Ctx&tt.want != tt.want || c.Ctx&tt.not != 0 {
				t.Errorf("ctx = %s, want %s and not %s", c.Ctx, tt.want, tt.not)
			}
		})
	}
}

func TestHandlerOption(t *testing.T) {
	f := Analyze([]byte(`location.href = 'tel:+18445550142'`), Options{Handler: "onclick"})
	if len(f.Assigns) != 1 || f.Assigns[0].Ctx&InGestureHandler == 0 {
		t.Errorf("assigns %+v: an onclick attribute's code runs on a gesture", f.Assigns)
	}
	f = Analyze([]byte(`location.href = 'tel:+18445550142'`), Options{Handler: "onload"})
	if f.Assigns[0].Ctx&InLoadHandler == 0 || f.Assigns[0].Ctx&InGestureHandler != 0 {
		t.Errorf("onload ctx %s", f.Assigns[0].Ctx)
	}
}

func TestFolding(t *testing.T) {
	tests := []struct{ src, want string }{
		{`location.href = 'te' + 'l:' + "+1844" + 5550142`, "tel:+18445550142"},
		{"location.href = `tel:${'+1'}8445550142`", "tel:+18445550142"},
		{`location.href = String.fromCharCode(116,101,108,58,0x31)`, "tel:1"},
		{`location.href = String.fromCharCode(117-1, 101, 108, 58)`, "tel:"},
		{`location.href = atob('dGVsOisxODQ0NTU1MDE0Mg==')`, "tel:+18445550142"},
		{`location.href = unescape('%74%65%6C%3A%31')`, "tel:1"},
		{`location.href = decodeURIComponent('tel%3A%2B1')`, "tel:+1"},
		{`location.href = "1:let".split("").reverse().join("")`, "tel:1"},
		{`location.href = ['t','e','l',':','1'].join('')`, "tel:1"},
		{`var n = '18445550142'; location.href = 'tel:' + n`, "tel:18445550142"},
		{`location.href = "\x74\u0065\u{6c}:1"`, "tel:1"},
		{`location['hr' + 'ef'] = 'tel:1'`, "tel:1"},
	}
	for _, tt := range tests {
		f := Analyze([]byte(tt.src), Options{})
		got := ""
		for _, a := range f.Assigns {
			if strings.HasSuffix(a.Target, "href") {
				got = a.Value
			}
		}
		if got != tt.want {
			t.Errorf("%s\n got %q, want %q (assigns %+v)", tt.src, got, tt.want, f.Assigns)
		}
	}
	// A variable assigned twice is not a constant.
	f := Analyze([]byte(`var n = 'a'; n = 'b'; location.href = 'tel:' + n`), Options{})
	if f.Assigns[len(f.Assigns)-1].Value != "" {
		t.Errorf("reassigned variable folded: %+v", f.Assigns)
	}
}

func TestURLReads(t *testing.T) {
	f := Analyze([]byte(`
function getParam(name) { var r = new RegExp('[?&]' + name + '=([^&#]*)').exec(window.location.href); return r && r[1]; }
var a = getParam('Anph');
var b = new URLSearchParams(location.search).get('phone');
var c = new URL(location.href).searchParams.get('n1');`), Options{})
	params := map[string]bool{}
	for _, r := range f.URLReads {
		params[r.Param] = true
	}
	for _, p := range []string{"Anph", "phone", "n1"} {
		if !params[p] {
			t.Errorf("URL parameter %s not read; reads %+v", p, f.URLReads)
		}
	}
}

func TestMembersAndListeners(t *testing.T) {
	f := Analyze([]byte(`var el = document.documentElement, rfs = el.requestFullScreen || el.webkitRequestFullScreen;
document.addEventListener('click', function () { rfs.call(el); navigator.keyboard.lock(); });`), Options{})
	var paths []string
	for _, m := range f.Members {
		paths = append(paths, m.Path)
	}
	if !strings.Contains(strings.Join(paths, ","), "el.requestFullScreen") || !strings.Contains(strings.Join(paths, ","), "navigator.keyboard.lock") {
		t.Errorf("members %v", paths)
	}
	if len(f.Listeners) != 1 || f.Listeners[0].Event != "click" || f.Listeners[0].Target != "document" {
		t.Errorf("listeners %+v", f.Listeners)
	}
}

func TestLexFallback(t *testing.T) {
	f := Analyze([]byte(`broken ( code { "tel:+18445550142" window.location.href = 'tel:+18445550142'; alert("x"`), Options{})
	if f.ParseError == "" {
		t.Fatal("expected a parse error")
	}
	found := false
	for _, a := range f.Assigns {
		found = found || (a.Target == "window.location.href" && a.Value == "tel:+18445550142")
	}
	if !found {
		t.Errorf("assignment not recovered from tokens: %+v", f.Assigns)
	}
	if len(f.Literals) < 2 {
		t.Errorf("literals %+v", f.Literals)
	}
}

func TestLiterals(t *testing.T) {
	lits := Literals([]byte("var a = 'x\\x74'; var r = /'not a string'/; b = `t${1}u`;"), 0)
	var vals []string
	for _, l := range lits {
		vals = append(vals, l.Value)
	}
	if got := strings.Join(vals, "|"); got != "xt|t|u" {
		t.Errorf("literals %q", got)
	}
	if !lits[0].Escaped {
		t.Error("escaped literal not marked")
	}
}

func TestDeobfuscate(t *testing.T) {
	tests := []struct {
		name, src, method, want string
	}{
		{"atob", `document.write(atob('PHA+WW91ciBjb21wdXRlciBpcyBibG9ja2VkPC9wPg=='))`, "atob", "<p>Your computer is blocked</p>"},
		{"base64 literal with spaces", `var s = 'PHA+WW91ciBjb21w dXRlciBpcyBibG9ja2VkPC9wPg=='; var x = s;`, "base64-literal", "<p>Your computer is blocked</p>"},
		{"unescape", `eval(unescape('%6C%6F%63%61%74%69%6F%6E%3D%27%74%65%6C%3A%31%27'))`, "unescape", "location='tel:1'"},
		{"fromCharCode", `eval(String.fromCharCode(97,108,101,114,116,40,49,41))`, "fromCharCode", "alert(1)"},
		{"escapes", `document.write("\x3c\x70\x3eBlocked\x3c/p\x3e")`, "escape-sequence", "<p>Blocked</p>"},
		{"packer", `eval(function(p,a,c,k,e,d){while(c--)if(k[c])p=p.replace(new RegExp('\\b'+c+'\\b','g'),k[c]);return p}('0.1=\'2:3\'',4,4,'location|href|tel|18445550142'.split('|'),0,{}))`, "packer", "location.href='tel:18445550142'"},
		{"nested", `eval(atob('ZXZhbChTdHJpbmcuZnJvbUNoYXJDb2RlKDk3LDEwOCwxMDEsMTE0LDExNiw0MCw0OSw0MSkp'))`, "fromCharCode", "alert(1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !LooksObfuscated([]byte(tt.src)) && tt.method != "base64-literal" {
				t.Error("LooksObfuscated = false")
			}
			found := false
			for _, d := range Deobfuscate([]byte(tt.src), DeobfuscateOptions{}) {
				if d.Method == tt.method && d.Text == tt.want {
					found = true
				}
			}
			if !found {
				t.Errorf("want %s %q; got %+v", tt.method, tt.want, Deobfuscate([]byte(tt.src), DeobfuscateOptions{}))
			}
		})
	}
	// Ordinary code yields nothing.
	if d := Deobfuscate([]byte(`var total = price * 2; console.log('ok');`), DeobfuscateOptions{}); len(d) != 0 {
		t.Errorf("decoded from plain code: %+v", d)
	}
}

func TestHostileScripts(t *testing.T) {
	inputs := map[string]string{
		"deep parens": strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000),
		"deep arrays": strings.Repeat("[", 50000),
		"huge string": "var s = '" + strings.Repeat("a", 2<<20) + "';",
		"doubling":    strings.Repeat("a = a + a + a + a;", 1000),
		"binary":      "\x00\xff\xfe\x01var",
		"base64 bomb": "atob('" + strings.Repeat("QUFB", 1<<20) + "')",
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			done := make(chan struct{})
			go func() {
				Analyze([]byte(src), Options{})
				Deobfuscate([]byte(src), DeobfuscateOptions{})
				Literals([]byte(src), 0)
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("did not finish")
			}
		})
	}
}

// TestCorpusScripts: facts come out of every real kit script without a
// failure, and the kits' lockers are seen.
func TestCorpusScripts(t *testing.T) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skip("shared corpus not present")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "scam", "assets", "*", "*.js"))
	more, _ := filepath.Glob(filepath.Join(dir, "scam", "assets", "*", "js", "*.js"))
	files = append(files, more...)
	if len(files) < 20 {
		t.Fatalf("only %d kit scripts", len(files))
	}
	fullscreen := 0
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := Analyze(b, Options{})
		if strings.HasPrefix(f.ParseError, "internal error") {
			t.Errorf("%s: %s", p, f.ParseError)
		}
		for _, m := range f.Members {
			if strings.Contains(strings.ToLower(m.Path), "fullscreen") {
				fullscreen++
				break
			}
		}
	}
	if fullscreen < 5 {
		t.Errorf("full screen requests found in %d kit scripts, want the kits' fullscreen.js files", fullscreen)
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{`while(1){alert(1)}`, `a.addEventListener('click',function(){location='tel:1'})`, "`${`${1}`}`", `/re/g.test(x)`, `((((`, `eval(function(p,a,c,k,e,d){}('',1,1,''.split('|')))`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		facts := Analyze(src, Options{})
		if strings.HasPrefix(facts.ParseError, "internal error") {
			t.Fatalf("panic: %s", facts.ParseError)
		}
		for _, c := range facts.Calls {
			if c.Offset >= len(src) {
				t.Fatalf("offset %d beyond %d", c.Offset, len(src))
			}
		}
	})
}

func FuzzDeobfuscate(f *testing.F) {
	for _, s := range []string{`atob('dGVs')`, `unescape('%u0074')`, `String.fromCharCode(1e9)`, `'\u{110000}'`, `eval(function(p,a,c,k,e,d){}('0',99,1,'a'.split('|'),0,{}))`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		total := 0
		for _, d := range Deobfuscate(src, DeobfuscateOptions{Timeout: 50 * time.Millisecond}) {
			total += len(d.Text)
		}
		if total > 4<<20 {
			t.Fatalf("decoded %d bytes, over the cap", total)
		}
	})
}

func FuzzLiterals(f *testing.F) {
	for _, s := range []string{`'a\x'`, "`a${", `"\u{"`, `/[/]/`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, l := range Literals(src, 100) {
			if l.Offset < 0 || l.Offset > len(src) {
				t.Fatalf("offset %d", l.Offset)
			}
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("shared corpus not present")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "scam", "assets", "*", "js", "*.js"))
	var srcs [][]byte
	var size int64
	for _, p := range files {
		if b2, err := os.ReadFile(p); err == nil {
			srcs = append(srcs, b2)
			size += int64(len(b2))
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range srcs {
			Analyze(s, Options{})
		}
	}
}

func BenchmarkDeobfuscate(b *testing.B) {
	src := []byte(`var p = 'PHA+WW91ciBjb21wdXRlciBpcyBibG9ja2VkLiBDYWxsIHN1cHBvcnQgaW1tZWRpYXRlbHkuPC9wPg=='; document.write(atob(p)); eval(unescape('%6C%6F%63%61%74%69%6F%6E%3D%27%74%65%6C%3A%31%27'));`)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		Deobfuscate(src, DeobfuscateOptions{})
	}
}
