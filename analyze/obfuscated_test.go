package analyze

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// obfuscatedOnlyPage is a blank page whose one large script decodes its
// markup with a key it computes from the browser (navigator.language), so
// no static decoder can read it: only running it shows the warning.
func obfuscatedOnlyPage() string {
	markup := `<h1>Your computer has been blocked</h1><p>Windows detected a virus. Do not restart your computer.</p>` +
		`<p>Call Microsoft support now: +1 (888) 555-0147</p>`
	key := byte(len("en-US") + 100) // the script derives it the same way
	var enc strings.Builder
	for i := 0; i < len(markup); i++ {
		fmt.Fprintf(&enc, `\x%02x`, markup[i]^key)
	}
	var pad strings.Builder
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&pad, "'_0x%04x',", i*7919%65536)
	}
	return `<!doctype html><html><head><meta charset="utf-8"></head><body><script>
var _0x1f2e = [` + pad.String() + `'_0xend'];
function _0x5a1b(_0x3c, _0x4d) { var _0x2e = ''; for (var _0x6f = 0; _0x6f < _0x3c.length; _0x6f++) { _0x2e += String.fromCharCode(_0x3c.charCodeAt(_0x6f) ^ _0x4d); } return _0x2e; }
var _0x7a8b = navigator.language.length + 100;
document.body.innerHTML = _0x5a1b('` + enc.String() + `', _0x7a8b);
</script></body></html>`
}

func TestObfuscatedOnlyPageIsEmulated(t *testing.T) {
	page := obfuscatedOnlyPage()
	ctx := context.Background()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := e.Analyze(ctx, SampleCapture(Sample{HTML: page}))
	if r.Timings.Emulation == 0 {
		t.Fatal("an obfuscation-only page was not emulated")
	}
	if r.Verdict != Scam {
		t.Fatalf("verdict %s (%.1f): %s; notes %v", r.Verdict, r.Score, r.Reason, r.Notes)
	}
	off, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := off.Analyze(ctx, SampleCapture(Sample{HTML: page})); r.Verdict == Scam {
		t.Fatal("the page is a scam without emulation: the test no longer needs the trigger")
	}
}

// A page with its own text is not emulated for an obfuscated script alone
// (analytics and ad scripts are obfuscated too).
func TestObfuscatedScriptOnATextPageIsNotReasonEnough(t *testing.T) {
	page := strings.Replace(obfuscatedOnlyPage(), "<body>", "<body><article>"+strings.Repeat("A long article about gardening and the seasons. ", 10)+"</article>", 1)
	page = strings.Replace(page, "document.body.innerHTML", "var _0xunused", 1)
	e, err := New(Options{EmulationBudget: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page})); r.Timings.Emulation != 0 {
		t.Fatalf("emulated a text page for its obfuscated script (verdict %s)", r.Verdict)
	}
}

// An obfuscation-only page may run longer than others: decoding a string
// array obfuscated twice over takes goja hundreds of milliseconds, and
// nothing else on such a page can be read statically.
func TestObfuscatedOnlyPageGetsTheLongerCap(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	withText := strings.Replace(obfuscatedOnlyPage(), "<body>", "<body><article>"+strings.Repeat("A long article about gardening and the seasons. ", 10)+"</article>", 1)
	for _, c := range []struct {
		name, page string
		want       time.Duration
	}{
		{"obfuscation-only", obfuscatedOnlyPage(), maxObfuscatedOnlyBudget},
		{"with text of its own", withText, maxEmulationBudget},
	} {
		a := &analysis{e: e, ctx: context.Background(), cap: SampleCapture(Sample{HTML: c.page}),
			report: &Report{Findings: []Finding{}, Hotlines: []Hotline{}}, findings: map[string]*Finding{}}
		a.readDocuments()
		a.readScripts()
		if got := a.emulationOptions().MaxBudget; got != c.want {
			t.Errorf("%s: the emulation may run %v in all, want %v", c.name, got, c.want)
		}
	}
	if maxObfuscatedOnlyBudget <= maxEmulationBudget {
		t.Fatal("the obfuscation-only cap is no longer the larger")
	}
}

// An analytics snippet that writes its tag through unescape is a sign worth
// decoding, not a hint worth running the page for: the static reading
// reads it whole. Code made from a string at run time is a hint.
func TestDecodedSnippetIsNoEmulationHint(t *testing.T) {
	e, err := New(Options{EmulationBudget: 50 * time.Millisecond, NoFastPath: true}) // the pages are small
	if err != nil {
		t.Fatal(err)
	}
	page := func(script string) string {
		return `<html><body><article><p>` + strings.Repeat("Photos of the camp site by the river, and the way there. ", 8) +
			`</p><img src="a.jpg" oncontextmenu="return false"></article><script>` + script + `</script></body></html>`
	}
	snippet := `var proto = (("https:" == document.location.protocol) ? " https://" : " http://");
document.write(unescape("%3Cscript src='" + proto + "stats.example/h.js%3F9695' type='text/javascript'%3E%3C/script%3E"));`
	if r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page(snippet)})); r.Timings.Emulation != 0 {
		t.Errorf("emulated a page for an analytics snippet (verdict %s)", r.Verdict)
	}
	timer := `var n = document.title.length; setTimeout("document.title = 'photos ' + n", 10);`
	if r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page(timer)})); r.Timings.Emulation == 0 {
		t.Errorf("code from a string beside a locker sign was not run (verdict %s): the case no longer tests the hint", r.Verdict)
	}
}
