package analyze

import (
	"context"
	"testing"
)

// Text shown reversed is read as it is shown: a number written backwards
// in <bdo dir="rtl">, under an inline direction override, or after a
// right-to-left override character.
func TestReversedText(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"bdo", `Call <bdo dir="rtl">2410-555-448-1+</bdo> now`, "Call +1-844-555-0142 now"},
		{"bdo ltr", `Call <bdo dir="ltr">+1-844-555-0142</bdo> now`, "Call +1-844-555-0142 now"},
		{"style", `Call <span style="unicode-bidi: bidi-override; direction: rtl">2410-555-448-1+</span> now`, "Call +1-844-555-0142 now"},
		{"nested same tag", `<span style="direction:rtl;unicode-bidi:bidi-override">ab<span>cd</span>ef</span>`, "fedcba"},
		{"override character", "Call \u202e2410-555-448-1+\u202c now", "Call +1-844-555-0142 now"},
		{"override to the end", "Call \u202eénalpria", "Call airplané"},
		{"plain", `Call <span style="direction: rtl">+1-844-555-0142</span>`, "Call +1-844-555-0142"},
		// Brackets are mirrored as the run shows them.
		{"brackets", `Call <bdo dir="rtl">2410-555 (448) 1+</bdo>`, "Call +1 (844) 555-0142"},
		{"brackets after the character", "Call \u202e2410-555 (448) 1+\u202c", "Call +1 (844) 555-0142"},
		// A class a style element gives the override, in one rule.
		{"class", `<style>.n { unicode-bidi: bidi-override; direction: rtl }</style>Call <span class="big n">2410-555-448-1+</span> now`, "Call +1-844-555-0142 now"},
		{"class, direction only", `<style>.n { direction: rtl }</style>Call <span class="n">2410-555-448-1+</span>`, "Call 2410-555-448-1+"},
		{"class of another rule", `<style>.m { unicode-bidi: bidi-override; direction: rtl }</style>Call <span class="n">2410-555-448-1+</span>`, "Call 2410-555-448-1+"},
		{"style after the element", `Call <span class="n">2410-555-448-1+</span><style>.n { unicode-bidi: bidi-override; direction: rtl }</style>`, "Call 2410-555-448-1+"},
	} {
		if got := parseDoc("t", []byte("<p>"+tc.body+"</p>")).Text; got != tc.want {
			t.Errorf("%s: text %q, want %q", tc.name, got, tc.want)
		}
	}
	e := mustEngine(t, Options{})
	page := `<html><head><title>Notice</title></head><body><p>Your computer has been <bdo dir="rtl">dekcolb</bdo>.</p></body></html>`
	if ok, why := e.pre.fastClean(staticCapture(page)); ok {
		t.Errorf("reversed text: fast path taken (%s)", why)
	}
	if r := e.Analyze(context.Background(), staticCapture(page)); r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Errorf("reversed text: the claim is not read (%v)", r.Findings)
	}
}
