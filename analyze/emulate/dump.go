package emulate

import (
	"errors"
	"strconv"
	"strings"

	"github.com/dop251/goja"
)

// dumper reads the document back as the prelude's dump does — the same
// properties read in the same order, the same pieces, the same size count
// — but in Go, where escaping and joining are native and no piece or
// intermediate string is made in the interpreter. The prelude calls it
// only while nothing a script can change about that dump has changed
// (array push and join, string indexOf and replace, the RegExp machinery
// replace uses, Object.prototype without enumerable names). At anything
// the fast reading does not cover — a node that is not an object, a text
// or attribute that is not a string, half a surrogate pair at the end of a
// text, a tag that is not ASCII, attributes that are not an ordinary
// object — it gives up and the prelude's dump runs as before.
type dumper struct {
	one, three, nine, eleven goja.Value
	void, proto              *goja.Object
	b                        strings.Builder
	size                     int64 // the prelude's out.size: UTF-16 units of texts and start tags
	max                      int   // bytes of the text kept (maxReadBack); the walk goes on to the end
	visits                   int
	vm                       *goja.Runtime
	late                     func() bool // the read-back budget is spent
	page                     *pageTree   // the children of elements not made yet (lazy.go)
}

// errLate stops a read back past its budget (Emulate reads nothing then,
// as when the budget interrupts the prelude's dump).
var errLate = errors.New("reading the page back took too long")

// maxDumpSize and maxDumpDepth are the prelude's dump limits.
const (
	maxDumpSize  = 4194304
	maxDumpDepth = 256
)

// write adds a piece while the text is not past the read-back cap.
func (d *dumper) write(s ...string) {
	if d.b.Len() > d.max {
		return
	}
	for _, p := range s {
		d.b.WriteString(p)
	}
}

func (d *dumper) dump(v goja.Value, raw bool, depth int) bool {
	if d.size > maxDumpSize || depth > maxDumpDepth {
		return true
	}
	n, ok := v.(*goja.Object)
	if !ok {
		return false
	}
	d.tick()
	if get(n, "nodeType").StrictEquals(d.three) {
		t, ok := get(n, "data").(goja.String)
		if !ok {
			return false
		}
		k := t.Length()
		if k > 0 && t.CharAt(k-1)&0xFC00 == 0xD800 {
			return false
		}
		d.text(t.String(), k, raw)
		return true
	}
	tv := get(n, "localName")
	// An element whose children are not made yet: they are read from the
	// page's tree, where they are what reading childNodes would make.
	lz := d.pristine(n)
	var kids *goja.Object
	if lz < 0 {
		if kv := get(n, "childNodes"); kv.ToBoolean() {
			if kids, ok = kv.(*goja.Object); !ok {
				return false
			}
		}
	}
	if get(n, "nodeType").StrictEquals(d.nine) || get(n, "nodeType").StrictEquals(d.eleven) {
		return d.kids(kids, false, depth)
	}
	t, ok := tv.(goja.String)
	if !ok {
		return false
	}
	tag := t.String()
	if !isASCII(tag) {
		return false
	}
	if tag == "script" || !get(n, "nodeType").StrictEquals(d.one) {
		return true
	}
	// The start tag: attrsHTML's fast way, the only one taken here.
	av, ok := get(n, "_attrs").(*goja.Object)
	if !ok {
		return false
	}
	if _, fn := goja.AssertFunction(av); fn || av.Prototype() != d.proto {
		return false
	}
	start := []string{"<", tag}
	size := int64(t.Length()) + 1
	for _, k := range av.Keys() {
		d.tick()
		v, ok := get(av, k).(goja.String)
		if !ok {
			return false
		}
		var n int64
		start, n = attrPiece(start, k, v.String(), v.Length())
		size += n
	}
	start = append(start, ">")
	d.write(start...)
	d.size += size
	if get(d.void, tag).ToBoolean() {
		return true
	}
	if lz >= 0 {
		if !d.pageKids(d.page.nodes[lz].kids, tag == "style", depth) {
			return false
		}
	} else if !d.kids(kids, tag == "style", depth) {
		return false
	}
	d.write("</", tag, ">")
	return true
}

// attrPiece appends name="value", escaped, to a start tag's pieces; units
// is value's length in UTF-16 units. It returns the pieces and what the
// prelude's size counts of the attribute.
func attrPiece(start []string, name, value string, units int) ([]string, int64) {
	e, grew := escHTML(value, true)
	return append(start, " ", name, `="`, e, `"`), int64(utf16Len(name)+units+grew) + 4
}

// text writes a text's data, escaped unless raw; units is its length in
// UTF-16 units, as the prelude's size counts.
func (d *dumper) text(s string, units int, raw bool) {
	if !raw {
		var grew int
		s, grew = escHTML(s, false)
		units += grew
	}
	d.write(s)
	d.size += int64(units)
}

// pristine is n's number in the page's tree while its children are not
// made (its _lz), else -1.
func (d *dumper) pristine(n *goja.Object) int {
	if d.page == nil {
		return -1
	}
	if i, ok := get(n, "_lz").Export().(int64); ok && i >= 0 && i < int64(len(d.page.nodes)) {
		return int(i)
	}
	return -1
}

// pageKids dumps children from the page's tree as dump would dump the
// nodes made from them: texts as they are, elements with their
// attributes in the order they are made with.
func (d *dumper) pageKids(kids []pageKid, raw bool, depth int) bool {
	for _, k := range kids {
		if !d.pageKid(k, raw, depth+1) {
			return false
		}
	}
	return true
}

func (d *dumper) pageKid(k pageKid, raw bool, depth int) bool {
	if d.size > maxDumpSize || depth > maxDumpDepth {
		return true
	}
	d.tick()
	if k.elem < 0 {
		d.text(k.text, utf16Len(k.text), raw)
		return true
	}
	n := &d.page.nodes[k.elem]
	if !isASCII(n.tag) {
		return false
	}
	tag := strings.ToLower(n.tag)
	if tag == "script" {
		return true
	}
	start := []string{"<", tag}
	size := int64(len(tag)) + 1
	for j := 0; j < len(n.attrs); j += 2 {
		d.tick()
		var m int64
		start, m = attrPiece(start, n.attrs[j], n.attrs[j+1], utf16Len(n.attrs[j+1]))
		size += m
	}
	start = append(start, ">")
	d.write(start...)
	d.size += size
	if get(d.void, tag).ToBoolean() {
		return true
	}
	if !d.pageKids(n.kids, tag == "style", depth) {
		return false
	}
	d.write("</", tag, ">")
	return true
}

// kids dumps the children as the prelude's loop does, reading length
// before each one.
func (d *dumper) kids(kids *goja.Object, raw bool, depth int) bool {
	if kids == nil {
		return true
	}
	for i := int64(0); ; i++ {
		var l float64
		switch x := get(kids, "length").Export().(type) {
		case int64:
			l = float64(x)
		case float64:
			l = x
		default:
			return false
		}
		if !(float64(i) < l) {
			return true
		}
		if !d.dump(get(kids, strconv.FormatInt(i, 10)), raw, depth+1) {
			return false
		}
	}
}

// tick counts a step of the walk. A script can make the tree a graph that
// takes forever to walk, or give an element millions of attributes; the
// prelude's dump is stopped by the read back's budget, and so is this.
func (d *dumper) tick() {
	if d.visits++; d.visits&1023 == 0 && d.late() {
		panic(d.vm.NewGoError(errLate)) // thrown in the VM, as an interrupt would be
	}
}

// get is o[name]: undefined when o has no such property (Get gives nil).
func get(o *goja.Object, name string) goja.Value {
	if v := o.Get(name); v != nil {
		return v
	}
	return goja.Undefined()
}

// escHTML is the prelude's esc, and how many UTF-16 units it added.
func escHTML(s string, attr bool) (string, int) {
	grew := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			grew += 4
		case '<', '>':
			grew += 3
		case '"':
			if attr {
				grew += 5
			}
		}
	}
	if grew == 0 {
		return s, 0
	}
	if attr {
		return attrEscaper.Replace(s), grew
	}
	return textEscaper.Replace(s), grew
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
)

// utf16Len is the length of s in UTF-16 units, as JavaScript counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// dumpDOM is __dumpDOM(document, voidTags, Object.prototype): true when
// the document was read back here, into e.dom.
func (e *emu) dumpDOM(c goja.FunctionCall) goja.Value {
	doc, _ := c.Argument(0).(*goja.Object)
	void, _ := c.Argument(1).(*goja.Object)
	proto, _ := c.Argument(2).(*goja.Object)
	if doc == nil || void == nil || proto == nil {
		return e.vm.ToValue(false)
	}
	from := e.spent()
	d := &dumper{one: e.vm.ToValue(1), three: e.vm.ToValue(3), nine: e.vm.ToValue(9), eleven: e.vm.ToValue(11),
		void: void, proto: proto, max: maxReadBack, vm: e.vm, late: func() bool { return e.spent()-from >= readBackBudget }, page: e.page}
	if !d.dump(doc, false, 0) {
		return e.vm.ToValue(false)
	}
	e.dom, e.domRead = d.b.String(), true
	return e.vm.ToValue(true)
}
