package js

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the decoders JavaScript offers (and kits use), written
// from the ECMAScript and HTML specifications: string escapes, atob,
// unescape/escape, decodeURIComponent, and text plausibility checks.

// unescapeJS decodes the body of a string literal and reports whether it
// used \x, \u or octal escapes.
func unescapeJS(s []byte) (string, bool) {
	if !containsByte(s, '\\') {
		return string(s), false
	}
	var b strings.Builder
	b.Grow(len(s))
	escaped := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		case '\n':
			// line continuation
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case 'x':
			if v, ok := hexValue(s, i+1, 2); ok {
				b.WriteRune(rune(v))
				i += 2
				escaped = true
			} else {
				b.WriteByte('x')
			}
		case 'u':
			r, n := unicodeEscape(s, i)
			if n == 0 {
				b.WriteByte('u')
				break
			}
			i += n
			// A surrogate pair spelled as two escapes is one character.
			if utf16.IsSurrogate(r) && r < 0xDC00 && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2, n2 := unicodeEscape(s, i+2); n2 > 0 && r2 >= 0xDC00 && r2 <= 0xDFFF {
					r = utf16.DecodeRune(r, r2)
					i += 2 + n2
				}
			}
			b.WriteRune(r) // a lone surrogate becomes U+FFFD
			escaped = true
		case '0', '1', '2', '3', '4', '5', '6', '7':
			// Legacy octal: up to three digits, value at most 0377.
			j := i
			v := 0
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' && v*8+int(s[j]-'0') <= 0377 {
				v = v*8 + int(s[j]-'0')
				j++
			}
			if v != 0 || j > i+1 {
				escaped = true
			}
			b.WriteRune(rune(v))
			i = j - 1
		default:
			b.WriteByte(e) // \' \" \\ and identity escapes
		}
	}
	return b.String(), escaped
}

// unicodeEscape reads \uXXXX or \u{X…} with s[i] == 'u'; it returns the
// code point and the bytes consumed after the 'u' (0 when invalid).
func unicodeEscape(s []byte, i int) (rune, int) {
	if i+1 < len(s) && s[i+1] == '{' {
		end := -1
		for j := i + 2; j < len(s) && j < i+12; j++ {
			if s[j] == '}' {
				end = j
				break
			}
		}
		if end > i+2 {
			if v, ok := hexValue(s, i+2, end-(i+2)); ok && v <= utf8.MaxRune {
				return rune(v), end - i
			}
		}
		return 0, 0
	}
	if v, ok := hexValue(s, i+1, 4); ok {
		return rune(v), 4
	}
	return 0, 0
}

func hexValue(s []byte, at, n int) (uint64, bool) {
	if at+n > len(s) || n == 0 || n > 8 {
		return 0, false
	}
	var v uint64
	for _, c := range s[at : at+n] {
		d, ok := hexDigit(c)
		if !ok {
			return 0, false
		}
		v = v<<4 | uint64(d)
	}
	return v, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func containsByte(s []byte, c byte) bool {
	return bytes.IndexByte(s, c) >= 0
}

// unquote decodes a string literal token including its quotes.
func unquote(lit []byte) string {
	if len(lit) < 2 {
		return ""
	}
	s, _ := unescapeJS(lit[1 : len(lit)-1])
	return s
}

// templateText decodes one part of a template literal token (`…`, `…${,
// }…${ or }…`), normalising CRLF to LF as the spec's cooked value does.
func templateText(raw []byte) (string, bool) {
	s := raw
	if len(s) > 0 && (s[0] == '`' || s[0] == '}') {
		s = s[1:]
	}
	if len(s) >= 2 && s[len(s)-2] == '$' && s[len(s)-1] == '{' {
		s = s[:len(s)-2]
	} else if len(s) > 0 && s[len(s)-1] == '`' {
		s = s[:len(s)-1]
	}
	out, esc := unescapeJS(s)
	if strings.Contains(out, "\r") {
		out = strings.ReplaceAll(strings.ReplaceAll(out, "\r\n", "\n"), "\r", "\n")
	}
	return out, esc
}

// decodeBase64 decodes what atob accepts: standard base64, padded or not,
// with ASCII white space anywhere (kits wrap long blobs); the URL-safe
// alphabet is accepted too since kits decode it with their own helpers.
func decodeBase64(s string) ([]byte, bool) {
	if strings.ContainsAny(s, " \t\n\r\f") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case ' ', '\n', '\r', '\t', '\f':
				return -1
			}
			return r
		}, s)
	}
	if s == "" {
		return nil, false
	}
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if !strings.HasSuffix(s, "=") {
		enc = enc.WithPadding(base64.NoPadding)
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, false
	}
	return b, true
}

// binaryString turns bytes into the JavaScript string atob would give:
// one character per byte. Bytes that form valid UTF-8 are read as UTF-8
// instead, which is what the decoded text means to people (and what
// decodeURIComponent(escape(atob(x))) gives).
func binaryString(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// jsUnescape implements unescape: %XX and %uXXXX; anything else stays.
func jsUnescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var units []uint16
	for i := 0; i < len(s); {
		if s[i] == '%' {
			if i+5 < len(s) && s[i+1] == 'u' {
				if v, ok := hexValue([]byte(s[i+2:i+6]), 0, 4); ok {
					units = append(units, uint16(v))
					i += 6
					continue
				}
			}
			if i+2 < len(s) {
				if v, ok := hexValue([]byte(s[i+1:i+3]), 0, 2); ok {
					units = append(units, uint16(v))
					i += 3
					continue
				}
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		units = utf16.AppendRune(units, r)
		i += n
	}
	return string(utf16.Decode(units))
}

// jsEscape implements escape.
func jsEscape(s string) string {
	var b strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		switch {
		case u < 0x80 && (u >= 'A' && u <= 'Z' || u >= 'a' && u <= 'z' || u >= '0' && u <= '9' || strings.IndexByte("@*_+-./", byte(u)) >= 0):
			b.WriteByte(byte(u))
		case u < 0x100:
			b.WriteString("%" + strings.ToUpper(hex2(int(u))))
		default:
			b.WriteString("%u" + strings.ToUpper(strconv.FormatUint(uint64(u)|0x10000, 16)[1:]))
		}
	}
	return b.String()
}

func hex2(v int) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>4&15], digits[v&15]})
}

// decodeURIComponentJS decodes %XX sequences as UTF-8; it fails like
// JavaScript's URIError on malformed input.
func decodeURIComponentJS(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			out = append(out, s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", false
		}
		v, ok := hexValue([]byte(s[i+1:i+3]), 0, 2)
		if !ok {
			return "", false
		}
		out = append(out, byte(v))
		i += 2
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

// decodeHexString decodes an even-length run of hex digit pairs.
func decodeHexString(s string) ([]byte, bool) {
	if len(s)%2 != 0 || len(s) == 0 {
		return nil, false
	}
	out := make([]byte, len(s)/2)
	for i := 0; i < len(s); i += 2 {
		h, ok1 := hexDigit(s[i])
		l, ok2 := hexDigit(s[i+1])
		if !ok1 || !ok2 {
			return nil, false
		}
		out[i/2] = h<<4 | l
	}
	return out, true
}

// isText reports whether a decoded string reads as text or code: no NULs
// or broken characters, at least 95% printable, half letters or digits.
func isText(s string) bool {
	if s == "" {
		return false
	}
	total, good, alnum, latin1 := 0, 0, 0, 0
	for i, r := range s {
		if i > 8192 {
			break
		}
		total++
		if r >= 0x80 && r <= 0xFF {
			latin1++ // bytes read one per character: mojibake of binary data
		}
		switch {
		case r == utf8.RuneError || r == 0:
			return false
		case r == '\n' || r == '\r' || r == '\t':
			good++
		case unicode.IsPrint(r):
			good++
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				alnum++
			}
		}
	}
	return good*100 >= total*95 && alnum*2 >= total && latin1*10 <= total
}

// looksCode says whether a decoded string is worth parsing as JavaScript.
func looksCode(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) < 6 || t[0] == '<' {
		return false
	}
	return strings.ContainsAny(t, "(=") && (strings.Contains(t, "(") && strings.Contains(t, ")") || strings.Contains(t, "="))
}

// looksHTML says whether a decoded string is markup (returned as is: the
// analyzer parses HTML itself).
func looksHTML(s string) bool {
	i := strings.IndexByte(s, '<')
	if i < 0 || i+1 >= len(s) {
		return false
	}
	c := s[i+1]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '!' || c == '/') && strings.IndexByte(s[i:], '>') > 0
}

// isIdentName: an identifier that bracket access can be written as a dot.
func isIdentName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
