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

// A template kit whose parameter name the static reading cannot see (it
// comes from the page at run time, as obfuscators leave it) is still
// found swapping its number through the URL: the emulator hands the
// sentinel out when the page asks URLSearchParams for a phone number's
// parameter, or builds a regular expression for it (kits'
// getVariableFromURL helpers), and it comes back out of the page. Without,
// the page reads suspicious (9.5). The sentinel is the emulator's, never
// a hotline of the page.
func TestTemplateParamAtRunTime(t *testing.T) {
	for name, read := range map[string]string{
		"URLSearchParams": `var q = new URLSearchParams(location.search); slot.textContent = q.get(slot.getAttribute('data-k')) || '';`,
		"RegExp":          `function fromURL(n) { var r = new RegExp("[\\?&]" + n + "=([^&#]*)"), m = r.exec(window.location.href); return m ? m[1] : ""; } slot.textContent = fromURL(slot.getAttribute('data-k'));`,
	} {
		r := analyzeHTML(t, `<html><head><title>Security alert</title></head><body oncontextmenu="return false">
<h1>Your computer has been blocked</h1>
<p>Trojan spyware detected.</p>
<div id="slot" data-k="ph0ne"></div>
<script>
var slot = document.getElementById('slot');
`+read+`
window.onbeforeunload = function () { return ''; };
</script></body></html>`)
		if r.Verdict != Scam || r.Finding("TSS-TEMPLATE-NUMBER-PARAM") == nil || r.Template == nil || !r.Template.Confirmed || r.Template.DefaultNumber {
			t.Errorf("%s: no confirmed template: %s %.1f %v template %+v", name, r.Verdict, r.Score, ruleIDs(r), r.Template)
		}
		noSentinelHotline(t, r)
	}
}

// The sentinel put in the URL for a parameter the static reading saw is
// no hotline either: it was reported as the page's number, "default" and
// shared by every template kit (a campaign link between all of them).
func TestSentinelIsNoHotline(t *testing.T) {
	ctx := context.Background()
	c, err := capture.FromFile(ctx, "../fixtures/scam/locker-no-takeover-template.html", capture.Options{Policy: capture.DefaultPolicy(), BaseDir: "../fixtures/scam"})
	if err != nil {
		t.Fatal(err)
	}
	r := mustEngine(t, Options{}).Analyze(ctx, c)
	if r.Template == nil || !r.Template.Confirmed || r.Template.DefaultNumber {
		t.Errorf("template %+v", r.Template)
	}
	noSentinelHotline(t, r)
}

// A kit aimed at one country shows its call only to browsers in that
// language: the emulator's visitor speaks the page's declared language.
func TestLanguageTargetedKit(t *testing.T) {
	r := analyzeHTML(t, `<html lang="ja"><head><title>セキュリティ警告</title></head><body>
<h1>お使いのコンピューターはブロックされました</h1>
<script>
var k = [116,101,108,58,43,56,49,51,53,53,53,53,48,49,52,50], s = '';
for (var i = 0; i < k.length; i++) s += String.fromCharCode(k[i]);
if (navigator.language.indexOf('ja') === 0 && Intl.DateTimeFormat().resolvedOptions().timeZone === 'Asia/Tokyo') location.href = s;
</script></body></html>`)
	if auto := r.Finding("TSS-CALL-AUTODIAL"); auto == nil {
		t.Errorf("Japanese-only auto-dial: %s %.1f %v", r.Verdict, r.Score, ruleIDs(r))
	}
}

// noSentinelHotline fails t if the emulator's sentinel is among r's
// hotlines.
func noSentinelHotline(t *testing.T, r *Report) {
	t.Helper()
	for _, h := range r.Hotlines {
		if h.E164 == "+"+sentinelNumber {
			t.Errorf("the sentinel is a hotline: %+v", h)
		}
	}
}
