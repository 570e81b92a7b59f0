package extension_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// extDir is the unpacked extension: this package's directory.
func extDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// chromiumPath finds Debian's unbranded Chromium (branded Chrome ignores
// --load-extension). The shell wrapper needs a normal PATH, so the binary
// beside it is used and the browser runs with an empty PATH: no
// external protocol handler (xdg-open) can ever open a tel: link.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("chromium not installed: browser extension tests skipped")
	return ""
}

// browser is one headless Chromium, with or without the extension.
type browser struct {
	ctx    context.Context
	cancel func()
	extID  string
}

// startBrowser starts Chromium. With ext the unpacked extension is loaded;
// the flag list is built by hand because chromedp's defaults disable
// extensions. Only loopback is reachable: a proxy that refuses everything,
// bypassed for loopback.
func startBrowser(t testing.TB, ext bool) *browser {
	t.Helper()
	dir := ""
	if ext {
		chromiumPath(t)
		dir = copyExtension(t, t.TempDir())
	}
	return startBrowserWith(t, dir)
}

// startBrowserWith starts Chromium with the unpacked extension in dir
// (none when dir is empty), and any extra options.
func startBrowserWith(t testing.TB, dir string, extra ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	exe := chromiumPath(t)
	tmp := t.TempDir()
	ext := dir != ""
	bin := filepath.Join(tmp, "bin")
	os.MkdirAll(bin, 0o755)
	profile := filepath.Join(tmp, "profile")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("headless", "new"),
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.NoInheritEnv,
		chromedp.Env("PATH="+bin, "HOME="+profile, "TMPDIR="+tmp, "LANG=en_US.UTF-8", "XDG_CONFIG_HOME="+profile, "XDG_CACHE_HOME="+profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("window-size", "1280,800"),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
		// Only loopback is reachable; *.test names are loopback too, so
		// tests can serve "sites" on domains the rules can list.
		chromedp.Flag("proxy-bypass-list", "127.0.0.1;*.test"),
		chromedp.Flag("host-resolver-rules", "MAP *.test 127.0.0.1"),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", "IsolateOrigins,site-per-process,Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("no-pings", true),
	}
	if ext {
		opts = append(opts,
			chromedp.Flag("load-extension", dir),
			chromedp.Flag("disable-extensions-except", dir),
		)
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	opts = append(opts, extra...)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &browser{ctx: bctx, cancel: func() { bcancel(); acancel() }}
	t.Cleanup(b.cancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if ext {
		b.extID = waitExtension(t, bctx)
	}
	return b
}

// copyExtension copies the extension's files (not its tests or generator)
// to a temporary directory: Chromium writes indexed rulesets into an
// unpacked extension's folder.
func copyExtension(t testing.TB, tmp string) string {
	t.Helper()
	src := extDir()
	dst := filepath.Join(tmp, "extension")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			switch d.Name() {
			case "gen", "test", "_metadata", "testdata":
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

var extURLRe = regexp.MustCompile(`^chrome-extension://([a-p]{32})/`)

// waitExtension waits for the extension's service worker target and
// returns the extension's ID.
func waitExtension(t testing.TB, ctx context.Context) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		infos, err := chromedp.Targets(ctx)
		if err == nil {
			for _, in := range infos {
				if in.Type == "service_worker" {
					if m := extURLRe.FindStringSubmatch(in.URL); m != nil {
						waitListening(t, ctx, in.TargetID)
						return m[1]
					}
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the extension's service worker did not start")
	return ""
}

// waitListening waits until the service worker has run its script to the
// end, listeners added. At its first start, the browser hands a worker
// only the events of listeners added already: a page loaded while the
// worker was still reading its libraries had the frames made in it told
// to no one (TestDeclarativeShadowFramesCannotDialTheTop failed so, under
// load, in the first pages after the browser started). The attachment to
// the worker gets the whole wait (a per-call timeout that cut it short left
// the context unusable on a loaded CI machine); a worker that cannot be
// asked in that time is logged and the test goes on, as it did before it
// waited.
func waitListening(t testing.TB, ctx context.Context, id target.ID) {
	t.Helper()
	dctx, dcancel := context.WithTimeout(ctx, 20*time.Second)
	defer dcancel()
	// Detach on cancel: by default a context closes the target it attached to.
	wctx, cancel := chromedp.NewContext(dctx, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	defer cancel()
	for {
		ready, err := chromedp.Run(wctx, chromedp.Evaluate[bool](`chrome.webNavigation.onBeforeNavigate.hasListeners() && chrome.runtime.onMessage.hasListeners()`))
		if err == nil && ready {
			return
		}
		if dctx.Err() != nil {
			t.Logf("the extension's service worker was not seen with its listeners (%v); going on", err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// visit is what one page did in the browser.
type visit struct {
	mu       sync.Mutex
	calls    []string // call-scheme navigations requested (frame or window.open)
	dialogs  int
	refused  int // call-scheme frames the browser refused (the extension's CSP)
	finalURL string
}

var callRe = regexp.MustCompile(`(?i)^\s*(tel|callto|facetime|facetime-audio|sip|sips|skype|ms-[a-z0-9.+-]+):`)

func (v *visit) listen(ev any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch e := ev.(type) {
	case *page.EventFrameRequestedNavigation:
		if callRe.MatchString(e.URL) {
			v.calls = append(v.calls, string(e.Reason)+" "+e.URL)
		}
	case *page.EventWindowOpen:
		if callRe.MatchString(e.URL) {
			v.calls = append(v.calls, "window.open "+e.URL)
		}
	case *page.EventJavascriptDialogOpening:
		v.dialogs++
	case *log.EventEntryAdded:
		if e.Entry != nil && e.Entry.Source == log.EntrySourceSecurity && cspCallRe.MatchString(e.Entry.Text) {
			v.refused++
		}
	case *page.EventFrameNavigated:
		if e.Frame != nil && e.Frame.ParentID == "" {
			v.finalURL = e.Frame.URL
		}
	}
}

func (v *visit) Calls() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.calls...)
}

// cspCallRe matches Chromium's message for a frame refused by frame-src.
var cspCallRe = regexp.MustCompile(`(?i)Content Security Policy directive: "frame-src.*The scheme '(tel|callto|facetime|facetime-audio|sip|sips|skype|ms-[a-z0-9.+-]+):'`)

func (v *visit) Refused() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.refused
}

func (v *visit) Dialogs() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.dialogs
}

func (v *visit) FinalURL() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.finalURL
}

// tab is an open page.
type tab struct {
	ctx    context.Context
	v      *visit
	cancel func()
	once   sync.Once
	done   chan struct{}
}

// close closes the tab.
func (tb *tab) close() {
	tb.once.Do(func() {
		close(tb.done)
		tb.cancel()
	})
}

// open loads url in a new tab of the default browser context (extensions
// do not run in incognito contexts) and waits observe after navigation.
// Dialogs are dismissed as they open.
func (b *browser) open(t testing.TB, url string, observe time.Duration) *tab {
	t.Helper()
	v := &visit{}
	dialogs := make(chan struct{}, 256)
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(func(ev any) {
		v.listen(ev)
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			select {
			case dialogs <- struct{}{}:
			default:
			}
		}
	}))
	tb := &tab{ctx: ctx, v: v, cancel: cancel, done: make(chan struct{})}
	t.Cleanup(tb.close)
	// Make sure the tab exists (and Page events flow) before navigating.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("new tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("log.enable: %v", err)
	}
	done := tb.done
	go func() {
		for {
			select {
			case <-dialogs:
				dctx, c := context.WithTimeout(ctx, 2*time.Second)
				chromedp.Call(dctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
				c()
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	nctx, ncancel := context.WithTimeout(ctx, 10*time.Second)
	defer ncancel()
	if _, err := chromedp.Call(nctx, page.Navigate, page.NavigateParams{URL: url}); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Logf("navigate %s: %v", url, err)
	}
	time.Sleep(observe)
	return tb
}

// eval evaluates a JavaScript expression in the tab's main frame.
func (tb *tab) eval(t testing.TB, expr string, out any) {
	t.Helper()
	// Generous: the machines that run the suite are often loaded.
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("eval %q: %v", expr, err)
	}
	if out != nil {
		assign(out, v)
	}
}

// evalJSON evaluates expr (awaiting a promise) and decodes its JSON form
// into out.
func (tb *tab) evalJSON(t testing.TB, expr string, out any) {
	t.Helper()
	var s string
	tb.eval(t, `Promise.resolve(`+expr+`).then((v) => JSON.stringify(v === undefined ? null : v))`, &s)
	if err := json.Unmarshal([]byte(s), out); err != nil {
		t.Fatalf("eval %q: %v (%s)", expr, err, s)
	}
}

func assign(out, v any) {
	switch o := out.(type) {
	case *any:
		*o = v
	case *string:
		*o = fmt.Sprint(v)
	case *bool:
		b, _ := v.(bool)
		*o = b
	case *float64:
		f, _ := v.(float64)
		*o = f
	}
}

// click performs a real (trusted) mouse click at the centre of the
// element matched by the CSS selector.
func (tb *tab) click(t testing.TB, selector string) {
	t.Helper()
	var rect any
	tb.eval(t, `(() => { const r = document.querySelector(`+jsString(selector)+`).getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2]; })()`, &rect)
	xy, ok := rect.([]any)
	if !ok || len(xy) != 2 {
		t.Fatalf("no element %s", selector)
	}
	x, _ := xy[0].(float64)
	y, _ := xy[1].(float64)
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	for _, typ := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
		if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: typ, X: x, Y: y, Button: input.MouseButtonLeft, ClickCount: 1}); err != nil {
			t.Fatalf("click %s: %v", selector, err)
		}
	}
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`)
	return "'" + r.Replace(s) + "'"
}

// serveDir serves a directory on a fresh loopback port.
func serveDir(t testing.TB, dir string) string {
	t.Helper()
	return serve(t, http.FileServer(http.Dir(dir)))
}

// servePages serves HTML pages by path on a fresh loopback port (any
// other path is not found).
func servePages(t testing.TB, pages map[string]string) string {
	t.Helper()
	return serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		ctype := "text/html; charset=utf-8"
		if strings.HasSuffix(r.URL.Path, ".js") {
			ctype = "text/javascript"
		}
		w.Header().Set("Content-Type", ctype)
		w.Write([]byte(body))
	}))
}

// warningLocked reads the warning's data-locked ("" without a warning):
// "true" when it says the page was stopped from locking, "false" when it
// was warned about on its words before trying anything.
const warningLocked = `(document.getElementById('tssguard-warning') || {dataset: {}}).dataset.locked || ''`

func serve(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("cannot listen on loopback: %v", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}
