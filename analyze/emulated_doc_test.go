package analyze

import (
	"context"
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
