package export

import (
	"errors"
	"testing"
)

func TestNormalizeDomain(t *testing.T) {
	good := map[string]string{
		"Example.COM.":        "example.com",
		"bücher.de":           "xn--bcher-kva.de",
		"XN--BCHER-KVA.DE":    "xn--bcher-kva.de",
		"foo.blogspot.com":    "foo.blogspot.com",
		"a-b.c-d.example.net": "a-b.c-d.example.net",
		"例え.jp":               "xn--r8jz45g.jp",
	}
	for in, want := range good {
		got, err := NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"", "com", "co.uk", "blogspot.com", "1.2.3.4", "*.example.com", "ex ample.com", "example.com\n",
		"-a.example.com", "a-.example.com", "a..example.com", ".example.com", "under_score.example.com",
		`a"b.com`, "a;b.com", "a/b.com", "example.com:80", "ab--cd.example.com", "xn--zz.com",
		"a\u202eb.com", "a\u200bb.com", string([]byte{0xff, 'a', '.', 'c', 'o', 'm'}),
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", // 64-byte label
	}
	for _, in := range bad {
		if got, err := NormalizeDomain(in); err == nil || !errors.Is(err, ErrInvalid) {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want an ErrInvalid", in, got, err)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	good := map[string]string{
		"https://Sites.Google.com/view/x?y=1#frag": "sites.google.com/view/x?y=1",
		"http://example.com":                       "example.com/",
		"//example.com/a":                          "example.com/a",
		"example.com?q=":                           "example.com/?q=",
		"https://example.com/p%C3%A4th":            "example.com/p%C3%A4th",
		"https://example.com/päth":                 "example.com/p%C3%A4th",
		"https://bücher.de/x":                      "xn--bcher-kva.de/x",
	}
	for in, want := range good {
		got, err := NormalizeURL(in)
		if err != nil || got != want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"", "ftp://example.com/x", "javascript:alert(1)", "https://user@example.com/", "https://example.com:8080/",
		"https://example.com/a b", "https://example.com/a$b", "https://example.com/a^b", "https://example.com/a|b",
		"https://example.com/a;b", `https://example.com/a"b`, "https://example.com/%zz", "https://com/x",
		"https://example.com/a\\b", "https://[::1]/",
	}
	for _, in := range bad {
		if got, err := NormalizeURL(in); err == nil {
			t.Errorf("NormalizeURL(%q) = %q; want an error", in, got)
		}
	}
}

func TestNormalizeE164(t *testing.T) {
	for _, in := range []string{"+18005551234", "+442071234567", "+4930123456"} {
		if got, err := NormalizeE164(in); err != nil || got != in {
			t.Errorf("NormalizeE164(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "18005551234", "+0123456789", "+1 800 555 1234", "+1800555123456789", "+1800x", "+123"} {
		if _, err := NormalizeE164(in); err == nil {
			t.Errorf("NormalizeE164(%q) accepted", in)
		}
	}
}

func TestCleanText(t *testing.T) {
	cases := map[string]string{
		"a\nb":          "a b",
		"  a \t\r\n b ": "a b",
		"Microsoft®":    "Microsoft?",
		"x\u202ey":      "x y",
		"":              "",
	}
	for in, want := range cases {
		if got := cleanText(in, 100); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanText("abcdef", 3); got != "abc" {
		t.Errorf("cleanText cap: %q", got)
	}
}
