package analyze

import (
	"context"
	"testing"
)

func TestProse(t *testing.T) {
	for s, want := range map[string]bool{
		"Your computer has been blocked":                   true,
		"Your com\u200bputer has be\u200ben blo\u200bcked": true, // zero-width characters inside the words
		"Ваш компьютер заблокирован, позвоните":            true, // two bytes a letter
		"お使いの コンピューター は ロック されました":                         true,
		"+1 (844) 555-0173":         true,
		"#screen > div.alert":       false,
		"https://example.com/a b c": false,
		"if (a) { b = c; }":         false,
		"12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12 34 56": false, // digits, not words
	} {
		if got := prose(s); got != want {
			t.Errorf("prose(%q) = %v, want %v", s, got, want)
		}
	}
}

// What fillText draws is page text even when one line is too short to
// read as prose: "5 viruses" and "found on your PC." drawn one under the
// other say a threat was found.
func TestCanvasDrawnLines(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true})
	page := `<canvas id="c"></canvas><script>var g = document.getElementById('c').getContext('2d');
g.fillText("5 viruses", 20, 40); g.fillText("found on your PC.", 20, 80);</script>`
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
	f := r.Finding("TSS-TEXT-THREAT-FOUND")
	if f == nil || f.Evidence[0].Source != "canvas" {
		t.Fatalf("TSS-TEXT-THREAT-FOUND from the canvas = %+v; findings %v", f, r.Findings)
	}
}

// Text CSS shows from an attribute (content: attr(data-msg)) is read as
// the page's; the links a print style sheet shows the same way are not.
func TestCSSAttrContentIsRead(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	page := `<html><head><style>.m::before { content: attr(data-m) }</style></head><body>` +
		`<h1 class="m" data-m="Windows Defender Security Alert"></h1>` +
		`<p class="m" data-m="Your computer is infected with a Trojan virus. Do not close this page or restart your computer."></p>` +
		`<p class="m" data-m="Call Microsoft Support now: +1-855-494-7196 (toll free)"></p></body></html>`
	if r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page})); r.Verdict != Scam {
		t.Errorf("alert in data attributes: %s (%s)", r.Verdict, r.Reason)
	}
	print := `<html><head><style>@media print { a[href]::after { content: " (" attr(href) ")" } }</style></head><body>` +
		`<p>Read our guide to <a href="https://example.org/call-microsoft-support-scam-virus-alert-do-not-close">fake virus alerts</a>.</p></body></html>`
	if r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: print})); r.Verdict != Clean {
		t.Errorf("a print style sheet's links: %s %v", r.Verdict, r.Findings)
	}
}
