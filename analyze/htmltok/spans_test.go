package htmltok

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// checkSpans reads every tag of b with RawTagName, NumAttrs and Attr, then
// with TagName and TagAttr, and returns how they differ, or "": the name
// and the attribute names, once lowered (NUL made U+FFFD), and the values
// must be the same, and a value Attr calls raw must be the input's bytes.
func checkSpans(b []byte) string {
	z := New(b)
	for i := 0; ; i++ {
		tt := z.Next()
		if tt == ErrorToken {
			return ""
		}
		rawName, n := z.RawTagName(), z.NumAttrs()
		type kv struct {
			k, v string
			raw  bool
		}
		var spans []kv
		for j := range n {
			k, v, raw := z.Attr(j)
			if raw && (len(v) > 0 && !inside(v, b) || bytes.ContainsAny(v, "\x00\r&")) {
				return fmt.Sprintf("token %d: value %q called raw", i, v)
			}
			if len(k) > 0 && !inside(k, b) {
				return fmt.Sprintf("token %d: name %q is not the input's", i, k)
			}
			spans = append(spans, kv{string(lowerName(k)), string(v), raw})
		}
		switch tt {
		case StartTagToken, SelfClosingTagToken, EndTagToken:
		default:
			if rawName != nil || n != 0 {
				return fmt.Sprintf("token %d (%v): name %q, %d attributes", i, tt, rawName, n)
			}
			continue
		}
		if tt == EndTagToken && n != 0 {
			return fmt.Sprintf("token %d: an end tag with %d attributes", i, n)
		}
		name, more := z.TagName()
		if got := string(lowerName(rawName)); got != string(name) {
			return fmt.Sprintf("token %d: RawTagName %q, TagName %q", i, got, name)
		}
		var attrs []kv
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			attrs = append(attrs, kv{k: string(k), v: string(v)})
		}
		if len(attrs) != len(spans) {
			return fmt.Sprintf("token %d: %d attributes by Attr, %d by TagAttr", i, len(spans), len(attrs))
		}
		for j := range attrs {
			if attrs[j].k != spans[j].k || attrs[j].v != spans[j].v {
				return fmt.Sprintf("token %d: Attr(%d) %q=%q, TagAttr %q=%q", i, j, spans[j].k, spans[j].v, attrs[j].k, attrs[j].v)
			}
		}
		if again := z.RawTagName(); !bytes.Equal(again, rawName) {
			return fmt.Sprintf("token %d: RawTagName %q after TagName, %q before", i, again, rawName)
		}
	}
}

// inside reports whether p lies in b's memory.
func inside(p, b []byte) bool {
	s, e := uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(unsafe.Pointer(unsafe.SliceData(p)))
	return s <= e && e+uintptr(len(p)) <= s+uintptr(len(b))
}

func TestSpansTricky(t *testing.T) {
	for _, s := range tricky {
		if d := checkSpans([]byte(s)); d != "" {
			t.Errorf("%q: %s", s, d)
		}
	}
	for _, s := range truncated {
		for i := range len(s) + 1 {
			if d := checkSpans([]byte(s[:i])); d != "" {
				t.Errorf("%q: %s", s[:i], d)
			}
		}
	}
}

func TestSpansCorpus(t *testing.T) {
	eachFile(t, checkSpans)
}

func FuzzSpans(f *testing.F) {
	for _, s := range tricky {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if d := checkSpans(b); d != "" {
			t.Error(d)
		}
	})
}

// TestManySpans holds tags with more attributes than scanTag keeps spans
// of (read again from the tag's bytes) and tags with just that many to
// x/net/html: attributes, duplicates among them, and a last value whose
// '/' is or is not the tag's.
func TestManySpans(t *testing.T) {
	for _, n := range []int{maxSpans - 1, maxSpans, maxSpans + 1, 3 * maxSpans} {
		for _, end := range []string{">", "/>", " />", " k0=/>", " last=/>", " LAST=x/>"} {
			var b strings.Builder
			b.WriteString("<a")
			for i := range n {
				fmt.Fprintf(&b, " k%d=v%d", i%(maxSpans+7), i)
			}
			b.WriteString(end + "<b x=1/>")
			in := []byte(b.String())
			if d := compare(in); d != "" {
				t.Errorf("%d attributes, %q: %s", n, end, d)
			}
			if d := checkSpans(in); d != "" {
				t.Errorf("%d attributes, %q: %s", n, end, d)
			}
		}
	}
}
