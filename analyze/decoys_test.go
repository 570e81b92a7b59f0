package analyze

import (
	"context"
	"testing"
)

// A hidden decoy inside a word or a number is left out of the text, as the
// browser shows it; hidden text that stands apart (a number a script
// reveals, a modal) stays, and so does a visible element inside a word.
func TestHiddenDecoys(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"display none", `Call 1-8<span style="display:none">7</span>44-555-01<span style="display: none;">9</span>42 now`, "Call 1-844-555-0142 now"},
		{"hidden attribute", `vi<b hidden>qx</b>rus`, "virus"},
		{"font size zero", `vi<span style="font-size:0px">q</span>rus`, "virus"},
		{"opacity", `vi<span style="opacity: 0">q</span>rus`, "virus"},
		{"side by side", `vi<span hidden>q</span><span hidden>x</span>rus`, "virus"},
		{"small font", `vi<span style="font-size:0.9em">r</span>us`, "virus"},
		{"visible", `vi<span>r</span>us`, "virus"},
		{"apart, before", `Call: <span style="display:none">+18445550142</span>`, "Call: +18445550142"},
		{"apart, after", `Call<span hidden>us</span> now`, "Callus now"},
		{"with an element in it", `vi<span hidden>q<b>x</b></span>rus`, "viqxrus"},
		{"long", `vi<span hidden>qqqqqqqqqqqqqqqqq</span>rus`, "viqqqqqqqqqqqqqqqqqrus"},
		{"white space in it", `vi<span hidden>q x</span>rus`, "viq xrus"},
	} {
		if got := parseDoc("t", []byte("<p>"+tc.body+"</p>")).Text; got != tc.want {
			t.Errorf("%s: text %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The fast path never takes a page whose words the engine may read
// without their decoys; a page whose hidden elements stand apart keeps it.
func TestPrefilterSeesDecoys(t *testing.T) {
	e := mustEngine(t, Options{})
	decoys := `<html><head><title>Notice</title></head><body><p>Your computer has been bl<span style="display:none">x</span>ocked.</p></body></html>`
	if ok, why := e.pre.fastClean(staticCapture(decoys)); ok {
		t.Errorf("decoys in a word: fast path taken (%s)", why)
	}
	full := mustEngine(t, Options{NoFastPath: true})
	if r := full.Analyze(context.Background(), staticCapture(decoys)); r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Errorf("decoys in a word: the full engine does not read the word (%v)", r.Findings)
	}
	apart := `<html><head><title>Search</title></head><body><p>Find a recipe <span class="clear" style="display: none;">x</span></p></body></html>`
	if ok, why := e.pre.fastClean(staticCapture(apart)); !ok {
		t.Errorf("a hidden element apart from the words: fast path not taken (%s)", why)
	}
}
