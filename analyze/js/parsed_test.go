package js

import (
	"reflect"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// One parse shared by Analyze and Deobfuscate gives what each finds with a
// parse of its own, on every corpus script.
func TestParsedSharedMatchesOwnParse(t *testing.T) {
	n := 0
	for _, s := range corpusScripts(t) {
		if s.handler != "" || len(s.src) > 128<<10 {
			continue
		}
		p := Parse(s.src)
		if p == nil {
			t.Fatalf("%s: Parse returned nil", s.name)
		}
		own := Analyze(s.src, Options{})
		shared := Analyze(s.src, Options{Parsed: p})
		if !reflect.DeepEqual(own, shared) {
			t.Errorf("%s: facts differ with the shared parse", s.name)
		}
		if !LooksObfuscated(s.src) {
			continue
		}
		n++
		// No clock limit: the layers after the first pass must not stop
		// at different places in the two runs.
		opts := DeobfuscateOptions{Timeout: time.Minute}
		ownD := Deobfuscate(s.src, opts)
		opts.Parsed = p
		sharedD := Deobfuscate(s.src, opts)
		if !reflect.DeepEqual(ownD, sharedD) {
			t.Errorf("%s: decodings differ with the shared parse: %d vs %d", s.name, len(ownD), len(sharedD))
		}
	}
	if n == 0 {
		t.Fatal("no obfuscated corpus script")
	}
	t.Logf("%d obfuscated scripts compared", n)
}

// A parse of other code is not used.
func TestParsedOfOtherSourceIgnored(t *testing.T) {
	p := Parse([]byte(`var a = "one";`))
	f := Analyze([]byte(`var b = atob("dGVsOisxODg4");`), Options{Parsed: p})
	if len(f.Literals) == 0 || f.Literals[0].Value == "one" {
		t.Fatalf("facts came from the other parse: %+v", f.Literals)
	}
	d := Deobfuscate([]byte(`var b = atob("dGVsOisxODg4NTU1MDEwMA==");`), DeobfuscateOptions{Parsed: p})
	if len(d) == 0 {
		t.Fatal("decodings came from the other parse")
	}
}

// AnalyzeDeobfuscate's one walk gives what Analyze and Deobfuscate give
// with a walk each, on every obfuscated script of the corpus and of the
// fixtures (whose pages include obfuscated kits), as the engine calls it:
// with the functions the page's handlers invoke, and without.
func TestAnalyzeDeobfuscateMatchesTheTwoCalls(t *testing.T) {
	scripts := append([]corpusScript(nil), corpusScripts(t)...)
	scripts = append(scripts, readCorpus(testdirs.Fixtures())...)
	// Code strings inside code strings: Deobfuscate finds them as layers,
	// Analyze in place.
	for i, src := range []string{
		`eval("var s = atob('dGVsOisxODg4NTU1MDEwMA=='); eval('location.href = \\'' + 'te' + 'l:' + '\\'')")`,
		`setTimeout("setTimeout('alert(unescape(\\'%48%65%6c%6c%6f%20%77%6f%72%6c%64\\'))', 1)", 1)`,
		`new Function("eval(String.fromCharCode(97,108,101,114,116,40,34,67,97,108,108,32,110,111,119,34,41))")()`,
		`function f(){ eval("document.write('<h1>' + 'Your PC is ' + 'blocked</h1>')") } eval("f()")`,
		`eval("eval(\\"var x = atob('WW91ciBQQyBpcyBibG9ja2Vk')\\")")`,
	} {
		scripts = append(scripts, corpusScript{name: "nested code strings #" + itoa(i+1), src: []byte(src)})
	}
	invoked := map[string]Context{"start": InGestureHandler, "dial": InGestureHandler | InLoadHandler}
	n := 0
	for _, s := range scripts {
		if !LooksObfuscated(s.src) {
			continue
		}
		n++
		// No clock limit: the layers after the first pass must not stop
		// at different places in the two runs. Two layers at most: a code
		// string in a code string is then left alone by both.
		dopts := DeobfuscateOptions{Timeout: time.Minute}
		for k, inv := range []map[string]Context{nil, invoked} {
			if k == 1 {
				dopts.MaxDepth = 2
			}
			opts := Options{Handler: s.handler, MaxBytes: 128 << 10, Invoked: inv}
			wantF, wantD := Analyze(s.src, opts), Deobfuscate(s.src, dopts)
			gotF, gotD := AnalyzeDeobfuscate(s.src, opts, dopts)
			if !reflect.DeepEqual(wantF, gotF) {
				t.Errorf("%s: facts differ with one walk (%d calls vs %d, %d literals vs %d)", s.name, len(wantF.Calls), len(gotF.Calls), len(wantF.Literals), len(gotF.Literals))
			}
			if !reflect.DeepEqual(wantD, gotD) {
				t.Errorf("%s: decodings differ with one walk: %d vs %d", s.name, len(wantD), len(gotD))
			}
		}
	}
	if n < 50 {
		t.Fatalf("only %d obfuscated scripts: the corpus or the fixtures are missing", n)
	}
	t.Logf("%d obfuscated scripts compared", n)
}
