package capture

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readCapped reads at most max bytes of r. truncated says there was more;
// incomplete says the stream broke off early (a Content-Length that lied, a
// corrupt gzip stream, a reset connection): what arrived is kept, because a
// scam page served half is still a scam page. Cancellation and timeouts are
// errors. sizeHint, when positive, pre-sizes the buffer.
func readCapped(r io.Reader, max, sizeHint int64) (b []byte, truncated, incomplete bool, err error) {
	if max <= 0 {
		return nil, false, false, errors.New("read: no size budget")
	}
	n := int64(32 << 10)
	if sizeHint > 0 {
		n = sizeHint + 1
	}
	b = make([]byte, 0, min(n, max+1))
	lr := io.LimitReader(r, max+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow geometrically; bounded by max+1 via lr
		}
		var k int
		k, err = lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+k]
		if err != nil {
			break
		}
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || len(b) == 0 {
			return nil, false, false, fmt.Errorf("read: %w", err)
		}
		incomplete = true
	}
	if int64(len(b)) > max {
		return b[:max], true, incomplete, nil
	}
	return b, false, incomplete, nil
}

// ErrNotHTML is returned for input that is not a text page.
var ErrNotHTML = errors.New("not an HTML page")

// magic numbers of binary formats a page URL or file may turn out to be.
// needNUL marks short prefixes that could begin text: they count only with a
// NUL byte in the first KiB, which every real file of that format has.
var magics = []struct {
	at      int
	prefix  string
	name    string
	needNUL bool
}{
	{0, "\x89PNG\r\n\x1a\n", "PNG image", false},
	{0, "GIF87a", "GIF image", false},
	{0, "GIF89a", "GIF image", false},
	{0, "\xff\xd8\xff", "JPEG image", false},
	{8, "WEBP", "WebP image", false}, // after "RIFF" and a length
	{8, "WAVE", "WAV audio", false},
	{8, "AVI ", "AVI video", false},
	{0, "RIFF", "RIFF media", true},
	{4, "ftyp", "MP4/QuickTime media", false},
	{0, "\x1a\x45\xdf\xa3", "WebM/Matroska media", false},
	{0, "OggS", "Ogg media", false},
	{0, "fLaC", "FLAC audio", false},
	{0, "ID3", "MP3 audio", true},
	{0, "\x00\x00\x01\x00", "icon", false},
	{0, "BM", "BMP image", true},
	{0, "II*\x00", "TIFF image", false},
	{0, "MM\x00*", "TIFF image", false},
	{0, "wOFF", "web font", false},
	{0, "wOF2", "web font", false},
	{0, "OTTO", "font", true},
	{0, "\x00\x01\x00\x00", "font", false},
	{0, "%PDF-", "PDF document", false},
	{0, "PK\x03\x04", "ZIP archive", false},
	{0, "PK\x05\x06", "ZIP archive", false},
	{0, "\x1f\x8b", "gzip data", false},
	{0, "BZh", "bzip2 data", true},
	{0, "\xfd7zXZ\x00", "xz data", false},
	{0, "\x28\xb5\x2f\xfd", "zstd data", false},
	{0, "7z\xbc\xaf\x27\x1c", "7-Zip archive", false},
	{0, "Rar!\x1a\x07", "RAR archive", false},
	{0, "\x7fELF", "ELF executable", false},
	{0, "MZ", "Windows executable", true},
	{0, "\xcf\xfa\xed\xfe", "Mach-O executable", false},
	{0, "\xca\xfe\xba\xbe", "Mach-O or Java class file", false},
	{0, "\x00asm", "WebAssembly module", false},
	{0, "SQLite format 3\x00", "SQLite database", false},
}

// sniff decides, as a browser does (WHATWG MIME Sniffing), whether a body
// is a page, and rejects empty and binary bodies with an error that says
// what they are. contentType is the served Content-Type ("" for local files
// and standard input). A body served as HTML is HTML whatever its bytes: a
// browser renders it, so a NUL byte cannot keep a scam page from analysis.
// Anything else follows the rules for identifying an unknown MIME type: HTML
// signatures after leading whitespace, then binary formats, then the
// binary-byte test; a body with binary bytes that clearly holds HTML is
// still analysed.
func sniff(body []byte, contentType string) error {
	trimmed := bytes.TrimLeft(body, "\xef\xbb\xbf")
	if len(bytes.TrimSpace(trimmed)) == 0 || (hasUTF16BOM(body) && len(bytes.Trim(body[2:], "\x00 \t\r\n\f")) == 0) {
		return fmt.Errorf("%w: it is empty", ErrNotHTML)
	}
	if servedAsHTML(contentType) || htmlSignature(trimmed) {
		return nil
	}
	head := body[:min(len(body), sniffLen)]
	nul := bytes.IndexByte(head, 0) >= 0
	for _, m := range magics {
		if len(body) >= m.at+len(m.prefix) && string(body[m.at:m.at+len(m.prefix)]) == m.prefix && (nul || !m.needNUL) {
			return fmt.Errorf("%w: looks like %s", ErrNotHTML, m.name)
		}
	}
	if hasUTF16BOM(head) || utf16Order(head) != "" {
		return nil
	}
	binary := false
	for _, c := range head {
		binary = binary || isBinaryByte(c)
	}
	if !binary || containsHTML(body) {
		return nil
	}
	if nul {
		return fmt.Errorf("%w: looks like binary data (NUL bytes)", ErrNotHTML)
	}
	return fmt.Errorf("%w: looks like binary data (control characters)", ErrNotHTML)
}

// sniffLen is the resource header the WHATWG sniffing rules look at.
const sniffLen = 1445

// servedAsHTML reports whether a Content-Type says HTML.
func servedAsHTML(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// isBinaryByte is the WHATWG binary data byte: a C0 control other than
// tab, newline, form feed, carriage return and ESC (ISO-2022-JP uses ESC).
func isBinaryByte(c byte) bool {
	return c <= 0x08 || c == 0x0b || (c >= 0x0e && c <= 0x1a) || (c >= 0x1c && c <= 0x1f)
}

// htmlSignatures are the WHATWG sniffing signatures of HTML, matched
// case-insensitively after leading whitespace and followed by a space or ">".
var htmlSignatures = []string{"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font", "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p"}

// htmlSignature reports whether b starts, after whitespace, like HTML.
func htmlSignature(b []byte) bool {
	b = bytes.TrimLeft(b, "\t\n\f\r ")
	if bytes.HasPrefix(b, []byte("<!--")) {
		return true
	}
	for _, sig := range htmlSignatures {
		if len(b) > len(sig) && bytes.EqualFold(b[:len(sig)], []byte(sig)) && (b[len(sig)] == ' ' || b[len(sig)] == '>') {
			return true
		}
	}
	return false
}

// strongTags make a body clearly HTML even among binary bytes; short tags
// such as <a> or <p> are left out, a binary blob can hold them by chance.
var strongTags = []string{"!doctype html", "html", "head", "body", "script", "iframe", "title", "meta", "div", "style"}

// containsHTML reports whether the first MiB of b holds a strong HTML tag.
func containsHTML(b []byte) bool {
	b = b[:min(len(b), 1<<20)]
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			return false
		}
		b = b[i+1:]
		for _, tag := range strongTags {
			if len(b) > len(tag) && bytes.EqualFold(b[:len(tag)], []byte(tag)) {
				switch b[len(tag)] {
				case ' ', '>', '/', '\t', '\n', '\r', '\f':
					return true
				}
			}
		}
	}
}

func hasUTF16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff})
}

// utf16Order recognises UTF-16 without a byte order mark from the NUL
// halves of ASCII characters (markup is mostly ASCII): "utf-16le",
// "utf-16be" or "".
func utf16Order(head []byte) string {
	n := len(head) &^ 1
	if n < 8 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	half := n / 2
	switch {
	case odd*10 >= half*7 && even*20 <= half:
		return "utf-16le"
	case even*10 >= half*7 && odd*20 <= half:
		return "utf-16be"
	}
	return ""
}

// textKind says how a body's encoding may be declared: HTML has <meta>,
// CSS has @charset, scripts have neither.
type textKind int

const (
	textHTML textKind = iota
	textScript
	textCSS
)

// encSource says where the encoding of a body came from.
type encSource int

const (
	encUTF8      encSource = iota // already UTF-8 (or ASCII): nothing converted
	encDeclared                   // BOM, Content-Type, <meta> or @charset
	encInherited                  // the referring page's encoding (how browsers read scripts and style sheets)
	encGuessed                    // nothing declared, not UTF-8: assumed windows-1252 like a browser
)

// decodeText converts body to UTF-8 and never fails: bytes that do not
// decode become U+FFFD. The encoding is taken, in the browser's order, from
// a BOM, the Content-Type charset, <meta charset> / <meta http-equiv> (HTML)
// or @charset (CSS), then inherit (the referring page's encoding), then a
// windows-1252 guess. A body that is valid UTF-8 stays as it is whatever it
// declares: kits often declare windows-1252 or iso-8859-1 over UTF-8 text,
// and reading it as UTF-8 is what shows the words a victim would read.
// It returns the UTF-8 body, the name of the encoding converted from ("" when
// none was) and where that encoding came from.
func decodeText(body []byte, contentType string, kind textKind, inherit string) ([]byte, string, encSource) {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return validUTF8(body[3:]), "", encUTF8
	case bytes.HasPrefix(body, []byte{0xff, 0xfe}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body[2:]), "utf-16le", encDeclared
	case bytes.HasPrefix(body, []byte{0xfe, 0xff}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body[2:]), "utf-16be", encDeclared
	}
	enc, name := declared(body, contentType, kind)
	// Markup with every other byte NUL is UTF-16 whatever it claims;
	// read any other way it is useless.
	if order := utf16Order(body[:min(len(body), 1024)]); order != "" && !strings.HasPrefix(name, "utf-16") {
		enc, name = charset.Lookup(order)
	}
	// UTF-16 and ISO-2022-JP are not ASCII supersets, so "valid UTF-8" proves
	// nothing about them: convert as declared.
	if enc != nil && (strings.HasPrefix(name, "utf-16") || name == "iso-2022-jp") {
		return decodeWith(enc, body), name, encDeclared
	}
	if t := trimPartialRune(body); utf8.Valid(t) {
		if len(t) < len(body) {
			t = append(t[:len(t):len(t)], "\uFFFD"...) // copies: body is not ours to change
		}
		return t, "", encUTF8
	}
	src := encDeclared
	if enc == nil && inherit != "" {
		enc, name = charset.Lookup(inherit)
		src = encInherited
	}
	if enc == nil {
		if mostlyUTF8(body) {
			return bytes.ToValidUTF8(body, []byte("\uFFFD")), "", encUTF8
		}
		enc, name, src = charmap.Windows1252, "windows-1252", encGuessed
	}
	if name == "utf-8" {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), "", encUTF8
	}
	return decodeWith(enc, body), name, src
}

// declared returns the encoding the body or its Content-Type declares, or nil.
func declared(body []byte, contentType string, kind textKind) (encoding.Encoding, string) {
	if label := contentTypeCharset(contentType); label != "" {
		if e, name := usable(label); e != nil {
			return e, name
		}
	}
	head := body[:min(len(body), 1024)]
	switch kind {
	case textHTML:
		// The prescan falls back to a guess when nothing is declared; only
		// believe it when there is a declaration to find.
		if bytes.Contains(bytes.ToLower(head), []byte("charset")) {
			if e, name, _ := charset.DetermineEncoding(head, ""); e != nil && name != "windows-1252" || metaDeclares1252(head) {
				return usable(name)
			}
		}
	case textCSS:
		if rest, ok := bytes.CutPrefix(head, []byte(`@charset "`)); ok {
			if label, _, ok := bytes.Cut(rest, []byte(`";`)); ok {
				return usable(string(label))
			}
		}
	}
	return nil, ""
}

// metaDeclares1252 tells a real windows-1252 declaration (its labels include
// iso-8859-1 and us-ascii) from the prescan's fallback.
func metaDeclares1252(head []byte) bool {
	l := bytes.ToLower(head)
	for _, label := range []string{"1252", "8859-1", "latin1", "ascii", "l1", "cp819", "ibm819"} {
		if bytes.Contains(l, []byte(label)) {
			return true
		}
	}
	return false
}

// usable looks a label up, refusing the "replacement" encoding: it decodes
// any input to a single U+FFFD, which would blind analysis to the page.
func usable(label string) (encoding.Encoding, string) {
	e, name := charset.Lookup(label)
	if e == nil || name == "replacement" {
		return nil, ""
	}
	return e, name
}

// contentTypeCharset returns the charset parameter of a media type, also
// from malformed ones ("text/html; charset=Shift_JIS;;").
func contentTypeCharset(ct string) string {
	if ct == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(ct); err == nil {
		return params["charset"]
	}
	i := strings.Index(strings.ToLower(ct), "charset=")
	if i < 0 {
		return ""
	}
	v := ct[i+len("charset="):]
	if j := strings.IndexAny(v, "; ,"); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}

// validUTF8 returns b, or a copy with invalid bytes replaced by U+FFFD.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD"))
}

func decodeWith(e encoding.Encoding, b []byte) []byte {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD"))
}

// trimPartialRune drops a multi-byte sequence cut off at the end (a body
// truncated at the size cap), so it does not make valid UTF-8 look invalid.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
		if b[i] < 0x80 {
			break
		}
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// mostlyUTF8 reports whether b is UTF-8 with a few stray bytes: many valid
// multi-byte characters and at most one bad byte for every eight of them.
func mostlyUTF8(b []byte) bool {
	valid, bad := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			valid++
		}
		i += size
	}
	return valid > 0 && bad*8 <= valid
}

// convertNote describes a conversion for Capture.Notes, or "" for none.
func convertNote(what, name string, src encSource) string {
	switch {
	case name == "":
		return ""
	case src == encGuessed:
		return fmt.Sprintf("%s declares no charset and is not UTF-8: read as %s", what, name)
	default:
		return fmt.Sprintf("%s converted from %s to UTF-8", what, name)
	}
}

// dataURL is a decoded data: URL.
type dataURL struct {
	MediaType string // e.g. "text/javascript;charset=utf-8"
	Body      []byte
	Truncated bool
}

// decodeDataURL decodes a data: URL as a browser does: the payload is
// percent-decoded (invalid escapes kept as they are) and, for ;base64,
// decoded with ASCII whitespace ignored and padding optional. At most max
// bytes are produced; only as much input as that needs is decoded.
func decodeDataURL(s string, max int64) (*dataURL, error) {
	s = strings.TrimSpace(s)
	if len(s) < 5 || !strings.EqualFold(s[:5], "data:") {
		return nil, errors.New("not a data: URL")
	}
	rest := s[5:]
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
	}
	meta, payload, found := strings.Cut(rest, ",")
	if !found {
		return nil, errors.New("malformed data: URL (no comma)")
	}
	meta = strings.TrimSpace(meta)
	isBase64 := false
	if i := strings.LastIndexByte(meta, ';'); i >= 0 && strings.EqualFold(strings.TrimSpace(meta[i+1:]), "base64") {
		isBase64, meta = true, meta[:i]
	}
	d := &dataURL{MediaType: meta}
	if !isBase64 {
		d.Body = percentDecode(payload, max+1)
	} else {
		// 4 characters make 3 bytes; whitespace and escapes only add input.
		need := (max/3 + 2) * 4
		raw := percentDecode(payload, -1)
		clean := make([]byte, 0, min(int64(len(raw)), need))
		for _, c := range raw {
			if int64(len(clean)) >= need {
				break
			}
			switch c {
			case ' ', '\t', '\n', '\r', '\f':
				continue
			}
			clean = append(clean, c)
		}
		cut := int64(len(clean)) >= need
		if cut {
			clean = clean[:len(clean)&^3]
		}
		clean = bytes.TrimRight(clean, "=")
		if len(clean)%4 == 1 {
			return nil, errors.New("malformed data: URL (bad base64 length)")
		}
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, err := base64.RawStdEncoding.Decode(out, clean)
		if err != nil {
			return nil, fmt.Errorf("malformed data: URL: %w", err)
		}
		// When cut, this decodes to more than max bytes, which marks it truncated below.
		d.Body = out[:n]
	}
	if int64(len(d.Body)) > max {
		d.Body, d.Truncated = d.Body[:max], true
	}
	return d, nil
}

// percentDecode decodes %XX escapes, keeping malformed ones literally (the
// URL standard's percent-decode), stopping after limit bytes when limit >= 0.
func percentDecode(s string, limit int64) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if limit >= 0 && int64(len(out)) >= limit {
			break
		}
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, c)
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
