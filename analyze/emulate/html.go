package emulate

import (
	"sort"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/dop251/goja"

	"github.com/tssguard/tssguard/analyze/htmltok"
)

// parseHTML turns HTML into the compact tree the prelude builds its nodes
// from: [tag, {attrs}, [children]] for elements, strings for text. It uses
// the tokenizer with its own stack — linear, bounded in depth and size — so
// hostile nesting costs nothing.
//
// It runs for every innerHTML and document.write, with maxWritten for all
// of them together (e.nodes counts them); the page itself goes through
// parseTree with a count and a limit of its own (install). The prelude
// does not charge it to the budget, nor the nodes it makes of the tree.
func (e *emu) parseHTML(s string) []any { return parseTree(s, &e.nodes, maxWritten) }

// parseTree is parseHTML keeping nodes while *nodes < limit. The tree is
// built to cost few allocations: the tokenizer reads s in place, names,
// values and text are substrings of s wherever the tokenizer rewrote
// nothing, and the tree is made of pointers (an element is its spec's enc,
// a text a *string), which JSON encodes as the values they point to and
// which cost nothing to put in an interface.
func parseTree(s string, nodes *int, limit int) []any {
	root := &spec{tag: "#root"}
	stack := []*spec{root}
	in := unsafe.Slice(unsafe.StringData(s), len(s)) // htmltok never writes its input
	z := htmltok.New(in)
	var texts []string // room for texts, pointed to from the tree
	for {
		tt := z.Next()
		if tt == htmltok.ErrorToken {
			break
		}
		top := stack[len(stack)-1]
		switch tt {
		case htmltok.TextToken:
			if *nodes < limit {
				t := z.Text()
				// The check needs no string of its own: a view of t will do.
				if top.tag == "script" || top.tag == "style" || strings.TrimSpace(unsafe.String(unsafe.SliceData(t), len(t))) != "" {
					if len(texts) == cap(texts) {
						texts = make([]string, 0, 64) // the full block stays where the tree points
					}
					texts = append(texts, substr(s, t))
					top.kids = append(top.kids, &texts[len(texts)-1])
					*nodes++
				}
			}
		case htmltok.StartTagToken, htmltok.SelfClosingTagToken:
			if *nodes >= limit {
				continue // nothing of it is kept
			}
			name, more := z.TagName()
			tag := substr(s, name)
			var attrs map[string]string
			if more {
				attrs = make(map[string]string, min(z.NumAttrs(), maxAttrs))
			}
			// The tokenizer drops later duplicates, but two names may only
			// become the same once NUL is made U+FFFD.
			for more && len(attrs) < maxAttrs {
				var k, v []byte
				k, v, more = z.TagAttr()
				if _, dup := attrs[unsafe.String(unsafe.SliceData(k), len(k))]; !dup {
					attrs[substr(s, k)] = substr(s, v)
				}
			}
			*nodes++
			n := newSpec(tag, attrs)
			// Implied structure: <html>, <head>, <body> merge into one.
			if (tag == "html" || tag == "head" || tag == "body") && mergeInto(stack, n) {
				continue
			}
			top.kids = append(top.kids, &n.enc)
			if tt == htmltok.StartTagToken && !voidTags[tag] && len(stack) < maxDepth {
				stack = append(stack, n)
			}
		case htmltok.EndTagToken:
			name, _ := z.TagName()
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].tag == string(name) {
					stack = stack[:i]
					break
				}
			}
		}
	}
	if root.kids == nil {
		return []any{}
	}
	return root.kids
}

// maxAttrs is how many attributes of an element the tree keeps.
const maxAttrs = 64

// substr returns b as a string: a substring of s if b is a piece of it
// (no copy), else a copy.
func substr(s string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	base := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if p >= base && p-base <= uintptr(len(s)) && uintptr(len(b)) <= uintptr(len(s))-(p-base) {
		i := int(p - base)
		return s[i : i+len(b)]
	}
	return string(b)
}

// mergeInto handles a repeated <html>/<head>/<body>: attributes merge into
// the existing element as browsers do; true when one existed.
func mergeInto(stack []*spec, n *spec) bool {
	for _, s := range stack {
		if s.tag == n.tag {
			for k, v := range n.attrs {
				if s.attrs == nil {
					s.setAttrs(make(map[string]string, len(n.attrs)))
				}
				if _, ok := s.attrs[k]; !ok {
					s.attrs[k] = v
				}
			}
			return true
		}
	}
	return false
}

// spec is an element. enc is what the tree holds of it, and what JSON
// encodes: [&tag, attrs, &kids].
type spec struct {
	tag   string
	attrs map[string]string
	kids  []any // &enc of elements, *string of texts
	enc   [3]any
}

// noAttrs encodes an element without attributes; it is never written.
var noAttrs = map[string]string{}

func newSpec(tag string, attrs map[string]string) *spec {
	// kids is empty but not nil, which JSON would encode as null; an empty
	// make costs no allocation.
	n := &spec{tag: tag, kids: make([]any, 0)}
	n.enc[0], n.enc[2] = &n.tag, &n.kids
	n.setAttrs(attrs)
	return n
}

func (n *spec) setAttrs(attrs map[string]string) {
	n.attrs = attrs
	if attrs == nil {
		n.enc[1] = noAttrs
	} else {
		n.enc[1] = attrs
	}
}

var voidTags = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true,
	"link": true, "meta": true, "source": true, "track": true, "wbr": true, "param": true, "keygen": true,
}

// flatten writes the tree as one flat array, in the order the prelude's
// build reads it: a text is its string; an element is its attribute count
// n, its tag, n name/value pairs, its child count and its children. The
// array is made here, with no JSON in between: encoding and parsing the
// tree cost more than building it, and a flat array of strings makes no
// object per element that build would throw away.
//
// The strings and the attribute order are those the JSON crossing gave:
// invalid UTF-8 becomes U+FFFD byte by byte, attributes come sorted by
// name, and names that become the same that way keep the first one's place
// and the last one's value.
func flatten(vm *goja.Runtime, kids []any) goja.Value {
	var out []any
	var walk func(kids []any)
	walk = func(kids []any) {
		for _, k := range kids {
			switch k := k.(type) {
			case *string:
				out = append(out, vm.ToValue(jsonString(*k)))
			case *[3]any:
				pairs := jsAttrs(k[1].(map[string]string))
				sub := *k[2].(*[]any)
				out = append(out, vm.ToValue(len(pairs)/2), vm.ToValue(jsonString(*k[0].(*string))))
				for _, p := range pairs {
					out = append(out, vm.ToValue(p))
				}
				out = append(out, vm.ToValue(len(sub)))
				walk(sub)
			}
		}
	}
	walk(kids)
	return vm.NewArray(out...)
}

// jsAttrs is an element's attributes as the prelude receives them, name
// and value in turn: sorted by name, invalid UTF-8 made U+FFFD byte by
// byte, and names that become the same that way keeping the first one's
// place and the last one's value.
func jsAttrs(attrs map[string]string) []string {
	if len(attrs) == 0 {
		return nil
	}
	names := make([]string, 0, len(attrs))
	invalid := false
	for name := range attrs {
		names = append(names, name)
		invalid = invalid || !utf8.ValidString(name)
	}
	sort.Strings(names)
	out := make([]string, 0, 2*len(names))
	var first map[string]int // a name as JSON gives it: where its value is
	if invalid {
		first = map[string]int{}
	}
	for _, name := range names {
		key := name
		v := jsonString(attrs[name])
		if invalid {
			key = jsonString(name)
			if i, dup := first[key]; dup {
				out[i] = v
				continue
			}
			first[key] = len(out) + 1
		}
		out = append(out, key, v)
	}
	return out
}

// jsonString is s as encoding/json writes it and JSON.parse reads it back:
// each byte of invalid UTF-8 becomes U+FFFD.
func jsonString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
