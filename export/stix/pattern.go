package stix

import (
	"strings"

	"github.com/tssguard/tssguard/export"
)

// Quote returns s as a STIX patterning string literal: in single quotes,
// with every backslash and single quote escaped by a backslash (STIX 2.1,
// Patterning).
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c == '\'' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}

// Unquote reverses Quote. It reports false when s is not a single quoted
// literal with only \\ and \' escapes.
func Unquote(s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			i++
			if i == len(s) || (s[i] != '\\' && s[i] != '\'') {
				return "", false
			}
			b.WriteByte(s[i])
		case '\'':
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// urlPatternPrefix starts the LIKE pattern of a URL pattern: any http or
// https URL.
const urlPatternPrefix = "http%://"

// Pattern returns the STIX pattern that matches an indicator:
//
//	[domain-name:value = 'example.com']
//	[url:value = 'https://example.com/path']
//	[url:value LIKE 'http%://host/path?param=%']   (a URL pattern: no scheme)
//	[phone-number:value = '+18005551234']
//
// A URL without "://" is a pattern for reflected numbers (host/path?param=)
// and matches any http(s) URL that starts with it; in LIKE, '%' and '_' in
// the pattern are wildcards too, which can only widen the match.
func Pattern(kind export.Kind, value string) string {
	switch kind {
	case export.Domain:
		return "[domain-name:value = " + Quote(value) + "]"
	case export.URL:
		if !strings.Contains(value, "://") {
			return "[url:value LIKE " + Quote(urlPatternPrefix+value+"%") + "]"
		}
		return "[url:value = " + Quote(value) + "]"
	case export.Number:
		return "[" + PhoneNumberType + ":value = " + Quote(value) + "]"
	}
	return ""
}

// ParsePattern recovers the indicator kind and value from a pattern that
// Pattern wrote. It reports false for any other pattern.
func ParsePattern(p string) (export.Kind, string, bool) {
	if len(p) < 2 || p[0] != '[' || p[len(p)-1] != ']' {
		return "", "", false
	}
	p = p[1 : len(p)-1]
	path, rest, ok := strings.Cut(p, " ")
	if !ok {
		return "", "", false
	}
	op, lit, ok := strings.Cut(rest, " ")
	if !ok {
		return "", "", false
	}
	v, ok := Unquote(lit)
	if !ok {
		return "", "", false
	}
	switch {
	case path == "domain-name:value" && op == "=":
		return export.Domain, v, true
	case path == "url:value" && op == "=":
		return export.URL, v, true
	case path == "url:value" && op == "LIKE":
		if !strings.HasPrefix(v, urlPatternPrefix) || !strings.HasSuffix(v, "%") {
			return "", "", false
		}
		return export.URL, v[len(urlPatternPrefix) : len(v)-1], true
	case path == PhoneNumberType+":value" && op == "=":
		return export.Number, v, true
	}
	return "", "", false
}
