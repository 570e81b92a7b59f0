package analyze

import (
	"testing"

	"github.com/tssguard/tssguard/capture"
)

func evidenceSources(r *Report) map[string]bool {
	out := map[string]bool{}
	for _, f := range r.Findings {
		for _, ev := range f.Evidence {
			out[ev.Source] = true
		}
	}
	return out
}

// TestHiddenTextStatic: CSS content strings and the prose a canvas-drawing
// script holds are page text, each with its source.
func TestHiddenTextStatic(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	css := `<style>.m::before{content:"Your computer has been blocked. Trojan spyware detected."}</style><p class=m></p>`
	r := e.Analyze(t.Context(), SampleCapture(Sample{HTML: css}))
	if !evidenceSources(r)["css-content"] || r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Errorf("CSS content: %+v", r.Findings)
	}
	canvas := `<canvas id=c></canvas><script>var g=document.getElementById('c').getContext('2d');
var lines=['Your computer has been blocked', 'Trojan spyware was detected on this PC'];
for (var i=0;i<lines.length;i++) g.fillText(lines[i], 10, 20+i*20);</script>`
	r = e.Analyze(t.Context(), SampleCapture(Sample{HTML: canvas}))
	if !evidenceSources(r)["canvas"] || r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Errorf("canvas: %+v", r.Findings)
	}
	// A script that does not draw text keeps its strings to itself.
	plain := `<script>var msg = 'Your computer has been blocked'; console.log(msg);</script>`
	r = e.Analyze(t.Context(), SampleCapture(Sample{HTML: plain}))
	if evidenceSources(r)["canvas"] {
		t.Errorf("strings of a script that draws nothing read as canvas text: %+v", r.Findings)
	}
}

// TestRuntimeTexts: text the browser read outside the DOM reaches the rules
// with its source.
func TestRuntimeTexts(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{capture.TextCanvas, capture.TextCSSContent, capture.TextSVG, capture.TextAttribute, capture.TextReversed, capture.TextShadow, capture.TextOCR} {
		c := SampleCapture(Sample{HTML: "<canvas></canvas>"})
		c.Runtime = &capture.Runtime{Texts: []capture.Text{{Source: src, Text: "Windows Defender Security Warning. Your computer has been blocked. Trojan spyware detected. Your passwords and banking details are at risk. Do not restart your computer. Call Microsoft Support immediately at 1-844-555-0142 (toll free)."}}}
		r := e.Analyze(t.Context(), c)
		if !evidenceSources(r)[src] {
			t.Errorf("%s: no evidence from it: %+v", src, r.Findings)
		}
		if r.Verdict != Scam {
			t.Errorf("%s: verdict %s (%s)", src, r.Verdict, r.Reason)
		}
	}
}

// TestRuntimeTextReversed: the browser's text keeps a number written
// after a right-to-left override in the written order; it is read as
// shown.
func TestRuntimeTextReversed(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	c := SampleCapture(Sample{HTML: "<canvas></canvas>"})
	c.Runtime = &capture.Runtime{VisibleText: "Windows Defender Security Warning. Your computer has been blocked. Trojan spyware detected. Call Microsoft Support: \u202e2410-555 (448) 1+\u202c"}
	r := e.Analyze(t.Context(), c)
	if len(r.Hotlines) == 0 || r.Hotlines[0].E164 != "+18445550142" {
		t.Errorf("hotlines %+v, want +18445550142", r.Hotlines)
	}
}

func runtimeCapture(html string, events ...capture.Event) *capture.Capture {
	c := SampleCapture(Sample{HTML: html})
	c.Runtime = &capture.Runtime{Events: events}
	return c
}

// TestGestureGating: full screen and locks that answer a gesture give no
// locker evidence; three lockers on the page's own with a call path are a
// scam without a word.
func TestGestureGating(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	link := `<a href="tel:+18445550142"></a>`
	lockers := func(gestured bool) []capture.Event {
		var out []capture.Event
		for _, k := range []capture.EventKind{capture.EventFullscreen, capture.EventKeyboardLock, capture.EventPointerLock} {
			out = append(out, capture.Event{Kind: k, Count: 1, UserActivation: gestured, AfterGesture: gestured})
		}
		return out
	}
	game := e.Analyze(t.Context(), runtimeCapture(link, lockers(true)...))
	for _, id := range []string{"TSS-LOCK-FULLSCREEN", "TSS-LOCK-KEYBOARD", "TSS-LOCK-POINTER", ungesturedRule} {
		if game.Finding(id) != nil {
			t.Errorf("gestured: %s found", id)
		}
	}
	if game.Verdict == Scam {
		t.Errorf("gestured lockers: verdict %s", game.Verdict)
	}
	// Activation alone (no sandbox click) counts as a gesture too.
	active := lockers(false)
	for i := range active {
		active[i].UserActivation = true
	}
	if r := e.Analyze(t.Context(), runtimeCapture(link, active...)); r.Finding(ungesturedRule) != nil || r.Finding("TSS-LOCK-FULLSCREEN") != nil {
		t.Errorf("with user activation: %+v", r.Findings)
	}
	scam := e.Analyze(t.Context(), runtimeCapture(link, lockers(false)...))
	if f := scam.Finding(ungesturedRule); f == nil || f.Evidence[0].Source != "runtime" {
		t.Fatalf("ungested lockers with a tel: link: %+v", scam.Findings)
	}
	if scam.Verdict != Scam {
		t.Errorf("verdict %s (%s)", scam.Verdict, scam.Reason)
	}
	// Without a call or conversion path the combination is not decisive.
	if r := e.Analyze(t.Context(), runtimeCapture("<p></p>", lockers(false)...)); r.Finding(ungesturedRule) != nil {
		t.Errorf("no conversion path: %+v", r.Findings)
	}
	// Two soft behaviours and one takeover are not enough.
	soft := []capture.Event{{Kind: capture.EventFullscreen, Count: 1}, {Kind: capture.EventAudio, Count: 1}, {Kind: capture.EventBeforeUnload, Count: 1}}
	if r := e.Analyze(t.Context(), runtimeCapture(link, soft...)); r.Finding(ungesturedRule) != nil {
		t.Errorf("one takeover: %+v", r.Findings)
	}
	// A chat widget is a conversion path.
	chat := `<script src="https://embed.tawk.to/abc/default"></script>`
	if r := e.Analyze(t.Context(), runtimeCapture(chat, append(lockers(false), capture.Event{Kind: capture.EventDialog, Count: 5})...)); r.Finding(ungesturedRule) == nil {
		t.Errorf("chat widget: %+v", r.Findings)
	}
}

// TestReportRedirects: the redirect chain of a capture is in the report.
func TestReportRedirects(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	c := SampleCapture(Sample{HTML: "<p>x</p>"})
	c.Redirects = []string{"https://gate.example/", "https://lure.example/alert"}
	if r := e.Analyze(t.Context(), c); len(r.Redirects) != 2 {
		t.Errorf("redirects %v", r.Redirects)
	}
}
