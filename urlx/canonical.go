// Package urlx canonicalises URLs the way Google Safe Browsing does, derives
// the host-suffix/path-prefix expressions that a URL is looked up under, hashes
// them, and maps hosts to registrable domains (eTLD+1, with shared-hosting
// platforms kept apart per customer subdomain).
//
// The canonicalisation follows the "Canonicalization" section of the Safe
// Browsing v4 API documentation ("URLs and Hashing"):
//
//  1. Remove tab (0x09), CR (0x0d) and LF (0x0a) characters. Escape
//     sequences for them (e.g. "%0a") are not removed.
//  2. If the URL ends in a fragment, remove the fragment.
//  3. Repeatedly percent-unescape the URL until it has no more
//     percent-escapes.
//  4. Host name: remove all leading and trailing dots, replace consecutive
//     dots with a single dot, normalise an IPv4 address written in any legal
//     encoding (decimal, octal, hexadecimal, fewer than four components) to
//     four dot-separated decimal values, and lowercase the whole string.
//  5. Path: resolve "/../" and "/./" and replace runs of consecutive slashes
//     with a single slash. The query is not path-canonicalised.
//  6. Percent-escape all characters that are <= ASCII 32, >= 127, '#' or
//     '%', with uppercase hex digits.
//
// The documentation assumes the URL has already been parsed into a valid form;
// this package does that parsing itself and decides the following, which the
// documentation leaves open: leading and trailing C0 control characters and
// spaces are trimmed (as browsers do); a missing scheme means "http"; only
// http and https are accepted; user information and the port are dropped; an
// internationalised host name is converted to Punycode (IDNA lookup rules)
// when it is valid UTF-8; an empty path becomes "/".
package urlx

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// MaxURLLength is the longest input Canonicalize accepts, and the longest
// canonical URL it returns, in bytes. Longer input or output is refused with
// ErrTooLong, so that hostile input costs bounded work and every canonical
// URL can be canonicalised again.
const MaxURLLength = 8 << 10

// Errors returned by Canonicalize. They may be wrapped; test with errors.Is.
var (
	ErrTooLong           = errors.New("urlx: URL too long")
	ErrEmpty             = errors.New("urlx: empty URL")
	ErrUnsupportedScheme = errors.New("urlx: unsupported scheme (only http and https)")
	ErrNoHost            = errors.New("urlx: URL has no host")
	ErrBadPort           = errors.New("urlx: invalid port")
	ErrBadHost           = errors.New("urlx: invalid host")
	ErrRelative          = errors.New("urlx: relative URL")
)

// Canonicalize returns the Safe Browsing canonical form of raw, for example
// "http://www.GOOgle.com:80/a/../b#frag" → "http://www.google.com/b".
//
// It never panics and does work linear in len(raw); input longer than
// MaxURLLength is refused.
func Canonicalize(raw string) (string, error) {
	var out [512]byte
	b, err := AppendCanonical(out[:0], raw)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// AppendCanonical appends the canonical form of raw (see Canonicalize) to
// dst and returns the extended buffer. On error dst is returned unchanged.
// It does not allocate when dst has room and raw is shorter than 256 bytes.
func AppendCanonical(dst []byte, raw string) ([]byte, error) {
	if len(raw) > MaxURLLength {
		return dst, ErrTooLong
	}
	// Trim leading and trailing C0 controls and spaces.
	start, end := 0, len(raw)
	for start < end && raw[start] <= ' ' {
		start++
	}
	for end > start && raw[end-1] <= ' ' {
		end--
	}
	raw = raw[start:end]
	if raw == "" {
		return dst, ErrEmpty
	}

	// Steps 1–3 in one pass: drop tab/CR/LF, stop at the first '#', and
	// unescape to the fixed point. Unescaping "%XY" (X, Y hex) never
	// overlaps another escape, so the fixed point is unique and a stack
	// that re-examines its top three bytes after every push reaches it
	// in linear time: a decoded byte can only complete an escape as the
	// last of the three bytes on top.
	var work [256]byte
	u := work[:0]
	if len(raw) > len(work) {
		u = make([]byte, 0, len(raw))
	}
	plain := true
	for i := 0; i < len(raw); i++ {
		if unescapeSpecial[raw[i]] {
			plain = false
			break
		}
	}
	if plain {
		// The common case: nothing to remove, strip or unescape.
		u = append(u, raw...)
	}
	for i := 0; !plain && i < len(raw); i++ {
		b := raw[i]
		switch b {
		case '\t', '\r', '\n':
			continue
		case '#':
			i = len(raw) // strip the fragment
			continue
		}
		u = append(u, b)
		for n := len(u); n >= 3 && u[n-3] == '%' && isHex(u[n-2]) && isHex(u[n-1]); n = len(u) {
			u[n-3] = unhex(u[n-2])<<4 | unhex(u[n-1])
			u = u[:n-2]
		}
	}

	rest, https, err := scheme(u)
	if err != nil {
		return dst, err
	}

	// Authority: up to the first '/' or '?'. Then path and query.
	i := 0
	for i < len(rest) && rest[i] != '/' && rest[i] != '?' {
		i++
	}
	auth, rest := rest[:i], rest[i:]
	path, query, hasQ := rest, rest[:0], false
	for j := 0; j < len(rest); j++ {
		if rest[j] == '?' {
			path, query, hasQ = rest[:j], rest[j+1:], true
			break
		}
	}

	var hbuf [128]byte
	host, err := normHost(hbuf[:0], auth)
	if err != nil {
		return dst, err
	}
	var pbuf [256]byte
	path = normPath(pbuf[:0], path)

	n := len(dst)
	if https {
		dst = append(dst, "https://"...)
	} else {
		dst = append(dst, "http://"...)
	}
	dst = appendEscaped(dst, host)
	dst = appendEscaped(dst, path)
	if hasQ {
		dst = append(dst, '?')
		dst = appendEscaped(dst, query)
	}
	if len(dst)-n > MaxURLLength {
		return dst[:n], ErrTooLong
	}
	return dst, nil
}

// scheme recognises and removes "http:" or "https:" and the slashes after
// it. With no scheme the URL is taken to be "http". A string such as
// "localhost:8080/x" is a host and port, not a scheme.
func scheme(u []byte) (rest []byte, https bool, err error) {
	i := 0
	if len(u) > 0 && isAlpha(u[0]) {
		i = 1
		for i < len(u) && (isAlpha(u[i]) || isDigit(u[i]) || u[i] == '+' || u[i] == '-' || u[i] == '.') {
			i++
		}
	}
	if i == 0 || i >= len(u) || u[i] != ':' {
		// No scheme.
		if len(u) > 0 && u[0] == '/' {
			if len(u) < 2 || u[1] != '/' {
				return nil, false, ErrRelative
			}
			return trimSlashes(u), false, nil
		}
		return u, false, nil
	}
	s := u[:i]
	switch {
	case equalFoldASCII(s, "http"):
		return trimSlashes(u[i+1:]), false, nil
	case equalFoldASCII(s, "https"):
		return trimSlashes(u[i+1:]), true, nil
	}
	// "host:port[/...]" with no scheme: the part after ':' is all digits
	// up to the end of the authority.
	j := i + 1
	for j < len(u) && isDigit(u[j]) {
		j++
	}
	if j > i+1 && (j == len(u) || u[j] == '/' || u[j] == '?') && !knownScheme(s) {
		return u, false, nil
	}
	return nil, false, fmt.Errorf("%w: %q", ErrUnsupportedScheme, truncate(s, 32))
}

// knownScheme reports whether s names a non-web scheme that must not be
// mistaken for a host name even when followed by digits ("tel:1800…").
func knownScheme(s []byte) bool {
	for _, k := range [...]string{"tel", "sms", "callto", "sip", "skype", "facetime", "mailto", "data", "javascript", "file", "ftp", "ws", "wss", "about", "blob"} {
		if equalFoldASCII(s, k) {
			return true
		}
	}
	return false
}

func trimSlashes(b []byte) []byte {
	for len(b) > 0 && b[0] == '/' {
		b = b[1:]
	}
	return b
}

// normHost normalises the authority auth into the host name, appended to
// dst.
func normHost(dst, auth []byte) ([]byte, error) {
	// Drop user information.
	for i := len(auth) - 1; i >= 0; i-- {
		if auth[i] == '@' {
			auth = auth[i+1:]
			break
		}
	}
	// Drop the port.
	colon := -1
	for i := len(auth) - 1; i >= 0; i-- {
		if auth[i] == ':' {
			colon = i
			break
		}
		if auth[i] == ']' {
			break
		}
	}
	if colon >= 0 {
		for _, b := range auth[colon+1:] {
			if !isDigit(b) {
				return nil, ErrBadPort
			}
		}
		auth = auth[:colon]
	}

	h := normDots(append(dst, auth...))
	if !isASCII(h) && utf8.Valid(h) {
		// An internationalised name: IDNA may map other full stops to
		// '.', so the dots are normalised again after it.
		if a, err := idna.Lookup.ToASCII(string(h)); err == nil && hostSafe(a) {
			h = normDots(append(h[:0], a...))
		}
	}
	if len(h) == 0 {
		return nil, ErrNoHost
	}
	if h[0] == '[' {
		if h[len(h)-1] != ']' {
			return nil, ErrBadHost
		}
	} else {
		for _, b := range h {
			if b == ':' {
				return nil, ErrBadHost
			}
		}
	}
	if ip, ok := parseIPv4(h); ok {
		h = appendIPv4(h[:0], ip)
	}
	return h, nil
}

// normDots strips leading and trailing dots, collapses runs of dots and
// lowercases ASCII letters, in place.
func normDots(h []byte) []byte {
	w := 0
	for r := 0; r < len(h); r++ {
		b := h[r]
		if b == '.' && (w == 0 || h[w-1] == '.') {
			continue
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		h[w] = b
		w++
	}
	for w > 0 && h[w-1] == '.' {
		w--
	}
	return h[:w]
}

// hostSafe reports whether an IDNA result can stand as a host without
// changing how the canonical URL parses again.
func hostSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b <= ' ' || b >= 0x7f {
			return false
		}
		switch b {
		case '/', '?', '#', '@', ':', '%', '\\', '[', ']':
			return false
		}
	}
	return s != ""
}

// normPath resolves "." and ".." segments of p and collapses slashes,
// appending the result, which starts with '/', to out.
func normPath(out, p []byte) []byte {
	if len(p) >= cap(out) {
		out = make([]byte, 0, len(p)+1)
	}
	trailing := true
	for len(p) > 0 {
		// p starts at a segment; skip the slashes before it.
		if p[0] == '/' {
			p = p[1:]
			trailing = true
			continue
		}
		i := 0
		for i < len(p) && p[i] != '/' {
			i++
		}
		seg := p[:i]
		p = p[i:]
		switch {
		case len(seg) == 1 && seg[0] == '.':
			trailing = true
		case len(seg) == 2 && seg[0] == '.' && seg[1] == '.':
			for len(out) > 0 && out[len(out)-1] != '/' {
				out = out[:len(out)-1]
			}
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			trailing = true
		default:
			out = append(out, '/')
			out = append(out, seg...)
			trailing = false
		}
	}
	if trailing || len(out) == 0 {
		out = append(out, '/')
	}
	return out
}

const upperhex = "0123456789ABCDEF"

// unescapeSpecial marks the bytes the first pass acts on.
var unescapeSpecial = [256]bool{'\t': true, '\r': true, '\n': true, '#': true, '%': true}

// mustEscape marks the bytes that are percent-escaped in a canonical URL.
var mustEscape = func() (t [256]bool) {
	for b := range t {
		t[b] = b <= ' ' || b >= 0x7f || b == '#' || b == '%'
	}
	return t
}()

// appendEscaped appends s with bytes <= 32, >= 127, '#' and '%'
// percent-escaped.
func appendEscaped(dst, s []byte) []byte {
	i := 0
	for i < len(s) && !mustEscape[s[i]] {
		i++
	}
	dst = append(dst, s[:i]...)
	for _, b := range s[i:] {
		if mustEscape[b] {
			dst = append(dst, '%', upperhex[b>>4], upperhex[b&15])
		} else {
			dst = append(dst, b)
		}
	}
	return dst
}

// parseIPv4 parses h as an IPv4 address in any of the forms inet_aton
// accepts: one to four components, each decimal, octal (leading "0") or
// hexadecimal (leading "0x"); the last component fills the remaining bytes.
func parseIPv4[T string | []byte](h T) (uint32, bool) {
	var parts [4]uint64
	n := 0
	for len(h) > 0 {
		if n == 4 {
			return 0, false
		}
		i := 0
		for i < len(h) && h[i] != '.' {
			i++
		}
		v, ok := parseIPv4Part(h[:i])
		if !ok {
			return 0, false
		}
		parts[n] = v
		n++
		if i < len(h) {
			i++ // the dot; h never ends in a dot here
		}
		h = h[i:]
	}
	if n == 0 {
		return 0, false
	}
	var ip uint64
	for i := 0; i < n-1; i++ {
		if parts[i] > 255 {
			return 0, false
		}
		ip |= parts[i] << (24 - 8*uint(i))
	}
	last := parts[n-1]
	if last >= 1<<(8*uint(5-n)) {
		return 0, false
	}
	return uint32(ip | last), true
}

func parseIPv4Part[T string | []byte](s T) (uint64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	base := uint64(10)
	switch {
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		base, s = 16, s[2:]
	case len(s) >= 2 && s[0] == '0':
		base, s = 8, s[1:]
	}
	if len(s) == 0 {
		return 0, base == 16 // "0x" alone is zero, as inet_aton has it
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		b := s[i]
		var d uint64
		switch {
		case isDigit(b):
			d = uint64(b - '0')
		case base == 16 && isHex(b):
			d = uint64(unhex(b))
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		v = v*base + d
		if v > 0xffffffff {
			return 0, false
		}
	}
	return v, true
}

func appendIPv4(dst []byte, ip uint32) []byte {
	for i := 0; i < 4; i++ {
		if i > 0 {
			dst = append(dst, '.')
		}
		b := byte(ip >> (24 - 8*uint(i)))
		if b >= 100 {
			dst = append(dst, '0'+b/100)
		}
		if b >= 10 {
			dst = append(dst, '0'+b/10%10)
		}
		dst = append(dst, '0'+b%10)
	}
	return dst
}

func isAlpha(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }
func isDigit(b byte) bool { return '0' <= b && b <= '9' }
func isHex(b byte) bool   { return isDigit(b) || ('a' <= b|0x20 && b|0x20 <= 'f') }

func unhex(b byte) byte {
	if isDigit(b) {
		return b - '0'
	}
	return b | 0x20 - 'a' + 10
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

func equalFoldASCII(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if b[i]|0x20 != s[i] {
			return false
		}
	}
	return true
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}
