package analyze

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// A kit file that reads its number from its own script element
// (document.currentScript's data-* and src query) dials in the emulator,
// as in a browser; the number it dials is the one tracked.
func TestCurrentScriptNumber(t *testing.T) {
	dir := t.TempDir()
	page := `<html><head><title>Security alert</title></head><body>
<h1>Your computer has been blocked</h1>
<p>Trojan spyware detected.</p>
<script src="js/call.js?c=1" data-n="18445550142"></script>
</body></html>`
	// "tel:" built from character codes: only running the file shows the
	// call. Without it the page reads suspicious (8.5).
	kit := `var me = document.currentScript;
var n = me.getAttribute('data-n') || new URL(me.src).searchParams.get('n');
var scheme = String.fromCharCode(116, 101, 108, 58);
setTimeout(function () { location.href = scheme + '+' + n; }, 500);`
	if err := os.MkdirAll(filepath.Join(dir, "js"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "js", "call.js"), []byte(kit), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := capture.FromFile(ctx, filepath.Join(dir, "index.html"), capture.Options{Policy: capture.DefaultPolicy(), BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	r := mustEngine(t, Options{}).Analyze(ctx, c)
	auto := r.Finding("TSS-CALL-AUTODIAL")
	if r.Verdict != Scam || auto == nil || !strings.Contains(auto.Evidence[0].Snippet, "+18445550142") {
		t.Errorf("kit reading its number from its script element: %s %.1f %v", r.Verdict, r.Score, ruleIDs(r))
	}
}

// The same from an inline script after others (a JSON block among them):
// its place among the page's script elements is the emulator's too.
func TestCurrentScriptInline(t *testing.T) {
	r := analyzeHTML(t, `<html><head><title>Security alert</title><script>var a = 1;</script><script type="application/ld+json">{"x": 1}</script></head><body>
<h1>Your computer has been blocked</h1>
<p>Trojan spyware detected.</p>
<script data-n="18445550142">
var n = document.currentScript.dataset.n, scheme = String.fromCharCode(116, 101, 108, 58);
setTimeout(function () { location.href = scheme + '+' + n; }, 500);
</script></body></html>`)
	auto := r.Finding("TSS-CALL-AUTODIAL")
	if r.Verdict != Scam || auto == nil || !strings.Contains(auto.Evidence[0].Snippet, "+18445550142") {
		t.Errorf("inline script reading its own data-*: %s %.1f %v", r.Verdict, r.Score, ruleIDs(r))
	}
}
