package js

import (
	"reflect"
	"testing"
	"time"
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
