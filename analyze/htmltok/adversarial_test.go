package htmltok

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// adversarial are inputs built to make a tokenizer rescan: many '<',
// comments, tags and script escapes the input never closes, references
// everywhere. Each is its pattern repeated to size bytes.
func adversarial(size int) map[string][]byte {
	rep := func(prefix, unit string) []byte {
		var b bytes.Buffer
		b.WriteString(prefix)
		for b.Len() < size {
			b.WriteString(unit)
		}
		return b.Bytes()
	}
	attrs := func() []byte {
		var b bytes.Buffer
		b.WriteString("<a")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, " k%d=&amp;%d", i, i)
		}
		b.WriteString("/>")
		return b.Bytes()
	}
	return map[string][]byte{
		"lt":                rep("", "<"),
		"lt-space":          rep("", "< "),
		"open-tags":         rep("", "<a"),
		"end-slash":         rep("", "</"),
		"bang":              rep("", "<!"),
		"unclosed-comment":  rep("<!--", "-"),
		"comment-bang":      rep("<!--", "--!"),
		"comment-gt":        rep("<!--", "->"),
		"unclosed-tag":      rep("<a", " b"),
		"unclosed-quote":    rep("<a b=\"", "x>"),
		"unclosed-doctype":  rep("<!DOCTYPE", " "),
		"script-lt":         rep("<script>", "</scrip"),
		"script-escaped":    rep("<script><!--", "<scrip"),
		"script-double":     rep("<script><!--<script>", "</scrip-<"),
		"script-dashes":     rep("<script><!--<script>", "-"),
		"rcdata":            rep("<title>", "</titl&amp"),
		"plaintext":         rep("<plaintext>", "</plaintext>"),
		"references":        rep("", "&notit;&#x110000000;&"),
		"long-name":         rep("&", "a"),
		"many-attrs":        attrs(),
		"duplicate-attrs":   rep("<a", " b=1 B=2"),
		"self-closing-tags": rep("", "<a b=c b=d/>"),
		"cr-nul":            rep("<script>", "\r\x00\r\n"),
	}
}

// TestAdversarialLinear tokenizes 4 MB of each adversarial input, reading
// every text and attribute: a tokenizer that rescans would take hours, a
// linear one a fraction of a second.
func TestAdversarialLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for name, b := range adversarial(4 << 20) {
		start := time.Now()
		drain(b)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(b))
		}
	}
}

// TestAdversarialMatches compares the two tokenizers on smaller copies.
func TestAdversarialMatches(t *testing.T) {
	for name, b := range adversarial(16 << 10) {
		if d := compare(b); d != "" {
			t.Errorf("%s: %s", name, d)
		}
	}
}

// drain reads every token of b as the analysis does.
func drain(b []byte) int {
	z := New(b)
	n := 0
	for {
		switch z.Next() {
		case ErrorToken:
			return n
		case TextToken, CommentToken, DoctypeToken:
			n += len(z.Text())
		default:
			_, more := z.TagName()
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				n += len(k) + len(v)
			}
		}
	}
}

func BenchmarkAdversarial(b *testing.B) {
	inputs := adversarial(1 << 20)
	names := make([]string, 0, len(inputs))
	for name := range inputs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		in := inputs[name]
		b.Run(strings.ReplaceAll(name, "-", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				drain(in)
			}
		})
	}
}
