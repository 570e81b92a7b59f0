package urlx

import (
	"strings"
	"testing"
)

// FuzzCanonicalize checks that Canonicalize never panics, that its output is
// well formed and that canonicalising a canonical URL changes nothing.
//
// Idempotence holds for every input: the canonical URL is the unescaped
// URL, parsed and normalised, with exactly the bytes that unescaping could
// have produced and that carry no structure ('%', '#', controls, spaces,
// non-ASCII) escaped again, so unescaping it yields the same parts, which
// are already normalised. The output length is capped like the input, so
// the second call cannot fail where the first succeeded.
func FuzzCanonicalize(f *testing.F) {
	for _, tc := range specCanonical {
		f.Add(tc.in)
	}
	for _, tc := range moreCanonical {
		f.Add(tc.in)
	}
	f.Add("http://a.b.c.d.e.f.g/1/2/3/4/5.html?q=%2541#x")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Canonicalize(in)
		if err != nil {
			return
		}
		if !strings.HasPrefix(got, "http://") && !strings.HasPrefix(got, "https://") {
			t.Fatalf("Canonicalize(%q) = %q: no scheme", in, got)
		}
		for i := 0; i < len(got); i++ {
			if b := got[i]; b <= ' ' || b >= 0x7f || b == '#' {
				t.Fatalf("Canonicalize(%q) = %q: unescaped byte %#x", in, got, b)
			}
		}
		again, err := Canonicalize(got)
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q → %q, %v", in, got, again, err)
		}
		exprs := Expressions(got)
		if len(exprs) == 0 || len(exprs) > MaxHosts*MaxPaths {
			t.Fatalf("Expressions(%q): %d", got, len(exprs))
		}
		host, _ := Split(got)
		if !strings.HasPrefix(exprs[0], host+"/") {
			t.Fatalf("Expressions(%q)[0] = %q", got, exprs[0])
		}
		_, _ = RegistrableDomain(host)
	})
}
