package analyze

import (
	"context"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// A chat widget whose address the page's code builds at run time (an
// obfuscator's string table) is found when the emulator sees the script
// element inserted, as when the address is written in the page.
func TestChatWidgetLoadedAtRunTime(t *testing.T) {
	page := func(script string) string {
		return `<html><head><title>Printer Setup - Driver Error</title></head><body>
<h2>Printer driver installation failed</h2>
<p>Error code 0x8007007e: your printer is offline and your computer is at risk.</p>
<p><b>Do not restart your computer.</b> A certified technician is waiting.</p>
<button id="chat">Chat with a technician now</button>
<script>` + script + `</script></body></html>`
	}
	// The pieces are reversed and put back by a loop through a function:
	// no constant of the page's code names the host.
	hidden := `var _0x3f1a = ['tluafed/ffoc0c0a46', '/ot.kwat', '.debme//:sptth'];
function _0x52c1(_0xa) { var _0xo = ''; for (var _0xi = _0xa.length - 1; _0xi >= 0; _0xi--) { var _0xp = _0xa[_0xi], _0xr = ''; for (var _0xj = _0xp.length - 1; _0xj >= 0; _0xj--) _0xr += _0xp.charAt(_0xj); _0xo += _0xr; } return _0xo; }
var _0x9b = document.createElement('script'); _0x9b.async = true; _0x9b.src = _0x52c1(_0x3f1a);
document.getElementsByTagName('head')[0].appendChild(_0x9b);`
	for _, tc := range []struct {
		name, script string
		want         bool
	}{
		{"written", `var s1 = document.createElement('script'); s1.src = 'https://embed.tawk.to/64a0c0ffee/default'; document.head.appendChild(s1);`, true},
		{"built at run time", hidden, true},
		{"another host built at run time", `var _0x3f1a = ['sj.ppa/moc.elpmaxe.nc', 'd//:sptth'];` + hidden[strings.Index(hidden, "\nfunction"):], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := analyzeHTML(t, page(tc.script))
			if got := r.Finding("TSS-CONVERT-CHAT-WIDGET") != nil; got != tc.want {
				t.Errorf("TSS-CONVERT-CHAT-WIDGET found %v, want %v: %s %v", got, tc.want, r.Verdict, ruleIDs(r))
			}
		})
	}
}

// In the browser (a dynamic capture), the widget's script request counts:
// the containment proxy blocks it, and the request stays on record.
func TestChatWidgetRequested(t *testing.T) {
	html := `<html><body><h2>Printer driver installation failed</h2>
<p>Do not restart your computer. A certified technician is waiting.</p></body></html>`
	for _, tc := range []struct {
		req  capture.Request
		want bool
	}{
		{capture.Request{URL: "https://embed.tawk.to/64a0c0ffee/default", Type: "Script", Blocked: true, Reason: "not loopback"}, true},
		{capture.Request{URL: "https://embed.tawk.to/64a0c0ffee/default", Type: "Image", Blocked: true}, false},
		{capture.Request{URL: "https://cdn.example.com/app.js", Type: "Script"}, false},
	} {
		c := SampleCapture(Sample{HTML: html})
		c.Runtime = &capture.Runtime{Profile: "windows", Requests: []capture.Request{tc.req}}
		r := engine(t).Analyze(context.Background(), c)
		if got := r.Finding("TSS-CONVERT-CHAT-WIDGET") != nil; got != tc.want {
			t.Errorf("%s %s: TSS-CONVERT-CHAT-WIDGET found %v, want %v", tc.req.Type, tc.req.URL, got, tc.want)
		}
	}
}
