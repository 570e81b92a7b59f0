package extension_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestOtherWindowsCannotDial: a page can navigate the pop-up it opened,
// its opener, and the window a message came from, and when that window
// shows another origin the browser fires no navigate event in it. A kit
// opens a pop-up on the visitor's click and dials from it seconds later;
// or the pop-up dials the page that opened it. Each dials without the
// extension and not with it. A pop-up used as sign-in flows use one
// (messages both ways, e.source compared with the pop-up, a document
// written into a blank pop-up, then sent elsewhere, closed) still works.
func TestOtherWindowsCannotDial(t *testing.T) {
	other := servePages(t, map[string]string{
		"/landing": `<!doctype html><title>Deals</title><p>Deals</p><script>
if (location.hash === '#back') setTimeout(function () { window.opener.location = 'tel:+18445550199'; }, 2000);
if (location.hash === '#back-replace') setTimeout(function () { window.opener.location.replace('tel:+18445550199'); }, 2000);
if (location.hash === '#msg') window.opener.postMessage('hi', '*');
if (location.hash === '#frame-msg') document.body.appendChild(document.createElement('iframe')).srcdoc = '<script>parent.opener.postMessage("hi", "*")<\/script>';
if (location.hash === '#signin') {
  window.addEventListener('message', function (e) { if (e.data === 'ok') window.opener.postMessage('done', '*'); });
  window.opener.postMessage('hello', '*');
}
if (location.hash === '#landed') window.opener.postMessage('landed', '*');
</script>`,
	})
	opener := func(hash, after string) string {
		return `<!doctype html><title>Windows Security</title><button id="b" style="width:300px;height:200px">Continue</button><script>
var w = null, results = {};
document.getElementById('b').onclick = function () { w = window.open('` + other + `/landing` + hash + `', '_blank'); ` + after + ` };
</script>`
	}
	pages := map[string]string{
		"/href":         opener("", `setTimeout(function () { w.location.href = 'tel:+18445550177'; }, 2000);`),
		"/assign":       opener("", `setTimeout(function () { w.location = 'tel:+18445550177'; }, 2000);`),
		"/replace":      opener("", `setTimeout(function () { w.location.replace('tel:+18445550177'); }, 2000);`),
		"/top":          opener("", `setTimeout(function () { w.self.top.location.href = 'tel:+18445550177'; }, 2000);`),
		"/back":         opener("#back", ``),
		"/back-replace": opener("#back-replace", ``),
		"/msg": opener("#msg", ``) + `<script>window.addEventListener('message', function (e) {
  setTimeout(function () { e.source.location = 'tel:+18445550177'; }, 1500); });</script>`,
		// A message from a frame of the pop-up: its top is the pop-up.
		"/frame-msg": opener("#frame-msg", ``) + `<script>window.addEventListener('message', function (e) {
  setTimeout(function () { e.source.top.location = 'tel:+18445550177'; }, 1500); });</script>`,
		"/signin": opener("#signin", ``) + `<script>
window.addEventListener('message', function (e) {
  if (e.data === 'hello') { results.sourceIsPopup = e.source === w; e.source.postMessage('ok', '*'); }
  if (e.data === 'done') {
    results.done = true;
    w.close();
    setTimeout(function () { results.closed = w.closed; }, 300);
  }
});</script>`,
		// A blank pop-up the page writes into, then sends elsewhere.
		"/blank": `<!doctype html><title>Print</title><button id="b" style="width:300px;height:200px">Print</button><script>
var results = {}, b = null;
document.getElementById('b').onclick = function () {
  b = window.open('', '_blank');
  b.document.write('<p id="x">written</p>'); b.document.close();
  results.written = b.document.getElementById('x').textContent;
  setTimeout(function () { b.location.href = '` + other + `/landing#landed'; }, 300);
};
window.addEventListener('message', function (e) { if (e.data === 'landed') results.landed = e.source === b; });
</script>`,
	}
	base := servePages(t, pages)
	attacks := []string{"/href", "/assign", "/replace", "/top", "/back", "/back-replace", "/msg", "/frame-msg"}
	// attempt opens path, clicks its button and listens in the pop-up it
	// opens too (a call from a pop-up is asked for there); the pages of
	// one browser run side by side, and done collects what each asked.
	type attempt struct {
		tb    *tab
		mu    sync.Mutex
		calls []string
	}
	start := func(b *browser, path string) *attempt {
		a := &attempt{tb: b.open(t, base+path, 800*time.Millisecond)}
		tb := a.tb
		id := chromedp.FromContext(tb.ctx).Target.TargetID
		tb.click(t, "#b")
		for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			infos, _ := chromedp.Targets(b.ctx)
			for _, in := range infos {
				if in.Type != "page" || in.OpenerID != id {
					continue
				}
				ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(in.TargetID), chromedp.WithDetachOnCancel(), chromedp.WithListener(func(ev any) {
					if e, ok := ev.(*page.EventFrameRequestedNavigation); ok && callRe.MatchString(e.URL) {
						a.mu.Lock()
						a.calls = append(a.calls, "pop-up: "+e.URL)
						a.mu.Unlock()
					}
				}))
				t.Cleanup(cancel)
				chromedp.Do(ctx)
				return a
			}
		}
		return a
	}
	done := func(a *attempt) []string {
		a.mu.Lock()
		defer a.mu.Unlock()
		return append(a.calls, a.tb.v.Calls()...)
	}
	// The attacks act 2 s after the click; the last page's is awaited.
	const settle = 3500 * time.Millisecond
	// The pop-ups sites use work the same with and without the extension.
	legit := func(b *browser, with string) {
		want := map[string]map[string]any{
			"/signin": {"sourceIsPopup": true, "done": true, "closed": true},
			"/blank":  {"written": "written", "landed": true},
		}
		runs := map[string]*attempt{}
		for path := range want {
			runs[path] = start(b, path)
		}
		time.Sleep(settle)
		for path, a := range runs {
			var got map[string]any
			a.tb.evalJSON(t, `results`, &got)
			if !reflect.DeepEqual(got, want[path]) {
				t.Errorf("%s: a pop-up used as sites use one, %s the extension: %v, want %v", path, with, got, want[path])
			}
			a.tb.close()
		}
	}
	runAttacks := func(b *browser) map[string][]string {
		runs := map[string]*attempt{}
		for _, p := range attacks {
			runs[p] = start(b, p)
		}
		time.Sleep(settle)
		out := map[string][]string{}
		for p, a := range runs {
			out[p] = done(a)
			a.tb.close()
		}
		return out
	}
	plain := startBrowser(t, false)
	legit(plain, "without")
	controlled := map[string]bool{}
	for p, calls := range runAttacks(plain) {
		if len(calls) > 0 {
			controlled[p] = true
		} else {
			t.Errorf("%s: no call without the extension either (control failed)", p)
		}
	}
	plain.cancel()
	ext := startBrowser(t, true)
	for p, calls := range runAttacks(ext) {
		if controlled[p] && len(calls) > 0 {
			t.Errorf("%s: the call went through with the extension: %v", p, calls)
		}
	}
	legit(ext, "with")
}
