package extension_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/extensions"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// TestPagesOpenBeforeInstall: Chromium runs an extension's content scripts
// only in pages loaded after it. A scam page already open when tssguard
// is installed is covered all the same: its words bring the warning, a
// page that keeps dialling is stopped, and a help page is left alone.
func TestPagesOpenBeforeInstall(t *testing.T) {
	pages := map[string]string{
		"/alert": `<title>Windows Security</title><body>` + alertText + `</body>`,
		// Dials every 700 ms, for as long as it is open.
		"/dial": `<title>Support</title><body><p>Support line</p><script>setInterval(function () { location.href = 'tel:+18885550123'; }, 700);</script></body>`,
		"/help": `<title>Help</title><body><h1>Windows help</h1>
<p>If your computer is blocked after too many password attempts, call the IT help desk.</p></body>`,
	}
	base := servePages(t, pages)
	b, install := startBrowserToInstall(t)
	alert := b.open(t, base+"/alert", 0)
	help := b.open(t, base+"/help", 0)
	dial := b.open(t, base+"/dial", 2500*time.Millisecond)
	if len(dial.v.Calls()) == 0 {
		t.Fatal("the dialling page did not dial before the extension was installed")
	}
	install(t)
	// The scripts are in once the guard's marker is in the page's world.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var in bool
		dial.eval(t, `window.__tssguardMain === true`, &in)
		if in {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the guard never came into the page open before the install")
		}
		time.Sleep(100 * time.Millisecond)
	}
	before := len(dial.v.Calls())
	time.Sleep(3 * time.Second)
	if after := len(dial.v.Calls()); after > before {
		t.Errorf("the page open before the install dialled %d times after it", after-before)
	}
	var shown bool
	alert.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
	if !shown {
		t.Error("the fake alert open before the install got no warning")
	}
	help.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
	if shown {
		t.Error("the help page open before the install got the warning")
	}
}

// startBrowserToInstall starts Chromium without the extension and returns
// a function that installs it, as a user would, while pages are open:
// the DevTools protocol's Extensions.loadUnpacked, which the browser
// offers on a pipe connection (chromedp's) when asked to by a flag.
func startBrowserToInstall(t *testing.T) (*browser, func(t *testing.T)) {
	t.Helper()
	chromiumPath(t)
	b := startBrowserWith(t, "", chromedp.Flag("enable-unsafe-extension-debugging", true))
	install := func(t *testing.T) {
		t.Helper()
		dir := copyExtension(t, t.TempDir())
		ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
		defer cancel()
		if _, err := chromedp.CallBrowser(ctx, extensions.LoadUnpacked, extensions.LoadUnpackedParams{Path: dir}); err != nil {
			t.Fatalf("install: %v", err)
		}
		b.extID = waitExtension(t, b.ctx)
	}
	return b, install
}

// TestPagesOpenAcrossAnUpdate: an update (here a reload, which Chromium
// runs the same way) leaves the content scripts of open pages running
// without their extension: they can no longer have a page scored. The
// new version covers those pages again, and its content script takes the
// page-world guard's channel over, so a scam page that shows itself after
// the update is still warned about and its locks released.
func TestPagesOpenAcrossAnUpdate(t *testing.T) {
	pages := map[string]string{
		// The kit writes its alert after the update (go, which the test
		// calls once the new version has had time to start: a worker can
		// take seconds to start after a reload).
		"/late": `<title>Loading</title><body><p>Please wait</p><script>function go() { document.body.innerHTML = ` + jsString(alertText) + `; }</script></body>`,
	}
	// A dialog loop whose words are all it says, started after the update:
	// the guard cuts it on its own, and what the dialogs said reaches the
	// new content script only through the guard's channel.
	pages["/late-loop"] = `<title>Warning</title><body><script>function go() {
var msg = "** YOUR COMPUTER HAS BEEN BLOCKED **\n\nError # 0x268d3\nCall Windows Support 1-844-555-0195 immediately.";
while (!confirm(msg)) { }
}</script></body>`
	base := servePages(t, pages)
	fixtures := serveDir(t, testdirs.Fixtures())
	chromiumPath(t)
	dir := copyExtension(t, t.TempDir())
	b := startBrowserWith(t, dir, chromedp.Flag("enable-unsafe-extension-debugging", true))
	late := b.open(t, base+"/late", 0)
	loop := b.open(t, base+"/late-loop", 0)
	locker := b.open(t, fixtures+"/scam/fullscreen-keyboard-lock-it.html", 1500*time.Millisecond)
	reloadExtension(t, b, dir, base+"/late")
	time.Sleep(3 * time.Second)
	late.eval(t, `go()`, nil)
	loop.eval(t, `setTimeout(go, 0)`, nil)
	time.Sleep(3 * time.Second)
	var shown bool
	late.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
	if !shown {
		t.Error("a page that wrote its alert after the update got no warning")
	}
	var locked string
	loop.eval(t, warningLocked, &locked)
	if n := loop.v.Dialogs(); n > 3 || locked != "true" {
		t.Errorf("a dialog loop started after the update: %d dialogs, warning's data-locked %q; want at most 3, then the warning saying it was stopped", n, locked)
	}
	// The locker goes full screen on a click: released, and warned about.
	locker.click(t, "body")
	var full, everFull bool
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		locker.eval(t, `!!document.fullscreenElement`, &full)
		everFull = everFull || full
	}
	locker.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
	if full || !shown {
		t.Errorf("a full-screen locker clicked after the update: full screen %v (at some point %v), warning %v; want released and warned", full, everFull, shown)
	}
}

// reloadExtension reloads the extension from its service worker, as an
// update does, and waits for the new worker; if it has not started after
// 3 s, a page (poke) is opened in a new tab, which starts it. dir holds
// the extension's files, installed again if the browser drops them.
func reloadExtension(t *testing.T, b *browser, dir, poke string) {
	t.Helper()
	infos, err := chromedp.Targets(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var old target.ID
	for _, in := range infos {
		if in.Type == "service_worker" && extURLRe.MatchString(in.URL) {
			old = in.TargetID
		}
	}
	if old == "" {
		t.Fatal("no service worker to reload")
	}
	// The debugging session stays on the old worker for the whole wait: in
	// a probe, detaching it before the reload ran made every reload on a
	// busy machine leave the extension unloaded (keeping it does not make
	// them all come back; see below).
	ctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	wctx, wcancel := chromedp.NewContext(ctx, chromedp.WithTargetID(old), chromedp.WithDetachOnCancel())
	defer wcancel()
	if _, err := chromedp.Run(wctx, chromedp.Evaluate[any](`setTimeout(() => chrome.runtime.reload(), 50), true`)); err != nil {
		t.Fatalf("reload: %v", err)
	}
	var poked *tab
	defer func() {
		if poked != nil {
			poked.close()
		}
	}()
	// guarded: the page opened after the reload has the extension's guard,
	// so the browser has the extension loaded (its content scripts come
	// from the manifest, whatever its worker does).
	guarded := func() bool {
		g := false
		if poked != nil {
			poked.eval(t, `!!window.__tssguardMain`, &g)
		}
		return g
	}
	reinstalled := false
	for start, end := time.Now(), time.Now().Add(30*time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if poked == nil && time.Since(start) > 3*time.Second {
			// Chromium starts the new version's worker for
			// runtime.onInstalled, or else at the next event it listens
			// to; now and then the first does not come for many seconds
			// (docs/DESIGN.md). A navigation in another tab is such an
			// event, as any page the person opens would be.
			poked = b.open(t, poke, 0)
		}
		if poked != nil && !reinstalled && time.Since(start) > 8*time.Second {
			// On a busy machine Chromium now and then does not load an
			// unpacked extension back after its reload at all: a page
			// opened since has no guard. That is the browser's, not what
			// this test is about; the same files are installed again
			// (the same ID), which starts a new version as an update does.
			reinstalled = true
			if !guarded() {
				t.Logf("Chromium did not load the extension back after its reload; installing it again")
				ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
				_, err := chromedp.CallBrowser(ctx, extensions.LoadUnpacked, extensions.LoadUnpackedParams{Path: dir})
				cancel()
				if err != nil {
					t.Skipf("Chromium did not load the extension back after its reload, nor again: %v", err)
				}
			}
		}
		infos, err := chromedp.Targets(b.ctx)
		if err != nil {
			continue
		}
		for _, in := range infos {
			if in.Type == "service_worker" && extURLRe.MatchString(in.URL) && in.TargetID != old {
				waitListening(t, b.ctx, in.TargetID)
				return
			}
		}
	}
	var seen []string
	if infos, err := chromedp.Targets(b.ctx); err == nil {
		for _, in := range infos {
			seen = append(seen, fmt.Sprintf("%s %s old=%v", in.Type, in.URL, in.TargetID == old))
		}
	}
	if !guarded() {
		// The browser has not loaded the extension at all: on a busy
		// machine Chromium now and then drops an unpacked extension it
		// reloads, and did not take the same files back. Nothing of the
		// extension's is left to test.
		t.Skipf("Chromium did not load the extension back after its reload, nor when installed again (a page opened since has no guard; targets: %q)", seen)
	}
	t.Fatalf("the extension's content scripts are back but its service worker was not seen (targets: %q)", seen)
}
