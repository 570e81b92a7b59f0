package analyze

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
)

var (
	testEngineOnce sync.Once
	testEngine     *Engine
	testEngineErr  error
)

// engine is the full pipeline: the tests read findings, which the fast
// path leaves out of the pages it calls clean.
func engine(t testing.TB) *Engine {
	t.Helper()
	testEngineOnce.Do(func() { testEngine, testEngineErr = New(Options{NoFastPath: true}) })
	if testEngineErr != nil {
		t.Fatal(testEngineErr)
	}
	return testEngine
}

func analyzeHTML(t testing.TB, html string) *Report {
	t.Helper()
	return engine(t).Analyze(context.Background(), SampleCapture(Sample{HTML: html}))
}

// TestRuleSamples runs every rule's own true- and false-positive samples.
func TestRuleSamples(t *testing.T) {
	for _, f := range CheckSamples(context.Background(), engine(t)) {
		t.Error(f)
	}
}

func TestEveryRuleHasSamples(t *testing.T) {
	for _, r := range engine(t).Pack().Rules {
		if len(r.Samples.TP) == 0 || len(r.Samples.FP) == 0 {
			t.Errorf("%s: needs true- and false-positive samples (has %d tp, %d fp)", r.ID, len(r.Samples.TP), len(r.Samples.FP))
		}
	}
}

func TestPackValidation(t *testing.T) {
	bad := []struct{ name, yaml, want string }{
		{"unknown field", "version: 1\nthreshold: {scam: 1}\n", "field threshold not found"},
		{"bad regex", `rules: [{id: TSS-X-Y, category: content, severity: low, weight: 1, message: m, regex: "(", samples: {tp: ["x"]}}]`, "regex"},
		{"unknown category", `rules: [{id: TSS-X-Y, category: nope, severity: low, weight: 1, message: m, phrases: [a], samples: {tp: ["x"]}}]`, "unknown category"},
		{"no matcher", `rules: [{id: TSS-X-Z, category: content, severity: low, weight: 1, message: m, samples: {tp: ["x"]}}]`, "not a built-in behaviour rule"},
		{"no samples", `rules: [{id: TSS-X-W, category: content, severity: low, weight: 1, message: m, phrases: [a]}]`, "true-positive sample"},
		{"bad id", `rules: [{id: lower, category: content, severity: low, weight: 1, message: m, phrases: [a], samples: {tp: ["x"]}}]`, "ID must look like"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DefaultPack()
			if err != nil {
				t.Fatal(err)
			}
			o, err := ParsePack([]byte(tt.yaml), "test")
			if err == nil {
				p.Merge(o)
				_, err = New(Options{Pack: p})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestPackOverride(t *testing.T) {
	p, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParsePack([]byte(`
thresholds: {scam: 12}
rules:
  - id: TSS-TEXT-DEVICE-BLOCKED
    extend: true
    near: {window: 60, terms: [[aparelho], [bloqueado]]}
    samples: {tp: ["<p>Seu aparelho foi bloqueado</p>"]}
  - id: TSS-LOCK-CURSOR-HIDDEN
    disabled: true
  - id: TSS-TEXT-GIFT-CARD
    category: content
    severity: medium
    weight: 2
    message: asks for payment in gift cards
    phrases: [gift card*, itunes card*]
    samples: {tp: ["<p>Pay with Google Play gift cards</p>"], fp: ["<p>Gifts</p>"]}
`), "override")
	if err != nil {
		t.Fatal(err)
	}
	p.Merge(o)
	e, err := New(Options{Pack: p, NoFastPath: true})
	if err != nil {
		t.Fatal(err)
	}
	if e.Pack().Thresholds.Scam != 12 {
		t.Errorf("scam threshold = %v, want 12", e.Pack().Thresholds.Scam)
	}
	ctx := context.Background()
	r := e.Analyze(ctx, SampleCapture(Sample{HTML: "<body style='cursor:none'><p>Seu aparelho foi bloqueado. Pay with iTunes cards.</p></body>"}))
	if r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Error("extended rule did not match the added Portuguese terms")
	}
	if r.Finding("TSS-TEXT-GIFT-CARD") == nil {
		t.Error("added rule did not match")
	}
	if r.Finding("TSS-LOCK-CURSOR-HIDDEN") != nil {
		t.Error("disabled rule still matched")
	}
	for _, f := range CheckSamples(ctx, e) {
		t.Error(f)
	}
}

// TestOneWeakSignalIsNotScam: no single weak behaviour, alone, may make a
// page a scam.
func TestOneWeakSignalIsNotScam(t *testing.T) {
	pages := map[string]string{
		"phone param":  "<script>var n = new URLSearchParams(location.search).get('phone'); document.getElementById('x').textContent = n;</script><p id=x></p>",
		"tel link":     "<a href='tel:+18445550142'>Call +1 844 555 0142</a>",
		"alert":        "<script>alert('Saved!')</script>",
		"autoplay":     "<audio autoplay src='a.mp3'></audio>",
		"fullscreen":   "<script>addEventListener('click', function(){ document.documentElement.requestFullscreen() })</script>",
		"beforeunload": "<script>onbeforeunload = function(){ return 'unsaved' }</script>",
		"scare words":  "<p>Your computer is infected with a virus.</p>",
	}
	for name, html := range pages {
		r := analyzeHTML(t, html)
		if r.Verdict == Scam {
			t.Errorf("%s: verdict scam (score %.1f): %s", name, r.Score, r.Reason)
		}
	}
}

func TestScamPageExplained(t *testing.T) {
	r := analyzeHTML(t, `<html lang="en"><head><title>Security Alert</title></head>
<body onbeforeunload="return stay()" style="cursor:none">
<audio autoplay loop><source src="alarm.mp3"></audio>
<h1>Windows Defender Security Center</h1>
<p>Access to this PC has been blocked for security reasons. Your computer has been infected with Trojan spyware.</p>
<p>Do not restart or shut down your computer. Call Windows Support immediately: <a href="tel:+18445550142">+1 (844) 555-0142</a> (toll free)</p>
<script>function stay(){ return 'Are you sure?' } setInterval(function(){ alert('Your computer is blocked. Call +1 (844) 555-0142'); }, 2000);</script>
</body></html>`)
	if r.Verdict != Scam {
		t.Fatalf("verdict %s (score %.1f): %s; findings %+v", r.Verdict, r.Score, r.Reason, r.Findings)
	}
	for _, id := range []string{"TSS-LOCK-DIALOG-LOOP", "TSS-LOCK-BEFOREUNLOAD", "TSS-MEDIA-AUTOPLAY", "TSS-TEXT-DEVICE-BLOCKED", "TSS-HOTLINE", "TSS-BRAND"} {
		f := r.Finding(id)
		if f == nil {
			t.Errorf("missing finding %s", id)
			continue
		}
		if len(f.Evidence) == 0 || f.Evidence[0].Snippet == "" {
			t.Errorf("%s has no evidence", id)
		}
	}
	if len(r.Hotlines) != 1 || r.Hotlines[0].E164 != "+18445550142" || r.Hotlines[0].Type != "toll-free" {
		t.Errorf("hotlines = %+v, want one toll-free +18445550142", r.Hotlines)
	}
	if len(r.Brands) == 0 || r.Brands[0] != "microsoft" {
		t.Errorf("brands = %v, want microsoft first", r.Brands)
	}
}

// TestHostileInput: every input ends in a bounded result, never a panic or
// a hang. The deadline guards against a hang; it is not a performance test.
func TestHostileInput(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "x" + strings.Repeat("</div>", 100000)
	big := "<html><body>" + strings.Repeat("<p>lorem ipsum dolor sit amet 0800 123 456 </p>\n", 50<<20/50) + "</body></html>"
	inputs := map[string][]byte{
		"empty":          nil,
		"binary":         bytes.Repeat([]byte{0, 0xff, 0x89, 'P', 'N', 'G', 0x1a}, 1000),
		"invalid utf-8":  []byte("<p>\xff\xfe\xfd Your computer \xc3\x28 is blocked</p>"),
		"50 MB":          []byte(big),
		"100k nesting":   []byte(deep),
		"endless loop":   []byte("<a id=c href='tel:+18445550142'></a><script>while(true){}</script>"),
		"endless alerts": []byte("<script>for(;;){alert('blocked')}</script>"),
		"nested parens":  []byte("<script>" + strings.Repeat("(", 100000) + strings.Repeat(")", 100000) + "</script>"),
		"unclosed":       []byte("<script>var a = '"),
		"many attrs":     []byte("<a " + strings.Repeat("x=1 ", 100000) + ">"),
	}
	e := engine(t)
	for name, body := range inputs {
		t.Run(name, func(t *testing.T) {
			done := make(chan *Report, 1)
			go func() {
				done <- e.Analyze(context.Background(), &capture.Capture{URL: "file:///x.html", Documents: []capture.Document{{URL: "file:///x.html", Frame: "main", Body: body}}})
			}()
			select {
			case r := <-done:
				for _, n := range r.Notes {
					if strings.HasPrefix(n, "internal error") {
						t.Errorf("panic recovered: %s", n)
					}
				}
			case <-time.After(2 * time.Minute):
				t.Fatal("analysis did not finish")
			}
		})
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"<p>Your computer is blocked. Call +1 844 555 0142</p>",
		"<a id=c href=tel:1><script>document.getElementById('c').click()</script>",
		"<meta http-equiv=refresh content='0;url=tel:+1'>",
		"<script>eval(atob('YWxlcnQoMSk='))</script>",
		"<body onbeforeunload='x()' style='cursor:none'>",
		"<script>var f=document.createElement('iframe');f.srcdoc='<p>Call +1 844 555 0142</p><script>location=\\'tel:1\\'<\\/script>';document.body.appendChild(f)</script>",
		// text shown other than as text nodes: reversed, in fields, in SVG pictures
		"<style>.r{unicode-bidi:bidi-override;direction:rtl}</style><p class=r>2410-555 (448) 1+</p><bdo dir=rtl>troppus</bdo>\u202e2410\u202c",
		"<input readonly value='Call +1 844 555 0142'><textarea placeholder='Your PC is blocked'></textarea><img alt='Virus alert' title=t>",
		"<img src=\"data:image/svg+xml;base64,PHN2Zz48dGV4dD5DYWxsICsxIDg0NCA1NTUgMDE0MjwvdGV4dD48L3N2Zz4=\"><div style=\"background:url('data:image/svg+xml,%3Csvg%3E%3Ctext%3EVirus%3C/text%3E')\">",
	} {
		f.Add([]byte(s))
	}
	e, err := New(Options{EmulationBudget: 20 * time.Millisecond})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := e.Analyze(context.Background(), &capture.Capture{URL: "file:///f.html", Documents: []capture.Document{{Body: body}}})
		for _, n := range r.Notes {
			if strings.HasPrefix(n, "internal error") {
				t.Fatalf("panic: %s", n)
			}
		}
		switch r.Verdict {
		case Scam, Suspicious, Clean:
		default:
			t.Fatalf("verdict %q", r.Verdict)
		}
	})
}
