package extension_test

// End-to-end tests of the extension in real headless Chromium (Debian's
// unbranded build, which loads unpacked extensions), against the fixture
// pages served on loopback and a real tssguard server.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/reputation"
)

// loadAll opens every URL in its own tab, a few at a time, waits observe
// after the last of each batch, then calls check for each (tabs stay open
// until the test ends).
func (b *browser) loadAll(t *testing.T, urls []string, observe time.Duration, check func(url string, tb *tab)) {
	t.Helper()
	const batch = 6
	for i := 0; i < len(urls); i += batch {
		end := min(i+batch, len(urls))
		tabs := make([]*tab, end-i)
		var wg sync.WaitGroup
		for j := i; j < end; j++ {
			wg.Add(1)
			go func(j int) {
				defer wg.Done()
				tabs[j-i] = b.open(t, urls[j], 0)
			}(j)
		}
		wg.Wait()
		time.Sleep(observe)
		for j, tb := range tabs {
			check(urls[i+j], tb)
			tb.close()
		}
	}
}

// autodialPages are the fixture pages whose script starts a call by itself.
func autodialPages(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(testdirs.Fixtures(), "scam", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		n := filepath.Base(f)
		// generated obfuscator pages (obf-jso-PRESET-SOURCE) dial only when
		// their source page does
		generated := strings.HasPrefix(n, "obf-jso-")
		if strings.Contains(n, "autodial-") || strings.HasPrefix(n, "obf-") && !generated || strings.HasPrefix(n, "template-param-default") {
			out = append(out, "scam/"+n)
		}
	}
	return out
}

// TestAutoDialStopped: every click-to-call variant of the fixtures opens a
// call scheme in plain Chromium (the control) and none does with the
// extension; each stopped call shows the in-page prompt with its number.
func TestAutoDialStopped(t *testing.T) {
	base := serveDir(t, testdirs.Fixtures())
	pages := autodialPages(t)
	urls := make([]string, len(pages))
	for i, p := range pages {
		urls[i] = base + "/" + p
	}
	const observe = 2500 * time.Millisecond // one kit dials after 1.5 s

	control := map[string][]string{}
	plain := startBrowser(t, false)
	plain.loadAll(t, urls, observe, func(u string, tb *tab) { control[u] = tb.v.Calls() })
	plain.cancel()

	ext := startBrowser(t, true)
	dialling := 0
	ext.loadAll(t, urls, observe, func(u string, tb *tab) {
		name := strings.TrimPrefix(u, base+"/")
		if len(control[u]) == 0 {
			t.Errorf("%s: no call without the extension either (control failed)", name)
			return
		}
		dialling++
		// On a loaded machine a kit may dial late: wait a little longer
		// for the prompt (the call itself is counted below all the same).
		var prompt map[string]any
		for wait := time.Now().Add(3 * time.Second); ; time.Sleep(250 * time.Millisecond) {
			tb.evalJSON(t, `(() => { const h = document.querySelector('tssguard-overlay#tssguard-call-prompt'); return h ? {number: h.dataset.number, how: h.dataset.how} : null; })()`, &prompt)
			if prompt != nil || time.Now().After(wait) {
				break
			}
		}
		// A frame in the page's own HTML is requested before any script
		// runs: the extension's CSP (rules/frames.json) makes the browser
		// refuse it, which the browser logs; nothing else may get through.
		calls := tb.v.Calls()
		if len(calls) > tb.v.Refused() {
			t.Errorf("%s: call navigation with the extension: %v (refused by CSP: %d)", name, calls, tb.v.Refused())
		}
		if prompt == nil {
			t.Errorf("%s: no call prompt shown", name)
		}
		t.Logf("%-45s control=%v ext=%v refused=%d prompt=%v", name, control[u], calls, tb.v.Refused(), prompt)
	})
	if dialling < 20 {
		t.Errorf("only %d auto-dial pages dial in the control: fixtures missing?", dialling)
	}
}

// TestLockersDefused: dialog loops collapse, history floods are ignored,
// and full-screen lockers are released and covered by the warning within
// 500 ms of going full screen.
func TestLockersDefused(t *testing.T) {
	base := serveDir(t, testdirs.Fixtures())
	type result struct {
		dialogs    int
		history    float64
		fullscreen bool // at the end
		everFull   bool // at any time after the click
		warning    bool
		locked     string // the warning's data-locked: it says the page was stopped from locking
		warnAfter  time.Duration
	}
	run := func(t *testing.T, b *browser, page string, click bool) result {
		tb := b.open(t, base+"/"+page, 2500*time.Millisecond)
		defer tb.close()
		var r result
		if click {
			start := time.Now()
			tb.click(t, "body")
			deadline := start.Add(1500 * time.Millisecond)
			for time.Now().Before(deadline) {
				var w, fs bool
				tb.eval(t, `!!document.getElementById('tssguard-warning')`, &w)
				if w && r.warnAfter == 0 {
					r.warnAfter = time.Since(start)
				}
				if tb.v.Dialogs() == 0 {
					tb.eval(t, `!!document.fullscreenElement`, &fs)
					r.everFull = r.everFull || fs
				}
				time.Sleep(25 * time.Millisecond)
			}
		}
		r.dialogs = tb.v.Dialogs()
		if r.dialogs > 10 {
			return r // a page stuck in a dialog loop answers nothing else
		}
		tb.eval(t, `history.length`, &r.history)
		tb.eval(t, `!!document.fullscreenElement`, &r.fullscreen)
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &r.warning)
		tb.eval(t, warningLocked, &r.locked)
		return r
	}
	// A full-screen locker goes full screen without the extension; with
	// it, it is released and warned about within 500 ms of the click (or
	// warned about at load already, on its words).
	releasedAndWarned := func(t *testing.T, plain, ext result) {
		if !plain.everFull || ext.fullscreen || !ext.warning {
			t.Errorf("full screen: %v without, %v with the extension (warning %v)", plain.fullscreen, ext.fullscreen, ext.warning)
		}
		if ext.warnAfter == 0 || ext.warnAfter > 500*time.Millisecond {
			t.Errorf("warning shown after %v, want within 500ms", ext.warnAfter)
		}
	}
	loopCutAndWarned := func(many int) func(t *testing.T, plain, ext result) {
		return func(t *testing.T, plain, ext result) {
			if plain.dialogs < many || ext.dialogs > 3 {
				t.Errorf("dialogs: %d without, %d with the extension; want %d or more, then at most 3", plain.dialogs, ext.dialogs, many)
			}
			if !ext.warning || ext.locked != "true" {
				t.Errorf("after the dialog loop was cut: warning %v, data-locked %q; want the warning, saying it was stopped", ext.warning, ext.locked)
			}
		}
	}
	cases := []struct {
		page  string
		click bool
		check func(t *testing.T, plain, ext result)
	}{
		// The loop is cut after three dialogs, and what they said (the
		// warning and the number, the page's only text) brings the warning.
		{"scam/alert-loop-only.html", false, loopCutAndWarned(10)},
		{"scam/alert-recursion-de.html", false, loopCutAndWarned(4)},
		{"scam/history-flood-fr.html", false, func(t *testing.T, plain, ext result) {
			if plain.history < 25 || ext.history > 7 {
				t.Errorf("history.length: %v without, %v with the extension", plain.history, ext.history)
			}
		}},
		{"scam/fullscreen-keyboard-lock-it.html", true, releasedAndWarned},
		// No words at all: the keyboard taken on load, full screen on the
		// first click anywhere. Two takeovers, one without a gesture: held
		// hostage (the server's TSS-LOCK-HOSTAGE).
		{"scam/wordless-locker-click-anywhere.html", true, releasedAndWarned},
		// A page that goes full screen on the click through
		// webkitRequestFullScreen (capital S), which fires only
		// webkitfullscreenchange.
		{"scam/click-then-lock-webkit-de.html", true, releasedAndWarned},
		{"scam/click-then-lock-ja.html", true, releasedAndWarned},
	}
	plain := startBrowser(t, false)
	ext := startBrowser(t, true)
	for _, c := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(c.page), ".html"), func(t *testing.T) {
			p := run(t, plain, c.page, c.click)
			e := run(t, ext, c.page, c.click)
			t.Logf("without: %+v; with: %+v", p, e)
			c.check(t, p, e)
		})
	}
}

// TestHardNegatives: what users do on legitimate pages still works, and
// no benign fixture gets a prompt or a warning.
func TestHardNegatives(t *testing.T) {
	base := serveDir(t, testdirs.Fixtures())
	b := startBrowser(t, true)

	t.Run("vendor tel link clicked", func(t *testing.T) {
		tb := b.open(t, base+"/benign/vendor-support-microsoft-style.html", time.Second)
		defer tb.close()
		tb.click(t, `a[href^="tel:"]`)
		time.Sleep(700 * time.Millisecond)
		if calls := tb.v.Calls(); len(calls) != 1 {
			t.Errorf("user's click on a tel: link: calls %v, want one", calls)
		}
		var prompt bool
		tb.eval(t, `!!document.querySelector('tssguard-overlay')`, &prompt)
		if prompt {
			t.Error("a prompt covers a vendor support page")
		}
	})
	// Games take full screen on the visitor's click; the second takes the
	// pointer and the keyboard too, on a click anywhere, with music and a
	// leave prompt: every takeover on the gesture, so no hostage.
	for _, game := range []struct{ page, click string }{
		{"benign/browser-game-fullscreen.html", "#play"},
		{"benign/game-click-anywhere-music.html", "body"},
	} {
		t.Run(game.page, func(t *testing.T) {
			tb := b.open(t, base+"/"+game.page, time.Second)
			defer tb.close()
			tb.click(t, game.click)
			time.Sleep(800 * time.Millisecond)
			var fs, overlay bool
			tb.eval(t, `!!document.fullscreenElement`, &fs)
			tb.eval(t, `!!document.querySelector('tssguard-overlay')`, &overlay)
			if !fs || overlay {
				t.Errorf("game: full screen %v, overlay %v; want full screen and no overlay", fs, overlay)
			}
		})
	}
	t.Run("every benign fixture", func(t *testing.T) {
		files, _ := filepath.Glob(filepath.Join(testdirs.Fixtures(), "benign", "*.html"))
		var urls []string
		for _, f := range files {
			urls = append(urls, base+"/benign/"+filepath.Base(f))
		}
		var alarms []string
		b.loadAll(t, urls, 2*time.Second, func(u string, tb *tab) {
			var overlay bool
			tb.eval(t, `!!document.querySelector('tssguard-overlay')`, &overlay)
			if overlay || len(tb.v.Calls()) > 0 {
				alarms = append(alarms, fmt.Sprintf("%s (overlay %v, calls %v)", filepath.Base(u), overlay, tb.v.Calls()))
			}
		})
		sort.Strings(alarms)
		if len(alarms) > 0 {
			t.Errorf("false alarms on %d of %d benign pages:\n%s", len(alarms), len(urls), strings.Join(alarms, "\n"))
		}
	})
}

// configure points the extension at the server, through its own options
// storage, and syncs the rules; it returns the sync's answer.
func (b *browser) configure(t *testing.T, s *tssServer) map[string]any {
	t.Helper()
	tb := b.open(t, "chrome-extension://"+b.extID+"/options.html", 300*time.Millisecond)
	defer tb.close()
	cfg, _ := json.Marshal(map[string]string{"serverURL": s.url, "apiKey": s.token})
	var res map[string]any
	tb.evalJSON(t, `chrome.storage.local.set(`+string(cfg)+`).then(() => chrome.runtime.sendMessage({type: 'sync'}))`, &res)
	return res
}

// TestServerBlocking: a domain the server lists is redirected to the
// warning page before it loads, with the site's hotline and its history;
// "continue anyway" goes through; a URL the server knows only by hash is
// blocked by a prefix lookup; reports reach the server.
func TestServerBlocking(t *testing.T) {
	s := startServer(t)
	s.listScam(t, "support-alert.test", "+18445550142")
	if err := s.ix.Add(reputation.Entry{Kind: reputation.URL, Value: "http://kit-cdn.test/scam/norton-infected-scan.html", Verdict: reputation.Scam, Source: "scan"}); err != nil {
		t.Fatal(err)
	}
	fixtures := serveDir(t, testdirs.Fixtures())
	port := fixtures[strings.LastIndex(fixtures, ":"):]
	b := startBrowser(t, true)

	// The index follows the store within 50ms; the export reads the store.
	res := b.configure(t, s)
	if n, _ := res["rules"].(float64); n < 1 {
		t.Fatalf("sync: %v, want at least one rule from the server", res)
	}
	// Chromium's limits for redirect rules: 5,000 "unsafe" dynamic rules
	// (less the extension's reserve) and 1,000 regexFilter rules, asked of
	// the server.
	if lim, _ := res["limits"].(map[string]any); lim == nil || lim["rules"] != float64(4990) || lim["regex"] != float64(1000) {
		t.Errorf("rule limits %v, want 4990 rules and 1000 regexFilter", res["limits"])
	}

	t.Run("listed domain", func(t *testing.T) {
		u := "http://www.support-alert.test" + port + "/scam/fake-bsod.html"
		tb := b.open(t, u, 1500*time.Millisecond)
		defer tb.close()
		warning := "chrome-extension://" + b.extID + "/warning.html"
		if got := tb.v.FinalURL(); !strings.HasPrefix(got, warning) {
			t.Fatalf("final URL %s, want the warning page", got)
		}
		var shown, numbers string
		tb.eval(t, `document.getElementById('url').textContent`, &shown)
		tb.eval(t, `document.getElementById('numberList').textContent`, &numbers)
		if shown != u || !strings.Contains(numbers, "+18445550142") {
			t.Errorf("warning page shows url %q, numbers %q", shown, numbers)
		}
		tb.eval(t, `document.getElementById('continue').click()`, nil)
		time.Sleep(1500 * time.Millisecond)
		if got := tb.v.FinalURL(); got != u {
			t.Errorf("after continue anyway: %s, want %s", got, u)
		}
		// Remembered for the site: a reload goes straight through.
		again := b.open(t, u, time.Second)
		defer again.close()
		if got := again.v.FinalURL(); got != u {
			t.Errorf("second visit after continue: %s", got)
		}
	})

	t.Run("prefix lookup", func(t *testing.T) {
		u := "http://kit-cdn.test" + port + "/scam/norton-infected-scan.html"
		tb := b.open(t, u, 1500*time.Millisecond)
		defer tb.close()
		if got := tb.v.FinalURL(); !strings.Contains(got, "/warning.html?via=lookup") {
			t.Errorf("final URL %s, want the warning page by lookup", got)
		}
		other := b.open(t, "http://kit-cdn.test"+port+"/benign/news-article-tss.html", 1500*time.Millisecond)
		defer other.close()
		if got := other.v.FinalURL(); strings.Contains(got, "warning.html") {
			t.Errorf("an unlisted page of the same host was blocked: %s", got)
		}
	})

	t.Run("user clicks a listed hotline", func(t *testing.T) {
		// A hand-written page whose call link carries a number the
		// server lists: even a real click is stopped and prompted.
		page := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!doctype html><title>Help</title><p>Questions? <a id="listed" href="tel:+18445550142">call us</a> or <a id="fine" href="tel:+18005550100">the shop</a></p>`)
		}))
		tb := b.open(t, page+"/", 1500*time.Millisecond)
		defer tb.close()
		tb.click(t, "#listed")
		time.Sleep(800 * time.Millisecond)
		var verdict string
		tb.eval(t, `(document.querySelector('tssguard-overlay#tssguard-call-prompt') || {dataset: {}}).dataset.verdict || ''`, &verdict)
		if calls := tb.v.Calls(); len(calls) != 0 || verdict != "scam" {
			t.Errorf("click on a listed hotline: calls %v, prompt verdict %q; want no call and a scam prompt", calls, verdict)
		}
		tb.eval(t, `document.querySelector('tssguard-overlay') && document.querySelector('tssguard-overlay').remove()`, nil)
		tb.click(t, "#fine")
		time.Sleep(800 * time.Millisecond)
		if calls := tb.v.Calls(); len(calls) != 1 {
			t.Errorf("click on an unlisted number: calls %v, want it to go through", calls)
		}
	})

	t.Run("report", func(t *testing.T) {
		tb := b.open(t, "chrome-extension://"+b.extID+"/options.html", 300*time.Millisecond)
		defer tb.close()
		var r map[string]any
		tb.evalJSON(t, `chrome.runtime.sendMessage({type: 'report', url: 'http://127.0.0.1`+port+`/scam/fake-bsod.html', text: 'Your PC is blocked'})`, &r)
		if r["ok"] != true || r["id"] == nil {
			t.Errorf("report: %v", r)
		}
	})
}

// TestWorkerFloodStopped: a page starting workers without end gets 16
// with the extension (the next throws, ending its loop) and all it asks
// for without; a worker pool, one per core, is left alone.
func TestWorkerFloodStopped(t *testing.T) {
	mux := http.NewServeMux()
	// The workers only wait: the machine running the test stays free.
	page := func(n string) string {
		return `<!doctype html><p>x</p><script>
var u = URL.createObjectURL(new Blob(['setTimeout(function () {}, 30000)'], {type: 'application/javascript'}));
window.__started = 0;
try { for (var i = 0; i < ` + n + `; i++) { new Worker(u); window.__started++; } } catch (e) { window.__refused = e.name; }
</script>`
	}
	mux.HandleFunc("/flood.html", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page("40")) })
	mux.HandleFunc("/pool.html", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page("8")) })
	base := serve(t, mux)
	started := func(b *browser, p string) (n float64, refused string) {
		tb := b.open(t, base+p, 700*time.Millisecond)
		defer tb.close()
		tb.eval(t, `window.__started`, &n)
		tb.eval(t, `String(window.__refused || '')`, &refused)
		return n, refused
	}
	plain, ext := startBrowser(t, false), startBrowser(t, true)
	if n, _ := started(plain, "/flood.html"); n != 40 {
		t.Errorf("without the extension: %v workers started, want 40", n)
	}
	if n, refused := started(ext, "/flood.html"); n != 16 || refused != "QuotaExceededError" {
		t.Errorf("with the extension: %v workers started (refused: %q), want 16 and then refused", n, refused)
	}
	if n, refused := started(ext, "/pool.html"); n != 8 || refused != "" {
		t.Errorf("a pool with the extension: %v workers started (refused: %q), want all 8", n, refused)
	}
}

// TestGuardOutlivesTampering: a page that replaces what the guard's
// decisions rest on (RegExp.prototype.test and exec, preventDefault, the
// navigation event's getters, the user activation getters, Map and Set
// methods, String methods) before it dials is still stopped; in plain
// Chromium each page dials (the control).
func TestGuardOutlivesTampering(t *testing.T) {
	dial := `setTimeout(function () { location.href = 'tel:+18445550142'; }, 50);`
	tamper := map[string]string{
		"regexp":         `RegExp.prototype.test = function () { return false; }; RegExp.prototype.exec = function () { return null; };`,
		"preventDefault": `Event.prototype.preventDefault = function () {};`,
		"navigation":     `Object.defineProperty(NavigationDestination.prototype, 'url', { get: function () { return 'https://example.com/'; } }); Object.defineProperty(Event.prototype, 'cancelable', { get: function () { return false; } });`,
		"activation":     `Object.defineProperty(UserActivation.prototype, 'isActive', { get: function () { return true; } }); Object.defineProperty(Navigator.prototype, 'userActivation', { get: function () { return { isActive: true, hasBeenActive: true }; } });`,
		"collections":    `Map.prototype.get = function () { return 1e15; }; Set.prototype.has = function () { return false; }; Array.prototype.push = function () {};`,
		"strings":        `String.prototype.slice = String.prototype.toLowerCase = String.prototype.replace = function () { return ''; }; window.String = function () { return 'https://example.com/'; };`,
		"apply":          `Function.prototype.apply = Function.prototype.call = function () { return true; };`,
		"open":           `window.String = function () { return 'https://example.com/'; }; setTimeout(function () { window.open('tel:+18445550142'); }, 20);`,
	}
	mux := http.NewServeMux()
	var names []string
	for name, code := range tamper {
		page := `<!doctype html><p>Call support</p><script>` + code + dial + `</script>`
		mux.HandleFunc("/"+name+".html", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, page) })
		names = append(names, name)
	}
	sort.Strings(names)
	base := serve(t, mux)
	urls := make([]string, len(names))
	for i, n := range names {
		urls[i] = base + "/" + n + ".html"
	}
	control := map[string][]string{}
	plain := startBrowser(t, false)
	plain.loadAll(t, urls, 1500*time.Millisecond, func(u string, tb *tab) { control[u] = tb.v.Calls() })
	plain.cancel()
	ext := startBrowser(t, true)
	ext.loadAll(t, urls, 1500*time.Millisecond, func(u string, tb *tab) {
		if len(control[u]) == 0 {
			t.Errorf("%s: no call without the extension either (control failed)", u)
			return
		}
		if calls := tb.v.Calls(); len(calls) > 0 {
			t.Errorf("%s: the call went through with the extension: %v", strings.TrimPrefix(u, base+"/"), calls)
		}
	})
}

// TestGuardHoldsInOtherRealms: a page that takes the natives of a fresh
// same-origin frame (its click, dispatchEvent, setAttribute, the src
// setter, open, its location, its eval) and calls them on its own
// elements or from the frame, at once or later, gets no call through
// (the guard runs in the frame too; a frame's own location set to a call
// URL is refused by the extension's frame-src policy). Without the
// extension every page dials.
func TestGuardHoldsInOtherRealms(t *testing.T) {
	pre := `<!doctype html><title>Windows Security</title><p>Call Microsoft support</p><a class="cta" href="tel:+18445550177">Call</a><script>
var f = document.createElement('iframe'); f.style.display = 'none'; document.body.appendChild(f);
var w = f.contentWindow, a = document.querySelector('a.cta'), g = document.createElement('iframe'); g.style.display = 'none'; document.body.appendChild(g);
`
	later := func(code string) string { return pre + `setTimeout(function () {` + code + `}, 300);</script>` }
	pages := []string{
		pre + `w.HTMLElement.prototype.click.call(a);</script>`,
		later(`w.HTMLElement.prototype.click.call(a);`),
		pre + `var click = w.HTMLElement.prototype.click; setTimeout(function () { click.call(a); }, 300);</script>`,
		later(`w.EventTarget.prototype.dispatchEvent.call(a, new w.MouseEvent('click', {bubbles: true, cancelable: true}));`),
		later(`var d = w.document, b = d.createElement('a'); b.href = 'tel:+18445550177'; d.body.appendChild(b); b.click();`),
		later(`w.open('tel:+18445550177');`),
		later(`w.eval('top.location.href = "tel:+18445550177"');`),
		pre + `var sa = w.Element.prototype.setAttribute; setTimeout(function () { sa.call(g, 'src', 'tel:+18445550177'); }, 300);</script>`,
		pre + `var src = Object.getOwnPropertyDescriptor(w.HTMLIFrameElement.prototype, 'src').set; setTimeout(function () { src.call(g, 'tel:+18445550177'); }, 300);</script>`,
		later(`w.location.href = 'tel:+18445550177';`),
	}
	urls := servePaged(t, "realm", pages)
	dialsWithout(t, urls, len(urls), 1500*time.Millisecond, func(u string, tb *tab) {
		if calls := tb.v.Calls(); len(calls) > tb.v.Refused() {
			t.Errorf("%s: the call went through with the extension: %v", u, calls)
		}
	})
}

// servePaged serves pages on loopback at /name-N.html and returns their
// URLs in order.
func servePaged(t *testing.T, name string, pages []string) []string {
	byPath := map[string]string{}
	paths := make([]string, len(pages))
	for i, p := range pages {
		paths[i] = fmt.Sprintf("/%s-%d.html", name, i)
		byPath[paths[i]] = p
	}
	base := servePages(t, byPath)
	for i := range paths {
		paths[i] = base + paths[i]
	}
	return paths
}

// dialsWithout loads the first controlled of urls without the extension,
// each of which must dial (the control), then every one with the
// extension, and checks each there (but those whose control failed).
func dialsWithout(t *testing.T, urls []string, controlled int, observe time.Duration, check func(u string, tb *tab)) {
	t.Helper()
	failed := map[string]bool{}
	plain := startBrowser(t, false)
	plain.loadAll(t, urls[:controlled], observe, func(u string, tb *tab) {
		if len(tb.v.Calls()) == 0 {
			t.Errorf("%s: no call without the extension either (control failed)", u)
			failed[u] = true
		}
	})
	plain.cancel()
	ext := startBrowser(t, true)
	ext.loadAll(t, urls, observe, func(u string, tb *tab) {
		if !failed[u] {
			check(u, tb)
		}
	})
}

// TestGuardReadsURLsAsTheBrowser: the guard reads a URL as the browser
// does. The URL parser trims C0 controls and spaces and drops tabs and
// newlines anywhere: window.open('te\tl:…') dialled through the guard;
// it resolves a URL against the page's base: under <base href="tel:…">,
// window.open('#x') dialled too. And it reads a value once: an object whose toString answered
// "https://…" to the guard and "tel:…" to the browser's own reading
// dialled too (window.open, setAttribute, a setter). The first pages dial
// without the extension; the two-faced ones need a guard that reads twice
// to dial, so they have no control.
func TestGuardReadsURLsAsTheBrowser(t *testing.T) {
	pre := `<!doctype html><title>Windows Security</title><p>Call Microsoft support</p><script>
var n = 0, twoFaced = {toString: function () { return n++ ? 'tel:+18445550177' : 'https://example.com/'; }};
var g = document.createElement('iframe'); g.style.display = 'none'; document.body.appendChild(g);
var m = document.createElement('meta'); m.httpEquiv = 'refresh'; document.head.appendChild(m);
setTimeout(function () {`
	page := func(code string) string { return pre + code + `}, 300);</script>` }
	const telBase = `<base href="tel:+18445550177"><title>`
	dial := []string{
		page(`window.open('te\tl:+18445550177');`),
		page(`window.open('t' + '\n'.repeat(500) + 'el:+18445550177');`),
		page(`window.open('\x01\x02tel:+18445550177');`),
		page(`window.open(' '.repeat(5000) + 'tel:+18445550177');`),
		page(`m.content = '0;url=te\nl:+18445550177';`),
		// Under <base href="tel:…">, '#x' resolves to a call URL.
		strings.Replace(page(`window.open('#x');`), "<title>", telBase, 1),
		strings.Replace(page(`var h = document.createElement('iframe'); h.src = '#x'; document.body.appendChild(h);`), "<title>", telBase, 1),
	}
	twoFaced := []string{
		page(`window.open(twoFaced);`),
		page(`m.setAttribute('content', {toString: function () { return n++ ? '0;url=tel:+18445550177' : '0;url=https://example.com/'; }});`),
		page(`m.content = {toString: function () { return n++ ? '0;url=tel:+18445550177' : '0;url=https://example.com/'; }};`),
		page(`g.src = twoFaced;`),
		page(`g.setAttribute('src', twoFaced);`),
	}
	urls := servePaged(t, "url", append(dial, twoFaced...))
	dialsWithout(t, urls, len(dial), 1500*time.Millisecond, func(u string, tb *tab) {
		if calls := tb.v.Calls(); len(calls) > tb.v.Refused() {
			t.Errorf("%s: the call went through with the extension: %v", u, calls)
		}
	})
}

// TestHandlerPropertiesStillWork: the guard wraps event handler
// properties (onmousedown, oncontextmenu, …) to see what a page arms;
// a handler a page sets through one stays a function and runs. (For a
// day the wrapper made every value a string, as the URL setters need, and
// every handler set so was lost.)
func TestHandlerPropertiesStillWork(t *testing.T) {
	page := `<!doctype html><title>Notes</title><p id="p">Notes</p><script>
var ran = [];
document.onmousedown = function () { ran.push('document.onmousedown'); };
window.onkeydown = function () { ran.push('window.onkeydown'); };
document.getElementById('p').oncontextmenu = function () { ran.push('p.oncontextmenu'); };
document.getElementById('p').onclick = function () { ran.push('p.onclick'); };
</script>`
	base := servePages(t, map[string]string{"/handlers": page})
	b := startBrowser(t, true)
	tb := b.open(t, base+"/handlers", time.Second)
	defer tb.close()
	var ran []string
	tb.evalJSON(t, `(function () {
  var p = document.getElementById('p');
  document.dispatchEvent(new MouseEvent('mousedown'));
  window.dispatchEvent(new KeyboardEvent('keydown', {key: 'a'}));
  p.dispatchEvent(new MouseEvent('contextmenu'));
  p.dispatchEvent(new MouseEvent('click'));
  return ran.concat([typeof document.onmousedown, typeof window.onkeydown, typeof p.oncontextmenu, typeof p.onclick]);
})()`, &ran)
	want := []string{"document.onmousedown", "window.onkeydown", "p.oncontextmenu", "p.onclick", "function", "function", "function", "function"}
	if strings.Join(ran, " ") != strings.Join(want, " ") {
		t.Errorf("handlers set as properties: got %v, want %v", ran, want)
	}
}

// TestFormsToCallURLs: a form sent to a call URL by a script's click on
// its submit button, an image input, a button's formaction (clicked or
// passed to requestSubmit), or into a frame, dialled through the guard
// (the browser fires no navigate event for it, and the guard wrapped
// form.submit only); so did form.submit() on a form with a control named
// "action", which shadows form.action. The guard hears every submit
// event first and reads the action with the getter it took at start.
// Without the extension every page dials; a form sent to a web page by
// a script's click still goes.
func TestFormsToCallURLs(t *testing.T) {
	page := func(code string) string {
		return `<!doctype html><title>Support</title><p>Support</p><iframe name="tgt" style="display:none"></iframe><script>
var f = document.createElement('form'); document.body.appendChild(f);
setTimeout(function () {` + code + `}, 300);</script>`
	}
	pages := []string{
		page(`f.action = 'tel:+18445550177'; var b = document.createElement('input'); b.type = 'submit'; f.appendChild(b); b.click();`),
		page(`f.action = 'tel:+18445550177'; var i = document.createElement('input'); i.type = 'image'; f.appendChild(i); i.click();`),
		page(`f.action = '/next.html'; f.innerHTML = '<button formaction="tel:+18445550177">x</button>'; f.firstChild.click();`),
		page(`f.action = '/next.html'; f.innerHTML = '<button formaction="tel:+18445550177">x</button>'; f.requestSubmit(f.firstChild);`),
		page(`f.action = 'tel:+18445550177'; f.target = 'tgt'; f.innerHTML = '<button>x</button>'; f.firstChild.click();`),
		page(`f.setAttribute('action', 'tel:+18445550177'); f.innerHTML = '<input name="action">'; f.submit();`),
	}
	urls := servePaged(t, "form", append(pages, page(`f.action = '/next.html'; f.innerHTML = '<button>x</button>'; f.firstChild.click();`)))
	dialsWithout(t, urls, len(pages), 1500*time.Millisecond, func(u string, tb *tab) {
		if strings.HasSuffix(u, fmt.Sprintf("-%d.html", len(pages))) {
			if !strings.HasSuffix(tb.v.FinalURL(), "/next.html?") {
				t.Errorf("%s: a form sent to a web page did not go there: at %q", u, tb.v.FinalURL())
			}
			return
		}
		if calls := tb.v.Calls(); len(calls) > tb.v.Refused() {
			t.Errorf("%s: the call went through with the extension: %v", u, calls)
		}
	})
}

// TestSandboxedFrameCannotDialTheTop: a sandboxed frame of another origin
// with allow-top-navigation navigated the page to a call URL where no
// guard saw it (the page's navigate event does not fire for a navigation
// another origin starts; top.location cannot be wrapped). The guard makes
// the token allow-top-navigation-by-user-activation on every way to set
// it: in the HTML (the frame is loaded again), with innerHTML, before
// insertion, through setAttribute, the attribute node, the token list or
// the sandbox property, and when it is added to a frame already loaded.
// Without the extension every page dials; a frame so fixed still loads
// and runs (it posts to the page).
func TestSandboxedFrameCannotDialTheTop(t *testing.T) {
	childMux := http.NewServeMux()
	childMux.HandleFunc("/top.html", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<script>parent.postMessage('loaded', '*'); setTimeout(function () { top.location.href = 'tel:+18445550177'; }, 300);</script>`)
	})
	childMux.HandleFunc("/parent.html", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<script>parent.postMessage('loaded', '*'); setTimeout(function () { parent.location.href = 'tel:+18445550177'; }, 300);</script>`)
	})
	child := serve(t, childMux) // another origin: another port
	const flags = "allow-scripts allow-top-navigation"
	pre := `<!doctype html><title>Docs</title><p>Welcome</p><div id="d"></div><script>
var loaded = 0; addEventListener('message', function (e) { if (e.data === 'loaded') loaded++; });
var u = '` + child + `/top.html', f = document.createElement('iframe');
`
	script := func(code string) string { return pre + code + `</script>` }
	pages := []string{
		pre + `</script><iframe sandbox="` + flags + `" src="` + child + `/top.html"></iframe>`,
		pre + `</script><iframe sandbox="` + flags + `" src="` + child + `/parent.html"></iframe>`,
		pre + `</script><iframe sandbox="` + flags + `" srcdoc="<script>setTimeout(function () { top.location.href = 'tel:+18445550177'; }, 300);</script>"></iframe>`,
		script(`document.getElementById('d').innerHTML = '<iframe sandbox="` + flags + `" src="' + u + '"></iframe>';`),
		script(`f.setAttribute('sandbox', '` + flags + `'); f.src = u; document.body.appendChild(f);`),
		script(`f.sandbox.add('allow-scripts', 'allow-top-navigation'); f.src = u; document.body.appendChild(f);`),
		script(`f.sandbox = '` + flags + `'; f.src = u; document.body.appendChild(f);`),
		script(`f.sandbox.value = '` + flags + `'; f.src = u; document.body.appendChild(f);`),
		script(`f.setAttribute('sandbox', 'allow-scripts'); f.getAttributeNode('sandbox').value = '` + flags + `'; f.src = u; document.body.appendChild(f);`),
		script(`f.setAttribute('sandbox', '` + flags + `'); f.src = u; document.body.replaceChildren(f);`),
		script(`f.setAttribute('sandbox', 'allow-scripts'); f.src = u; document.body.appendChild(f); setTimeout(function () { f.sandbox.add('allow-top-navigation'); f.src = u + '?again'; }, 100);`),
		// In a shadow root, out of the document observer's sight.
		script(`document.getElementById('d').attachShadow({mode: 'closed'}).innerHTML = '<iframe sandbox="` + flags + `" src="' + u + '"></iframe>';`),
		script(`var r = document.getElementById('d').attachShadow({mode: 'open'}); r.innerHTML = '<div></div>'; r.firstChild.innerHTML = '<p><iframe sandbox="` + flags + `" src="' + u + '"></iframe></p>';`),
	}
	urls := servePaged(t, "sandbox", pages)
	dialsWithout(t, urls, len(urls), 2*time.Second, func(u string, tb *tab) {
		if calls := tb.v.Calls(); len(calls) > 0 {
			t.Errorf("%s: the call went through with the extension: %v", u, calls)
		}
		if strings.HasSuffix(u, "/sandbox-0.html") {
			var loaded int
			tb.evalJSON(t, `loaded`, &loaded)
			if loaded == 0 {
				t.Errorf("%s: the fixed frame did not load", u)
			}
		}
	})
}

// TestDeclarativeShadowFramesCannotDialTheTop: a sandboxed frame of
// another origin with allow-top-navigation, in a shadow root the parser
// makes (<template shadowrootmode> in the HTML, or setHTMLUnsafe), is out
// of the page world's reach when the root is closed and out of its
// observer's sight either way; until December 2026 every one of these
// dialled with the extension installed. The isolated world reaches them
// (chrome.dom.openOrClosedShadowRoot) when the service worker tells it of
// a frame no element it knows accounts for.
func TestDeclarativeShadowFramesCannotDialTheTop(t *testing.T) {
	childMux := http.NewServeMux()
	childMux.HandleFunc("/top.html", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<script>parent.postMessage('loaded', '*'); setTimeout(function () { top.location.href = 'tel:+18445550177'; }, 300);</script>`)
	})
	childMux.HandleFunc("/slow.js", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(1500 * time.Millisecond)
		io.WriteString(w, `void 0;`)
	})
	child := serve(t, childMux)
	frame := `<iframe sandbox="allow-scripts allow-top-navigation" src="` + child + `/top.html"></iframe>`
	pre := `<!doctype html><title>Docs</title><p>Welcome</p><div id="d"></div><script>
var loaded = 0; addEventListener('message', function (e) { if (e.data === 'loaded') loaded++; });
</script>`
	shadow := func(mode, inner string) string {
		return `<div><template shadowrootmode="` + mode + `">` + inner + `</template></div>`
	}
	pages := []string{
		pre + shadow("closed", frame),
		pre + shadow("open", `<p>a</p>`+frame),
		pre + shadow("closed", `<p>a</p>`+shadow("closed", frame)),
		// Set from a script, and in a root with no frame at first, whose
		// own handler adds one later.
		pre + `<script>document.getElementById('d').setHTMLUnsafe(` + "`" + shadow("closed", frame) + "`" + `);</script>`,
		pre + shadow("closed", `<img src="data:," onerror="var r = this.getRootNode(); setTimeout(function () { r.innerHTML = this.dataset.f; }.bind(this), 200)" data-f='`+frame+`'>`),
		// The host read before the parser reached its root (a script in
		// it first), then more of the page or none (a slow script after
		// the frame).
		pre + `<div><script>var x = 1;</script>` + shadow("closed", frame) + `</div><p>after</p><p>more</p>`,
		pre + `<div><script>var y = 1;</script>` + shadow("closed", frame+`<script src="`+child+`/slow.js"></script>`) + `</div>`,
		// A root a script attached, closed, with HTML set in it later.
		pre + `<script>var r = document.getElementById('d').attachShadow({mode: 'closed'}); r.innerHTML = '<div></div>';
setTimeout(function () { r.firstChild.setHTMLUnsafe(` + "`" + shadow("closed", frame) + "`" + `); }, 100);</script>`,
	}
	urls := servePaged(t, "shadow", pages)
	dialsWithout(t, urls, len(urls), 2*time.Second, func(u string, tb *tab) {
		if calls := tb.v.Calls(); len(calls) > 0 {
			t.Errorf("%s: the call went through with the extension: %v", u, calls)
		}
		var loaded int
		tb.evalJSON(t, `loaded`, &loaded)
		if loaded == 0 {
			t.Errorf("%s: the fixed frame did not load", u)
		}
	})
}

// TestGuardChannelIsPrivate: the guard and content.js talk through an
// element no page script can reach. A page that listens for their events
// on window and document hears nothing, and one that forges the isolated
// world's messages (a hello from an element of its own, then "allow this
// call") does not get its call through; without the extension it dials.
// (Until December 2026 the messages went over document with a nonce in
// each: a page listening on window read the nonce from the first one and
// allowed its own call.)
func TestGuardChannelIsPrivate(t *testing.T) {
	page := `<!doctype html><title>Windows Security</title><p>Your computer is blocked. Call Microsoft support +1 844 555 0177</p><script>
var heard = [];
['tssguard:hello', 'tssguard:isolated', 'tssguard:main'].forEach(function (type) {
  [window, document].forEach(function (on) {
    on.addEventListener(type, function (e) { heard.push(type + ' ' + String(e.detail).slice(0, 60)); }, true);
  });
});
setTimeout(function () {
  var u = 'tel:+18445550177', el = document.createElement('div');
  document.body.appendChild(el);
  el.dispatchEvent(new CustomEvent('tssguard:hello'));
  var allow = JSON.stringify({type: 'allow-call', url: u});
  el.dispatchEvent(new CustomEvent('tssguard:isolated', {detail: allow}));
  document.dispatchEvent(new CustomEvent('tssguard:isolated', {detail: allow}));
  location.href = u;
}, 1200);
</script>`
	base := servePages(t, map[string]string{"/listen": page})
	const observe = 3 * time.Second
	plain := startBrowser(t, false)
	tb := plain.open(t, base+"/listen", observe)
	if len(tb.v.Calls()) == 0 {
		t.Errorf("no call without the extension either (control failed)")
	}
	tb.close()
	plain.cancel()
	b := startBrowser(t, true)
	tb = b.open(t, base+"/listen", observe)
	defer tb.close()
	var heard []string
	tb.evalJSON(t, `heard`, &heard)
	// The page's own hello and forgeries are heard by its own listeners:
	// only what the extension said counts.
	var ours []string
	for _, h := range heard {
		if !strings.Contains(h, "allow-call") && !strings.HasPrefix(h, "tssguard:hello") {
			ours = append(ours, h)
		}
	}
	if len(ours) > 0 {
		t.Errorf("the page heard the extension's messages: %v", ours)
	}
	if calls := tb.v.Calls(); len(calls) > 0 {
		t.Errorf("the forged call went through with the extension: %v", calls)
	}
	var warned bool
	tb.eval(t, `!!document.querySelector('tssguard-overlay')`, &warned)
	if !warned {
		t.Errorf("no warning or prompt on the page: the extension did not act on it")
	}
}
