package urlx

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateJS = flag.Bool("update", false, "rewrite extension/test/urlx_cases.json from this package's test tables")

// jsCasesFile is the table the browser extension's JavaScript port of this
// package (extension/lib/urlx.js) is tested against with node.
const jsCasesFile = "../extension/test/urlx_cases.json"

type jsCase struct {
	In    string   `json:"in"`              // input bytes, hex (inputs may be invalid UTF-8)
	Want  string   `json:"want,omitempty"`  // canonical form
	Err   string   `json:"err,omitempty"`   // error code when Canonicalize fails
	Exprs []string `json:"exprs,omitempty"` // Expressions(Want)
}

var errCodes = []struct {
	err  error
	code string
}{
	{ErrTooLong, "too_long"}, {ErrEmpty, "empty"}, {ErrUnsupportedScheme, "unsupported_scheme"},
	{ErrNoHost, "no_host"}, {ErrBadPort, "bad_port"}, {ErrBadHost, "bad_host"}, {ErrRelative, "relative"},
}

// jsInputs are the inputs of the table: every canonicalisation example of
// this package's tests, their outputs, the expression examples and the
// error cases.
func jsInputs() []string {
	var in []string
	for _, tc := range slices.Concat(specCanonical, moreCanonical) {
		in = append(in, tc.in, tc.want)
	}
	in = append(in,
		"http://a.b.c/1/2.html?param=1", "http://a.b.c.d.e.f.g/1.html", "http://1.2.3.4/1/",
		"https://x.y.z/a/b/c/d/e/f.html?q", "http://a.com/q?", "http://[::1]/", "http://localhost/a",
		"", " \t\n ", "javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd", "ftp://a.com/",
		"mailto:a@b.com", "tel:18005551234", "about:blank", "jav%61script:alert(1)", "http://", "http://.../x",
		"http://a.com:8o/", "http://a:b:80/", "http://[::1/", "/relative/path",
		"http://a.com/"+strings.Repeat("a", MaxURLLength),
		"http://a.com/"+strings.Repeat("%25", 200)+"32%35",
		"http://"+strings.Repeat("0x", 40)+"/",
		"http://"+strings.Repeat("\u00e9", 30)+"/",
		strings.Repeat("\xff", 100),
		"http://WWW.Example.COM.:8080/a/./b/../c//d.html?x=%41#frag",
	)
	return in
}

func buildJSCases() ([]byte, error) {
	var cases []jsCase
	seen := map[string]bool{}
	for _, in := range jsInputs() {
		if seen[in] {
			continue
		}
		seen[in] = true
		c := jsCase{In: hex.EncodeToString([]byte(in))}
		got, err := Canonicalize(in)
		if err != nil {
			for _, e := range errCodes {
				if errors.Is(err, e.err) {
					c.Err = e.code
				}
			}
			if c.Err == "" {
				return nil, err
			}
		} else {
			c.Want = got
			c.Exprs = Expressions(got)
		}
		cases = append(cases, c)
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, c := range cases {
		b, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		if i < len(cases)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return buf.Bytes(), nil
}

// TestJSCasesCurrent keeps the JavaScript port's table in step with this
// package: run `go test ./urlx -run JSCases -update` after changing a table
// or the canonicalisation.
func TestJSCasesCurrent(t *testing.T) {
	want, err := buildJSCases()
	if err != nil {
		t.Fatal(err)
	}
	if *updateJS {
		if err := os.WriteFile(filepath.FromSlash(jsCasesFile), want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(filepath.FromSlash(jsCasesFile))
	if err != nil {
		t.Fatalf("%v (run go test ./urlx -run JSCases -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./urlx -run JSCases -update", jsCasesFile)
	}
}
