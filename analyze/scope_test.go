package analyze

import (
	"strings"
	"testing"
)

// A claim counts where the page asserts it, not where it asks, supposes,
// quotes, denies or warns about it.
func TestClaimScope(t *testing.T) {
	cases := []struct {
		html  string
		rule  string
		count bool
		why   string
	}{
		{"<p>Your computer has been infected with a Trojan virus.</p>", "TSS-TEXT-INFECTED", true, ""},
		{"<p>Is your computer infected with a virus? Find out.</p>", "TSS-TEXT-INFECTED", false, "question"},
		{"<p>If your computer is infected with a virus, run a scan.</p>", "TSS-TEXT-INFECTED", false, "conditional"},
		{"<p>If you close this page, your computer will be infected by the virus.</p>", "TSS-TEXT-INFECTED", true, ""},
		{"<p>The pop-up read \"Your computer is infected with a virus\" in red.</p>", "TSS-TEXT-INFECTED", false, "quoted"},
		{"<p>Relax, your computer is not infected.</p>", "TSS-TEXT-INFECTED", false, "negated"},
		{"<p>Scammers will tell you that your computer is infected.</p>", "TSS-TEXT-INFECTED", false, "advisory"},
		{"<p>Do not restart your computer.</p>", "TSS-TEXT-DO-NOT-CLOSE", true, ""},
		{"<p>Ihr Computer ist mit Viren infiziert? Wir helfen.</p>", "TSS-TEXT-INFECTED", false, "question"},
		{"<p>Votre ordinateur est infecté par un logiciel espion.</p>", "TSS-TEXT-INFECTED", true, ""},
		{"<p>Microsoft ruft Sie niemals unaufgefordert an. Ihr Computer ist nicht infiziert.</p>", "TSS-TEXT-INFECTED", false, ""},
		{"<p>パソコンがウイルスに感染した場合は、ご連絡ください。</p>", "TSS-TEXT-INFECTED", false, "conditional"},
		{"<p>お使いのコンピュータはウイルスに感染しています。</p>", "TSS-TEXT-INFECTED", true, ""},
		// An advisory word inside a threat's name (Win32/Hoax.Renos,
		// Trojan.Fake.Alert) is no advice: the fake scan's claim counts.
		{"<p>High risk: Win32/Hoax.Renos.HX.</p><p>Threat detected! Trojan Spyware on your computer.</p>", "TSS-TEXT-THREAT-FOUND", true, ""},
		{"<p>Risk: Trojan.Fake.Alert.</p><p>Threat detected! Trojan Spyware on your computer.</p>", "TSS-TEXT-THREAT-FOUND", true, ""},
		{"<p>That warning is a hoax.</p><p>Threat detected! Trojan Spyware on your computer.</p>", "TSS-TEXT-THREAT-FOUND", false, "advisory"},
		// A Hindi sentence ends at its danda: "do not restart" before it
		// does not deny the call that follows.
		{"<p>कृपया अपने कंप्यूटर को पुनः आरंभ न करें। तुरंत Microsoft सहायता को कॉल करें: +1-844-636-0496</p>", "TSS-TEXT-CALL-URGENT", true, ""},
		{"<p>आपका कंप्यूटर संक्रमित है। आपका कंप्यूटर संक्रमित है? हमें बताएं।</p>", "TSS-TEXT-INFECTED", true, ""},
		// "When" opens an if-clause too (a repair shop: "your computer
		// runs better than when it got infected").
		{"<p>Your computer will run better than it did when it got infected by the virus.</p>", "TSS-TEXT-INFECTED", false, "conditional"},
		{"<p>When your computer is infected with a virus, bring it in.</p>", "TSS-TEXT-INFECTED", false, "conditional"},
		// A negation that is the claim's own wording ("not active") does
		// not deny it; one before the claim's term still does.
		{"<h1>Your McAfee antivirus is not active</h1>", "TSS-TEXT-PROTECTION-LAPSED", true, ""},
		{"<p>Your antivirus is active and up to date.</p>", "TSS-TEXT-PROTECTION-LAPSED", false, ""},
		{"<p>Your computer is not infected with a virus.</p>", "TSS-TEXT-INFECTED", false, "negated"},
		// A sentence ends at its stop before a block's end: the clause of
		// the block before does not scope the claim of the next.
		{"<p>Call us when an order is late.</p><p>Your computer has been infected with a virus.</p>", "TSS-TEXT-INFECTED", true, ""},
		{"<p>Is your order late?</p><p>Your computer has been infected with a virus.</p>", "TSS-TEXT-INFECTED", true, ""},
	}
	for _, c := range cases {
		r := analyzeHTML(t, c.html)
		got := r.Finding(c.rule) != nil
		if got != c.count {
			t.Errorf("%s in %q: counted %v, want %v (notes %q)", c.rule, c.html, got, c.count, r.Notes)
		}
		if c.why != "" && !noteHas(r.Notes, c.rule+" not counted ("+c.why+")") {
			t.Errorf("%q: want a note that %s was not counted (%s); notes %q", c.html, c.rule, c.why, r.Notes)
		}
	}
}

func noteHas(notes []string, prefix string) bool {
	for _, n := range notes {
		if len(n) >= len(prefix) && n[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

// A contact page (number, call link, "call support", brand) and nothing
// alarming never reaches suspicious, however many numbers it lists.
func TestContactOnlyCapped(t *testing.T) {
	html := `<title>Contact Apple Support</title><h1>Apple Support</h1>
<p>Call Apple Support at <a href="tel:+18005550199">1-800-555-0199</a>, toll free.</p>
<p>Call support for repairs: <a href="tel:+18005550198">1-800-555-0198</a>.</p>
<p>Business customers please call us immediately at 1-800-555-0197 when an order is late.</p>`
	r := analyzeHTML(t, html)
	if r.Verdict != Clean || r.Score > 4.5 {
		t.Fatalf("contact page: %s %.1f (%s)", r.Verdict, r.Score, r.Reason)
	}
	// The same page with one alarm is not capped.
	r = analyzeHTML(t, html+`<p>Your computer has been blocked.</p>`)
	if r.Score <= 4.5 {
		t.Fatalf("with an alarm the cap must not apply: %.1f (%s)", r.Score, r.Reason)
	}
	// A business's landing page with call tracking takes its number from
	// the URL, with a number of its own as the default: contact evidence.
	tracking := `<title>Acme Plumbing</title><h1>Acme Plumbing</h1><p>Fast, friendly service. Call our support team today for a free estimate.</p>
<p>Call now: <a class="phone" href="#"></a></p>
<script>function getParam(n){var m=new RegExp('[?&]'+n+'=([^&#]*)').exec(location.search);return m?decodeURIComponent(m[1]):null;}
var phone = getParam('tracking_phone') || '1-800-555-0199';
document.querySelectorAll('.phone').forEach(function(a){ a.textContent = phone; a.href = 'tel:' + phone.replace(/\D/g,''); });</script>`
	r = analyzeHTML(t, tracking)
	if r.Verdict != Clean || r.Score > 4.5 || r.Finding("TSS-TEMPLATE-NUMBER-PARAM") == nil {
		t.Fatalf("call-tracking page: %s %.1f (%s), findings %v; want clean at the cap, the template found", r.Verdict, r.Score, r.Reason, r.Findings)
	}
}

func TestInIdentifier(t *testing.T) {
	for _, c := range []struct {
		text string
		word string
		want bool
	}{
		{"win-32/hoax.renos.hx high risk", "hoax", true},
		{"trojan.fake.alert found", "fake", true},
		{"see example.com/scam for more", "scam", true},
		{"c:\\users\\scam\\x", "scam", true},
		{"this is a scam. call nobody", "scam", false},
		{"a hoax: nothing happened", "hoax", false},
		{"anti-scam guide", "scam", false},
		{"scam", "scam", false},
	} {
		i := strings.Index(c.text, c.word)
		if got := inIdentifier(c.text, i, i+len(c.word)); got != c.want {
			t.Errorf("%q in %q: %v, want %v", c.word, c.text, got, c.want)
		}
	}
}
