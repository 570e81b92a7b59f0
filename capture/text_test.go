package capture

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

func encode(t *testing.T, e encoding.Encoding, s string) string {
	t.Helper()
	out, err := e.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCharsetPage(t *testing.T) {
	text := "<html><head><meta charset=\"shift_jis\"></head><body>ウイルスに感染しています</body></html>"
	c, err := FromReader(context.Background(), strings.NewReader(encode(t, japanese.ShiftJIS, text)), "sjis", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Documents[0].Body) != text {
		t.Errorf("body not converted: %q", c.Documents[0].Body)
	}
	if len(c.Notes) == 0 || c.Notes[0] != "page converted from shift_jis to UTF-8" {
		t.Errorf("notes = %v, want the conversion noted", c.Notes)
	}
}

// TestCharsetKit: a Japanese kit's page and its script are both Shift_JIS;
// the script declares nothing and inherits the page's encoding.
func TestCharsetKit(t *testing.T) {
	dir := t.TempDir()
	page := write(t, dir, "index.html", encode(t, japanese.ShiftJIS, `<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><script src="a.js"></script><p>警告`))
	write(t, dir, "a.js", encode(t, japanese.ShiftJIS, `alert("お使いのコンピュータはウイルスに感染しています");`))
	c, err := FromFile(context.Background(), page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(c.Resources[0].Body); got != `alert("お使いのコンピュータはウイルスに感染しています");` {
		t.Errorf("script = %q", got)
	}
	if len(c.Notes) != 1 {
		t.Errorf("notes = %q, want only the page's conversion", c.Notes)
	}
}

func TestDecodeText(t *testing.T) {
	utf16le := encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "<p>Windows Defender ウイルス</p>")
	for _, tc := range []struct {
		name, body, contentType string
		kind                    textKind
		inherit                 string
		want, from              string
		src                     encSource
	}{
		{"ascii", "<p>call 1-844-555-0142", "", textHTML, "", "<p>call 1-844-555-0142", "", encUTF8},
		{"utf8 declared 1252", `<meta charset="windows-1252"><p>Sécurité ウイルス`, "", textHTML, "", `<meta charset="windows-1252"><p>Sécurité ウイルス`, "", encUTF8},
		{"utf8 bom", "\xef\xbb\xbf<p>é", "text/html; charset=iso-8859-1", textHTML, "", "<p>é", "", encUTF8},
		{"1252 declared", `<meta charset="iso-8859-1"><p>S` + "\xe9" + `curit` + "\xe9", "", textHTML, "", `<meta charset="iso-8859-1"><p>Sécurité`, "windows-1252", encDeclared},
		{"1252 guessed", "<p>S\xe9curit\xe9 \x93Windows\x94", "", textHTML, "", "<p>Sécurité “Windows”", "windows-1252", encGuessed},
		{"header wins over meta", `<meta charset="shift_jis"><p>` + encode(t, japanese.EUCJP, "警告"), "text/html; charset=EUC-JP", textHTML, "", `<meta charset="shift_jis"><p>警告`, "euc-jp", encDeclared},
		{"malformed header", encode(t, japanese.EUCJP, "<p>警告"), "text/html; charset=euc-jp;;", textHTML, "", "<p>警告", "euc-jp", encDeclared},
		{"utf16le bom", "\xff\xfe" + utf16le, "", textHTML, "", "<p>Windows Defender ウイルス</p>", "utf-16le", encDeclared},
		{"utf16le no bom", utf16le, "", textHTML, "", "<p>Windows Defender ウイルス</p>", "utf-16le", encDeclared},
		{"utf16be bom", "\xfe\xff" + encode(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "<p>alert"), "", textHTML, "", "<p>alert", "utf-16be", encDeclared},
		{"iso-2022-jp", encode(t, japanese.ISO2022JP, `<meta charset="iso-2022-jp"><p>警告`), "", textHTML, "", `<meta charset="iso-2022-jp"><p>警告`, "iso-2022-jp", encDeclared},
		{"replacement label ignored", "<meta charset=\"iso-2022-kr\"><p>S\xe9curit\xe9", "", textHTML, "", "<meta charset=\"iso-2022-kr\"><p>Sécurité", "windows-1252", encGuessed},
		{"mostly utf8", "<p>ウイルス ウイルス \xff détecté", "", textHTML, "", "<p>ウイルス ウイルス \uFFFD détecté", "", encUTF8},
		{"script inherits", encode(t, japanese.ShiftJIS, `alert("警告")`), "", textScript, "shift_jis", `alert("警告")`, "shift_jis", encInherited},
		{"script header beats inherit", encode(t, japanese.EUCJP, `alert("警告")`), "application/javascript; charset=euc-jp", textScript, "shift_jis", `alert("警告")`, "euc-jp", encDeclared},
		{"script meta ignored", `var s = '<meta charset="shift_jis">` + "\xe9'", "", textScript, "", `var s = '<meta charset="shift_jis">é'`, "windows-1252", encGuessed},
		{"css @charset", `@charset "shift_jis";` + encode(t, japanese.ShiftJIS, `p:after{content:"警告"}`), "", textCSS, "", `@charset "shift_jis";p:after{content:"警告"}`, "shift_jis", encDeclared},
		{"latin1 css", "p:after{content:\"\xe9\"}", "text/css; charset=latin1", textCSS, "", "p:after{content:\"é\"}", "windows-1252", encDeclared},
	} {
		got, from, src := decodeText([]byte(tc.body), tc.contentType, tc.kind, tc.inherit)
		if string(got) != tc.want || from != tc.from || src != tc.src {
			t.Errorf("%s: got %q from %q (%d), want %q from %q (%d)", tc.name, got, from, src, tc.want, tc.from, tc.src)
		}
		if !utf8.Valid(got) {
			t.Errorf("%s: output is not UTF-8", tc.name)
		}
	}
}

func TestCharsetUTF16Page(t *testing.T) {
	body := "\xff\xfe" + encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), `<script src="a.js"></script><p>Call 1-844-555-0142`)
	c, err := FromReader(context.Background(), strings.NewReader(body), "u16", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(c.Documents[0].Body), "Call 1-844-555-0142") || len(c.Resources) != 1 {
		t.Errorf("UTF-16 page: %q, %d resources", c.Documents[0].Body, len(c.Resources))
	}
}

func TestDecodeDataURL(t *testing.T) {
	for _, tc := range []struct {
		in, want, media string
		max             int64
		truncated       bool
		err             bool
	}{
		{in: "data:text/javascript;base64,YWxlcnQoMSk=", want: "alert(1)", media: "text/javascript"},
		{in: "DATA:text/javascript;BASE64,YWxl\ncnQo MSk", want: "alert(1)", media: "text/javascript"},
		{in: "data:;base64,YWxlcnQoMSk%3D", want: "alert(1)"},
		{in: "data:text/javascript;charset=utf-8,alert(%22hi%22)%zz#frag", want: `alert("hi")%zz`, media: "text/javascript;charset=utf-8"},
		{in: "data:,abc", want: "abc"},
		{in: "data:text/javascript;base64," + strings.Repeat("QUFB", 1000), want: strings.Repeat("A", 10), media: "text/javascript", max: 10, truncated: true},
		{in: "data:," + strings.Repeat("x", 100), want: strings.Repeat("x", 10), max: 10, truncated: true},
		{in: "data:text/javascript;base64,YWxlcnQoMSk=", want: "alert(1)", media: "text/javascript", max: 8},
		{in: "data:text/javascript;base64,YWxlcnQoMSk=", want: "alert(1", media: "text/javascript", max: 7, truncated: true},
		{in: "data:text/javascript", err: true},
		{in: "data:;base64,Y", err: true},
		{in: "data:;base64,!!!!", err: true},
		{in: "javascript:alert(1)", err: true},
	} {
		max := tc.max
		if max == 0 {
			max = 1 << 20
		}
		d, err := decodeDataURL(tc.in, max)
		if tc.err {
			if err == nil {
				t.Errorf("%.40q: no error, got %q", tc.in, d.Body)
			}
			continue
		}
		if err != nil || string(d.Body) != tc.want || d.Truncated != tc.truncated || d.MediaType != tc.media {
			t.Errorf("%.40q: %+v %v, want %q truncated=%v media %q", tc.in, d, err, tc.want, tc.truncated, tc.media)
		}
	}
}

func TestReadCapped(t *testing.T) {
	b, truncated, incomplete, err := readCapped(strings.NewReader("hello"), 5, 0)
	if string(b) != "hello" || truncated || incomplete || err != nil {
		t.Errorf("exact: %q %v %v %v", b, truncated, incomplete, err)
	}
	b, truncated, _, _ = readCapped(strings.NewReader("hello!"), 5, 1<<40) // a lying size hint
	if string(b) != "hello" || !truncated {
		t.Errorf("over: %q %v", b, truncated)
	}
	// A stream that breaks off keeps what arrived.
	r := io.MultiReader(strings.NewReader("<p>half a page"), iotest.ErrReader(io.ErrUnexpectedEOF))
	b, _, incomplete, err = readCapped(r, 100, 0)
	if string(b) != "<p>half a page" || !incomplete || err != nil {
		t.Errorf("broken: %q incomplete=%v err=%v", b, incomplete, err)
	}
	// Nothing at all, or a timeout, is an error.
	if _, _, _, err := readCapped(iotest.ErrReader(io.ErrUnexpectedEOF), 100, 0); err == nil {
		t.Error("broken at once: no error")
	}
	r = io.MultiReader(strings.NewReader("<p>"), iotest.ErrReader(context.DeadlineExceeded))
	if _, _, _, err := readCapped(r, 100, 0); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: err = %v", err)
	}
	big := bytes.Repeat([]byte("a"), 3<<20)
	b, truncated, _, _ = readCapped(bytes.NewReader(big), 2<<20, 0)
	if len(b) != 2<<20 || !truncated || cap(b) > 4<<20 {
		t.Errorf("len %d cap %d truncated %v", len(b), cap(b), truncated)
	}
}
