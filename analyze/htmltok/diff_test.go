package htmltok

import (
	"bytes"
	"fmt"
	"testing"
	"unsafe"

	"golang.org/x/net/html"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// tok is one token as the analysis reads it: type, raw bytes, and the
// text, or the tag name and attributes.
type tok struct {
	tt      TokenType
	raw     string
	text    string
	again   int // the length of a second Text or TagName
	name    string
	hasAttr bool
	attrs   []string
}

func (t tok) String() string {
	return fmt.Sprintf("%v raw=%q text=%q again=%d name=%q has=%v attrs=%q", t.tt, t.raw, t.text, t.again, t.name, t.hasAttr, t.attrs)
}

// tokenizer is the API both tokenizers share.
type tokenizer interface {
	Next() html.TokenType
	Raw() []byte
	Text() []byte
	TagName() ([]byte, bool)
	TagAttr() ([]byte, []byte, bool)
}

func tokens(z tokenizer, limit int) []tok {
	var out []tok
	for len(out) < limit {
		t := tok{tt: z.Next()}
		if t.tt == ErrorToken {
			out = append(out, t)
			break
		}
		t.raw = string(z.Raw()) // before Text, which x/net/html may rewrite in place
		switch t.tt {
		case TextToken, CommentToken, DoctypeToken:
			t.text = string(z.Text())
			t.again = len(z.Text())
		default:
			name, more := z.TagName()
			t.name, t.hasAttr = string(name), more
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				t.attrs = append(t.attrs, fmt.Sprintf("%s=%s|%v", k, v, more))
			}
			again, _ := z.TagName()
			t.again = len(again)
		}
		out = append(out, t)
	}
	return out
}

// compare returns how the two tokenizers differ on b, or "".
func compare(b []byte) string {
	limit := 2*len(b) + 2 // every token but the last has a byte
	want := tokens(html.NewTokenizer(bytes.NewReader(b)), limit)
	our := New(b)
	got := tokens(our, limit)
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(want):
			return fmt.Sprintf("token %d: extra %v", i, got[i])
		case i >= len(got):
			return fmt.Sprintf("token %d: missing %v", i, want[i])
		case want[i].String() != got[i].String():
			return fmt.Sprintf("token %d:\n got %v\nwant %v", i, got[i], want[i])
		}
	}
	return ""
}

// rawIsInput checks that Raw returns pieces of the input, in order.
func rawIsInput(t *testing.T, b []byte) {
	t.Helper()
	z := New(b)
	off := 0
	for z.Next() != ErrorToken {
		raw := z.Raw()
		if len(raw) == 0 {
			t.Fatalf("empty token at %d", off)
		}
		if unsafe.SliceData(raw) != unsafe.SliceData(b[off:]) {
			t.Fatalf("Raw at %d is not a piece of the input", off)
		}
		off += len(raw)
	}
}

var tricky = []string{
	"",
	"plain",
	"a<b",
	"a < b > c",
	"<",
	"<<<<a>",
	"<a",
	"<a ",
	"<a>",
	"<a/>",
	"<a />",
	"<a/ >",
	"<br/>x",
	"<a b=c/>",
	"<a b=/>",
	"<a b=c d/>",
	"<a b=c b=d/>",
	"<a B=1 b=2/>",
	"<a b='c'/>",
	`<a b="c"/>`,
	`<a b=""/>`,
	"<a b c=d e='f' g=\"h\" i = j k= l m =n>",
	"<a =b>",
	"<a ==b>",
	"<a = b>",
	"<a b= >",
	"<a b=>",
	"<a b c>",
	"<a \"b\"=c>",
	"<a b='>'>x",
	"<a b=\"x>y\" c=d>",
	"<a b=\"unterminated>",
	"<a b=c",
	"<a b",
	"<a b=",
	"<a b='",
	"<A HREF=X>",
	"<DIV Class=A CLASS=b class=c>",
	"<div a=1 A=2 a=3 b=4>",
	"<a b=&amp;c>",
	`<a href="?a=1&b=2&amp;c=3&copy=4&copy;&copy&notit;&not;&#38;&#x26;&#0;&#xD800;&#x110000;&#128;&#;&#x;&">`,
	"<a b='&lt=x'>",
	"<a b='&lt;=x'>",
	"<a b='&lt'>",
	"<a b=\"x\r\ny\rz\">",
	"<a b=\"x\x00y\">",
	"<a\x00b c\x00=d\x00>",
	"<a b\x00 b\x00>",
	"<a b\x00 b\ufffd>",
	"</a>",
	"</A>",
	"</a b=c>",
	"</a/>",
	"</>",
	"</",
	"x</",
	"</ x>",
	"</ x",
	"</1>",
	"<!x>",
	"<!x",
	"<!",
	"<!>",
	"<!>x",
	"<!-",
	"<!--",
	"<!---",
	"<!----",
	"<!-->",
	"<!--->",
	"<!---->",
	"<!--x-->",
	"<!--x--!>y",
	"<!--x--!",
	"<!--x--!-->",
	"<!--x--!x-->",
	"<!--x--x-->",
	"<!--x->-->",
	"<!-- a -- b -->",
	"<!--x",
	"<!--x-",
	"<!--x--",
	"<!--\x00\r\n&amp;-->",
	"<!DOCTYPE html>",
	"<!doctype html>",
	"<!DocType>",
	"<!DOCTYPEhtml>",
	"<!DOCTYPE",
	"<!DOCTYPE   ",
	"<!DOCTYPE x",
	"<!DOCT",
	"<!DOCTYPE a&amp;b\x00\r>",
	"<![CDATA[x]]>",
	"<?php echo 1 ?>",
	"<?xml",
	"<script>a<b</script>",
	"<script>x</SCRIPT >y",
	"<script>x</script\n>",
	"<script>x</scriptx></script>",
	"<script>x</scrip</script>",
	"<script>x</</script>",
	"<script>x</script",
	"<script>x</scr",
	"<script>x<",
	"<script>",
	"<script></script>",
	"<script/>x</script>",
	"<SCRIPT>x</script>",
	"<script>a\x00b\r\nc&amp;</script>",
	"<script><!--x</script>-->",
	"<script><!--<script>x</script>y--></script>",
	"<script><!--<script>x</script>y</script>",
	"<script><!--<script>x--></script>",
	"<script><!--<script>x--!></script>z</script>",
	"<script><!--<SCRIPT>x</script>-></script>",
	"<script><!--<scripty>x</script>",
	"<script><!--<scrip>x</script>",
	"<script><!--<scrip",
	"<script><!--<script",
	"<script><!--<script>",
	"<script><!--<script>--<",
	"<script><!--<script></scr",
	"<script><!--<script></script",
	"<script><!--x<</script>",
	"<script><!--x<1</script>",
	"<script><!--x-<>--></script>",
	"<script><!--->x</script>",
	"<script><!-->x</script>",
	"<script><!-x</script>",
	"<script><!</script>",
	"<script><!-",
	"<script><!--",
	"<script><!--<script>a<b-c--d--></script>",
	"<script><!--<script>a</script x</script>",
	"<style>a<b></style>",
	"<style>x</STYLE>",
	"<style>x</styl",
	"<title>a &amp; b &lt;c&gt;</title>",
	"<title>a<b>c</b></title>",
	"<title>a\x00b\r\n</title>",
	"<textarea>a&amp;<b></textarea>",
	"<textarea></textarea>",
	"<xmp><b>&amp;</xmp>",
	"<iframe><p>x</iframe>",
	"<noscript><p>x&amp;</noscript>",
	"<noembed>x</noembed>",
	"<noframes>x</noframes>",
	"<plaintext><b>a&amp;</b></plaintext>\x00\r\n",
	"<plaintext>",
	"<PlainText>x",
	"<scripts>x</scripts>",
	"<titles>a&amp;</titles>",
	"a &amp; b &lt; c &gt; d &nbsp; &copy &copy; &notit; &notin; &#39; &#x27; &#X27 &# &#x &; & &amp",
	"&fjlig; &nGt; &NotEqualTilde; &CounterClockwiseContourIntegral; &ThisIsNotAnEntityAtAllButAVeryLongName;",
	"a\x00b",
	"a\r\nb\rc\n",
	"\r\n\r\r\n",
	"<p>a</p>\r\n<p>b</p>",
	"<a href=x>y</a><img src=z/>",
	"<div\n\tclass\f=\r'x'\n>",
	"<a b='c'd=e>",
	"<a b=c'd>",
	"<a/b/c>",
	"<a//>",
	"<a =>",
	"<a/=b>",
}

// truncated are snippets also tried cut at every offset.
var truncated = []string{
	"<!DOCTYPE html><html><head><title>T &amp; x</title><script>if(a<b){x='</scr'+'ipt>'}<!--<script>y--></script></head>" +
		"<body><!-- c --><div class=\"a b\" id=x data-x='1'>hi&nbsp;there<br/><img src=a.png alt=\"\" /></div>" +
		"<textarea>t&lt;</textarea><style>p>a{}</style><![CDATA[x]]><?x?></ x><!x></body></html>",
	"<script><!--<script>--></script>x</script><p>",
	"<a href=\"?a=1&amp;b=2\" B=3 b=4 c=d/>",
}

func TestTricky(t *testing.T) {
	for _, s := range tricky {
		if d := compare([]byte(s)); d != "" {
			t.Errorf("%q: %s", s, d)
		}
		rawIsInput(t, []byte(s))
	}
}

func TestTruncated(t *testing.T) {
	for _, s := range truncated {
		for i := range len(s) + 1 {
			if d := compare([]byte(s[:i])); d != "" {
				t.Errorf("%q: %s", s[:i], d)
			}
		}
	}
}

// TestCorpus compares the two tokenizers on every file of the shared
// corpus (pages, their scripts and styles) and of the fixtures.
func TestCorpus(t *testing.T) {
	n := eachFile(t, func(b []byte) string {
		rawIsInput(t, b)
		return compare(b)
	})
	t.Logf("%d files", n)
}

// eachFile calls check on every file of the shared corpus and of the
// fixtures, reports what it returns, and says how many files it read
// (skipping the test when there are none).
func eachFile(t *testing.T, check func(b []byte) string) int {
	t.Helper()
	n := 0
	err := testdirs.EachFile(func(name string, b []byte) error {
		n++
		if d := check(b); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Skip("no files")
	}
	return n
}
