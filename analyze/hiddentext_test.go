package analyze

import "testing"

func TestProse(t *testing.T) {
	for s, want := range map[string]bool{
		"Your computer has been blocked":                   true,
		"Your com\u200bputer has be\u200ben blo\u200bcked": true, // zero-width characters inside the words
		"Ваш компьютер заблокирован, позвоните":            true, // two bytes a letter
		"お使いの コンピューター は ロック されました":                         true,
		"+1 (844) 555-0173":         true,
		"#screen > div.alert":       false,
		"https://example.com/a b c": false,
		"if (a) { b = c; }":         false,
		"12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12 34 56": false, // digits, not words
	} {
		if got := prose(s); got != want {
			t.Errorf("prose(%q) = %v, want %v", s, got, want)
		}
	}
}
