package htmltok

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// pieces are the bits of HTML syntax the random snippets are made of, so
// that they reach the tokenizer's states far more often than random bytes.
var pieces = []string{
	"<", ">", "/", "!", "?", "-", "--", "=", "'", "\"", " ", "\n", "\r", "\r\n", "\f", "\x00", "&", ";", "#", "x",
	"a", "B", "b=c", "script", "SCRIPT", "scripT", "style", "title", "textarea", "plaintext", "xmp", "iframe",
	"noscript", "noembed", "noframes", "DOCTYPE", "doctype", "[CDATA[", "]]", "&amp;", "&lt", "&notit;", "&#x41;",
	"&#128;", "&#0;", "&fjlig;", "é", "\xff",
	"<script>", "</script>", "<!--", "-->", "--!>", "<title>", "</title>", "<a ", "</a>", "<a b=c/>",
}

// TestRandomSnippets compares the two tokenizers on many short random
// strings of HTML syntax (seeded: the same strings every run).
func TestRandomSnippets(t *testing.T) {
	n := 200000
	if testing.Short() {
		n = 20000
	}
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range n {
		b.Reset()
		for range 1 + r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		if d := compare([]byte(b.String())); d != "" {
			t.Fatalf("%q: %s", b.String(), d)
		}
	}
}
