package emulate

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// The page's DOM is made on demand. The page is parsed here into a tree
// of elements numbered in document order (pageTree); the prelude makes
// JavaScript nodes for its top level only, and an element's children when
// something first reads them (its childNodes). Until then the element is
// pristine: nothing of its subtree exists in the VM, and this tree is what
// the subtree is.
//
// Queries do not make what they pass over. A walk that meets a pristine
// element asks find for the elements under it that could match (tag, id,
// classes, attribute names: never fewer than the prelude's own test would
// accept), then makes only those, with the path down to them, and tests
// them as before. The read-back (dumpDOM) and textContent read pristine
// subtrees from here.
//
// Making every node up front cost about 5 µs a node, most of a large
// page's emulation, and the import's cap on nodes dropped whatever came
// after it: a page padded with a few thousand hidden elements before its
// payload showed the emulator neither the payload nor, within the budget,
// anything else.

// MaxPageNodes bounds the page's tree (elements and texts). Nodes past it
// are dropped (Result.DOMCut), as maxWritten drops them from later parses.
const MaxPageNodes = 100000

// pageTree is the parsed page. Element i's subtree is elements
// [i+1, end) in document order.
type pageTree struct {
	nodes  []pageNode
	roots  []pageKid
	lastID map[string]int32 // the last element with each id, as the eager import's registry held it
	hasOn  []int32          // elements with an on<event> attribute, in document order
	cut    bool             // the page had more than MaxPageNodes nodes
}

type pageNode struct {
	parent int32 // -1: top level
	end    int32
	tag    string   // as the prelude receives it
	attrs  []string // name, value, ... as the prelude receives them (jsAttrs)
	kids   []pageKid
}

// pageKid is a child: an element (elem ≥ 0) or a text.
type pageKid struct {
	elem int32
	text string
}

// buildPageTree numbers the parsed page's elements in document order.
func buildPageTree(kids []any) *pageTree {
	t := &pageTree{lastID: map[string]int32{}}
	var add func(kids []any, parent int32) []pageKid
	add = func(kids []any, parent int32) []pageKid {
		out := make([]pageKid, 0, len(kids))
		for _, k := range kids {
			switch k := k.(type) {
			case *string:
				out = append(out, pageKid{elem: -1, text: jsonString(*k)})
			case *[3]any:
				i := int32(len(t.nodes))
				attrs := jsAttrs(k[1].(map[string]string))
				t.nodes = append(t.nodes, pageNode{parent: parent, tag: jsonString(*k[0].(*string)), attrs: attrs})
				on := false
				for j := 0; j < len(attrs); j += 2 {
					name := attrs[j]
					if name == "id" {
						t.lastID[attrs[j+1]] = i
					}
					on = on || len(name) > 2 && strings.HasPrefix(name, "on")
				}
				if on {
					t.hasOn = append(t.hasOn, i)
				}
				sub := add(*k[2].(*[]any), i)
				t.nodes[i].kids = sub
				t.nodes[i].end = int32(len(t.nodes))
				out = append(out, pageKid{elem: i})
			}
		}
		return out
	}
	t.roots = add(kids, -1)
	return t
}

// kids is __pageKids(i): element i's children (the top level for -1) as
// the prelude's flat encoding gives them, with an element's number where
// its child count and children would be. The prelude asks once for each
// element (pageKids: the object made for that number, nothing else).
func (t *pageTree) kids(vm *goja.Runtime, i int) goja.Value {
	if i < -1 || i >= len(t.nodes) {
		return vm.NewArray()
	}
	list := t.roots
	if i >= 0 {
		list = t.nodes[i].kids
	}
	out := make([]any, 0, 4*len(list))
	for _, k := range list {
		if k.elem < 0 {
			out = append(out, k.text)
			continue
		}
		n := &t.nodes[k.elem]
		out = append(out, len(n.attrs)/2, n.tag)
		for _, a := range n.attrs {
			out = append(out, a)
		}
		out = append(out, k.elem)
	}
	return vm.NewArray(out...)
}

// pageQuery is one compound selector of __pageFind: every part may be
// empty (no test).
type pageQuery struct {
	tag, id string
	anyID   bool
	classes []string
	attrs   []string
}

// parseQueries reads __pageFind's query: four strings per compound — tag
// ("" for any), id ("\x00" for none), classes and attribute names, each
// list space-separated. A part that could compare otherwise here than in
// the prelude (U+FFFD, non-ASCII case) is not tested: find may return
// more than matches, never fewer.
func parseQueries(v []string) []pageQuery {
	var qs []pageQuery
	for i := 0; i+3 < len(v); i += 4 {
		q := pageQuery{tag: v[i], id: v[i+1], anyID: v[i+1] == "\x00"}
		if !isASCII(q.tag) {
			q.tag = ""
		}
		if strings.ContainsRune(q.id, utf8.RuneError) {
			q.anyID = true
		}
		for _, c := range strings.Fields(v[i+2]) {
			if !strings.ContainsRune(c, utf8.RuneError) {
				q.classes = append(q.classes, c)
			}
		}
		for _, a := range strings.Fields(v[i+3]) {
			if isASCII(a) {
				q.attrs = append(q.attrs, a)
			}
		}
		qs = append(qs, q)
	}
	return qs
}

func (n *pageNode) attr(name string) (string, bool) {
	for j := 0; j < len(n.attrs); j += 2 {
		if n.attrs[j] == name {
			return n.attrs[j+1], true
		}
	}
	return "", false
}

func (q *pageQuery) may(n *pageNode) bool {
	if q.tag != "" && isASCII(n.tag) && q.tag != strings.ToLower(n.tag) {
		return false
	}
	if !q.anyID {
		if v, ok := n.attr("id"); !ok || v != q.id {
			return false
		}
	}
	if len(q.classes) > 0 {
		v, ok := n.attr("class")
		if !ok {
			return false
		}
		for _, c := range q.classes {
			if !strings.Contains(v, c) {
				return false
			}
		}
	}
	for _, a := range q.attrs {
		if _, ok := n.attr(a); !ok {
			return false
		}
	}
	return true
}

// find is __pageFind(i, query): the elements under element i (the whole
// page for -1), in document order, that any compound of the query may
// match. many is set instead when they are more than half the elements
// there: making the subtree level by level then costs less than reaching
// each one.
func (t *pageTree) find(i int, qs []pageQuery) (out []int32, many bool) {
	from, to := 0, len(t.nodes)
	if i >= 0 && i < len(t.nodes) {
		from, to = i+1, int(t.nodes[i].end)
	} else if i != -1 {
		return nil, false
	}
	for j := from; j < to; j++ {
		for q := range qs {
			if qs[q].may(&t.nodes[j]) {
				out = append(out, int32(j))
				break
			}
		}
		if len(out) > 64 && 2*len(out) > to-from {
			return nil, true // known before the end: a walk of the subtree asks again below
		}
	}
	return out, false
}

// path is __pagePath(i, j): the elements from the child of i (of the top
// level for -1) down to j, j included; empty when j is not under i.
func (t *pageTree) path(i, j int) []int32 {
	if j < 0 || j >= len(t.nodes) || i < -1 || i >= len(t.nodes) {
		return nil
	}
	var up []int32
	for k := int32(j); k != int32(i); k = t.nodes[k].parent {
		if k < 0 {
			return nil
		}
		up = append(up, k)
	}
	for a, b := 0, len(up)-1; a < b; a, b = a+1, b-1 {
		up[a], up[b] = up[b], up[a]
	}
	return up
}

// text is __pageText(i): element i's text content, its texts joined in
// document order (the prelude's textOf).
func (t *pageTree) text(i int) string {
	if i < 0 || i >= len(t.nodes) {
		return ""
	}
	var b strings.Builder
	var walk func(kids []pageKid)
	walk = func(kids []pageKid) {
		for _, k := range kids {
			if k.elem < 0 {
				b.WriteString(k.text)
			} else {
				walk(t.nodes[k.elem].kids)
			}
		}
	}
	walk(t.nodes[i].kids)
	return b.String()
}

// installPage sets the natives the prelude reads the page tree with.
func (e *emu) installPage() {
	vm, t := e.vm, e.page
	index := func(c goja.FunctionCall, i int) int {
		v := c.Argument(i)
		if n, ok := v.Export().(int64); ok && n >= -1 && n < int64(len(t.nodes)) {
			return int(n)
		}
		return -2
	}
	ints := func(list []int32) goja.Value {
		out := make([]any, len(list))
		for i, v := range list {
			out[i] = v
		}
		return vm.NewArray(out...)
	}
	set := func(name string, f func(goja.FunctionCall) goja.Value) {
		if err := vm.Set(name, f); err != nil {
			panic(err)
		}
	}
	set("__pageKids", func(c goja.FunctionCall) goja.Value { return t.kids(vm, index(c, 0)) })
	var lastQ *goja.Object // queries are asked again and again: the last one's parse is kept
	var lastQs []pageQuery
	set("__pageFind", func(c goja.FunctionCall) goja.Value {
		o, _ := c.Argument(1).(*goja.Object)
		if o == nil || o != lastQ {
			var q []string
			if o != nil {
				_ = vm.ExportTo(o, &q)
			}
			lastQ, lastQs = o, parseQueries(q)
		}
		found, many := t.find(index(c, 0), lastQs)
		if many {
			return goja.Null()
		}
		return ints(found)
	})
	set("__pagePath", func(c goja.FunctionCall) goja.Value { return ints(t.path(index(c, 0), index(c, 1))) })
	set("__pageText", func(c goja.FunctionCall) goja.Value { return vm.ToValue(t.text(index(c, 0))) })
	set("__pageOn", func(goja.FunctionCall) goja.Value { return ints(t.hasOn) })
	set("__pageID", func(c goja.FunctionCall) goja.Value {
		if i, ok := t.lastID[c.Argument(0).String()]; ok {
			return vm.ToValue(i)
		}
		return vm.ToValue(-1)
	})
	// __cpu and __credit time the making of nodes: __credit(__cpu()) at
	// the end of what started at __cpu(). The guard does not count it,
	// while it runs either.
	set("__cpu", func(goja.FunctionCall) goja.Value { return vm.ToValue(int64(e.beginUncharged())) })
	set("__credit", func(c goja.FunctionCall) goja.Value {
		from, ok := c.Argument(0).Export().(int64)
		most := unbounded
		if !ok {
			most = 0 // not a reading of __cpu: nothing to credit
		}
		e.endUncharged(time.Duration(from), most)
		return goja.Undefined()
	})
}
