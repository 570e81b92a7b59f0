package analyze

import (
	"reflect"
	"testing"
)

func TestTermMatcher(t *testing.T) {
	m := newTermMatcher([]string{"pc", "infect*", "access to this pc", "ウイルス", "do not", "not"})
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

func (m *termMatcher) termText(id int) string {
	t := m.terms[id]
	if t.prefix {
		return t.text + "*"
	}
	return t.text
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
