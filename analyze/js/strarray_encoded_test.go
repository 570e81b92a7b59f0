package js

import (
	"os"
	"strings"
	"testing"
	"time"
)

// Real javascript-obfuscator 5.8.0 output (testdata/obfuscator-*.js, made
// by bench/evasion/obfuscator from one line that writes a warning): the
// string array's base64 and RC4 encodings are decoded without running it.
func TestEncodedStringArrays(t *testing.T) {
	for _, preset := range []string{"strings-base64", "strings-rc4", "max", "self-defending"} {
		t.Run(preset, func(t *testing.T) {
			src, err := os.ReadFile("testdata/obfuscator-" + preset + ".js")
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, d := range Deobfuscate(src, DeobfuscateOptions{}) {
				if strings.Contains(d.Text, "Your computer has been blocked") && strings.Contains(d.Text, "+1 888 555 0142") {
					found = true
				}
			}
			if !found {
				t.Fatal("the written markup was not recovered")
			}
		})
	}
}

func TestObfuscatorDecoders(t *testing.T) {
	// Encoded by the obfuscator's own algorithms: base64 with the
	// lower-case-first alphabet; RC4 of "tel:" with key "k3y" over that.
	if got, ok := decodeObfuscatorBase64("C2v0"); !ok || got != "set" {
		t.Fatalf("base64: %q %v", got, ok)
	}
	if _, ok := decodeObfuscatorBase64("/w"); ok {
		t.Fatal("invalid UTF-8 accepted (decodeURIComponent would throw)")
	}
	if _, ok := decodeObfuscatorRC4("C2v0", ""); ok {
		t.Fatal("empty key accepted")
	}
}

// A concatenation of hundreds of pieces (split strings) folds whole.
func TestLongConcatenation(t *testing.T) {
	var parts []string
	for i := 0; i < 300; i++ {
		parts = append(parts, "'ab'")
	}
	src := "document.body.innerHTML = " + strings.Join(parts, " + ") + ";"
	f := Analyze([]byte(src), Options{})
	for _, a := range f.Assigns {
		if strings.HasSuffix(a.Target, "innerHTML") {
			if a.Value != strings.Repeat("ab", 300) {
				t.Fatalf("folded to %d bytes: %q…", len(a.Value), a.Value[:min(len(a.Value), 40)])
			}
			return
		}
	}
	t.Fatal("no innerHTML assignment")
}

// The first pass does not depend on the clock: with no time at all left,
// the string array of the script itself is still resolved.
func TestFirstPassIgnoresTheClock(t *testing.T) {
	src, err := os.ReadFile("testdata/obfuscator-strings-rc4.js")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range Deobfuscate(src, DeobfuscateOptions{Timeout: time.Nanosecond}) {
		found = found || strings.Contains(d.Text, "Your computer has been blocked")
	}
	if !found {
		t.Fatal("the first pass stopped at the deadline")
	}
}
