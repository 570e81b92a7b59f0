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

// Attributes: the browser shows title, alt and aria-label (the sandbox
// reads them), and a script may put data-* text in the page. A number
// alone in an attribute is an identifier, not a line to call; data-* text
// no script reads is not shown.
func TestAttributeText(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true, NoEmulation: true})
	alert := `Your computer has been infected with a Trojan virus. Access to this PC has been blocked. Do not restart your computer. Call Microsoft Support immediately: +1 (844) 555-0199 (toll free).`
	for _, tc := range []struct {
		name, page string
		scam       bool
		hotline    string
	}{
		{"data-* a script puts in the page",
			`<div id="a" data-msg="` + alert + `"></div><script>var el = document.getElementById('a'); el.innerHTML = '<p>' + el.dataset.msg + '</p>';</script>`,
			true, "+18445550199"},
		{"data-* markup a script puts in the page",
			`<div id="a" data-msg="&lt;h1&gt;Windows Defender&lt;/h1&gt;&lt;p&gt;` + alert + `&lt;/p&gt;"></div><script>$('#a').html($('#a').data('msg'));</script>`,
			true, "+18445550199"},
		{"data-* no script reads",
			`<div data-msg="` + alert + `"></div><script>console.log(1)</script>`,
			false, ""},
		{"an image's alt text",
			`<h1>Windows Defender Security Warning</h1><p>Access to this PC has been blocked. Your computer has been infected with Trojan spyware. Do not restart your computer.</p><img src="n.png" alt="Call Windows Support +1-888-555-0142 toll free">`,
			true, "+18885550142"},
		{"an identifier",
			`<a href="/u" data-user-id="2157922658" title="2157922658">someone</a>`,
			false, ""},
		// What a field shows in its box is on the screen.
		{"a read-only field's value",
			`<h1>Windows Defender Security Warning</h1><p>Access to this PC has been blocked. Your computer has been infected with Trojan spyware. Do not restart your computer. Call Windows Support:</p><input type="text" readonly value="+1-888-555-0142">`,
			true, "+18885550142"},
		{"a field's placeholder",
			`<h1>Windows Defender Security Warning</h1><p>Access to this PC has been blocked. Your computer has been infected with Trojan spyware. Do not restart your computer. Call Windows Support:</p><textarea placeholder="+1-888-555-0142"></textarea>`,
			true, "+18885550142"},
		{"a hidden input, a password",
			`<h1>Windows Defender Security Warning</h1><p>Access to this PC has been blocked. Your computer has been infected with Trojan spyware. Do not restart your computer. Call Windows Support.</p><input type="hidden" name="ref" value="+1-888-555-0142"><input type="password" value="8885550142">`,
			false, ""},
	} {
		r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: tc.page}))
		if got := r.Verdict == Scam; got != tc.scam {
			t.Errorf("%s: verdict %s (%s)", tc.name, r.Verdict, r.Reason)
		}
		var got []string
		for _, h := range r.Hotlines {
			got = append(got, h.E164)
		}
		if (tc.hotline == "") != (len(got) == 0) || (tc.hotline != "" && got[0] != tc.hotline) {
			t.Errorf("%s: hotlines %v, want %q", tc.name, got, tc.hotline)
		}
	}
}
