package analyze

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/tssguard/tssguard/analyze/htmltok"
	"github.com/tssguard/tssguard/internal/testdirs"
	"golang.org/x/net/html"
)

// accessorTag reads the start tag z is at with the tokenizer's own
// accessors, as the parse did before readStartTag: the name, and the
// attributes in order, the first of each name, at most maxAttrs+1.
func accessorTag(z *html.Tokenizer) string {
	name, more := z.TagName()
	var out strings.Builder
	out.WriteString(string(name))
	seen := map[string]bool{}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		if seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		fmt.Fprintf(&out, " %q=%q", k, v)
		if len(seen) > maxAttrs {
			break
		}
	}
	return out.String()
}

func listedTag(name string, l *attrList) string {
	var out strings.Builder
	out.WriteString(name)
	for _, a := range l.list {
		fmt.Fprintf(&out, " %q=%q", a.key, a.val)
	}
	return out.String()
}

// compareTags tokenizes b twice in step and checks that readStartTag
// reads every start tag as the accessors do; it returns how many tags had
// every value as a piece of the tag (attrs.raw set) and how many not.
func compareTags(t *testing.T, b []byte) (fast, slow int) {
	t.Helper()
	za, zb := html.NewTokenizer(bytes.NewReader(b)), htmltok.New(b)
	var attrs attrList
	for {
		ta, tb := za.Next(), zb.Next()
		if ta != tb {
			t.Fatalf("tokenizers out of step: %v, %v", ta, tb)
		}
		if ta == html.ErrorToken {
			return
		}
		if ta == html.EndTagToken {
			raw := zb.Raw()
			want, _ := za.TagName()
			got, flags := readEndTag(zb, raw)
			if got != string(want) {
				t.Fatalf("end tag %q: readEndTag reads %q, TagName %q", raw, got, want)
			}
			if flags != flagsOf(got) {
				t.Fatalf("end tag %q: flags %b, want %b", raw, flags, flagsOf(got))
			}
			continue
		}
		if ta != html.StartTagToken && ta != html.SelfClosingTagToken {
			continue
		}
		raw := zb.Raw()
		want := accessorTag(za)
		name, flags := readStartTag(zb, raw, &attrs)
		if got := listedTag(name, &attrs); got != want {
			t.Fatalf("tag %q: readStartTag reads\n%s\nthe accessors\n%s", raw, got, want)
		}
		if flags != flagsOf(name) {
			t.Fatalf("tag %q: flags %b, want %b", raw, flags, flagsOf(name))
		}
		if attrs.raw == nil {
			slow++
			continue
		}
		fast++
		// attrs.raw promises that every value is a piece of the tag.
		if !bytes.Equal(attrs.raw, raw) {
			t.Fatalf("tag %q: attrs.raw is %q", raw, attrs.raw)
		}
		for _, a := range attrs.list {
			if len(a.val) > 0 && !pieceOf(a.val, raw) {
				t.Fatalf("tag %q: value %q is not a piece of the tag", raw, a.val)
			}
		}
	}
}

// pieceOf reports whether p lies in b's memory.
func pieceOf(p, b []byte) bool {
	s, e := uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(unsafe.Pointer(unsafe.SliceData(p)))
	return s <= e && e+uintptr(len(p)) <= s+uintptr(len(b))
}

var tagSamples = []string{
	`<a href=x>`, `<a href="x" HREF=y Id='z'>`, `<br/>`, `<p a=/>`, `<a b='c'd>`, `<a =b>`, `<a ==b>`, `<a b = "c" / >`,
	`<A  B=C	D
	E=F>`, `<a b=c/>`, `<a b="x>y">`, `<a b='>'>`, `<img src="a&amp;b" alt=c>`, "<a b=\"c\r\nd\">", "<a\x00 b=c>",
	"<a b\x00=c>", "<a b=\"\x00\">", `<a b c d>`, `<a/b/c>`, `<a / b = / >`, `<div onclick="go()" onload=x ONCLICK=y>`,
	`<a b=">`, `<a b='>`, `<svg:rect x=1>`, `<a b=c>` + "<x " + strings.Repeat("a", 10),
	`<meta http-equiv=refresh content="0;url=tel:+18005550100">`, `<input type=button value="Call now">`,
	"<a " + strings.Repeat("k=v ", 20) + ">", "</A>", "</a b=c>", "</a/>", "</a\x00>", "</ a>", "</>", "</DIV\n>", "<script></SCRIPT >", "<a " + manyNames(300) + ">", "<a " + manyNames(40) + manyNames(40) + ">",
}

func manyNames(n int) string {
	var s strings.Builder
	for i := range n {
		fmt.Fprintf(&s, "a%d=%d ", i, i)
	}
	return s.String()
}

// readStartTag and readEndTag read tags as the tokenizer's accessors do: odd tags,
// and every start tag of the shared corpus and the fixtures, most of
// them from their raw bytes.
func TestReadStartTagReadsAsTheAccessors(t *testing.T) {
	for _, s := range tagSamples {
		compareTags(t, []byte(s))
	}
	fast, slow := 0, 0
	err := testdirs.EachFile(func(_ string, b []byte) error {
		f, s := compareTags(t, b)
		fast += f
		slow += s
		return nil
	}, ".html", ".htm")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d tags with every value a piece of the tag, %d with a value unescaped (or read with the accessors)", fast, slow)
	if fast < 10*slow {
		t.Errorf("only %d of %d tags with every value a piece of the tag", fast, fast+slow)
	}
}

func FuzzReadStartTag(f *testing.F) {
	for _, s := range tagSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		compareTags(t, b)
	})
}
