package extension_test

import (
	"maps"
	"slices"
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

// TestWarningStays: a page judged a scam cannot take the warning away. It
// survives a kit rewriting its body (document.body.innerHTML = …), a page
// that keeps removing it, hides it, moves it or puts its own cover after
// it, and a modal dialog opened before it or after it (the top layer
// shows above any z-index: the guard shuts the page's dialogs and opens
// no more). At the end the warning, with its closed shadow root, is the
// last element of <html> and the element in the middle of the window. A
// page that fights it without end is left for about:blank; one that adds
// to <html> now and then is not.
func TestWarningStays(t *testing.T) {
	page := func(script string) string {
		return `<title>Windows Security</title><body>` + alertText + `<dialog id="d"><h1>Call Microsoft +1 844 555 0142</h1></dialog><script>` + script + `</script></body>`
	}
	pages := map[string]string{
		"/rewrite": page(`setTimeout(function () { document.body.innerHTML = document.body.innerHTML; }, 1500);`),
		"/remove":  page(`setInterval(function () { document.querySelectorAll('tssguard-overlay').forEach(function (e) { e.remove(); }); }, 300);`),
		"/hide":    page(`setTimeout(function () { document.querySelectorAll('tssguard-overlay').forEach(function (e) { e.style.display = 'none'; e.hidden = true; }); }, 1500);`),
		"/move":    page(`setTimeout(function () { var box = document.createElement('div'); box.style.display = 'none'; document.body.appendChild(box); document.querySelectorAll('tssguard-overlay').forEach(function (e) { box.appendChild(e); }); }, 1500);`),
		"/cover": page(`setTimeout(function () { var c = document.createElement('div'); c.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:#00f'; ` +
			`document.documentElement.appendChild(c); }, 1500);`),
		"/dialog-after":  page(`setTimeout(function () { document.getElementById('d').showModal(); }, 1500);`),
		"/dialog-before": page(`document.getElementById('d').showModal();`),
		// A script that adds to <html> now and then (25 times in 3 s) is no
		// fight: the warning moves after it each time and the page stays.
		"/slow-appends": page(`setInterval(function () { document.documentElement.appendChild(document.createElement('div')); }, 120);`),
		"/fight": page(`new MutationObserver(function () { document.querySelectorAll('tssguard-overlay').forEach(function (e) { e.remove(); }); })` +
			`.observe(document.documentElement, {childList: true, subtree: true}); document.querySelectorAll('tssguard-overlay').forEach(function (e) { e.remove(); });`),
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	// The warning itself: the element with the closed shadow root the
	// extension attached (a copy the page made by rewriting its body has
	// none, and takes one).
	const state = `(function () {
  var ours = null;
  document.querySelectorAll('tssguard-overlay#tssguard-warning').forEach(function (e) {
    try { e.attachShadow({mode: 'open'}); } catch (x) { ours = e; }
  });
  var mid = document.elementFromPoint(innerWidth / 2, innerHeight / 2);
  return {
    shown: !!ours && ours.isConnected,
    last: !!ours && ours === document.documentElement.lastElementChild,
    onTop: !!ours && mid === ours,
    dialogOpen: !!document.querySelector('dialog[open]'),
    url: location.href,
  };
})()`
	for _, path := range slices.Sorted(maps.Keys(pages)) {
		tb := b.open(t, base+path, 3500*time.Millisecond)
		var got struct {
			Shown, Last, OnTop, DialogOpen bool
			URL                            string
		}
		tb.evalJSON(t, state, &got)
		tb.close()
		if path == "/fight" {
			if got.URL != "about:blank" {
				t.Errorf("%s: the page fought the warning and was not left: %+v", path, got)
			}
			continue
		}
		if !got.Shown || !got.Last || !got.OnTop || got.DialogOpen {
			t.Errorf("%s: the warning did not stay on top: %+v", path, got)
		}
	}
}
