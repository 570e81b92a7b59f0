package urlx

import (
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
)

// specCanonical is the list of examples in the "Canonicalization" section of
// the Safe Browsing v4 documentation, in the order given there.
var specCanonical = []struct{ in, want string }{
	{"http://host/%25%32%35", "http://host/%25"},
	{"http://host/%25%32%35%25%32%35", "http://host/%25%25"},
	{"http://host/%2525252525252525", "http://host/%25"},
	{"http://host/asdf%25%32%35asd", "http://host/asdf%25asd"},
	{"http://host/%%%25%32%35asd%%", "http://host/%25%25%25asd%25%25"},
	{"http://www.google.com/", "http://www.google.com/"},
	{"http://%31%36%38%2e%31%38%38%2e%39%39%2e%32%36/%2E%73%65%63%75%72%65/%77%77%77%2E%65%62%61%79%2E%63%6F%6D/", "http://168.188.99.26/.secure/www.ebay.com/"},
	{"http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/", "http://195.127.0.11/uploads/%20%20%20%20/.verify/.eBaysecure=updateuserdataxplimnbqmn-xplmvalidateinfoswqpcmlx=hgplmcx/"},
	{"http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B", "http://host%23.com/~a!b@c%23d$e%25f^00&11*22(33)44_55+"},
	{"http://3279880203/blah", "http://195.127.0.11/blah"},
	{"http://www.google.com/blah/..", "http://www.google.com/"},
	{"www.google.com/", "http://www.google.com/"},
	{"www.google.com", "http://www.google.com/"},
	{"http://www.evil.com/blah#frag", "http://www.evil.com/blah"},
	{"http://www.GOOgle.com/", "http://www.google.com/"},
	{"http://www.google.com.../", "http://www.google.com/"},
	{"http://www.google.com/foo\tbar\rbaz\n2", "http://www.google.com/foobarbaz2"},
	{"http://www.google.com/q?", "http://www.google.com/q?"},
	{"http://www.google.com/q?r?", "http://www.google.com/q?r?"},
	{"http://www.google.com/q?r?s", "http://www.google.com/q?r?s"},
	{"http://evil.com/foo#bar#baz", "http://evil.com/foo"},
	{"http://evil.com/foo;", "http://evil.com/foo;"},
	{"http://evil.com/foo?bar;", "http://evil.com/foo?bar;"},
	{"http://\x01\x80.com/", "http://%01%80.com/"},
	{"http://notrailingslash.com", "http://notrailingslash.com/"},
	{"http://www.gotaport.com:1234/", "http://www.gotaport.com/"},
	{"  http://www.google.com/  ", "http://www.google.com/"},
	{"http:// leadingspace.com/", "http://%20leadingspace.com/"},
	{"http://%20leadingspace.com/", "http://%20leadingspace.com/"},
	{"%20leadingspace.com/", "http://%20leadingspace.com/"},
	{"https://www.securesite.com/", "https://www.securesite.com/"},
	{"http://host.com/ab%23cd", "http://host.com/ab%23cd"},
	{"http://host.com//twoslashes?more//slashes", "http://host.com/twoslashes?more//slashes"},
}

// moreCanonical covers the rules of the specification the examples above do
// not reach, and the decisions this package makes where it is silent.
var moreCanonical = []struct{ in, want string }{
	// IPv4 in every legal encoding.
	{"http://0x7f.0.0.1/", "http://127.0.0.1/"},
	{"http://0177.0.0.01/", "http://127.0.0.1/"},
	{"http://0x7f000001/", "http://127.0.0.1/"},
	{"http://017700000001/", "http://127.0.0.1/"},
	{"http://127.1/", "http://127.0.0.1/"},
	{"http://10.1.258/", "http://10.1.1.2/"},
	{"http://0xC37F000B/x", "http://195.127.0.11/x"},
	{"http://1.2.3.4./", "http://1.2.3.4/"},
	{"http://256.1.1.1/", "http://256.1.1.1/"},   // not an address: a name
	{"http://4294967296/", "http://4294967296/"}, // too large: a name
	{"http://1.2.3.4.5/", "http://1.2.3.4.5/"},   // five parts: a name
	{"http://09.1.1.1/", "http://09.1.1.1/"},     // bad octal: a name
	{"http://..www..Example..com../", "http://www.example.com/"},
	// Paths.
	{"http://a.com/./b/./c", "http://a.com/b/c"},
	{"http://a.com/b/../../../c", "http://a.com/c"},
	{"http://a.com/b/c/.", "http://a.com/b/c/"},
	{"http://a.com/b/%2E%2E/c", "http://a.com/c"},
	{"http://a.com///b////c//", "http://a.com/b/c/"},
	{"http://a.com/b?c/../d", "http://a.com/b?c/../d"},
	{"http://a.com?x=1", "http://a.com/?x=1"},
	{"http://a.com/%3Fx", "http://a.com/?x"}, // an unescaped '?' starts the query
	{"http://a.com/a%2Fb", "http://a.com/a/b"},
	{"http://a.com/\u00e9", "http://a.com/%C3%A9"},
	{"http://a.com/%0a%09", "http://a.com/%0A%09"},
	// Scheme, user information, port, IDN.
	{"HTTPS://A.COM", "https://a.com/"},
	{"http:a.com/x", "http://a.com/x"},
	{"http:///a.com/x", "http://a.com/x"},
	{"//a.com/x", "http://a.com/x"},
	{"localhost:8080/x", "http://localhost/x"},
	{"http://user:pass@evil.com:80/", "http://evil.com/"},
	{"http://good.com%40evil.com/", "http://evil.com/"},
	{"http://[::1]:8080/x", "http://[::1]/x"},
	{"http://b\u00fccher.de/", "http://xn--bcher-kva.de/"},
	{"http://xn--bcher-kva.de/", "http://xn--bcher-kva.de/"},
	{"http://www.foo\u3002bar.com/", "http://www.foo.bar.com/"},
	{"\x00 http://a.com/ \x1f", "http://a.com/"},
}

func TestCanonicalizeSpec(t *testing.T) {
	for _, tc := range specCanonical {
		got, err := Canonicalize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestCanonicalizeMore(t *testing.T) {
	for _, tc := range moreCanonical {
		got, err := Canonicalize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestCanonicalizeIdempotent(t *testing.T) {
	for _, tc := range slices.Concat(specCanonical, moreCanonical) {
		again, err := Canonicalize(tc.want)
		if err != nil || again != tc.want {
			t.Errorf("Canonicalize(%q) = %q, %v; want it unchanged", tc.want, again, err)
		}
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrEmpty},
		{" \t\n ", ErrEmpty},
		{"javascript:alert(1)", ErrUnsupportedScheme},
		{"data:text/html,<b>x</b>", ErrUnsupportedScheme},
		{"file:///etc/passwd", ErrUnsupportedScheme},
		{"ftp://a.com/", ErrUnsupportedScheme},
		{"mailto:a@b.com", ErrUnsupportedScheme},
		{"tel:18005551234", ErrUnsupportedScheme},
		{"about:blank", ErrUnsupportedScheme},
		{"jav%61script:alert(1)", ErrUnsupportedScheme},
		{"http://", ErrNoHost},
		{"http://.../x", ErrNoHost},
		{"http://a.com:8o/", ErrBadPort},
		{"http://a:b:80/", ErrBadHost},
		{"http://[::1/", ErrBadHost},
		{"/relative/path", ErrRelative},
		{"http://a.com/" + strings.Repeat("a", MaxURLLength), ErrTooLong},
	} {
		got, err := Canonicalize(tc.in)
		if !errors.Is(err, tc.want) {
			t.Errorf("Canonicalize(%.40q) = %q, %v; want error %v", tc.in, got, err, tc.want)
		}
	}
}

func TestCanonicalizeHostile(t *testing.T) {
	for _, in := range []string{
		"http://a.com/" + strings.Repeat("%25", 2000) + "32%35",
		"http://a.com/" + strings.Repeat("%2525", 1500),
		strings.Repeat("%", MaxURLLength),
		"http://" + strings.Repeat("a.", 4000) + "/",
		"http://a.com/" + strings.Repeat("../", 2700),
		"http://" + strings.Repeat("\u00e9", 3000) + "/",
		"http://" + strings.Repeat("0x", 4000) + "/",
		"http://[" + strings.Repeat(":", 8000),
		strings.Repeat("\xff", MaxURLLength),
	} {
		got, err := Canonicalize(in)
		if err == nil {
			if again, err := Canonicalize(got); err != nil || again != got {
				t.Errorf("not idempotent: %.60q → %.60q → %.60q, %v", in, got, again, err)
			}
		}
	}
}

func TestAppendCanonical(t *testing.T) {
	buf := []byte("x")
	buf, err := AppendCanonical(buf, "www.GOOgle.com")
	if err != nil || string(buf) != "xhttp://www.google.com/" {
		t.Errorf("AppendCanonical = %q, %v", buf, err)
	}
	buf, err = AppendCanonical(buf[:1], "javascript:x")
	if err == nil || string(buf) != "x" {
		t.Errorf("AppendCanonical on error = %q, %v", buf, err)
	}
}

func TestExpressionsSpec(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want []string
	}{
		{"http://a.b.c/1/2.html?param=1", []string{
			"a.b.c/1/2.html?param=1", "a.b.c/1/2.html", "a.b.c/", "a.b.c/1/",
			"b.c/1/2.html?param=1", "b.c/1/2.html", "b.c/", "b.c/1/",
		}},
		{"http://a.b.c.d.e.f.g/1.html", []string{
			"a.b.c.d.e.f.g/1.html", "a.b.c.d.e.f.g/",
			"c.d.e.f.g/1.html", "c.d.e.f.g/",
			"d.e.f.g/1.html", "d.e.f.g/",
			"e.f.g/1.html", "e.f.g/",
			"f.g/1.html", "f.g/",
		}},
		{"http://1.2.3.4/1/", []string{"1.2.3.4/1/", "1.2.3.4/"}},
		// Beyond the specification's examples.
		{"http://google.com/", []string{"google.com/"}},
		{"http://localhost/a", []string{"localhost/a", "localhost/"}},
		{"https://x.y.z/a/b/c/d/e/f.html?q", []string{
			"x.y.z/a/b/c/d/e/f.html?q", "x.y.z/a/b/c/d/e/f.html",
			"x.y.z/", "x.y.z/a/", "x.y.z/a/b/", "x.y.z/a/b/c/",
			"y.z/a/b/c/d/e/f.html?q", "y.z/a/b/c/d/e/f.html",
			"y.z/", "y.z/a/", "y.z/a/b/", "y.z/a/b/c/",
		}},
		{"http://a.com/q?", []string{"a.com/q?", "a.com/q", "a.com/"}},
		{"http://[::1]/", []string{"[::1]/"}},
	} {
		got := Expressions(tc.url)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Expressions(%q) =\n %q\nwant\n %q", tc.url, got, tc.want)
		}
		if len(got) > MaxHosts*MaxPaths {
			t.Errorf("Expressions(%q): %d expressions", tc.url, len(got))
		}
	}
}

func TestHashPrefix(t *testing.T) {
	// SHA-256("abc") from FIPS 180-2.
	h := Hash("abc")
	if got := hex.EncodeToString(h[:]); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash(abc) = %s", got)
	}
	if p := Prefix(h); p != 0xba7816bf {
		t.Errorf("Prefix = %#x", p)
	}
}

func TestRegistrableDomain(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"www.example.com", "example.com"},
		{"WWW.Example.COM.", "example.com"},
		{"www.example.com:8080", "example.com"},
		{"a.b.example.co.uk", "example.co.uk"},
		{"user@www.example.com", "example.com"},
		{"1.2.3.4", "1.2.3.4"},
		{"1.2.3.4:80", "1.2.3.4"},
		{"0x7f.1", "127.0.0.1"},
		{"[::1]:443", "[::1]"},
		{"b\u00fccher.de", "xn--bcher-kva.de"},
		{"www.B\u00dcCHER.de", "xn--bcher-kva.de"},
		{"a.b.c.unknowntld", "c.unknowntld"},
		// Shared hosting: the label under the suffix.
		{"scam1.pages.dev", "scam1.pages.dev"},
		{"a.scam1.pages.dev", "scam1.pages.dev"},
		{"pages.dev", "pages.dev"},
		{"foo.z13.web.core.windows.net", "foo.z13.web.core.windows.net"},
		{"x.foo.z13.web.core.windows.net", "foo.z13.web.core.windows.net"},
		{"acct.blob.core.windows.net", "acct.blob.core.windows.net"},
		{"support-help.azurewebsites.net", "support-help.azurewebsites.net"},
		{"u.github.io", "u.github.io"},
		{"a.netlify.app", "a.netlify.app"},
		{"a.vercel.app", "a.vercel.app"},
		{"a.herokuapp.com", "a.herokuapp.com"},
		{"a.firebaseapp.com", "a.firebaseapp.com"},
		{"a.web.app", "a.web.app"},
		{"a.glitch.me", "a.glitch.me"},
		{"w.acct.workers.dev", "acct.workers.dev"},
		{"pub-1.r2.dev", "pub-1.r2.dev"},
		{"bucket.s3.amazonaws.com", "bucket.s3.amazonaws.com"},
		{"bucket.s3.us-east-1.amazonaws.com", "bucket.s3.us-east-1.amazonaws.com"},
		{"bucket.s3-website-us-east-1.amazonaws.com", "bucket.s3-website-us-east-1.amazonaws.com"},
		{"bucket.s3-website.us-east-2.amazonaws.com", "bucket.s3-website.us-east-2.amazonaws.com"},
		{"ec2-1-2-3-4.compute-1.amazonaws.com", "ec2-1-2-3-4.compute-1.amazonaws.com"},
		{"d111.cloudfront.net", "d111.cloudfront.net"},
		{"a.appspot.com", "a.appspot.com"},
		{"p.uc.r.appspot.com", "p.uc.r.appspot.com"},
		{"a.blogspot.com", "a.blogspot.com"},
		{"a.weebly.com", "a.weebly.com"},
		{"a.wixsite.com", "a.wixsite.com"},
		{"a.000webhostapp.com", "a.000webhostapp.com"},
		{"a.surge.sh", "a.surge.sh"},
		{"a.onrender.com", "a.onrender.com"},
		{"a.repl.co", "a.repl.co"},
		{"a.ngrok-free.app", "a.ngrok-free.app"},
		{"x.a.trycloudflare.com", "a.trycloudflare.com"},
		{"a.wordpress.com", "a.wordpress.com"},
	} {
		got, err := RegistrableDomain(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("RegistrableDomain(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{"", "com", "co.uk", "localhost", "..."} {
		if got, err := RegistrableDomain(in); err == nil {
			t.Errorf("RegistrableDomain(%q) = %q; want an error", in, got)
		}
	}
}

func TestSharedHostingSuffixesWellFormed(t *testing.T) {
	for _, s := range SharedHostingSuffixes {
		l := strings.Split(s, ".")
		if len(l) < 2 || strings.Contains(l[len(l)-1]+l[len(l)-2], "*") || s != strings.ToLower(s) {
			t.Errorf("bad entry %q", s)
		}
		// The suffix itself (with wildcards filled in) is its own
		// registrable domain.
		host := strings.ReplaceAll(s, "*", "x")
		if got, err := RegistrableDomain("cust." + host); err != nil || got != "cust."+host {
			t.Errorf("RegistrableDomain(cust.%s) = %q, %v", host, got, err)
		}
	}
}

func TestHost(t *testing.T) {
	h, err := Host("HTTP://User@WWW.Example.com:81/a?b#c")
	if err != nil || h != "www.example.com" {
		t.Errorf("Host = %q, %v", h, err)
	}
	if _, err := Host("javascript:void(0)"); err == nil {
		t.Error("Host(javascript:) succeeded")
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct{ in, host, pq string }{
		{"http://a.com/b?c", "a.com", "/b?c"},
		{"https://a.com/", "a.com", "/"},
		{"a.com/b", "a.com", "/b"},
		{"a.com", "a.com", "/"},
		{"a.com?x", "a.com", "/?x"},
	} {
		h, pq := Split(tc.in)
		if h != tc.host || pq != tc.pq {
			t.Errorf("Split(%q) = %q, %q; want %q, %q", tc.in, h, pq, tc.host, tc.pq)
		}
	}
}
