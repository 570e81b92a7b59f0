package capture

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// KindFrame marks a Ref to an iframe or frame document (loaded as a
// Document, not a Resource).
const KindFrame ResourceKind = "frame"

// Ref is an external reference of a document.
type Ref struct {
	Kind ResourceKind
	// Ref is the value as written (src or href).
	Ref string
	// Order is the position among the document's scripts, inline ones
	// included (1-based); 0 for style sheets and frames.
	Order int
	// Offset is the byte offset of the tag in the document.
	Offset int
}

// maxRefs bounds the references read from one document.
const maxRefs = 1024

// References lists the external scripts, style sheets and frames of an HTML
// document in document order. It uses the tokenizer, not the tree builder:
// linear, no recursion, safe on 100,000-deep nesting.
func References(body []byte) []Ref {
	var out []Ref
	z := html.NewTokenizer(bytes.NewReader(body))
	offset, order := 0, 0
	for len(out) < maxRefs {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		start := offset
		offset += len(z.Raw())
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		var attrs map[string]string
		if hasAttr {
			attrs = map[string]string{}
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				if _, dup := attrs[string(k)]; !dup {
					attrs[string(k)] = string(v)
				}
			}
		}
		switch string(name) {
		case "script":
			order++
			if src := strings.TrimSpace(attrs["src"]); src != "" {
				out = append(out, Ref{Kind: KindScript, Ref: src, Order: order, Offset: start})
			}
		case "link":
			if hasToken(attrs["rel"], "stylesheet") && strings.TrimSpace(attrs["href"]) != "" {
				out = append(out, Ref{Kind: KindStylesheet, Ref: strings.TrimSpace(attrs["href"]), Offset: start})
			}
		case "iframe", "frame":
			if src := strings.TrimSpace(attrs["src"]); src != "" {
				out = append(out, Ref{Kind: KindFrame, Ref: src, Offset: start})
			}
		}
	}
	return out
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

// ErrNotHTML is returned for input that is not a text page.
var ErrNotHTML = errors.New("not an HTML page")

// magic numbers of common binary formats.
var magics = []struct {
	prefix string
	name   string
}{
	{"\x89PNG", "PNG image"}, {"GIF8", "GIF image"}, {"\xff\xd8\xff", "JPEG image"},
	{"%PDF", "PDF document"}, {"PK\x03\x04", "ZIP archive"}, {"\x1f\x8b", "gzip data"},
	{"\x7fELF", "ELF executable"}, {"MZ", "Windows executable"}, {"RIFF", "RIFF media"},
	{"ID3", "MP3 audio"}, {"\x00\x00\x01\x00", "icon"}, {"wOF", "web font"}, {"OggS", "Ogg media"},
}

// sniff rejects empty and binary bodies with an error that says what they are.
func sniff(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%w: it is empty", ErrNotHTML)
	}
	for _, m := range magics {
		if bytes.HasPrefix(body, []byte(m.prefix)) {
			return fmt.Errorf("%w: looks like %s", ErrNotHTML, m.name)
		}
	}
	head := body[:min(len(body), 1024)]
	if bytes.IndexByte(head, 0) >= 0 && !isUTF16(head) {
		return fmt.Errorf("%w: looks like binary data (NUL bytes)", ErrNotHTML)
	}
	return nil
}

func isUTF16(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff})
}

// toUTF8 converts body to UTF-8. The encoding comes from the BOM, the
// Content-Type, or <meta charset>; a body that is already valid UTF-8 is
// kept as it is whatever it declares (kits often declare windows-1252 over
// UTF-8 text). It returns the name of the encoding converted from, or "".
func toUTF8(body []byte, contentType string) ([]byte, string) {
	if utf8.Valid(body) && !isUTF16(body) {
		return body, ""
	}
	enc, name, _ := charset.DetermineEncoding(body, contentType)
	if name == "utf-8" || enc == nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), ""
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD")), ""
	}
	return bytes.ToValidUTF8(out, []byte("\uFFFD")), name
}

// decodeDataURL decodes a data: URL's payload (base64 or percent-encoded).
func decodeDataURL(s string, max int64) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, "data:")
	if !ok {
		rest, ok = strings.CutPrefix(strings.ToLower(s[:min(len(s), 5)])+s[min(len(s), 5):], "data:")
	}
	if !ok {
		return nil, errors.New("not a data: URL")
	}
	meta, data, found := strings.Cut(rest, ",")
	if !found {
		return nil, errors.New("malformed data: URL")
	}
	if int64(len(data)) > max*2 {
		return nil, errors.New("data: URL too large")
	}
	var b []byte
	var err error
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		b, err = base64.StdEncoding.DecodeString(strings.TrimRight(data, "="))
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(data, "="))
		}
	} else {
		var u string
		u, err = url.PathUnescape(data)
		b = []byte(u)
	}
	if err != nil {
		return nil, fmt.Errorf("malformed data: URL: %w", err)
	}
	if int64(len(b)) > max {
		b = b[:max]
	}
	return b, nil
}
