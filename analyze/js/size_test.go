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
	f := Analyze([]byte("/*"+strings.Repeat("x", 600<<10)+"*/\n"+payload), Options{MaxBytes: max})
	if f.ParseError != "" || len(f.Assigns) != 1 || f.Assigns[0].Value != "tel:+18445550142" {
		t.Errorf("a payload after 600 KB of comment: %q, assigns %+v", f.ParseError, f.Assigns)
	}
}
