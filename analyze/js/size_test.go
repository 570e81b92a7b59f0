package js

import (
	"fmt"
	"strings"
	"testing"
)

// TestWithin: comments do not count towards the size limit, code does,
// whatever the comment markers inside strings and regular expressions.
func TestWithin(t *testing.T) {
	const max = 128 << 10
	var dense strings.Builder
	for i := 0; dense.Len() < 200<<10; i++ {
		fmt.Fprintf(&dense, "function f%d(a) { return a + %d; }\n", i, i)
	}
	payload := `location.href = "tel:+18445550142";`
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"small", payload, true},
		{"dense code", dense.String(), false},
		{"block comment padding", "/*" + strings.Repeat("x", 600<<10) + "*/\n" + payload, true},
		{"line comment padding", strings.Repeat("// padding padding padding\n", 30000) + payload, true},
		{"comment markers in strings", `var a = "/*";` + dense.String() + `var b = "*/";`, false},
		{"comment markers in a regular expression", `var r = /[/*]/;` + dense.String() + `var s = "*/";`, false},
	} {
		if got := Within([]byte(c.src), max); got != c.want {
			t.Errorf("%s (%d bytes): within %v, want %v", c.name, len(c.src), got, c.want)
		}
	}
	// Strings count too, but for WithinData, which leaves their contents
	// out: markup padded past the limit is still written by code.
	markup := `document.body.innerHTML = "` + strings.Repeat(`<div class='x'></div>`, 12000) + `<h1>Alert</h1>";`
	for _, c := range []struct {
		name, src    string
		within, data bool
	}{
		{"a padded string", markup, false, true},
		{"a padded template", "document.write(`" + strings.Repeat("<p>x</p>", 30000) + "`);", false, true},
		{"dense code", dense.String(), false, false},
		{"strings among dense code", `var s = "` + strings.Repeat("y", 100<<10) + `";` + dense.String(), false, false},
	} {
		if got := Within([]byte(c.src), max); got != c.within {
			t.Errorf("%s: Within %v, want %v", c.name, got, c.within)
		}
		if got := WithinData([]byte(c.src), max); got != c.data {
			t.Errorf("%s: WithinData %v, want %v", c.name, got, c.data)
		}
	}
	f := Analyze([]byte("/*"+strings.Repeat("x", 600<<10)+"*/\n"+payload), Options{MaxBytes: max})
	if f.ParseError != "" || len(f.Assigns) != 1 || f.Assigns[0].Value != "tel:+18445550142" {
		t.Errorf("a payload after 600 KB of comment: %q, assigns %+v", f.ParseError, f.Assigns)
	}
}

// WithinData leaves out what Within does and more: it never says no where
// Within says yes, and reading the bytes never panics.
func FuzzWithinData(f *testing.F) {
	for _, s := range []string{`"a\"b"`, `'\\'`, "`x${y}z`", `"unterminated`, `/* "*/ '`, `\"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, max := range []int{1, 8, 64} {
			if Within(src, max) && !WithinData(src, max) && len(src) <= maxDataScale*max {
				t.Fatalf("Within but not WithinData at %d: %q", max, src)
			}
		}
	})
}
