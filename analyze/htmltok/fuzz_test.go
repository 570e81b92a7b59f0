package htmltok

import "testing"

// FuzzTokenizerMatchesXNetHTML holds the tokenizer to x/net/html's token
// stream on arbitrary input.
func FuzzTokenizerMatchesXNetHTML(f *testing.F) {
	for _, s := range tricky {
		f.Add([]byte(s))
	}
	for _, s := range truncated {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if d := compare(b); d != "" {
			t.Errorf("%q: %s", b, d)
		}
		rawIsInput(t, b)
	})
}
