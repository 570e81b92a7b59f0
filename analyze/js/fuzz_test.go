package js

import (
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// failOnPanic makes recovered panics fail the test: the exported functions
// hide them from callers, fuzzing must see them.
func failOnPanic(t *testing.T) {
	onPanic = func(r any) { panic(fmt.Sprintf("recovered panic: %v\n%s", r, debug.Stack())) }
	t.Cleanup(func() { onPanic = nil })
}

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		`alert(1)`,
		`for(;;){ window.alert('x') } setTimeout(function(){ location.href = 'tel:' + n }, 10)`,
		`btn.addEventListener('click', function(){ window.open('tel:1') }); function dial(){ location = "tel:+1800" } dial()`,
		`var rfs = el.requestFullScreen || el.webkitRequestFullScreen; rfs.call(el); navigator.keyboard.lock()`,
		`eval(atob('YWxlcnQoMSk=')); document.write(unescape('%3Cb%3E'))`,
		`x = String.fromCharCode.apply(null, [116,101,108]); y = '1:let'.split('').reverse().join('')`,
		"location = `tel:${a}`; var s = '\\x74\\u0065\\u{6C}\\072';",
		`eval(function(p,a,c,k,e,d){return p}('0 1',62,2,'a|b'.split('|'),0,{}))`,
		`function _0xa(){var s=['a','b'];_0xa=function(){return s;};return _0xa();}function _0xb(i){var a=_0xa();return _0xb=function(j){j=j-0;return a[j];},_0xb(i);}(function(p,t){var g=_0xb,q=p();while(!![]){try{var c=parseInt(g(0));if(c===t)break;else q['push'](q['shift']());}catch(e){q['push'](q['shift']());}}}(_0xa,1));`,
		`var s1 = unescape('%7Dn%7C%7D'), t = ''; for (i = 0; i < s1.length; i++) t += String.fromCharCode(s1.charCodeAt(i) - 9);`,
		`function getParam(n){ return new RegExp('[?&]'+n+'=([^&]*)').exec(location.href)[1] } getParam('phone')`,
		`var p = q.get("p") || "+1-844-555-0142", t = a ? b : "tel:1"; f.src = URL.createObjectURL(new Blob(["<b>", p, "</b>"])); window.onbeforeunload = function () { return "x" + p };`,
		`[...Array(9)].map(() => print()); $.each(l, function () { history.pushState(0, "") }); Array.from(l, x => alert(x))`,
		`window.onload = function() { <div> }; alert(1)`,
		`'unterminated`, "`${`${`", `/[/`, `a = /re/g.exec(b) / 2`, `}}}{{{`, "\x00\xff\xfe", `<!-- x -->`,
		strings.Repeat("(", 2000), strings.Repeat("a+", 1500) + "a", strings.Repeat("[", 1200),
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
}

func FuzzAnalyze(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte, handler bool) {
		failOnPanic(t)
		opts := Options{}
		if handler {
			opts.Handler = "onclick"
		}
		start := time.Now()
		facts := Analyze(src, opts)
		if el := time.Since(start); el > time.Second+time.Duration(len(src))*time.Microsecond {
			t.Fatalf("took %v for %d bytes", el, len(src))
		}
		check := func(kind string, off int) {
			if off < -1 || off > len(src) {
				t.Fatalf("%s offset %d outside [-1, %d]", kind, off, len(src))
			}
		}
		for _, c := range facts.Calls {
			check("call", c.Offset)
			if c.Callee == "" || len(c.Args) > maxArgs {
				t.Fatalf("bad call %+v", c)
			}
			if c.PartialArgs != nil && len(c.PartialArgs) != len(c.Args) {
				t.Fatalf("partial args %q vs args %q", c.PartialArgs, c.Args)
			}
		}
		for _, a := range facts.Assigns {
			check("assign", a.Offset)
		}
		for _, l := range facts.Listeners {
			check("listener", l.Offset)
		}
		for _, u := range facts.URLReads {
			check("url read", u.Offset)
		}
		for _, m := range facts.Members {
			check("member", m.Offset)
		}
		if len(facts.Calls) > maxFacts || len(facts.Assigns) > maxFacts || len(facts.Literals) > maxLiterals {
			t.Fatal("limits exceeded")
		}
		for _, l := range facts.Literals {
			check("literal", l.Offset)
		}
	})
}

func FuzzDeobfuscate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte, small bool) {
		failOnPanic(t)
		opts := DeobfuscateOptions{Timeout: 200 * time.Millisecond}
		if small {
			opts.MaxDepth, opts.MaxOutput = 2, 256
		}
		// The emulation hint's signs are a part of the prefilter's.
		if HidesCode(src) && !LooksObfuscated(src) {
			t.Fatal("HidesCode without LooksObfuscated")
		}
		start := time.Now()
		out := Deobfuscate(src, opts)
		if el := time.Since(start); el > 2*time.Second {
			t.Fatalf("took %v", el)
		}
		total := 0
		maxDepth := opts.MaxDepth
		if maxDepth == 0 {
			maxDepth = 4
		}
		for _, d := range out {
			total += len(d.Text)
			if d.Depth < 1 || d.Depth > maxDepth || d.Offset < -1 || d.Offset > len(src) || d.Method == "" || strings.TrimSpace(d.Text) == "" {
				t.Fatalf("bad result %+v", d)
			}
		}
		if small && total > opts.MaxOutput {
			t.Fatalf("output %d over %d", total, opts.MaxOutput)
		}
	})
}

// FuzzAnalyzeDeobfuscate: the one walk gives what Analyze and
// Deobfuscate give, on any input. The layers after the first pass have no
// clock limit here (a minute), so both runs stop at the same places; the
// folding budgets can still differ at their edge (the walk shares both),
// which is allowed only when a result says it was cut short.
func FuzzAnalyzeDeobfuscate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte, small bool) {
		failOnPanic(t)
		dopts := DeobfuscateOptions{Timeout: time.Minute}
		if small {
			dopts.MaxDepth = 2
		}
		opts := Options{Invoked: map[string]Context{"dial": InGestureHandler}}
		wantF, wantD := Analyze(src, opts), Deobfuscate(src, dopts)
		gotF, gotD := AnalyzeDeobfuscate(src, opts, dopts)
		if wantF.Truncated || gotF.Truncated {
			return
		}
		if !reflect.DeepEqual(wantF, gotF) {
			t.Fatalf("facts differ:\n%+v\n%+v", wantF, gotF)
		}
		if !reflect.DeepEqual(wantD, gotD) {
			t.Fatalf("decodings differ:\n%+v\n%+v", wantD, gotD)
		}
	})
}

func FuzzLiterals(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte, _ bool) {
		failOnPanic(t)
		last := -1
		for _, l := range Literals(src, 0) {
			if l.Offset <= last || l.Offset >= len(src) {
				t.Fatalf("offset %d after %d (len %d)", l.Offset, last, len(src))
			}
			if c := src[l.Offset]; c != '\'' && c != '"' && c != '`' && c != '}' {
				t.Fatalf("literal at %d starts with %q", l.Offset, c)
			}
			last = l.Offset
		}
	})
}
