package analyze

import (
	"testing"

	"github.com/tssguard/tssguard/capture"
)

func TestDeclaredLanguage(t *testing.T) {
	for _, tc := range []struct{ html, want string }{
		{`<html lang="ja"><body>x</body></html>`, "ja"},
		{`<html lang=" pt_BR "><body>x</body></html>`, "pt-BR"},
		{`<html><body lang="de-DE">x</body></html>`, "de-DE"},
		{`<html><body><p lang="fr">x</p></body></html>`, ""}, // a paragraph's is no page's
		{`<html lang="ja&#13;&#10;X-Evil: 1"><body>x</body></html>`, ""},
		{`<html><body>no language</body></html>`, ""},
	} {
		body := []byte(tc.html)
		unparsed := &capture.Capture{Documents: []capture.Document{{URL: "https://x.test/", Body: body}}}
		_, _, parsed, ok := ParseForCapture(body)
		if !ok {
			t.Fatalf("%s: not parsed", tc.html)
		}
		atCapture := &capture.Capture{Documents: []capture.Document{{URL: "https://x.test/", Body: body, Parsed: parsed}}}
		for name, c := range map[string]*capture.Capture{"parsed again": unparsed, "parsed at capture": atCapture} {
			if got := DeclaredLanguage(c); got != tc.want {
				t.Errorf("%s, %s: %q, want %q", tc.html, name, got, tc.want)
			}
		}
	}
	if got := DeclaredLanguage(&capture.Capture{}); got != "" {
		t.Errorf("no document: %q", got)
	}
}
