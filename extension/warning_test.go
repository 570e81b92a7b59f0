package extension_test

import (
	"testing"
	"time"
)

// TestWarningAtLoad: a fake alert whose number is not in its text (drawn
// in a picture on the kit's page) but whose words fill the content cap,
// with a brand and a call to action, is warned about at load, before it
// tries anything, and the warning says what it can no longer do. A help
// page with the same brand and a call to action is left alone.
func TestWarningAtLoad(t *testing.T) {
	pages := map[string]string{
		"/alert": `<title>Security Center</title><body>
<h1>Windows Defender Security Center</h1>
<p>Access to this computer has been blocked for security reasons.</p>
<p>Your computer is infected with Trojan spyware. Threats found: Trojan.Agent, Spyware.Banker.</p>
<p>Your passwords and bank details are being stolen.</p>
<p>Do not close this page or restart your computer.</p>
<p>Call Microsoft support immediately: <img src="number.png" alt=""></p></body>`,
		"/help": `<title>Help</title><body><h1>Windows help</h1>
<p>If your computer is blocked after too many password attempts, call the IT help desk.</p>
<p>Is your computer infected? Run a scan with Microsoft Defender, then call support if it finds anything.</p></body>`,
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	warning := func(path string) (shown bool, locked string) {
		// A fresh browser takes a moment to start the extension for its first page.
		tb := b.open(t, base+path, 3*time.Second)
		defer tb.close()
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
		tb.eval(t, warningLocked, &locked)
		return shown, locked
	}
	if shown, locked := warning("/alert"); !shown || locked != "false" {
		t.Errorf("fake alert without its number: warning %v, locked %q; want the warning, saying it tried nothing yet", shown, locked)
	}
	if shown, _ := warning("/help"); shown {
		t.Error("a help page that names a brand and asks to call got the warning")
	}
}
