package emulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"golang.org/x/net/html"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// parseHTMLXNet is parseHTML as it was with x/net/html's tokenizer over a
// reader, kept as the oracle the new one must match tree for tree.
func (e *emu) parseHTMLXNet(s string) []any {
	root := &spec{tag: "#root"}
	stack := []*spec{root}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		top := stack[len(stack)-1]
		switch tt {
		case html.TextToken:
			if e.nodes < maxWritten {
				t := string(z.Text())
				if strings.TrimSpace(t) != "" || top.tag == "script" || top.tag == "style" {
					top.kids = append(top.kids, t)
					e.nodes++
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			attrs := map[string]string{}
			for more && len(attrs) < 64 {
				var k, v []byte
				k, v, more = z.TagAttr()
				if _, dup := attrs[string(k)]; !dup {
					attrs[string(k)] = string(v)
				}
			}
			if e.nodes >= maxWritten {
				continue
			}
			e.nodes++
			n := &spec{tag: tag, attrs: attrs}
			if (tag == "html" || tag == "head" || tag == "body") && mergeIntoXNet(stack, n) {
				continue
			}
			top.kids = append(top.kids, n)
			if tt == html.StartTagToken && !voidTags[tag] && len(stack) < maxDepth {
				stack = append(stack, n)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].tag == tag {
					stack = stack[:i]
					break
				}
			}
		}
	}
	out := make([]any, 0, len(root.kids))
	for _, k := range root.kids {
		out = append(out, encodeSpecXNet(k))
	}
	return out
}

func mergeIntoXNet(stack []*spec, n *spec) bool {
	for _, s := range stack {
		if s.tag == n.tag {
			for k, v := range n.attrs {
				if _, ok := s.attrs[k]; !ok {
					s.attrs[k] = v
				}
			}
			return true
		}
	}
	return false
}

func encodeSpecXNet(k any) any {
	switch n := k.(type) {
	case string:
		return n
	case *spec:
		kids := make([]any, 0, len(n.kids))
		for _, c := range n.kids {
			kids = append(kids, encodeSpecXNet(c))
		}
		attrs := n.attrs
		if attrs == nil {
			attrs = map[string]string{}
		}
		return []any{n.tag, attrs, kids}
	}
	return ""
}

// sameTree checks that parseHTML and the oracle build the same tree of s
// (as the JSON the page's DOM is built from) and count the same nodes,
// starting from nodes already counted.
func sameTree(t *testing.T, name, s string, nodes int) {
	t.Helper()
	want, got := &emu{nodes: nodes}, &emu{nodes: nodes}
	wj, err := json.Marshal(want.parseHTMLXNet(s))
	if err != nil {
		t.Fatal(err)
	}
	gj, err := json.Marshal(got.parseHTML(s))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gj, wj) {
		i := 0
		for i < len(gj) && i < len(wj) && gj[i] == wj[i] {
			i++
		}
		t.Fatalf("%s (from %d nodes): trees differ at byte %d:\n got …%s…\nwant …%s…", name, nodes, i, around(gj, i), around(wj, i))
	}
	if got.nodes != want.nodes {
		t.Fatalf("%s (from %d nodes): %d nodes, want %d", name, nodes, got.nodes, want.nodes)
	}
}

func around(b []byte, i int) []byte {
	return b[max(0, i-80):min(len(b), i+80)]
}

// htmltokSnippets are the tokenizer's tricky snippets and truncated
// documents (every prefix), read from its differential test, so that
// the two lists cannot drift apart.
func htmltokSnippets(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "htmltok", "diff_test.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	found := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
			return true
		}
		name := vs.Names[0].Name
		if name != "tricky" && name != "truncated" {
			return true
		}
		lit, ok := vs.Values[0].(*ast.CompositeLit)
		if !ok {
			t.Fatalf("htmltok's %s is no list literal", name)
		}
		found[name] = true
		for _, el := range lit.Elts {
			s, err := constString(el)
			if err != nil {
				t.Fatalf("htmltok's %s: %v", name, err)
			}
			if name == "truncated" {
				for i := range len(s) {
					out = append(out, s[:i])
				}
			}
			out = append(out, s)
		}
		return false
	})
	if !found["tricky"] || !found["truncated"] || len(out) < 100 {
		t.Fatalf("htmltok's snippets not found (%d)", len(out))
	}
	return out
}

// constString evaluates a string literal or a sum of them.
func constString(e ast.Expr) (string, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			return strconv.Unquote(e.Value)
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, err := constString(e.X)
			if err != nil {
				return "", err
			}
			b, err := constString(e.Y)
			return a + b, err
		}
	}
	return "", fmt.Errorf("not a string constant: %T", e)
}

// domSamples are trees the prelude must get right: implied and repeated
// html/head/body, the attribute cap and duplicates, void and unclosed
// elements, text kept only where it is not blank or is a script's.
var domSamples = []string{
	`<html lang=en><head><title>T</title></head><body class=a><p>x</p><body id=b class=c><html dir=rtl>`,
	`<body a=1><body a=2 b=3 A=4><p>`,
	`<div ` + numbered(70) + `>x</div><p ` + numbered(64) + `>`,
	"<a " + numbered(63) + " k0=dup K1=dup a\x00=1 a\uFFFD=2>",
	"<a b\x00=1 b\uFFFD=2 c=3>",
	`<br><img src=x><input value=y><p>a<p>b</div></p>`,
	"<script>  </script><style> </style><p>  </p> \n \u00a0 <b>\u2003</b>",
	`<div>` + strings.Repeat(`<div>`, 200) + `deep` + strings.Repeat(`</div>`, 200) + `</div>after`,
	`<x-y Foo=Bar>&amp;&lt;&#65;&notit;</x-y><svg:rect X=1/>`,
	"<p>a\r\nb\x00c</p><textarea>\r\n&amp;</textarea>",
}

func numbered(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " k%d=v%d", i, i)
	}
	return b.String()
}

// TestParseHTMLMatchesXNet holds parseHTML to the x/net/html version on
// the DOM samples, htmltok's snippets and every page of the shared corpus
// and the fixtures, from no nodes counted and from near the node cap.
func TestParseHTMLMatchesXNet(t *testing.T) {
	for _, s := range domSamples {
		sameTree(t, fmt.Sprintf("%.40q", s), s, 0)
		sameTree(t, fmt.Sprintf("%.40q", s), s, maxWritten-20)
	}
	for _, s := range htmltokSnippets(t) {
		sameTree(t, fmt.Sprintf("%q", s), s, 0)
	}
	pages := 0
	err := testdirs.EachFile(func(name string, b []byte) error {
		pages++
		sameTree(t, name, string(b), 0)
		sameTree(t, name, string(b), maxWritten/2)
		return nil
	}, ".html", ".htm", ".php")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d pages", pages)
}

func FuzzParseHTML(f *testing.F) {
	for _, s := range domSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sameTree(t, fmt.Sprintf("%q", s), s, 0)
	})
}

// largePages are benign pages the emulator runs whose DOM import is much
// of their emulation.
var largePages = []string{
	"readability__test_test-pages_youth_source.html",
	"readability__test_test-pages_pixnet_source.html",
	"postlight__fixtures_www.tmz.com.html",
}

func loadLargePages(b *testing.B) []string {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("no corpus")
	}
	var out []string
	for _, p := range largePages {
		body, err := os.ReadFile(filepath.Join(dir, "benign", p))
		if err != nil {
			b.Skip(err)
		}
		out = append(out, string(body))
	}
	return out
}

// BenchmarkParseHTML is the Go side of the DOM import of the large pages:
// parseHTML and the JSON the tree crosses into JavaScript as.
func BenchmarkParseHTML(b *testing.B) {
	pages := loadLargePages(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range pages {
			e := &emu{}
			if _, err := json.Marshal(e.parseHTML(s)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDOMImport is the whole import, as __parseHTML does it: the
// tree, its JSON, and JSON.parse in a runtime.
func BenchmarkDOMImport(b *testing.B) {
	pages := loadLargePages(b)
	vm := goja.New()
	parse, ok := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
	if !ok {
		b.Fatal("no JSON.parse")
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range pages {
			e := &emu{}
			j, err := json.Marshal(e.parseHTML(s))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := parse(goja.Undefined(), vm.ToValue(string(j))); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkParseHTMLXNet is BenchmarkParseHTML with the x/net/html
// version, for a comparison within one run.
func BenchmarkParseHTMLXNet(b *testing.B) {
	pages := loadLargePages(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range pages {
			e := &emu{}
			if _, err := json.Marshal(e.parseHTMLXNet(s)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
