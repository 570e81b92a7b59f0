package analyze

import (
	"context"
	"fmt"
	"github.com/tssguard/tssguard/capture"
	"strings"
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
		{"class", `vi<span class="w qx">q</span>rus`, "virus"},
		{"class in a print style sheet", `vi<span class="np">q</span>rus`, "virus"},
		{"visible class", `vi<span class="w">q</span>rus`, "viqrus"},
	} {
		css := `<style>.w{color:red} span.qx, .other { display : none } @media print { .np { display:none } } .menu .sub:hover{opacity:0.5}</style>`
		if got := parseDoc("t", []byte(css+"<p>"+tc.body+"</p>")).Text; got != tc.want {
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
	class := `<html><head><title>Notice</title><style>.x{display:none}</style></head><body><p>Your computer has been bl<span class="x">x</span>ocked.</p></body></html>`
	if ok, why := e.pre.fastClean(staticCapture(class)); ok {
		t.Errorf("a decoy hidden by a class: fast path taken (%s)", why)
	}
	if r := full.Analyze(context.Background(), staticCapture(class)); r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Errorf("a decoy hidden by a class: the full engine does not read the word (%v)", r.Findings)
	}
	apart := `<html><head><title>Search</title></head><body><p>Find a recipe <span class="clear" style="display: none;">x</span></p></body></html>`
	if ok, why := e.pre.fastClean(staticCapture(apart)); !ok {
		t.Errorf("a hidden element apart from the words: fast path not taken (%s)", why)
	}
}

func TestClassHidden(t *testing.T) {
	css := `a{color:red} .x,div.y .z{display:none} .o{opacity:0} .h{visibility: hidden}
@media screen{ .m { font-size: 0 } } .f{font-size:0.8em} .s{opacity:.5} #i{display:none} .u:hover{display:none} .xy{color:red}`
	for _, c := range []string{"x", "z", "o", "h", "m", "u"} {
		if !classHidden(css, c) {
			t.Errorf("class %q not read as hidden", c)
		}
	}
	for _, c := range []string{"y", "f", "s", "i", "xy", "a", "q"} {
		if classHidden(css, c) {
			t.Errorf("class %q read as hidden", c)
		}
	}
}

// The fast path is sound: a page it calls clean, the full engine calls
// clean too. The seeds are pages on the edge of it: words the engine reads
// once something is left out (decoys), or put together.
func FuzzFastPathSound(f *testing.F) {
	for _, s := range []string{
		`<title>Notice</title><p>Your computer has been bl<span style="display:none">x</span>ocked. Call supp<b hidden>q</b>ort now.</p>`,
		`<style>.x{display:none}</style><p>Your computer has been bl<span class="x">x</span>ocked.</p>`,
		`<p>Your computer has been bl<b></b>ocked. Call 1-8<i>44</i>-555-0142</p>`,
		`<p>Your data is safe. We bake bread.</p><img alt="Call support">`,
		`<div data-msg="Your computer is infected"></div><script>x.innerHTML = x.dataset.msg</script>`,
		`<script>document.title = 'Call Support +1-844-555-0142'</script><p>Do not close this page.</p>`,
		`<p>Your computer has been blocked. Call support now.</p><embed src="alarm.wav"><iframe src="a.mp3"></iframe>`,
	} {
		f.Add([]byte(s))
	}
	fast := mustEngine(f, Options{NoEmulation: true})
	full := mustEngine(f, Options{NoEmulation: true, NoFastPath: true})
	f.Fuzz(func(t *testing.T, body []byte) {
		c := &capture.Capture{URL: "file:///f.html", Documents: []capture.Document{{Body: body}}}
		ok, why := fast.pre.fastClean(c)
		if !ok {
			return
		}
		if r := full.Analyze(context.Background(), c); r.Verdict != Clean {
			t.Fatalf("fast path: clean (%s); the full engine: %s %.1f %v", why, r.Verdict, r.Score, r.Findings)
		}
	})
}

// Many classed elements inside words, each of its own class, beside a
// large style sheet, cost a bounded reading: the answers stop at
// maxDecoyScan bytes of style sheets, and a class past it reads as shown.
func TestClassLookupsBounded(t *testing.T) {
	css := strings.Repeat(".pad{color:red} ", 8<<10) + ".late{display:none}"
	styles := []attrAt{{Tag: "style", Value: css}}
	h := classRules{decls: hidingDecls}
	for i := range 2000 {
		h.has(fmt.Sprintf("k%d", i), styles)
	}
	if h.scanned > maxDecoyScan {
		t.Errorf("read %d bytes of style sheets, want at most %d", h.scanned, maxDecoyScan)
	}
	if h.has("late", styles) {
		t.Error("a class asked past the budget read as hidden")
	}
	fresh := classRules{decls: hidingDecls}
	if !fresh.has("late", styles) {
		t.Error("a class the style sheet hides read as shown")
	}
	var b strings.Builder
	b.WriteString("<style>" + css + "</style><p>")
	for i := range 2000 {
		fmt.Fprintf(&b, "vi<span class=\"k%d\">q</span>rus ", i)
	}
	if d := parseDoc("t", []byte(b.String())); !strings.Contains(d.Text, "viqrus") {
		t.Errorf("a shown class's text was left out: %.80q", d.Text)
	}
}

// classHidden: style sheet css hides class c with a rule of its own.
func classHidden(css, c string) bool { return classRule(css, c, hidingDecls) }
