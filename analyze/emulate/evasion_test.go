package emulate

import (
	"context"
	"encoding/base64"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
)

// TestLibrarySkipIsEarned: a name or a banner alone does not make a
// script a library the emulator skips; size and the absence of anything
// a payload needs do too.
func TestLibrarySkipIsEarned(t *testing.T) {
	neutral := strings.Repeat("function f(a){return a.map(function(x){return x+1})}\n", 400) // 20 KB
	banner := "/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n"
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"https://kit.test/js/jquery.min.js", neutral, true},
		{"https://kit.test/js/app.js", banner + neutral, true},
		{"https://kit.test/js/app.js", neutral, false},
		{"https://kit.test/js/jquery.min.js", `setTimeout(function () { location.href = "tel:+18445550142"; }, 500);`, false},
		{"https://kit.test/js/jquery.min.js", neutral + `document.documentElement.requestFullscreen();`, false},
		{"https://kit.test/js/app.js", banner + neutral + `location.href = "TEL:+18445550142";`, false},
		{"https://kit.test/js/bootstrap.js", banner + "x();", false},
		// A payload appended to a library: a synthetic click, a dialog.
		{"https://kit.test/js/jquery.min.js", banner + neutral + `document.querySelector("a.cta").dispatchEvent(new MouseEvent("click"));`, false},
		{"https://kit.test/js/jquery.min.js", banner + neutral + `while (true) alert("Your computer is blocked");`, false},
	} {
		if got := isLibrary(Script{Name: c.name, Source: []byte(c.src)}); got != c.want {
			t.Errorf("%s (%d bytes, ends %.40q): library %v, want %v", c.name, len(c.src), c.src[max(0, len(c.src)-40):], got, c.want)
		}
	}
	// End to end: the auto-dial in a file named like jQuery runs.
	page := `<body><a class="cta" href="tel:+18445550142">Call</a></body>`
	payload := `setTimeout(function () { document.querySelector('a.cta').dispatchEvent(new MouseEvent('click', { bubbles: true })); }, 800);`
	r := emulateScripts(t, page, Script{Name: "https://kit.test/js/jquery.min.js", Source: []byte(payload)})
	if len(find(r, capture.EventCallNavigation)) == 0 {
		t.Fatalf("the payload named jquery.min.js did not run: %+v %v", r.Events, r.Errors)
	}
}

// emulateScripts runs html with the given scripts and a click.
func emulateScripts(t testing.TB, html string, scripts ...Script) Result {
	t.Helper()
	return Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(html), Scripts: scripts}, Options{Click: true, Budget: 500 * time.Millisecond})
}

// TestPaddedScript: a payload padded past the old 512 KiB cap, with a
// comment or with dense code, still runs within the pipeline's budget,
// and so does the script after a large one (compiling is not charged);
// past MaxScript the script is named as not run. The payload's own loop
// is small beside the budget: at 100,000 turns it took 25-30 ms of the
// 35, and the test measured the machine rather than the padding.
func TestPaddedScript(t *testing.T) {
	page := `<body><a class="cta" href="tel:+18445550142">Call</a></body>`
	payload := "\nvar s = 0; for (var i = 0; i < 10000; i++) s += i;\nsetTimeout(function () { document.querySelector('a.cta').dispatchEvent(new MouseEvent('click', { bubbles: true })); }, 800);\n"
	var code strings.Builder
	for i := 0; code.Len() < 1536<<10; i++ {
		fmt.Fprintf(&code, "function f%d(a) { return a.map(function (x) { return x + %d; }).join(',') + '%d'; }\n", i, i, i*7)
	}
	for name, scripts := range map[string][]Script{
		"comment":         {{Name: "app.js", Source: []byte("/*" + strings.Repeat("x", 600<<10) + "*/" + payload)}},
		"code":            {{Name: "app.js", Source: []byte(code.String() + payload)}},
		"after the large": {{Name: "lib.js", Source: []byte(code.String())}, {Name: "app.js", Source: []byte(payload)}},
	} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: scripts},
			Options{Budget: 35 * time.Millisecond, MaxBudget: 300 * time.Millisecond, Click: true})
		if len(find(r, capture.EventCallNavigation)) == 0 || len(r.NotRun) != 0 {
			t.Errorf("%s: the padded payload did not run: stalled %v, interrupted %v, not run %v, errors %v", name, r.Stalled, r.Interrupted, r.NotRun, r.Errors)
		}
	}
	big := "/*" + strings.Repeat("x", MaxScript) + "*/" + payload
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "big.js", Source: []byte(big)}}}, Options{Budget: 35 * time.Millisecond})
	if len(r.NotRun) != 1 || r.NotRun[0] != "big.js" {
		t.Errorf("a script past MaxScript: not run %v", r.NotRun)
	}
}

// A payload padded with a megabyte and a half of code runs even while the
// garbage collector works hard: marking the padding's compiled program is
// the collector's work, which the goroutine that allocates does in part
// (assists). Charged to the page, it used up the payload's budget (at
// GOGC=5, 28 runs of 30 cut the payload off).
func TestPaddedScriptUnderGCPressure(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	page := `<body><a class="cta" href="tel:+18445550142">Call</a></body>`
	payload := "\nvar s = 0; for (var i = 0; i < 10000; i++) s += i;\nsetTimeout(function () { document.querySelector('a.cta').dispatchEvent(new MouseEvent('click', { bubbles: true })); }, 800);\n"
	var code strings.Builder
	for i := 0; code.Len() < 1536<<10; i++ {
		fmt.Fprintf(&code, "function f%d(a) { return a.map(function (x) { return x + %d; }).join(',') + '%d'; }\n", i, i, i*7)
	}
	for range 3 {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "app.js", Source: []byte(code.String() + payload)}}},
			Options{Budget: 35 * time.Millisecond, MaxBudget: 300 * time.Millisecond, Click: true})
		if len(find(r, capture.EventCallNavigation)) == 0 {
			t.Fatalf("the padded payload did not run: stalled %v, interrupted %v, errors %v", r.Stalled, r.Interrupted, r.Errors)
		}
	}
}

// TestLateTimersRun: an auto-dial scheduled late, or behind timers that
// tick until the firings run out, still runs.
func TestLateTimersRun(t *testing.T) {
	dial := func(ms int) string {
		return fmt.Sprintf("setTimeout(function () { document.querySelector('a.cta').dispatchEvent(new MouseEvent('click', { bubbles: true })); }, %d);", ms)
	}
	for name, code := range map[string]string{
		"after 15 s":             dial(15000),
		"behind four intervals":  "for (var i = 0; i < 4; i++) setInterval(function () {}, 1);" + dial(5000),
		"behind a timeout chain": "(function tick() { setTimeout(tick, 1); })();" + dial(3000),
		"behind many timeouts":   "for (var i = 0; i < 500; i++) setTimeout(function () {}, i);" + dial(2000),
	} {
		r := emulateScripts(t, `<body><a class="cta" href="tel:+18445550142">Call</a></body>`, Script{Name: "app.js", Source: []byte(code)})
		if len(find(r, capture.EventCallNavigation)) == 0 {
			t.Errorf("%s: the auto-dial did not run: %v", name, r.Errors)
		}
	}
}

// TestWrittenPadding: a script that writes thousands of empty elements
// before its call link does not push the link past what the emulator
// keeps (it kept 6,000 written nodes, charged to the budget), in the
// pipeline's budget.
func TestWrittenPadding(t *testing.T) {
	for name, pad := range map[string]string{
		"document.write": `document.write('<div hidden></div>'.repeat(9000));`,
		"innerHTML":      `document.getElementById('pad').innerHTML = '<div><span></span></div>'.repeat(6000);`,
	} {
		code := pad + `document.write('<a id="c" href="tel:+18445550142">Call</a>'); document.getElementById('c').click();`
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body><div id="pad" hidden></div></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}},
			Options{Budget: 35 * time.Millisecond})
		if len(find(r, capture.EventCallNavigation)) == 0 {
			t.Errorf("%s: the written call link was not clicked (interrupted %v): %v", name, r.Interrupted, r.Errors)
		}
	}
}

// TestStalledScriptIsSkipped: a script that loops or stalls past the
// budget is cut off and the scripts, timers and click after it still run,
// each stall costing one budget more, within MaxBudget; with no room
// left, the run ends there as before.
func TestStalledScriptIsSkipped(t *testing.T) {
	page := `<body><a class="cta" href="tel:+18445550142">Call</a></body>`
	stalls := map[string]string{
		"a long loop":        `for (var i = 0; i < 1e9; i++) {}`,
		"an endless loop":    `for (;;) {}`,
		"quadratic building": `var s = ''; for (var i = 0; i < 200000; i++) s += '<div hidden></div>'; document.write(s);`,
	}
	dial := `document.querySelector('a.cta').click();`
	for name, stall := range stalls {
		for _, later := range []string{"script", "timer"} {
			scripts := []Script{{Name: "stall.js", Source: []byte(stall)}, {Name: "dial.js", Source: []byte(dial)}}
			if later == "timer" {
				scripts = []Script{{Name: "stall.js", Source: []byte("setTimeout(function () {" + dial + "}, 100);" + stall)}}
			}
			r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: scripts}, Options{Budget: 35 * time.Millisecond, MaxBudget: 300 * time.Millisecond})
			if len(find(r, capture.EventCallNavigation)) == 0 || r.Interrupted || len(r.Stalled) != 1 || r.Stalled[0] != "stall.js" {
				t.Errorf("%s, dial in a %s after it: calls %d, interrupted %v, stalled %v", name, later, len(find(r, capture.EventCallNavigation)), r.Interrupted, r.Stalled)
			}
		}
	}
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "stall.js", Source: []byte(stalls["an endless loop"])}, {Name: "dial.js", Source: []byte(dial)}}},
		Options{Budget: 35 * time.Millisecond})
	if !r.Interrupted || len(r.Stalled) != 0 || len(find(r, capture.EventCallNavigation)) != 0 {
		t.Errorf("no room past the budget: interrupted %v, stalled %v", r.Interrupted, r.Stalled)
	}
}

// TestPageTimeIsVirtual: Date and performance.now follow the emulator's
// virtual clock. A loop that waits for the time to pass ends, however
// long it waits (it spun until the budget cut the script off, payload and
// all), a few readings are a millisecond apart, time passes
// across a timer and a countdown ends; Date still works as Date.
func TestPageTimeIsVirtual(t *testing.T) {
	page := `<body><a class="cta" href="tel:+18445550142">Call</a></body>`
	dial := `document.querySelector('a.cta').click();`
	for name, code := range map[string]string{
		"Date.now loop":                `var t = Date.now(); while (Date.now() - t < 10000) {}` + dial,
		"new Date loop":                `var t = new Date().getTime(); while (new Date().getTime() - t < 10000) {}` + dial,
		"performance.now loop":         `var t = performance.now(); while (performance.now() - t < 10000) {}` + dial,
		"an hour's busy wait":          `var t = Date.now(); while (Date.now() - t < 3600000) {}` + dial,
		"a few readings keep 1 ms":     `var t = performance.now(); for (var i = 0; i < 500; i++) performance.now(); var d = performance.now() - t; if (d > 400 && d < 600) {` + dial + `}`,
		"time passes in a timer":       `var t = Date.now(); setTimeout(function () { if (Date.now() - t >= 5000) {` + dial + `} }, 5000);`,
		"a countdown ends":             `var end = new Date().getTime() + 60000; var iv = setInterval(function () { if (new Date().getTime() >= end) { clearInterval(iv);` + dial + `} }, 1000);`,
		"Date works as Date":           `var ok = new Date(2020, 0, 2).getFullYear() === 2020 && Date.UTC(2020, 0, 1) === 1577836800000 && new Date(0).toISOString() === "1970-01-01T00:00:00.000Z" && typeof Date() === "string" && new Date() instanceof Date && new Date().constructor === Date && Date.parse("2020-01-01T00:00:00Z") === 1577836800000 && Math.abs(Date.now() - 1e12) > 0 && Date.length === 7 && new Date(0).toGMTString() === "Thu, 01 Jan 1970 00:00:00 GMT"; if (ok) {` + dial + `}`,
		"the clock does not step back": `var a = Date.now(), b = new Date().getTime(), c = Date.now(); if (a < b && b < c) {` + dial + `}`,
	} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 35 * time.Millisecond})
		if len(find(r, capture.EventCallNavigation)) == 0 || r.Interrupted {
			t.Errorf("%s: no call (interrupted %v, errors %v)", name, r.Interrupted, r.Errors)
		}
	}
}

// TestBrowserEnvironment: what kits use on the way to their payload, and
// what bot checks read, is there as in desktop Chrome; missing, the
// script threw (or returned) before its payload. TextDecoder's output is
// a decoded layer.
func TestBrowserEnvironment(t *testing.T) {
	page := `<body><a class="cta" href="tel:+18445550142">Call</a><p id="tz"></p></body>`
	dial := `document.querySelector('a.cta').click();`
	for name, code := range map[string]string{
		"time zone":    `document.getElementById('tz').textContent = 'Time zone: ' + Intl.DateTimeFormat().resolvedOptions().timeZone + ' ' + new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).format(new Date()) + ' ' + new Intl.NumberFormat('en-US').format(1234567.5);` + dial,
		"blob":         `var b = new Blob(['x'], { type: 'text/plain' }); var a = document.createElement('a'); a.href = URL.createObjectURL(b); a.download = 'x.txt'; if (b.size === 1) {` + dial + `}`,
		"worker flood": `var u = URL.createObjectURL(new Blob(['while(true){}'], { type: 'application/javascript' })); for (var i = 0; i < 10; i++) new Worker(u);` + dial,
		"alarm tone":   `var C = window.AudioContext || window.webkitAudioContext; var c = new C(), o = c.createOscillator(), gn = c.createGain(); o.type = 'square'; o.frequency.setValueAtTime(880, c.currentTime); o.connect(gn); gn.connect(c.destination); o.start(); c.resume().then(function () {});` + dial,
		"notification": `Notification.requestPermission().then(function () {}); if (Notification.permission !== 'denied') {` + dial + `}`,
		"bot checks":   `if (navigator.plugins.length > 0 && navigator.mimeTypes.length > 0 && window.outerHeight - window.innerHeight > 0 && screen.colorDepth === 24 && document.fullscreenEnabled && navigator.plugins.namedItem('PDF Viewer')) {` + dial + `}`,
		"dom parser":   `var d = new DOMParser().parseFromString('<div id="x"><a class="call" href="tel:+18445550142">x</a></div>', 'text/html'); if (d.getElementById('x') && d.body.querySelector('a.call')) {` + dial + `}`,
		"numbers":      `if ((1234.5).toLocaleString('en-US') === '1,234.5' && (299.99).toLocaleString('en-US', { style: 'currency', currency: 'USD' }) === '$299.99' && new Intl.NumberFormat('en-US').format(1234567.891) === '1,234,567.891' && (0.25).toLocaleString(undefined, { style: 'percent' }) === '25%' && (5).toLocaleString() === '5' && structuredClone({ a: [1] }).a[0] === 1 && new WeakRef(document).deref() === document) {` + dial + `}`,
		"text codec":   `var bytes = new TextEncoder().encode('Déjà vu ✓ 😀'); if (bytes.length === 18 && new TextDecoder().decode(bytes) === 'Déjà vu ✓ 😀') {` + dial + `}`,
	} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
		if len(find(r, capture.EventCallNavigation)) == 0 {
			t.Errorf("%s: no call: %v", name, r.Errors)
		}
	}
	// A layer decoded with atob and TextDecoder is seen.
	layer := "Votre ordinateur est bloqué: appelez le support"
	code := `new TextDecoder().decode(Uint8Array.from(atob('` + base64.StdEncoding.EncodeToString([]byte(layer)) + `'), function (c) { return c.charCodeAt(0); }));`
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
	seen := false
	for _, d := range r.Decoded {
		seen = seen || d.Method == "TextDecoder" && d.Text == layer
	}
	if !seen {
		t.Errorf("the decoded layer was not reported: %v %v", r.Decoded, r.Errors)
	}
}

// TestJQueryShimData: the jQuery shim's data and extend do what plugins
// rely on: a count-up plugin (kits animate "threats found") reads its
// start from a data attribute as a number and keeps its state with data.
func TestJQueryShimData(t *testing.T) {
	page := `<body><a class="cta" href="tel:+18445550142">Call</a><span class="timer" data-from="0" data-to="1250" data-opts='{"step":5}' data-on="true"></span></body>`
	code := `(function (a) {
		a.fn.countTo = function (o) {
			o = o || {};
			return a(this).each(function () {
				var c = a.extend({}, a.fn.countTo.defaults, { from: a(this).data("from"), to: a(this).data("to") }, o);
				var h = a(this), g = h.data("countTo") || {};
				h.data("countTo", g);
				g.count = c.formatter(c.from + c.to, c);
			});
		};
		a.fn.countTo.defaults = { decimals: 0, formatter: function (v, d) { return v.toFixed(d.decimals); } };
	})(jQuery);
	var t = $(".timer").countTo({});
	var deep = $.extend(true, {}, { a: { b: 1 } }, { a: { c: 2 } });
	$.fn.extend({ shout: function () { return 7; } });
	if ($(".timer").data("countTo").count === "1250" && $(".timer").data("opts").step === 5 && $(".timer").data("on") === true && deep.a.b === 1 && deep.a.c === 2 && $(".timer").shout() === 7 && $(".timer").data().from === 0) {
		document.querySelector("a.cta").click();
	}`
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
	if len(find(r, capture.EventCallNavigation)) == 0 {
		t.Errorf("data and extend: %v", r.Errors)
	}
}

// TestWorkerFlood: workers are reported and the 65th is refused, so a
// loop that starts them without end ends; a pool is a few events.
func TestWorkerFlood(t *testing.T) {
	flood := `var u = URL.createObjectURL(new Blob(['for(;;){}'])); var n = 0; try { for (var i = 0; i < 1e9; i++) { new Worker(u); n++; } } catch (e) {} if (n === 64) location.href = 'tel:+18445550142';`
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(flood)}}}, Options{Budget: 35 * time.Millisecond})
	workers := 0
	for _, e := range r.Events {
		if e.Kind == capture.EventWorker {
			workers += e.Count
		}
	}
	if workers != 64 || len(find(r, capture.EventCallNavigation)) == 0 || r.Interrupted {
		t.Errorf("flood: %d workers, interrupted %v, errors %v", workers, r.Interrupted, r.Errors)
	}
	pool := `for (var i = 0; i < navigator.hardwareConcurrency; i++) new Worker('/js/resize.js'); new SharedWorker('/js/sync.js');`
	r = Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(pool)}}}, Options{Budget: 35 * time.Millisecond})
	workers = 0
	for _, e := range r.Events {
		if e.Kind == capture.EventWorker {
			workers += e.Count
		}
	}
	if workers != 5 {
		t.Errorf("pool: %d workers, want 5: %v", workers, r.Errors)
	}
}

// TestDeviceProfile: the run says whether the page read what tells the
// visitor's device, and a phone's user agent comes with a phone's
// platform, touch and screen.
func TestDeviceProfile(t *testing.T) {
	run := func(ua, code string) Result {
		return Emulate(context.Background(), Page{URL: "https://page.test/", UserAgent: ua, HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
	}
	if r := run("", `var x = document.title;`); r.ReadUA {
		t.Error("ReadUA without a read")
	}
	for _, read := range []string{`navigator.userAgent`, `navigator.platform`, `navigator.maxTouchPoints`, `navigator.userAgentData`, `window.navigator.vendor`} {
		if r := run("", `var x = `+read+`;`); !r.ReadUA {
			t.Errorf("%s: ReadUA false", read)
		}
	}
	phone := `if (/Android/.test(navigator.userAgent) && navigator.platform === 'Linux armv8l' && navigator.maxTouchPoints === 5 && 'ontouchstart' in window && innerWidth === 412 && screen.width === 412 && navigator.userAgentData.mobile && navigator.userAgentData.platform === 'Android') location.href = 'tel:+18445550142';`
	if r := run(capture.UserAgents["android"], phone); len(find(r, capture.EventCallNavigation)) == 0 {
		t.Errorf("an Android phone does not look like one: %v", r.Errors)
	}
	if r := run(capture.UserAgents["windows"], phone); len(find(r, capture.EventCallNavigation)) != 0 {
		t.Error("a PC looks like a phone")
	}
	desktop := `if (!('ontouchstart' in window) && navigator.userAgentData.platform === 'Windows' && !navigator.userAgentData.mobile && innerWidth === 1366) location.href = 'tel:+18445550142';`
	if r := run(capture.UserAgents["windows"], desktop); len(find(r, capture.EventCallNavigation)) == 0 {
		t.Errorf("a PC does not look like one: %v", r.Errors)
	}
	// The browser as gateways test it (vendor, window.chrome): an iPhone
	// that answered as Chrome was sent where the kit sends Chrome.
	for profile, want := range map[string]string{
		"windows": `navigator.vendor === 'Google Inc.' && !!window.chrome`,
		"android": `navigator.vendor === 'Google Inc.' && !!window.chrome`,
		"iphone":  `navigator.vendor === 'Apple Computer, Inc.' && window.chrome === undefined && navigator.userAgentData === undefined`,
	} {
		if r := run(capture.UserAgents[profile], `if (`+want+`) location.href = 'tel:+18445550142';`); len(find(r, capture.EventCallNavigation)) == 0 {
			t.Errorf("%s: not %s (%v)", profile, want, r.Errors)
		}
	}
}

// TestPageCannotStopTheRun: a page can neither replace the prelude's entry
// points (timers, click) nor stall the run in one callback: a timer, load
// or click handler that spins is cut off alone, and the payload in the
// next one runs.
func TestPageCannotStopTheRun(t *testing.T) {
	dial := `location.href = 'tel:+18445550142';`
	for name, code := range map[string]string{
		"timers replaced": `window.__runTimers = window.__fireTimer = function () {}; setTimeout(function () {` + dial + `}, 10);`,
		"click replaced":  `window.__click = function () {}; document.body.addEventListener('click', function () {` + dial + `});`,
		"timer stalls":    `setTimeout(function () { for (;;) {} }, 1); setTimeout(function () {` + dial + `}, 20);`,
		"load stalls":     `window.addEventListener('load', function () { for (;;) {} }); setTimeout(function () {` + dial + `}, 20);`,
		"click stalls":    `document.body.addEventListener('click', function () { setTimeout(function () {` + dial + `}, 5); for (;;) {} });`,
		// A listener that spins before the one that dials: each runs alone.
		"load listener stalls":      `window.addEventListener('load', function () { for (;;) {} }); window.addEventListener('load', function () {` + dial + `});`,
		"ready listener stalls":     `document.addEventListener('DOMContentLoaded', function () { for (;;) {} }); window.onload = function () {` + dial + `};`,
		"click listener stalls":     `document.body.addEventListener('click', function () { for (;;) {} }); document.addEventListener('click', function () {` + dial + `});`,
		"forEach replaced":          `Array.prototype.forEach = function () {}; document.addEventListener('mousemove', function () {` + dial + `});`,
		"generators' next replaced": `Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())).next = function () { return { done: true }; }; document.addEventListener('click', function () {` + dial + `});`,
	} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}},
			Options{Budget: 35 * time.Millisecond, MaxBudget: 300 * time.Millisecond, Click: true})
		if len(find(r, capture.EventCallNavigation)) == 0 || r.Interrupted {
			t.Errorf("%s: no call (interrupted %v, stalled %v, errors %v)", name, r.Interrupted, r.Stalled, r.Errors)
		}
	}
}

// TestEventFloodKeepsTheCall: a flood of one kind of event (distinct
// navigations, downloads, or the report native called by the page) does
// not push the call after it out of the run's events.
func TestEventFloodKeepsTheCall(t *testing.T) {
	for name, code := range map[string]string{
		"navigations": `for (var i = 0; i < 300; i++) location.href = 'https://x.test/' + i;`,
		"report":      `if (typeof __report === 'function') for (var i = 0; i < 300; i++) __report('navigation', 'https://x.test/' + i, 'r');`,
		"downloads":   `for (var i = 0; i < 300; i++) { var a = document.createElement('a'); a.href = 'data:,x' + i; a.download = 'x'; a.click(); }`,
	} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code + ` location.href = 'tel:+18445550142';`)}}}, Options{Budget: 200 * time.Millisecond})
		total := 0
		for _, e := range r.Events {
			total += e.Count
		}
		if len(find(r, capture.EventCallNavigation)) == 0 || name != "report" && total < 301 {
			t.Errorf("%s: calls %d, %d distinct events counting %d", name, len(find(r, capture.EventCallNavigation)), len(r.Events), total)
		}
	}
}

// TestDecodedJunkLeavesRoom: a page that decodes megabytes of junk first
// (past MaxOutput) still has what it then writes, and the page it ends
// with, reported.
func TestDecodedJunkLeavesRoom(t *testing.T) {
	scare := "Your computer has been blocked. Call support at +1 (844) 555-0142."
	code := `var j = btoa(new Array(6001).join('x')); for (var i = 0; i < 400; i++) atob(j); document.write(new Array(60).join('<p>' + ` + "'" + scare + "'" + ` + '</p>'));`
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: time.Second})
	wrote, dom := false, false
	for _, d := range r.Decoded {
		wrote = wrote || d.Method == "document.write" && strings.Contains(d.Text, scare)
		dom = dom || d.Method == "dom" && strings.Contains(d.Text, scare)
	}
	if !wrote || !dom {
		t.Errorf("after the junk: written %v, read back %v (errors %v)", wrote, dom, r.Errors)
	}
}

// TestPrototypeTampering: a page that replaces the built-ins the emulator's
// listeners, timers and click run on (in a browser they are native and
// unaffected) still has its click handler and its timer run.
func TestPrototypeTampering(t *testing.T) {
	dial := `location.href = 'tel:+18445550142';`
	for name, tamper := range map[string]string{
		"array":    `Array.prototype.push = Array.prototype.slice = Array.prototype.splice = Array.prototype.filter = Array.prototype.forEach = function () { return []; };`,
		"function": `Function.prototype.call = Function.prototype.apply = function () {};`,
		"set":      `Set.prototype.has = function () { return true; }; Set.prototype.add = function () {};`,
		"dispatch": `EventTarget.prototype.dispatchEvent = function () { return true; };`,
	} {
		for _, how := range []string{"click", "timer", "body onload"} {
			code := tamper + `document.body.addEventListener('click', function () {` + dial + `});`
			switch how {
			case "timer":
				code = tamper + `setTimeout(function () {` + dial + `}, 20); clearTimeout(12345);`
			case "body onload":
				code = tamper + `document.body.onload = function () {` + dial + `};`
			}
			r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond, Click: true})
			if len(find(r, capture.EventCallNavigation)) == 0 {
				t.Errorf("%s, dial in a %s: no call (errors %v)", name, how, r.Errors)
			}
		}
	}
}
