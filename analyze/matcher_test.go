package analyze

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTermMatcher(t *testing.T) {
	m := newTermMatcher([]string{"pc", "infect*", "access to this pc", "ウイルス", "do not", "not", "*abteilung", "*dienst*"})
	tests := []struct {
		text string
		want []string
	}{
		{"your pc is infected", []string{"pc", "infect*"}},
		{"epc pcs pc.", []string{"pc"}},                                // whole words only
		{"access to this pc has", []string{"access to this pc", "pc"}}, // overlapping terms: longest first
		{"ウイルスに感染", []string{"ウイルス"}},                                  // CJK: no word boundaries
		{"windowsウイルス", []string{"ウイルス"}},
		{"do not close", []string{"do not", "not"}},
		{"", nil},
		{"infectious", []string{"infect*"}},
		{"disinfect", nil}, // prefix terms still need a left boundary
		// suffix terms: the end of a word (German compounds)
		{"die rückerstattungsabteilung anrufen", []string{"*abteilung"}},
		{"abteilung", []string{"*abteilung"}},
		{"abteilungen", nil},
		{"kundendienstes", []string{"*dienst*"}},
	}
	for _, tt := range tests {
		var got []string
		m.find(tt.text, func(h termHit) {
			got = append(got, m.termText(h.Term))
			if tt.text[h.Start:h.End] != m.terms[h.Term].text {
				t.Errorf("%q: hit [%d,%d) = %q, want %q", tt.text, h.Start, h.End, tt.text[h.Start:h.End], m.terms[h.Term].text)
			}
		})
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestTermMatcherNaive checks the matcher against a search for every term
// at every position, with terms and texts over a small alphabet (ASCII,
// Cyrillic, a CJK character, a space, a line break) so that terms share
// prefixes and suffixes and failure links go deep: in 16-bit tables, and
// with so many terms that the states need 32 bits.
func TestTermMatcherNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	wide := []string{"a", "b", "c", "ab", " ", "\n", "д", "ы", "ウ", "1"}
	narrow := []string{"a", "ウ", " "} // deep branches and deep failure links; ウ is no word letter
	for _, tc := range []struct {
		alphabet             []string
		terms, maxLen, texts int
	}{{wide, 30, 4, 50}, {wide, 300, 8, 20}, {wide, 2000, 6, 4}, {narrow, 200, 12, 20}, {narrow, 2000, 16, 3}, {wide, 12000, 16, 1}} {
		word := func(n int) string {
			var b strings.Builder
			for range n {
				b.WriteString(tc.alphabet[rng.IntN(len(tc.alphabet))])
			}
			return b.String()
		}
		var terms []string
		for range tc.terms {
			w := word(1 + rng.IntN(tc.maxLen))
			if rng.IntN(5) == 0 {
				w += "*"
			}
			if rng.IntN(7) == 0 {
				w = "*" + w
			}
			terms = append(terms, strings.ReplaceAll(w, "\n", " "))
		}
		m := newTermMatcher(terms)
		if wide := m.small == nil; wide != (tc.terms == 12000) {
			t.Fatalf("%d terms: 32-bit table %v, states %d", tc.terms, wide, len(m.outAt))
		}
		for range tc.texts {
			text := word(1000)
			var got []termHit
			m.find(text, func(h termHit) { got = append(got, h) })
			if want := naiveFind(m, text); !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("%d terms: hit %d: %+v (%q), want %+v (%q)", tc.terms, i, got[i], m.terms[got[i].Term].text, want[i], m.terms[want[i].Term].text)
					}
				}
				t.Fatalf("%d terms: %d hits, want %d", tc.terms, len(got), len(want))
			}
		}
	}
}

// TestTermMatcherFailureChain: a state with a full row whose failure
// state is sparse, and so is that one's, both with an edge on the same
// byte: the row takes the nearer one's. (Signs, not letters: no word
// boundaries in the way.)
func TestTermMatcherFailureChain(t *testing.T) {
	// !"#$%& branches; "#$%& and #$%& have one edge each, on (.
	m := newTermMatcher([]string{`!"#$%&)`, `!"#$%&+`, `"#$%&(`, `#$%&(`})
	var got []string
	m.find(`!"#$%&(`, func(h termHit) { got = append(got, m.termText(h.Term)) })
	if want := []string{`"#$%&(`, `#$%&(`}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if m.ndense != 11 || len(m.sparse) != 9 {
		t.Errorf("%d dense and %d sparse states, want 11 and 9", m.ndense, len(m.sparse))
	}
}

// naiveFind is find by brute force: every term at every end position,
// longest first, then in the order given.
func naiveFind(m *termMatcher, text string) []termHit {
	var hits []termHit
	norm := strings.ReplaceAll(text, "\n", " ")
	for id, tm := range m.terms {
		if tm.text == "" {
			continue
		}
		for start := 0; start+len(tm.text) <= len(text); start++ {
			end := start + len(tm.text)
			if norm[start:end] != tm.text {
				continue
			}
			if r, _ := utf8.DecodeLastRuneInString(text[:start]); tm.leftBound && start > 0 && isWordRune(r) {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(text[end:]); tm.rightBound && end < len(text) && isWordRune(r) {
				continue
			}
			hits = append(hits, termHit{Term: id, Start: start, End: end})
		}
	}
	slices.SortStableFunc(hits, func(a, b termHit) int {
		if a.End != b.End {
			return a.End - b.End
		}
		return a.Start - b.Start // longest first; stable: then by id
	})
	return hits
}

func (m *termMatcher) termText(id int) string {
	t := m.terms[id]
	s := t.text
	if t.suffix {
		s = "*" + s
	}
	if t.prefix {
		s += "*"
	}
	return s
}

func TestNormalizeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Your  PC  is BLOCKED ", "your pc is blocked"},
		{"0800 123 4567\t0800 765 4321", "0800 123 4567\n0800 765 4321"}, // innerText's table cells
		{"  Your  PC\n\tis BLOCKED \n", "your pc\nis blocked"},           // a line break is kept: a block boundary
		{"Call\u00a00800\u202f123\u20094567", "call 0800 123 4567"},      // no-break and thin spaces
		{"Tél. 01\u201123", "tél. 01\u201023"},                           // non-breaking hyphen, a hyphen for the scanner
		{"Ｗｉｎｄｏｗｓ　サポート", "windows サポート"},                                 // full-width folded (NFKC)
		{"Mi\u200bcro\u00adsoft", "microsoft"},                           // zero-width and soft hyphen removed
		{"don\u2019t close", "don't close"},
		{"\xff\xfe bad", "bad"},
	}
	for _, tt := range tests {
		if got := normalizeText(tt.in); got != tt.want {
			t.Errorf("normalizeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRefreshURL(t *testing.T) {
	tests := map[string]string{
		"0;url=tel:+18445550142":      "tel:+18445550142",
		"0; URL='tel:+18445550142'":   "tel:+18445550142",
		"5":                           "",
		"3,url=https://example.org/x": "https://example.org/x",
	}
	for in, want := range tests {
		if got := refreshURL(in); got != want {
			t.Errorf("refreshURL(%q) = %q, want %q", in, got, want)
		}
	}
}
