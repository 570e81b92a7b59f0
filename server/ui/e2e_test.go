package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/color/palette"
	"image/jpeg"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/servetest"
	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/sandbox"
	"github.com/tssguard/tssguard/store"
)

var updateShots = flag.Bool("update-screenshots", false, "write screenshots of every page to docs/ui/")

// hostile is a scam-like page whose title, text and URL carry markup:
// the UI must show all of it as text.
const hostile = `<!doctype html><html><head>
<title><script>alert('title')</script>"><img src="http://127.0.0.3:9/title.png" onerror="alert(1)"></title></head>
<body><h1>Windows Defender warning: your computer is infected "><img src="http://127.0.0.3:9/h1.png" onerror="alert(2)"></h1>
<p>Call Microsoft support now at 1-844-555-0142 &lt;script&gt;alert(3)&lt;/script&gt; and do not restart your computer.</p>
<p>"><svg onload=alert(4)> Your files will be deleted. Call 1-844-555-0142 immediately.</p>
</body></html>`

// sites serves the fixtures and the hostile page on loopback: the scanned
// "internet".
func sites(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServer(http.Dir(testdirs.Fixtures())))
	mux.HandleFunc("/hostile/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, hostile)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

type env struct {
	url   string
	token string
	db    *store.DB
}

func serve(t *testing.T, db *store.DB, pool *sandbox.Pool) env {
	t.Helper()
	a := servetest.Start(t, db, servetest.Options{Pool: pool, KeyName: "analyst"})
	srv := httptest.NewServer(a.Server)
	t.Cleanup(srv.Close)
	return env{url: srv.URL, token: a.Token, db: db}
}

// browser is the analyst's headless Chromium; it records every dialog and
// every request outside the UI's origin.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	dialogs  []string
	strays   []string
	allowURL string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"), // nothing leaves loopback
		chromedp.WindowSize(1280, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(acancel)
	b := &browser{}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(cancel)
	b.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("no Chromium for the UI tests: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) listen(ev any) {
	switch ev := ev.(type) {
	case *page.EventJavascriptDialogOpening:
		b.mu.Lock()
		b.dialogs = append(b.dialogs, ev.Message)
		b.mu.Unlock()
		go chromedp.Call(b.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
	case *network.EventRequestWillBeSent:
		u := ev.Request.URL
		b.mu.Lock()
		if b.allowURL != "" && !strings.HasPrefix(u, b.allowURL+"/") && !strings.HasPrefix(u, "data:") {
			b.strays = append(b.strays, u)
		}
		b.mu.Unlock()
	}
}

func (b *browser) run(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	defer func(start time.Time) { t.Logf("%-20s %v", what, time.Since(start).Round(time.Millisecond)) }(time.Now())
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func value[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 45*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// waitLeave waits until the browser has navigated away from a URL.
func (b *browser) waitLeave(t *testing.T, from string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if value(t, b, "location", chromedp.Location()) != from {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("still at %s", from)
}

func (b *browser) text(t *testing.T, sel string) string {
	t.Helper()
	return strings.TrimSpace(value(t, b, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func (b *browser) count(t *testing.T, sel string) int {
	t.Helper()
	return value(t, b, "count "+sel, chromedp.Evaluate[int](`document.querySelectorAll(`+strconvQuote(sel)+`).length`))
}

func strconvQuote(s string) string { return strconv.Quote(s) }

// TestUI drives the web UI in headless Chromium on both stores: log in,
// submit a page and watch it finish, read the report, follow its number
// and its campaign, keep the allowlist, and render hostile content inert.
func TestUI(t *testing.T) {
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	pool, err := sandbox.New(context.Background(), sandbox.Options{Policy: policy, TabsPerBrowser: 1})
	if errors.Is(err, sandbox.ErrNoChromium) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	site := sites(t)
	b := newBrowser(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := serve(t, db, pool)
		b.mu.Lock()
		b.allowURL, b.dialogs, b.strays = e.url, nil, nil
		b.mu.Unlock()
		shots := *updateShots && db.Backend() == "sqlite"
		shoot := func(name string) {
			if shots {
				screenshot(t, b, name)
			}
		}

		// A hostile page, scanned through the API meanwhile (the UI's own
		// submit form is driven below).
		hostileID := submitAPI(t, e, site+`/hostile/page.html?q="><script>alert(5)</script>`)

		// Writes need a session: the form sends the visitor to log in.
		b.run(t, "login", chromedp.Navigate(e.url+"/login"), chromedp.WaitVisible(chromedp.CSS("#key")))
		shoot("login")
		b.run(t, "login", chromedp.SendKeys(chromedp.CSS("#key"), e.token), chromedp.Submit(chromedp.CSS("#key")),
			chromedp.WaitVisible(chromedp.CSS("#url")))

		// Submit a dynamic scan and watch it finish without reloading.
		target := site + "/scam/fake-bsod.html"
		b.run(t, "submit", chromedp.SendKeys(chromedp.CSS("#url"), target),
			chromedp.SetValue(chromedp.CSS("#ua"), "windows"),
			chromedp.Submit(chromedp.CSS("#url")),
			chromedp.WaitVisible(chromedp.CSS("#status")))
		b.run(t, "wait for the verdict", chromedp.WaitVisible(chromedp.CSS("#verdict")))
		if v := b.text(t, "#verdict"); !strings.EqualFold(v, "scam") {
			t.Fatalf("verdict = %q", v)
		}
		if s := b.text(t, ".findings"); !strings.Contains(s, "TSS-TEXT-BSOD") || !strings.Contains(s, "TSS-HOTLINE") {
			t.Errorf("findings: %.300s", s)
		}
		if n := b.text(t, "a.number"); n != "+18665550166" {
			t.Errorf("number = %q", n)
		}
		// Text evidence is found in the page source and highlighted.
		marks := value(t, b, "marks", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".findings mark")).map(m => m.textContent)`))
		if !strings.Contains(strings.Join(marks, "|"), "1-866-555-0166") {
			t.Errorf("highlighted evidence: %q", marks)
		}
		reqs := b.text(t, "table.requests")
		if !strings.Contains(reqs, "fake-bsod.html") || !strings.Contains(reqs, "KiB") && !strings.Contains(reqs, " B") {
			t.Errorf("requests table: %.300s", reqs)
		}
		checkScreenshot(t, e, b)
		shoot("report")

		// Re-scan: a second sighting of the number, in the same campaign.
		first := value(t, b, "location", chromedp.Location())
		b.run(t, "re-scan", chromedp.Click(chromedp.CSS(`form[action$="/rescan"] button`)))
		b.waitLeave(t, first)
		b.run(t, "re-scan verdict", chromedp.WaitVisible(chromedp.CSS("#verdict")))
		if v := b.text(t, "#verdict"); !strings.EqualFold(v, "scam") {
			t.Fatalf("re-scan verdict = %q", v)
		}

		// Where else did this content appear? The page's SHA-256 leads
		// to both scans.
		second := value(t, b, "location", chromedp.Location())
		hash := value(t, b, "hash", chromedp.AttributeValue(chromedp.CSS("table.requests td.hash a"), "title")).Value
		b.run(t, "hash pivot", chromedp.Navigate(e.url+"/search?q="+hash), chromedp.WaitVisible(chromedp.CSS("#search-q")))
		if n := b.count(t, "table.scans tbody tr"); len(hash) != 64 || n < 2 {
			t.Errorf("search by the page's hash %q: %d scans, want 2", hash, n)
		}
		b.run(t, "back", chromedp.Navigate(second), chromedp.WaitVisible(chromedp.CSS("#verdict")))

		// Follow the number, then the campaign.
		b.run(t, "number", chromedp.Click(chromedp.CSS("a.number")), chromedp.WaitVisible(chromedp.CSS("#number")))
		if n := b.text(t, "#number"); n != "+18665550166" {
			t.Errorf("number page = %q", n)
		}
		if s := b.text(t, "main"); !strings.Contains(s, "toll-free") || !strings.Contains(s, "fake-bsod.html") {
			t.Errorf("number page: %.400s", s)
		}
		dots := b.count(t, "svg.chart circle")
		if dots != 2 {
			t.Errorf("timeline has %d sightings, want 2", dots)
		}
		shoot("number")
		b.run(t, "campaign", chromedp.Click(chromedp.CSS(`main a[href^="/campaigns/"]`)), chromedp.WaitVisible(chromedp.CSS("#campaign")))
		thumbs := b.count(t, ".thumbs img")
		if thumbs != 2 {
			t.Errorf("campaign shows %d pages, want 2", thumbs)
		}
		if s := b.text(t, "main"); !strings.Contains(s, "+18665550166") {
			t.Errorf("campaign page: %.400s", s)
		}
		shoot("campaign")
		b.run(t, "campaigns", chromedp.Navigate(e.url+"/campaigns"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
		shoot("campaigns")

		// The allowlist: add with a note, then remove.
		b.run(t, "allow", chromedp.Navigate(e.url+"/lists"), chromedp.WaitVisible(chromedp.CSS("#allow-domain")),
			chromedp.SendKeys(chromedp.CSS("#allow-domain"), "www.trusted-vendor.example"),
			chromedp.SendKeys(chromedp.CSS("#allow-note"), "our own support site"),
			chromedp.Submit(chromedp.CSS("#allow-domain")), chromedp.WaitVisible(chromedp.CSS("#allowlist")))
		if s := b.text(t, "#allowlist"); !strings.Contains(s, "trusted-vendor.example") || !strings.Contains(s, "our own support site") {
			t.Errorf("allowlist: %q", s)
		}
		if ok, _ := db.IsAllowed(context.Background(), "trusted-vendor.example"); !ok {
			t.Error("allowlist entry not stored")
		}
		shoot("lists")
		b.run(t, "disallow", chromedp.Click(chromedp.CSS(`#allowlist button`)), chromedp.WaitNotPresent(chromedp.CSS("#allowlist")))
		rows := b.count(t, "#allowlist tbody tr")
		if ok, _ := db.IsAllowed(context.Background(), "trusted-vendor.example"); ok || rows != 0 {
			t.Errorf("allowlist entry not removed (%d rows)", rows)
		}

		// A user report with the page's content and a screenshot: the
		// screenshot shows as an image, the content only as text.
		reportID := reportAPI(t, e, site+"/hostile/reported.html", hostile)
		b.run(t, "user report", chromedp.Navigate(e.url+"/reports/"+reportID), chromedp.WaitVisible(chromedp.CSS("#dom-link")))
		if w := value(t, b, "report screenshot", chromedp.Evaluate[int](`new Promise((ok) => { const i = document.getElementById('report-screenshot'); i.decode().then(() => ok(i.naturalWidth), () => ok(0)); })`, chromedp.EvalAwaitPromise)); w != 64 {
			t.Errorf("the report's screenshot did not load in the browser: width %d", w)
		}
		if n := b.count(t, "main img:not(.shot), main script, [onerror], [onload]"); n != 0 {
			t.Errorf("%d elements of the reported content were rendered", n)
		}
		b.run(t, "report DOM", chromedp.Click(chromedp.CSS("#dom-link")), chromedp.WaitReady(chromedp.CSS("body")))
		if ct := value(t, b, "DOM type", chromedp.Evaluate[string](`document.contentType`)); ct != "text/plain" {
			t.Errorf("the reported DOM opens as %q, want text/plain", ct)
		}

		// Hostile content renders inert: the URL, the page's text and
		// source, and a search for markup.
		b.run(t, "hostile", chromedp.Navigate(e.url+"/scans/"+hostileID), chromedp.WaitVisible(chromedp.CSS("#verdict")))
		if s := b.text(t, "main"); !strings.Contains(s, "onerror") || !strings.Contains(s, "+18445550142") {
			t.Errorf("hostile report does not show the markup as text: %.500s", s)
		}
		injected := b.count(t, "main img:not(.shot), main svg:not(.chart), main script, [onerror], [onload]")
		if injected != 0 {
			t.Errorf("%d elements from the scanned page were rendered", injected)
		}
		b.run(t, "search markup", chromedp.Navigate(e.url+"/search?q="+url.QueryEscape(`"><img src=http://127.0.0.3:9/s.png onerror=alert(6)>`)),
			chromedp.WaitVisible(chromedp.CSS("#search-q")))
		b.run(t, "search", chromedp.Navigate(e.url+"/search?q=microsoft"), chromedp.WaitVisible(chromedp.CSS("#search-q")))
		if s := b.text(t, "main"); !strings.Contains(s, "fake-bsod.html") {
			t.Errorf("brand search: %.300s", s)
		}
		shoot("search")
		b.run(t, "scans", chromedp.Navigate(e.url+"/scans?verdict=scam&family=locker"), chromedp.WaitVisible(chromedp.CSS("table.scans")))
		if n := b.count(t, "table.scans tbody tr"); n != 2 {
			t.Errorf("scam lockers: %d scans, want the 2 blue screens", n)
		}
		shoot("scans")
		b.run(t, "home", chromedp.Navigate(e.url+"/"), chromedp.WaitVisible(chromedp.CSS("#url")))
		shoot("submit")
		b.mu.Lock()
		if len(b.dialogs) > 0 || len(b.strays) > 0 {
			t.Errorf("scanned content ran: dialogs %q, requests %q", b.dialogs, b.strays)
		}
		b.mu.Unlock()

		// A form post without its CSRF token is refused, session or not.
		res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{e.url}})
		if err != nil {
			t.Fatal(err)
		}
		cookies := res.Cookies
		for _, withCookie := range []bool{false, true} {
			req, _ := http.NewRequest("POST", e.url+"/lists/allow", strings.NewReader("domain=evil.example"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if withCookie {
				for _, c := range cookies {
					req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST without a CSRF token (cookie %v): %d, want 403", withCookie, resp.StatusCode)
			}
		}
		if ok, _ := db.IsAllowed(context.Background(), "evil.example"); ok {
			t.Error("a forged post changed the allowlist")
		}
	})
}

func submitAPI(t *testing.T, e env, target string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"url": target})
	req, _ := http.NewRequest("POST", e.url+"/api/v1/scans", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("submit %s: %d %v", target, resp.StatusCode, err)
	}
	return m.ID
}

// reportAPI sends a user report of target with dom and a 64×48 JPEG
// screenshot, as the extension does with the user's consent.
func reportAPI(t *testing.T, e env, target, dom string) string {
	t.Helper()
	var shot bytes.Buffer
	if err := jpeg.Encode(&shot, image.NewRGBA(image.Rect(0, 0, 64, 48)), nil); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"url": target, "dom": dom, "screenshot": shot.Bytes()})
	req, _ := http.NewRequest("POST", e.url+"/api/v1/reports", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("report %s: %d %v", target, resp.StatusCode, err)
	}
	return m.ID
}

// quantize maps an image to the Plan 9 palette, nearest colour, no
// dithering; a cache makes the few colours of a UI cheap.
func quantize(img image.Image) *image.Paletted {
	b := img.Bounds()
	pal := image.NewPaletted(b, palette.Plan9)
	cache := map[uint32]uint8{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			k := r>>8<<16 | g>>8<<8 | bl>>8
			i, ok := cache[k]
			if !ok {
				i = uint8(pal.Palette.Index(color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}))
				cache[k] = i
			}
			pal.SetColorIndex(x, y, i)
		}
	}
	return pal
}

// checkScreenshot: screenshots are served as sandboxed PNG images.
func checkScreenshot(t *testing.T, e env, b *browser) {
	t.Helper()
	src := value(t, b, "screenshot src", chromedp.AttributeValue(chromedp.CSS("#screenshot"), "src")).Value
	resp, err := http.Get(e.url + src)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox") || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Errorf("screenshot %s: %d %v", src, resp.StatusCode, resp.Header)
	}
}

// screenshot writes the page at desktop and phone width to docs/ui, as a
// paletted PNG: flat UI colours compress to a few tens of KB.
func screenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	dir := filepath.Join(testdirs.Fixtures(), "..", "docs", "ui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		name          string
		width, height int64
		mobile        bool
	}{{"desktop", 1280, 860, false}, {"phone", 390, 844, true}} {
		if _, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: size.width, Height: size.height, DeviceScaleFactor: 1, Mobile: size.mobile}); err != nil {
			t.Fatal(err)
		}
		b.run(t, "settle", chromedp.Sleep(150*time.Millisecond))
		buf := value(t, b, "screenshot "+name, chromedp.CaptureScreenshot())
		img, err := png.Decode(bytes.NewReader(buf))
		if err != nil {
			t.Fatal(err)
		}
		pal := quantize(img)
		var out bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, pal); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%s.png", name, size.name)), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(b.ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
}
