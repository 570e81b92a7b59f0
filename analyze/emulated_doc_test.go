package analyze

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// TestEmulatorRunsServedPage: in a dynamic capture the first document is
// the DOM the browser ended with; the emulator runs the page as served
// (the copy capture.AddServed adds, with its scripts), not the rendered
// DOM over again.
func TestEmulatorRunsServedPage(t *testing.T) {
	e, err := New(Options{NoFastPath: true, AlwaysEmulate: true})
	if err != nil {
		t.Fatal(err)
	}
	const u = "https://site.example/alert.html"
	dyn := &capture.Capture{URL: u, FinalURL: u, Documents: []capture.Document{{URL: u, Frame: "main", Rendered: true,
		Body: []byte(`<html><body><b>1-844-555-0142</b></body></html>`)}}}
	dyn.AddServed(SampleCapture(Sample{URL: u, HTML: `<html><body><script>var p = new URLSearchParams(location.search).get('phone'); document.write('<b>' + p + '</b>');</script></body></html>`}))
	if dyn.Served != 1 {
		t.Fatalf("Served = %d, want 1", dyn.Served)
	}
	r := e.Analyze(context.Background(), dyn)
	f := r.Finding("TSS-TEMPLATE-NUMBER-PARAM")
	if f == nil || r.Template == nil || !r.Template.Confirmed {
		t.Fatalf("template not confirmed by the emulator: %+v, %+v", f, r.Template)
	}
	if !strings.Contains(f.Evidence[0].Snippet, "came back out of the page") {
		t.Fatalf("evidence = %+v", f.Evidence)
	}
}

// TestRenderedBehindObfuscation: a page served as an obfuscated script and
// next to no text, whose scam claims only the browser's DOM shows, hid
// them behind the script (TSS-OBFUSCATED); the same claims on a page that
// served its own words do not make it obfuscated.
func TestRenderedBehindObfuscation(t *testing.T) {
	e, err := New(Options{NoFastPath: true})
	if err != nil {
		t.Fatal(err)
	}
	const u = "https://site.example/alert.html"
	code := "var d = document.createElement('div'); d.id = 'x'; document.body.appendChild(d);\n"
	script := `<script>eval(atob("` + base64.StdEncoding.EncodeToString([]byte(strings.Repeat(code, 40))) + `"))</script>`
	rendered := `<html><body><h1>Your computer has been blocked</h1><p>Trojan spyware was detected on this PC. Do not close this window. Call Microsoft Support now: 1-844-555-0142</p></body></html>`
	words := "<p>" + strings.Repeat("Our shop sells garden tools and seeds. ", 10) + "</p>"
	for _, tc := range []struct {
		name, served string
		want         bool
	}{
		{"blank page, obfuscated script", `<html><body>` + script + `</body></html>`, true},
		{"page with its own words", `<html><body>` + words + script + `</body></html>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dyn := &capture.Capture{URL: u, FinalURL: u, Runtime: &capture.Runtime{}, Documents: []capture.Document{{URL: u, Frame: "main", Rendered: true, Body: []byte(rendered)}}}
			dyn.AddServed(SampleCapture(Sample{URL: u, HTML: tc.served}))
			r := e.Analyze(context.Background(), dyn)
			got := false
			if f := r.Finding("TSS-OBFUSCATED"); f != nil {
				for _, ev := range f.Evidence {
					got = got || strings.Contains(ev.Snippet, "after the obfuscated script ran")
				}
			}
			if got != tc.want {
				t.Errorf("TSS-OBFUSCATED from the rendered text = %v, want %v (findings %v)", got, tc.want, r.Findings)
			}
		})
	}
}
