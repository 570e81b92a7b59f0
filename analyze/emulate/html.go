package emulate

import (
	"strings"

	"golang.org/x/net/html"
)

// parseHTML turns HTML into the compact tree the prelude builds its nodes
// from: [tag, {attrs}, [children]] for elements, strings for text. It uses
// the tokenizer with its own stack — linear, bounded in depth and size — so
// hostile nesting costs nothing.
func (e *emu) parseHTML(s string) []any {
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
			if e.nodes < maxNodes {
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
			if e.nodes >= maxNodes {
				continue
			}
			e.nodes++
			n := &spec{tag: tag, attrs: attrs}
			// Implied structure: <html>, <head>, <body> merge into one.
			if (tag == "html" || tag == "head" || tag == "body") && mergeInto(stack, n) {
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
		out = append(out, encodeSpec(k))
	}
	return out
}

// mergeInto handles a repeated <html>/<head>/<body>: attributes merge into
// the existing element as browsers do; true when one existed.
func mergeInto(stack []*spec, n *spec) bool {
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

type spec struct {
	tag   string
	attrs map[string]string
	kids  []any // *spec or string
}

func encodeSpec(k any) any {
	switch n := k.(type) {
	case string:
		return n
	case *spec:
		kids := make([]any, 0, len(n.kids))
		for _, c := range n.kids {
			kids = append(kids, encodeSpec(c))
		}
		attrs := n.attrs
		if attrs == nil {
			attrs = map[string]string{}
		}
		return []any{n.tag, attrs, kids}
	}
	return ""
}

var voidTags = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true,
	"link": true, "meta": true, "source": true, "track": true, "wbr": true, "param": true, "keygen": true,
}
