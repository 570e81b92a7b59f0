package analyze

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// A page past the text or script budgets says so in its report.
func TestReportSaysWhatWasTruncated(t *testing.T) {
	t.Run("text", func(t *testing.T) {
		para := "<p>" + strings.Repeat("garden notes and seeds ", 40) + "</p>\n"
		n := maxTextBytes/(len(para)-8) + 50
		r := analyzeHTML(t, "<html><body>"+strings.Repeat(para, n)+"<p>the last words</p></body></html>")
		if r.Truncated == nil || r.Truncated.TextBytes < 40*len("garden notes and seeds ") || r.Truncated.Scripts != 0 {
			t.Fatalf("truncated = %+v, want text bytes of ~50 paragraphs", r.Truncated)
		}
		if !noteHas(r.Notes, "visible text over") {
			t.Errorf("no note on the text left out: %q", r.Notes)
		}
		b, _ := json.Marshal(r)
		if !strings.Contains(string(b), `"truncated":{"text_bytes":`) {
			t.Errorf("JSON lacks truncated.text_bytes: %s", b[len(b)-300:])
		}
	})
	t.Run("scripts", func(t *testing.T) {
		var sb strings.Builder
		for i := range maxScripts + 30 {
			fmt.Fprintf(&sb, "<script>var v%d = %d;</script>\n", i, i)
		}
		r := analyzeHTML(t, "<html><body><p>hello</p>"+sb.String()+"</body></html>")
		if r.Truncated == nil || r.Truncated.Scripts != 30 || r.Truncated.TextBytes != 0 {
			t.Fatalf("truncated = %+v, want 30 scripts", r.Truncated)
		}
		if !noteHas(r.Notes, "30 scripts past the limits") {
			t.Errorf("no note on the scripts left out: %q", r.Notes)
		}
	})
	// Past the limits, a script that could dial is still analysed: a kit
	// cannot push its payload out with empty scripts.
	t.Run("payload past the limits", func(t *testing.T) {
		var sb strings.Builder
		for i := range maxScripts + 30 {
			fmt.Fprintf(&sb, "<script>var v%d = %d;</script>\n", i, i)
		}
		sb.WriteString(`<script>location.href = "tel:+18445550142";</script>`)
		r := analyzeHTML(t, "<html><body><p>hello</p>"+sb.String()+"</body></html>")
		if r.Truncated == nil || r.Truncated.Scripts != 30 {
			t.Fatalf("truncated = %+v, want the 30 empty scripts", r.Truncated)
		}
		found := false
		for _, f := range r.Findings {
			found = found || strings.HasPrefix(f.Rule, "TSS-CALL")
		}
		if !found {
			t.Errorf("the call past the limits was not seen: %+v", r.Findings)
		}
	})
	t.Run("none", func(t *testing.T) {
		r := analyzeHTML(t, "<html><body><p>hello</p><script>var a = 1;</script></body></html>")
		if r.Truncated != nil {
			t.Fatalf("truncated = %+v on a small page", r.Truncated)
		}
		b, _ := json.Marshal(r)
		if strings.Contains(string(b), "truncated") {
			t.Errorf("JSON names truncated on a small page: %s", b)
		}
	})
}
