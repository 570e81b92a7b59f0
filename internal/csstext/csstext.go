// Package csstext reads the text CSS generated content shows: the strings
// of content: declarations in style sheets and of computed content values.
// Kits put their alert in ::before/::after content so that the document's
// text holds no words.
package csstext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text is the text a CSS content value shows: its
// strings, unescaped and joined; counters, quotes and url() show no text of
// the page's. Private-use characters (icon fonts) are dropped, and a value
// without a letter or digit is no text at all.
func Text(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		q := v[i]
		if q != '"' && q != '\'' {
			i++
			continue
		}
		i++
		for i < len(v) && v[i] != q {
			c := v[i]
			if c != '\\' {
				b.WriteByte(c)
				i++
				continue
			}
			i++
			if i >= len(v) {
				break
			}
			// \ followed by up to six hex digits and one optional space is a code point.
			j := i
			for j < len(v) && j-i < 6 && isHex(v[j]) {
				j++
			}
			if j > i {
				n, _ := strconv.ParseUint(v[i:j], 16, 32)
				r := rune(n)
				if r == '\n' || r == '\r' || r == '\f' {
					r = ' '
				}
				if r > 0 && utf8.ValidRune(r) {
					b.WriteRune(r)
				}
				if j < len(v) && (v[j] == ' ' || v[j] == '\t' || v[j] == '\n') {
					j++
				}
				i = j
				continue
			}
			if v[i] == '\n' { // an escaped line break continues the string
				i++
				continue
			}
			b.WriteByte(v[i])
			i++
		}
		i++ // the closing quote
	}
	text := strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Co, r) || (unicode.IsControl(r) && r != '\n') {
			return -1
		}
		return r
	}, b.String())
	if strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return ""
	}
	return strings.TrimSpace(text)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// AttrNames returns the attributes a content value shows with attr()
// (content: attr(data-msg)), lower case, outside its strings.
func AttrNames(v string) []string {
	var out []string
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"' || c == '\'':
			// Skip the string (escapes included).
			for i++; i < len(v) && v[i] != c; i++ {
				if v[i] == '\\' {
					i++
				}
			}
		case (c == 'a' || c == 'A') && i+5 <= len(v) && strings.EqualFold(v[i:i+5], "attr(") && (i == 0 || !isNameByte(v[i-1])):
			j := i + 5
			for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
				j++
			}
			k := j
			for k < len(v) && isNameByte(v[k]) {
				k++
			}
			if k > j {
				out = append(out, strings.ToLower(v[j:k]))
			}
			i = k - 1
		}
	}
	return out
}

// Contents returns the values of up to max content: declarations in a
// style sheet (or a style attribute), in order.
func Contents(css string, max int) []string {
	var out []string
	for _, d := range Declarations(css, "content", max) {
		out = append(out, d.Value)
	}
	return out
}

// Decl is one declaration found by Declarations: where it starts (its
// property name), where its value starts, and the value, trimmed.
type Decl struct {
	Start, ValueStart int
	Value             string
}

// Declarations finds up to limit declarations of a property (given in lower
// case; the first letter may be upper case in the text) in a style sheet
// or a style attribute, in order. A longer name that ends or begins with
// it (align-content, --my-content) is another property. Hand-written: a
// regular expression over megabytes of CSS costs too much, and a
// case-insensitive one has no literal prefix to skip ahead with.
func Declarations(css, property string, limit int) []Decl {
	if property == "" {
		return nil
	}
	var out []Decl
	tail := property[1:]
	for i := 0; len(out) < limit; {
		j := strings.Index(css[i:], tail)
		if j < 0 {
			break
		}
		at := i + j - 1
		k := i + j + len(tail)
		i = k
		if at < 0 || css[at]|0x20 != property[0] || at > 0 && isNameByte(css[at-1]) || k < len(css) && isNameByte(css[k]) {
			continue
		}
		for k < len(css) && (css[k] == ' ' || css[k] == '\t' || css[k] == '\n' || css[k] == '\r') {
			k++
		}
		if k >= len(css) || css[k] != ':' {
			continue
		}
		k++
		// The value runs to the end of the declaration; quotes may hold ; and }.
		start := k
		for start < len(css) && (css[start] == ' ' || css[start] == '\t' || css[start] == '\n' || css[start] == '\r') {
			start++
		}
		k = valueEnd(css, k)
		out = append(out, Decl{Start: at, ValueStart: start, Value: strings.TrimSpace(css[start:max(k, start)])})
		i = k
	}
	return out
}

// valueEnd is where the declaration value starting at k ends: at a ; or }
// outside quotes, the end of the text, or 4 KiB on.
func valueEnd(css string, k int) int {
	var quote byte
	for start := k; k < len(css) && k-start <= 4096; k++ {
		c := css[k]
		switch {
		case quote != 0 && c == '\\':
			k++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && (c == ';' || c == '}'):
			return k
		}
	}
	return min(k, len(css))
}

func isNameByte(c byte) bool {
	return c == '-' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
