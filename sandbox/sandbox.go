package sandbox

import (
	"context"
	"crypto/tls"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tssguard/tssguard/capture"
)

//go:embed instrument.js
var instrumentJS string

// ErrNoChromium is returned when no Chromium binary can be found.
var ErrNoChromium = errors.New("chromium not found: install it (Debian/Ubuntu: apt-get install -y chromium) or pass --chromium PATH")

// Options configure a Pool.
type Options struct {
	// ChromiumPath is the browser binary (default: chromium, chromium-browser
	// or google-chrome on PATH, then /usr/bin).
	ChromiumPath string
	// Browsers is the number of browser processes (default 1).
	Browsers int
	// TabsPerBrowser is how many pages one browser loads at once (default 4:
	// pages mostly wait out their observation window, so on two cores four
	// tabs load about three times as many pages a minute as one, within
	// 750 MB).
	TabsPerBrowser int
	// RecycleAfter restarts a browser after this many pages (default 50).
	RecycleAfter int
	// Policy decides what URL targets may load (see capture.Policy).
	Policy capture.Policy
	// JSHeapMB caps each renderer's JavaScript heap (default 256).
	JSHeapMB int
	// RendererMemoryMB caps the resident memory of a page's renderer
	// process, canvases and images included, which the JavaScript heap cap
	// does not bound (default 1024). A renderer over it is killed and the
	// page reported as Runtime.MemoryCapped.
	RendererMemoryMB int
	// PageTimeout bounds one page from start to collection (default 30s).
	PageTimeout time.Duration
	// Logf, when set, receives debug messages.
	Logf func(format string, args ...any)
}

// Target is the page to load: a URL, or a local file served from Root.
type Target struct {
	// URL is an http(s) URL loaded under the policy.
	URL string
	// Root is a local directory served to the browser as
	// https://site.tssguard.test/ (and frame.tssguard.test for a second
	// origin; https so the page is a secure context, as scam hosts are);
	// nothing outside it is served.
	Root string
	// File is the page's path relative to Root.
	File string
	// Page, when set, is the file served at File (a page stored apart from
	// the folder its scripts resolve in, as the corpus keeps kits).
	Page string
	// Alias maps a missing file under Root to another file (a collection's
	// layout, see corpus.Alias).
	Alias func(string) (string, bool)
	// Query is appended to a local page's URL (template pages read ?phone=).
	Query string
}

// PageOptions configure one page load.
type PageOptions struct {
	// Profile is the victim: windows (default), mac, android or iphone.
	Profile string
	// Click performs one trusted click (a tap on mobile) after load and
	// observes again.
	Click bool
	// Observe is the longest the page is watched after load (default 2s):
	// the watch ends sooner once the page is quiet (no short timer due, no
	// request in flight, nothing new for a moment), unless FullWatch.
	Observe   time.Duration
	FullWatch bool
	// Screenshot captures a PNG of the viewport at the end.
	Screenshot bool
	// HAR records the page's network log as a HAR 1.2 file (Runtime.HAR).
	HAR bool
	// NoOCR turns off reading the screenshot with OCR (done by default,
	// with tesseract, when the page shows little text or a locker).
	NoOCR bool
	// Referrer, when set, is the page the visit seems to come from (its
	// Referer): cloaking kits show the scam only to visitors from a search
	// or an ad.
	Referrer string
	// Language is the visitor's language, a BCP 47 tag (default en-US):
	// navigator.language, Accept-Language, the locale and a time zone of
	// its country (capture.LocaleFor). Kits aimed at one country check it.
	Language string
}

// Pool runs pages in a few long-lived browsers, each page in a fresh
// browser context (like an incognito window) with its own containment proxy.
// A Pool is safe for concurrent use.
type Pool struct {
	opts  Options
	exec  string
	cert  tls.Certificate
	slots chan *browser
	all   []*browser
	tmp   string

	closeOnce sync.Once

	// pageSetUp, set by tests only, runs once a page's tab is set up.
	pageSetUp func(ctx context.Context)
}

// New checks for Chromium and prepares the pool; browsers start on first use.
func New(ctx context.Context, opts Options) (*Pool, error) {
	if opts.Browsers <= 0 {
		opts.Browsers = 1
	}
	if opts.TabsPerBrowser <= 0 {
		opts.TabsPerBrowser = 4
	}
	if opts.RecycleAfter <= 0 {
		opts.RecycleAfter = 50
	}
	if opts.JSHeapMB <= 0 {
		opts.JSHeapMB = 256
	}
	if opts.RendererMemoryMB <= 0 {
		opts.RendererMemoryMB = 1024
	}
	if opts.PageTimeout <= 0 {
		opts.PageTimeout = 30 * time.Second
	}
	if opts.Policy.Timeout <= 0 {
		d := capture.DefaultPolicy()
		d.AllowPrivate = opts.Policy.AllowPrivate
		if opts.Policy.UserAgent != "" {
			d.UserAgent = opts.Policy.UserAgent
		}
		opts.Policy = d
	}
	path, err := findChromium(opts.ChromiumPath)
	if err != nil {
		return nil, err
	}
	cert, err := sandboxCert()
	if err != nil {
		return nil, fmt.Errorf("sandbox certificate: %w", err)
	}
	tmp, err := os.MkdirTemp("", "tssguard-sandbox-")
	if err != nil {
		return nil, err
	}
	p := &Pool{opts: opts, exec: path, cert: cert, tmp: tmp, slots: make(chan *browser, opts.Browsers*opts.TabsPerBrowser)}
	for i := 0; i < opts.Browsers; i++ {
		b := &browser{pool: p, id: i}
		p.all = append(p.all, b)
		for j := 0; j < opts.TabsPerBrowser; j++ {
			p.slots <- b
		}
	}
	return p, nil
}

// Close stops every browser and removes their profiles.
func (p *Pool) Close() error {
	p.closeOnce.Do(func() {
		for _, b := range p.all {
			b.mu.Lock()
			b.stop()
			b.mu.Unlock()
		}
		os.RemoveAll(p.tmp)
	})
	return nil
}

func (p *Pool) logf(format string, args ...any) {
	if p.opts.Logf != nil {
		p.opts.Logf(format, args...)
	}
}

// Capture loads one page and records what it does.
func (p *Pool) Capture(ctx context.Context, t Target, o PageOptions) (*capture.Capture, error) {
	if (t.URL == "") == (t.Root == "") {
		return nil, errors.New("sandbox: a target needs a URL or a local root, not both")
	}
	var b *browser
	select {
	case b = <-p.slots:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { p.slots <- b }()
	bctx, err := b.acquire(ctx)
	if err != nil {
		return nil, err
	}
	c, err := runPage(ctx, bctx, p, b, t, o)
	b.release(err)
	return c, err
}

// browser is one Chromium process, started lazily and recycled.
type browser struct {
	pool *Pool
	id   int

	mu      sync.Mutex
	ctx     context.Context // chromedp browser context
	cancel  func()
	pages   int
	active  int
	broken  bool
	profile string
	starts  int
	// stopWatch ends the memory watchdog of the running process;
	// memKills are the renderers it killed (see memory.go).
	stopWatch chan struct{}
	memKills  []memKill
}

func (b *browser) acquire(ctx context.Context) (context.Context, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx != nil && (b.broken || (b.pages >= b.pool.opts.RecycleAfter && b.active == 0)) {
		b.pool.logf("browser %d: recycling after %d pages (broken=%v)", b.id, b.pages, b.broken)
		b.stop()
	}
	if b.ctx == nil {
		if err := b.start(ctx); err != nil {
			return nil, err
		}
	}
	b.active++
	b.pages++
	return b.ctx, nil
}

func (b *browser) release(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.active--
	if err != nil && b.ctx != nil && b.ctx.Err() != nil {
		b.broken = true
	}
}

// start launches Chromium with the containment flags.
func (b *browser) start(ctx context.Context) error {
	p := b.pool
	b.starts++
	profile := filepath.Join(p.tmp, fmt.Sprintf("profile-%d-%d", b.id, b.starts))
	// A PATH with nothing on it: Chromium hands tel: links to xdg-open,
	// which must never run.
	emptyBin := filepath.Join(p.tmp, "bin")
	if err := os.MkdirAll(emptyBin, 0o755); err != nil {
		return err
	}
	// Every context gets its own proxy; this browser-wide one refuses all
	// (nothing listens there), so traffic outside a page context goes nowhere.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(p.exec),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.NoInheritEnv,
		chromedp.Env("PATH="+emptyBin, "HOME="+profile, "TMPDIR="+p.tmp, "LANG=en_US.UTF-8", "XDG_CONFIG_HOME="+profile, "XDG_CACHE_HOME="+profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-hang-monitor", true),
		// Tabs beside another are background tabs, whose timers Chromium
		// throttles to one a second: a page must run its timers as in
		// the victim's visible tab, and the quiet watch must see them due.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("window-size", "1366,768"),
		chromedp.Flag("js-flags", fmt.Sprintf("--max-old-space-size=%d", p.opts.JSHeapMB)),
		chromedp.Flag("proxy-server", "http://127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("force-webrtc-ip-handling-policy", "disable_non_proxied_udp"),
		chromedp.Flag("webrtc-ip-handling-policy", "disable_non_proxied_udp"),
		chromedp.Flag("ignore-certificate-errors", true),
		// One renderer sees every frame, cross-origin ones included, so the
		// instrumentation and the events cover them without per-frame
		// sessions. The analysis browser holds no user data to protect.
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("disable-features", strings.Join(disabledFeatures, ",")),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("disable-field-trial-config", true),
		chromedp.Flag("no-service-autorun", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("noerrdialogs", true),
	}
	if os.Geteuid() == 0 {
		// Chromium refuses to start its sandbox as root; the process
		// isolation here is the containment proxy and the profile.
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// The first Do starts the browser.
	errc := make(chan error, 1)
	go func() { errc <- chromedp.Do(bctx) }()
	select {
	case err := <-errc:
		if err != nil {
			bcancel()
			acancel()
			return fmt.Errorf("start chromium %s: %w", p.exec, err)
		}
	case <-startCtx.Done():
		bcancel()
		acancel()
		return fmt.Errorf("start chromium %s: %w", p.exec, startCtx.Err())
	}
	b.ctx = bctx
	b.cancel = func() { bcancel(); acancel() }
	b.pages, b.broken, b.profile = 0, false, profile
	if proc := chromedp.FromContext(bctx).Browser.Process(); proc != nil {
		b.stopWatch = make(chan struct{})
		go b.watch(proc.Pid, b.stopWatch, func(rss int64) {
			// The whole browser is over its cap: kill it; the next
			// page starts a new one.
			p.logf("browser %d: killed at %d MB for its whole process tree", b.id, rss>>20)
			b.mu.Lock()
			b.broken = true
			b.memKills = append(b.memKills, memKill{at: time.Now(), rss: rss})
			b.mu.Unlock()
			proc.Kill()
		})
	}
	p.logf("browser %d: started", b.id)
	return nil
}

func (b *browser) stop() {
	if b.stopWatch != nil {
		close(b.stopWatch)
		b.stopWatch = nil
	}
	if b.cancel != nil {
		b.cancel()
	}
	if b.profile != "" {
		os.RemoveAll(b.profile)
	}
	b.ctx, b.cancel, b.profile = nil, nil, ""
}

// disabledFeatures are the Chromium features the sandbox turns off.
var disabledFeatures = []string{
	// Site isolation: see the flag above.
	"IsolateOrigins", "site-per-process",
	// HTTPS-Upgrades turns a navigation to http:// into https://, which a
	// scam host on plain http does not answer: the proxy's 502 is not a
	// network error, so Chromium would not fall back and the page would
	// never load (HttpsUpgrades is the one that does it in Chromium 156;
	// the HTTPS-First variants are off for other versions).
	"HttpsUpgrades", "HttpsFirstModeIncognito", "HttpsFirstBalancedModeAutoEnableForNonDefaultProfiles",
	"HttpsFirstModeV2ForEngagedSites", "HttpsFirstBalancedMode",
	// Background services that would make requests of their own (the
	// proxy refuses whatever still comes: see proxy.fromPage).
	"Translate", "MediaRouter", "OptimizationHints", "OptimizationHintsFetching", "OptimizationGuideModelDownloading",
	"OptimizationTargetPrediction", "DialMediaRouteProvider", "AutofillServerCommunication",
	"InterestFeedContentSuggestions", "CertificateTransparencyComponentUpdater", "NetworkTimeServiceQuerying",
	"SafeBrowsingRealTimeUrlLookup",
}

// findChromium resolves the browser binary. Debian's /usr/bin/chromium is a
// shell wrapper that needs a normal PATH; the real binary beside it is used
// so that the browser runs with an empty PATH.
func findChromium(given string) (string, error) {
	candidates := []string{given}
	if given == "" {
		candidates = nil
		for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
			if p, err := exec.LookPath(n); err == nil {
				candidates = append(candidates, p)
			}
		}
		candidates = append(candidates, "/usr/bin/chromium", "/usr/bin/chromium-browser")
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		st, err := os.Stat(c)
		if err != nil || st.IsDir() {
			continue
		}
		if isScript(c) {
			for _, real := range []string{"/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser", "/opt/google/chrome/chrome"} {
				if _, err := os.Stat(real); err == nil {
					return real, nil
				}
			}
		}
		return c, nil
	}
	if given != "" {
		return "", fmt.Errorf("%w (%s does not exist)", ErrNoChromium, given)
	}
	return "", ErrNoChromium
}

func isScript(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := f.Read(head)
	return n == 2 && string(head) == "#!"
}

// profiles are the victims the sandbox can emulate.
type profile struct {
	name          string
	width, height int64
	scale         float64
	mobile, touch bool
	platform      string
}

var profiles = map[string]profile{
	"windows": {"windows", 1366, 768, 1, false, false, "Win32"},
	"mac":     {"mac", 1440, 900, 2, false, false, "MacIntel"},
	"android": {"android", 412, 915, 2.625, true, true, "Linux armv8l"},
	"iphone":  {"iphone", 390, 844, 3, true, true, "iPhone"},
}

func profileFor(name string) (profile, string, error) {
	if name == "" {
		name = "windows"
	}
	if name == "mobile" {
		name = "android"
	}
	pr, ok := profiles[strings.ToLower(name)]
	if !ok {
		return profile{}, "", fmt.Errorf("unknown profile %q (want windows, mac, android or iphone)", name)
	}
	ua, _ := capture.UserAgentFor(pr.name)
	return pr, ua, nil
}
