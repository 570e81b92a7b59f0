package analyze

import "testing"

// TestWrittenCallLinkIsEmulated: a call link a script writes into the page
// and then clicks is an auto-dial like one in the HTML: the page is
// emulated, and the dial seen.
func TestWrittenCallLinkIsEmulated(t *testing.T) {
	r := analyzeHTML(t, `<!doctype html><html><head><title>Support</title></head><body>
<div class="box"><p>Contact a technician at <b>1-844-555-0142</b>.</p></div>
<script>
document.write('<a class="cta" href="tel:18445550142">Call</a>');
setTimeout(function () { document.querySelector('a.cta').dispatchEvent(new MouseEvent('click', { bubbles: true })); }, 800);
</script></body></html>`)
	if r.Verdict != Scam {
		t.Fatalf("verdict %s (%s), findings %+v", r.Verdict, r.Reason, r.Findings)
	}
}

func TestMarkupCallLink(t *testing.T) {
	for s, want := range map[string]bool{
		`<a class="cta" href="tel:18445550142">Call</a>`:      true,
		`<A HREF='TEL:+1 844 555 0142'>x</A>`:                 true,
		`<a href="callto:+18445550142">`:                      true,
		`<a href="tel:911">emergency</a>`:                     false,
		`tel:18445550142`:                                     false, // not markup (callScheme covers it)
		`<a href="/contact">call us: tel: 1-844-555-0142</a>`: true,
		`<p>1-844-555-0142</p>`:                               false,
	} {
		if got := markupCallLink(s); got != want {
			t.Errorf("%q: %v", s, got)
		}
	}
}
