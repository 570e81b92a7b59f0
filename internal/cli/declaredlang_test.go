package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDynamicSpeaksTheDeclaredLanguage: a page in Japanese (lang="ja")
// that dials only for a browser whose language is Japanese dials in the
// sandbox's browser too, without --lang: the browser speaks the language
// the served page declares, as the emulator's visitor does. --lang still
// wins.
func TestDynamicSpeaksTheDeclaredLanguage(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium not installed")
	}
	page := filepath.Join(t.TempDir(), "index.html")
	html := `<html lang="ja"><head><meta charset="utf-8"><title>警告</title></head><body><h1>お使いのコンピューターはブロックされました</h1>
<script>var k = [116,101,108,58,43,56,49,51,53,53,53,53,48,49,52,50], s = ''; for (var i = 0; i < k.length; i++) s += String.fromCharCode(k[i]);
if (navigator.language.indexOf('ja') === 0) setTimeout(function () { location.href = s; }, 50);</script></body></html>`
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	dialledInBrowser := func(args ...string) bool {
		t.Helper()
		_, out, errs := runCLI(t, "", append([]string{"scan", "--dynamic", "--observe", "500ms", "--format", "json"}, args...)...)
		if !strings.HasPrefix(out, "{") {
			t.Fatalf("scan %v: %s%s", args, out, errs)
		}
		for _, f := range decodeReport(t, out).Findings {
			if f.Rule != "TSS-CALL-AUTODIAL" {
				continue
			}
			for _, ev := range f.Evidence {
				if ev.Source == "runtime" {
					return true
				}
			}
		}
		return false
	}
	if !dialledInBrowser(page) {
		t.Error("the browser did not dial on a page that declares Japanese")
	}
	if dialledInBrowser("--lang", "en-US", page) {
		t.Error("with --lang en-US the browser still spoke Japanese")
	}
}
