package export

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// The line formats share one shape: a header, one pass over the source in
// the source's order, a trailer. Nothing here holds the indicators: a
// writer keeps at most a set of 8-byte hashes of what it has written (for
// de-duplication), which for 1,000,000 entries is about 20 MB, plus a
// 64 KiB output buffer. Output is a pure function of the indicators (in
// source order) and Meta, so the same input gives the same bytes and ETag.

const bufSize = 64 << 10

// ErrInvalid is wrapped by the Normalize functions' errors.
var ErrInvalid = errors.New("export: invalid value")

func invalid(what, v string) error {
	if len(v) > 80 {
		v = v[:80] + "..."
	}
	return &invalidError{what: what, v: v}
}

type invalidError struct{ what, v string }

func (e *invalidError) Error() string { return "export: invalid " + e.what + " " + strconv.Quote(e.v) }
func (e *invalidError) Unwrap() error { return ErrInvalid }

// sink is a bufio.Writer that remembers its first error, so a writer can
// stop reading the source as soon as the consumer has gone away.
type sink struct {
	bw  *bufio.Writer
	err error
	n   int64
}

func newSink(w io.Writer) *sink { return &sink{bw: bufio.NewWriterSize(w, bufSize)} }

func (s *sink) str(v string) {
	if s.err != nil {
		return
	}
	n, err := s.bw.WriteString(v)
	s.n += int64(n)
	s.err = err
}

func (s *sink) byte(c byte) {
	if s.err != nil {
		return
	}
	s.err = s.bw.WriteByte(c)
	s.n++
}

func (s *sink) int(v int64) {
	var b [24]byte
	s.bytes(strconv.AppendInt(b[:0], v, 10))
}

func (s *sink) bytes(v []byte) {
	if s.err != nil {
		return
	}
	n, err := s.bw.Write(v)
	s.n += int64(n)
	s.err = err
}

func (s *sink) flush() error {
	if s.err != nil {
		return s.err
	}
	s.err = s.bw.Flush()
	return s.err
}

// stats counts what a writer did with the source's indicators.
type stats struct {
	written int // entries (not lines) written
	expired int // not Live at Meta.Generated
	invalid int // failed validation or normalisation
	dup     int // already written in this run
	other   int // a kind this format does not carry
}

// hashSet remembers 8-byte FNV-1a hashes of written values. A collision
// (probability about n²/2⁶⁵: 3·10⁻⁸ for a million entries) drops a value;
// it never writes a wrong one.
type hashSet map[uint64]struct{}

// add reports whether key was new.
func (h hashSet) add(key string) bool {
	k := fnv64(key)
	if _, ok := h[k]; ok {
		return false
	}
	h[k] = struct{}{}
	return true
}

// fnv64 is FNV-1a, 64 bits. Suricata SIDs depend on it: never change it.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// now is the time expiry is judged at.
func now(meta Meta) time.Time {
	if meta.Generated.IsZero() {
		return time.Now()
	}
	return meta.Generated
}

// generated is Meta.Generated in UTC, or the current time.
func generated(meta Meta) time.Time { return now(meta).UTC() }

// title is Meta.Title, or the default.
func title(meta Meta) string {
	if t := cleanText(meta.Title, 200); t != "" {
		return t
	}
	return "tssguard tech support scam blocklist"
}

// each calls fn with every live indicator of the kinds accepted, and
// counts the rest.
func each(ctx context.Context, src Source, meta Meta, st *stats, accept func(Kind) bool, fn func(Indicator) error) error {
	t := now(meta)
	return src.Indicators(ctx, func(it Indicator) error {
		if !accept(it.Kind) {
			st.other++
			return nil
		}
		if !it.Live(t) {
			st.expired++
			return nil
		}
		return fn(it)
	})
}

func onlyDomains(k Kind) bool { return k == Domain }
func domainsURLs(k Kind) bool { return k == Domain || k == URL }

// domains streams the normalised, de-duplicated domains of the live
// Domain indicators.
func domains(ctx context.Context, src Source, meta Meta, st *stats, seen hashSet, fn func(d string, it Indicator) error) error {
	return each(ctx, src, meta, st, onlyDomains, func(it Indicator) error {
		d, err := NormalizeDomain(it.Value)
		if err != nil {
			st.invalid++
			return nil
		}
		if !seen.add(d) {
			st.dup++
			return nil
		}
		st.written++
		return fn(d, it)
	})
}

// targets streams the normalised, de-duplicated values of the live Domain
// and URL indicators; urlForm, when set, rewrites a URL into the format's
// own pattern before de-duplication.
func targets(ctx context.Context, src Source, meta Meta, st *stats, seen hashSet, urlForm func(string) string, fn func(v string, it Indicator) error) error {
	return each(ctx, src, meta, st, domainsURLs, func(it Indicator) error {
		var v string
		var err error
		if it.Kind == Domain {
			v, err = NormalizeDomain(it.Value)
		} else if v, err = NormalizeURL(it.Value); err == nil && urlForm != nil {
			v = urlForm(v)
		}
		if err != nil {
			st.invalid++
			return nil
		}
		if !seen.add(v) {
			st.dup++
			return nil
		}
		return fn(v, it)
	})
}

// hostile reports whether v has anything that no list format should ever
// see: ASCII control characters, whitespace, quotes, backslash, ';',
// '<', '>', '`', '{', '}', or invalid UTF-8.
func hostile(v string) bool {
	ascii := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 0x80 {
			ascii = false
			continue
		}
		if c <= ' ' || c == 0x7f {
			return true
		}
		switch c {
		case '"', '\'', '`', '\\', ';', '<', '>', '{', '}':
			return true
		}
	}
	if ascii {
		return false
	}
	if !utf8.ValidString(v) {
		return true
	}
	for _, r := range v {
		if r >= 0x80 && !isPrintable(r) {
			return true
		}
	}
	return false
}

func isPrintable(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return false
	case r >= 0x80 && r < 0xa0: // C1 controls
		return false
	case r == 0x85 || r == 0xa0 || r == 0x1680 || (r >= 0x2000 && r <= 0x200f) ||
		r == 0x2028 || r == 0x2029 || (r >= 0x202a && r <= 0x202f) ||
		r == 0x205f || (r >= 0x2060 && r <= 0x206f) || r == 0x3000 || r == 0xfeff:
		return false // spaces, separators, bidi and invisible formatting
	}
	return true
}

// NormalizeDomain returns the list form of a domain: lower case, IDNA
// ASCII (punycode), no trailing dot. It rejects anything a DNS filter
// cannot take or that would list too much: whitespace and punctuation,
// labels longer than 63 or names longer than 253 bytes, wildcards,
// underscores, IP addresses, and public suffixes ("com", "co.uk",
// "blogspot.com"), since listing one would block every site under it.
func NormalizeDomain(v string) (string, error) {
	if v == "" || len(v) > 1024 || hostile(v) {
		return "", invalid("domain", v)
	}
	d := strings.TrimSuffix(v, ".")
	if !isLDH(d, false) {
		a, err := idna.Lookup.ToASCII(d)
		if err != nil {
			return "", invalid("domain", v)
		}
		d = strings.ToLower(a)
		if !isLDH(d, true) {
			return "", invalid("domain", v)
		}
	}
	if len(d) > 253 || !strings.Contains(d, ".") {
		return "", invalid("domain", v)
	}
	last := d[strings.LastIndexByte(d, '.')+1:]
	if allDigits(last) {
		return "", invalid("domain", v) // an IPv4 address, or no TLD
	}
	if ps, _ := publicsuffix.PublicSuffix(d); ps == d {
		return "", invalid("domain", v)
	}
	return d, nil
}

// isLDH reports whether d is lower-case letters, digits and hyphens in
// dot-separated labels of 1 to 63 bytes, with no hyphen at either end of
// a label and no "--" in the third and fourth places (so punycode and
// other reserved labels go through IDNA validation), unless punycode is
// true and the label starts "xn--" (IDNA has checked it).
func isLDH(d string, punycode bool) bool {
	if d == "" {
		return false
	}
	start := 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			c := d[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		l := d[start:i]
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		if len(l) >= 4 && l[2] == '-' && l[3] == '-' && !(punycode && l[:2] == "xn") {
			return false
		}
		start = i + 1
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizeURL returns the list form of a URL indicator, "host/path?query"
// without scheme or fragment: host as NormalizeDomain, path and query
// with non-ASCII bytes percent-encoded. It accepts "https://host/path",
// "http://…", "//host/path" and "host/path?param=" (a URL pattern). It
// rejects other schemes, user info, ports, and the characters that URL
// filter syntaxes give a meaning to ('$', '^', '|', '\\', quotes, spaces,
// ';'), so a pattern never means more than the URL.
func NormalizeURL(v string) (string, error) {
	if v == "" || len(v) > 2048 || hostile(v) {
		return "", invalid("url", v)
	}
	s := v
	if i := strings.Index(s, "://"); i >= 0 {
		switch strings.ToLower(s[:i]) {
		case "http", "https":
			s = s[i+3:]
		default:
			return "", invalid("url", v)
		}
	} else {
		s = strings.TrimPrefix(s, "//")
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	cut := strings.IndexAny(s, "/?")
	host, rest := s, "/"
	if cut >= 0 {
		host, rest = s[:cut], s[cut:]
		if rest[0] == '?' {
			rest = "/" + rest
		}
	}
	if strings.ContainsAny(host, "@:[]") {
		return "", invalid("url", v)
	}
	h, err := NormalizeDomain(host)
	if err != nil {
		return "", invalid("url", v)
	}
	var b strings.Builder
	b.Grow(len(h) + len(rest) + 8)
	b.WriteString(h)
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c >= 0x80:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '%':
			if i+2 >= len(rest) || !isHex(rest[i+1]) || !isHex(rest[i+2]) {
				return "", invalid("url", v)
			}
			b.WriteByte(c)
		case strings.IndexByte("-._~/?=&:@,+!*()", c) >= 0:
			b.WriteByte(c)
		default:
			return "", invalid("url", v)
		}
	}
	if b.Len() > 2048 {
		return "", invalid("url", v)
	}
	return b.String(), nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// NormalizeE164 checks an E.164 number: '+', then 7 to 15 digits, the
// first not 0. It does not strip separators: numbers are stored normalised.
func NormalizeE164(v string) (string, error) {
	if len(v) < 8 || len(v) > 16 || v[0] != '+' || v[1] == '0' || !allDigits(v[1:]) {
		return "", invalid("number", v)
	}
	return v, nil
}

// cleanText makes free text safe for a comment line or a quoted field:
// printable ASCII only (anything else becomes '?', control characters and
// line breaks a space), runs of spaces collapsed, at most max bytes.
func cleanText(s string, max int) string {
	if len(s) <= max && plainASCII(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || !isPrintable(r):
			space = b.Len() > 0
			continue
		case r >= 0x7f:
			r = '?'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if b.Len() >= max {
			break
		}
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// plainASCII reports whether s is printable ASCII with single spaces
// between words: what cleanText would return unchanged.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
			continue
		}
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// token makes free text into a [A-Za-z0-9_.-] token (other bytes become
// '_'), at most max bytes, for places that take no quoting at all.
func token(s string, max int) string {
	if len(s) > max {
		s = s[:max]
	}
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			b[i] = '_'
		}
	}
	return string(b)
}

// refresh is Meta.Refresh, or one day.
func refresh(meta Meta) time.Duration {
	if meta.Refresh <= 0 {
		return 24 * time.Hour
	}
	return meta.Refresh
}

// header writes the comment header shared by the line formats, each line
// starting with prefix ("# ", "! ", "; ").
func header(s *sink, prefix string, meta Meta, extra ...string) {
	line := func(k, v string) {
		s.str(prefix)
		s.str(k)
		s.str(": ")
		s.str(v)
		s.byte('\n')
	}
	line("Title", title(meta))
	if h := cleanText(meta.Homepage, 500); h != "" {
		line("Homepage", h)
	}
	line("Generated", generated(meta).Format(time.RFC3339))
	for i := 0; i+1 < len(extra); i += 2 {
		line(extra[i], extra[i+1])
	}
	s.str(prefix)
	s.str("Entry count is in the last line; a file without it is truncated.\n")
}

// trailer writes the closing comments: what was left out, and the entry
// count, last.
func trailer(s *sink, prefix string, st *stats) {
	s.str(prefix)
	s.str("Skipped: ")
	s.int(int64(st.invalid))
	s.str(" invalid, ")
	s.int(int64(st.dup))
	s.str(" duplicate, ")
	s.int(int64(st.expired))
	s.str(" expired\n")
	s.str(prefix)
	s.str("Entries: ")
	s.int(int64(st.written))
	s.byte('\n')
}
