package capture

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"unicode/utf8"
)

func FuzzReferences(f *testing.F) {
	f.Add([]byte(`<script src=a.js></script><link rel=stylesheet href=b.css><iframe src=c>`))
	f.Add([]byte("<script src='\x00'>"))
	f.Add([]byte(`<iframe srcdoc="<script src=x.js></script>"></iframe><base href=/k/><noscript><script src=n.js>`))
	f.Add([]byte(`<script>"</script><script src=b.js>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		refs, _, _ := scanDocument(b)
		if len(refs) > MaxRefs {
			t.Fatalf("%d refs, over the cap", len(refs))
		}
		last, order := -1, 0
		for _, r := range refs {
			if r.Ref == "" {
				t.Fatal("empty reference")
			}
			if r.Offset <= last || r.Offset >= len(b) || b[r.Offset] != '<' {
				t.Fatalf("offset %d after %d does not point at a tag", r.Offset, last)
			}
			last = r.Offset
			switch r.Kind {
			case KindScript:
				if r.Order <= order {
					t.Fatalf("script order %d after %d", r.Order, order)
				}
				order = r.Order
			case KindStylesheet, KindFrame:
				if r.Order != 0 {
					t.Fatalf("%s with order %d", r.Kind, r.Order)
				}
			default:
				t.Fatalf("kind %q", r.Kind)
			}
			if r.Srcdoc != "" && r.Ref != SrcdocURL {
				t.Fatal("srcdoc without about:srcdoc")
			}
		}
	})
}

func FuzzFromReader(f *testing.F) {
	dir := f.TempDir()
	write(f, dir, "a.js", "alert(1)")
	write(f, dir, "sjis.js", "\x82\xa0\x82\xa2")
	write(f, dir, "sub/frame.html", `<p>frame<script src="../a.js"></script><iframe src="frame.html">`)
	write(f, dir, "sub/big.css", string(bytes.Repeat([]byte("a{}"), 400)))
	f.Add([]byte(`<meta charset=shift_jis><script src=data:,x></script>`))
	f.Add([]byte("\xef\xbb\xbf<p>bom"))
	f.Add([]byte("\xff\xfe<\x00p\x00>\x00"))
	f.Add([]byte("<\x00s\x00c\x00r\x00i\x00p\x00t\x00>\x00"))
	f.Add([]byte(`<script src="a.js"></script><script src="../../etc/passwd"></script><iframe src="sub/frame.html"></iframe><link rel=stylesheet href=/sub/big.css>`))
	f.Add([]byte(`<base href="sub/"><iframe src=frame.html></iframe><iframe srcdoc="<script src=a.js></script>">`))
	f.Add([]byte(`<meta charset=euc-jp><script src=sjis.js></script><iframe src="data:text/html;base64,PHNjcmlwdCBzcmM9YS5qcz4=">`))
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := Policy{MaxPageBytes: 2048, MaxResourceBytes: 512, MaxResources: 8}
		c, err := FromReader(context.Background(), bytes.NewReader(b), "fuzz", Options{BaseDir: dir, Policy: p})
		if err != nil {
			if !errors.Is(err, ErrNotHTML) {
				t.Fatalf("error is not ErrNotHTML: %v", err)
			}
			return
		}
		if len(c.Documents) == 0 || len(c.Documents) > maxFrames+1 || c.Documents[0].Frame != "main" {
			t.Fatalf("%d documents", len(c.Documents))
		}
		for i, d := range c.Documents {
			if !utf8.Valid(d.Body) {
				t.Fatalf("document %d is not UTF-8", i)
			}
			if len(d.Body) > 3*2048 {
				t.Fatalf("document %d has %d bytes", i, len(d.Body))
			}
		}
		if len(c.Resources) > p.MaxResources {
			t.Fatalf("%d resources", len(c.Resources))
		}
		for _, r := range c.Resources {
			if !utf8.Valid(r.Body) {
				t.Fatalf("resource %s is not UTF-8", r.Ref)
			}
			if r.Err != "" && len(r.Body) > 0 {
				t.Fatalf("resource %s has a body and an error", r.Ref)
			}
			if r.Doc < 0 || r.Doc >= len(c.Documents) {
				t.Fatalf("resource %s of document %d", r.Ref, r.Doc)
			}
			if string(r.Body) == "root:x:0:0" {
				t.Fatal("read outside the root")
			}
		}
		if len(c.Notes) > maxNotes+1 {
			t.Fatalf("%d notes", len(c.Notes))
		}
	})
}

// FuzzDecode covers the decoders pages control: charsets and data: URLs.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("<meta charset=shift_jis>\x82\xa0"), "text/html; charset=euc-jp", "data:;base64,YWxl cnQ=")
	f.Add([]byte("\xfe\xff\x00<"), "", "data:text/javascript,%41%zz")
	f.Add([]byte(`@charset "utf-16";x`), "text/css;charset=", "DATA:;BASE64,====")
	f.Fuzz(func(t *testing.T, body []byte, contentType, data string) {
		for _, kind := range []textKind{textHTML, textScript, textCSS} {
			out, _, _ := decodeText(body, contentType, kind, "shift_jis")
			if !utf8.Valid(out) {
				t.Fatalf("kind %d: not UTF-8: %q", kind, out)
			}
		}
		sniff(body, contentType)
		d, err := decodeDataURL(data, 16)
		if err == nil && len(d.Body) > 16 {
			t.Fatalf("data: URL decoded to %d bytes over the cap", len(d.Body))
		}
	})
}
