package emulate

import (
	"context"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/cpuclock"
)

// domText is the text of what the emulated page ended with (its document
// and canvas text), as fed back to the rules.
func domText(r Result) string {
	var b strings.Builder
	for _, d := range r.Decoded {
		switch d.Method {
		case "dom":
			b.WriteString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(d.Text, " "))
		case "canvas-text":
			b.WriteString(d.Text)
		}
	}
	return b.String()
}

// domHTML is the document the emulated page ended with, as HTML ("" if
// its scripts did not change it).
func domHTML(r Result) string {
	var dom string
	for _, d := range r.Decoded {
		if d.Method == "dom" {
			dom = d.Text
		}
	}
	return dom
}

// TestDOMFidelity: the browser features the last layer of obfuscated kits
// uses. Each page must end dialling the number or showing the warning.
func TestDOMFidelity(t *testing.T) {
	const warn = "Your computer has been blocked"
	pages := map[string]struct{ html, text string }{
		"treewalker": {`<body><p>x</p><script>var w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, null);
			var n, k = 0; while ((n = w.nextNode())) k++; if (k > 0) location.href = '` + num + `';</script></body>`, ""},
		"node iterator": {`<body><p>x</p><script>var it = document.createNodeIterator(document.body, NodeFilter.SHOW_ELEMENT);
			if (it.nextNode()) location.href = '` + num + `';</script></body>`, ""},
		"mutation observer": {`<body><script>new MutationObserver(function (recs) { if (recs.length && recs[0].addedNodes.length) location.href = '` + num + `'; })
			.observe(document.body, { childList: true, subtree: true }); document.body.appendChild(document.createElement('div'));</script></body>`, ""},
		"document.write script": {`<body><script>document.write('<scr' + 'ipt>location.href = "` + num + `"</scr' + 'ipt>');</script></body>`, ""},
		"innerHTML then re-create scripts": {`<body><div id=b></div><script>var b = document.getElementById('b');
			b.innerHTML = '<p>hi</p><script>location.href="` + num + `"<\/script>';
			Array.prototype.forEach.call(b.querySelectorAll('script'), function (s) { var n = document.createElement('script'); n.text = s.text || s.innerHTML; document.body.appendChild(n); });</script></body>`, ""},
		"script element textContent":   {`<body><script>var s = document.createElement('script'); s.textContent = "location.href='` + num + `'"; document.head.appendChild(s);</script></body>`, ""},
		"requestAnimationFrame":        {`<body><script>requestAnimationFrame(function () { requestAnimationFrame(function () { location.href = '` + num + `'; }); });</script></body>`, ""},
		"setInterval":                  {`<body><script>var k = 0, t = setInterval(function () { if (++k === 3) { clearInterval(t); location.href = '` + num + `'; } }, 300);</script></body>`, ""},
		"storage":                      {`<body><script>localStorage.setItem('n', '` + num + `'); sessionStorage.x = 1; location.href = localStorage.getItem('n');</script></body>`, ""},
		"navigator":                    {`<body><script>if (/Windows/.test(navigator.userAgent) && navigator.platform === 'Win32' && navigator.language.indexOf('en') === 0 && screen.width > 0) location.href = '` + num + `';</script></body>`, ""},
		"search params":                {`<body><script>var p = new URLSearchParams(location.search); location.href = 'tel:' + p.get('n');</script></body>`, ""},
		"DOMContentLoaded on document": {`<body><script>document.addEventListener('DOMContentLoaded', function () { location.href = '` + num + `'; });</script></body>`, ""},
		"load on window":               {`<body><script>window.addEventListener('load', function () { location.href = '` + num + `'; });</script></body>`, ""},
		"btoa atob round trip":         {`<body><script>location.href = atob(btoa('` + num + `'));</script></body>`, ""},
		"decodeURIComponent":           {`<body><script>location.href = decodeURIComponent('%74%65%6c%3a%2b%31%38%34%34%35%35%35%30%31%34%32');</script></body>`, ""},
		"Function constructor":         {`<body><script>Function('return this')().location.href = '` + num + `';</script></body>`, ""},
		"indirect eval":                {`<body><script>(0, eval)("location.href='` + num + `'");</script></body>`, ""},
		// Queries walk the tree in document order, leave the element
		// asked out, and querySelector returns the first match.
		"query order": {`<body><div id=a class="k"><p class="k x">1</p><div><p class=k>2</p></div></div><p class=k>3</p><script>
			var a = document.getElementById('a'), ps = document.getElementsByTagName('P'), ks = a.getElementsByClassName('k');
			var q = document.querySelector('div p.k'), all = document.querySelectorAll('#a p, body > p');
			if (ps.length === 3 && ps[0].textContent + ps[1].textContent + ps[2].textContent === '123' && ks.length === 2 && ks[1].textContent === '2' &&
				q.textContent === '1' && all.length === 3 && all[2].textContent === '3' && a.querySelector('div').querySelector('p').textContent === '2' &&
				document.getElementsByTagName('*')[0].localName === 'html') location.href = '` + num + `';</script></body>`, ""},
		// Parsed nodes are the objects scripts create.
		"parsed nodes": {`<body><p id=a onclick="x()">x</p><script>var p = document.getElementById('a'), d = document.createElement('div');
			if (p instanceof HTMLElement && p.tagName === 'P' && p.nodeName === 'P' && p.localName === 'p' && p.nodeType === 1 && typeof p.onclick === 'function' &&
				Object.getPrototypeOf(p) === Object.getPrototypeOf(d) && p.firstChild.nodeType === 3 && p.firstChild.textContent === 'x' &&
				Object.getPrototypeOf(p.firstChild) === Object.getPrototypeOf(document.createTextNode('y')) && p.getAttribute('id') === 'a') location.href = '` + num + `';</script></body>`, ""},
		"body innerText":   {`<body><script>document.body.innerText = '` + warn + `';</script></body>`, warn},
		"body textContent": {`<body><script>document.body.textContent = '` + warn + `';</script></body>`, warn},
		"text node":        {`<body><script>var h = document.createElement('h1'); h.appendChild(document.createTextNode('` + warn + `')); document.body.appendChild(h);</script></body>`, warn},
		"title":            {`<body><script>document.title = '` + warn + `';</script></body>`, warn},
		"timer text":       {`<body><div id=m></div><script>setTimeout(function () { document.getElementById('m').textContent = '` + warn + `'; }, 2000);</script></body>`, warn},
	}
	for name, c := range pages {
		t.Run(name, func(t *testing.T) {
			r := run(t, c.html, "https://page.test/?n=%2B18445550142", false)
			if c.text != "" {
				if got := domText(r); !strings.Contains(got, c.text) {
					t.Fatalf("page text %q lacks %q; errors %v", got, c.text, r.Errors)
				}
				return
			}
			ev := find(r, capture.EventCallNavigation)
			if len(ev) == 0 || !strings.Contains(ev[0].Detail, "18445550142") {
				t.Fatalf("no call navigation; events %+v errors %v", r.Events, r.Errors)
			}
		})
	}
}

// TestMemoryBounds: one-step giant allocations fail inside the page and
// runaway growth is cut off; the emulation returns.
func TestMemoryBounds(t *testing.T) {
	for name, code := range map[string]string{
		"repeat":   `var s = "x".repeat(1 << 30); location.href = 'tel:+1' + s.length;`,
		"padStart": `"".padStart(2e9, "ab");`,
		"array":    `var a = new Array(4e9); a.fill(0);`,
		"doubling": `var s = "abcdefgh"; while (true) s += s;`,
		"push":     `var a = []; while (true) a.push({x: a.length});`,
	} {
		t.Run(name, func(t *testing.T) {
			defer runtime.GC()              // leave no garbage for the heap guards of later tests
			clock, stop := cpuclock.Start() // CPU time: the machine may be loaded
			defer stop()
			r := Emulate(context.Background(), Page{HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}},
				Options{Budget: 500 * time.Millisecond, MaxHeapMB: 64})
			if took := clock.Used(); took > 3*time.Second {
				t.Fatalf("took %v", took)
			}
			if len(find(r, capture.EventCallNavigation)) != 0 {
				t.Fatal("the giant allocation succeeded")
			}
		})
	}
}

// TestBudgetGrowsWhileLayersPeel: a page that keeps decoding gets more
// time, up to MaxBudget; a script or callback that only spins is cut off
// at Budget, and a page that spins at every turn gets no more than
// MaxBudget. The budget is CPU time (internal/cpuclock), and so is what
// this measures.
func TestBudgetGrowsWhileLayersPeel(t *testing.T) {
	opts := Options{Budget: 50 * time.Millisecond, MaxBudget: time.Second}
	emulateCode := func(code string) (Result, time.Duration) {
		clock, stop := cpuclock.Start()
		defer stop()
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte("<body></body>"), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, opts)
		return r, clock.Used()
	}
	// A spinning script is cut off at Budget and the page runs on
	// (TestStalledScriptIsSkipped); a page spinning past its scripts ends.
	r, took := emulateCode(`while (true) {}`)
	if r.Interrupted || len(r.Stalled) != 1 || took > 400*time.Millisecond {
		t.Fatalf("spinning script: interrupted %v, stalled %v, after %v", r.Interrupted, r.Stalled, took)
	}
	r, took = emulateCode(`setTimeout(function () { while (true) {} }, 10);`)
	if r.Interrupted || len(r.Stalled) != 1 || took > 400*time.Millisecond {
		t.Fatalf("spinning timer: interrupted %v, stalled %v, after %v", r.Interrupted, r.Stalled, took)
	}
	// A page that spins at every tick is cut off each time, a Budget
	// each, until MaxBudget: then the run ends.
	r, took = emulateCode(`setInterval(function () { while (true) {} }, 10);`)
	if !r.Interrupted || took < 500*time.Millisecond || took > 4*time.Second {
		t.Fatalf("spinning interval: interrupted %v after %v", r.Interrupted, took)
	}
	r, took = emulateCode(`while (true) { atob("bGF5ZXIgb2YgYSBwYWdl"); }`)
	if !r.Interrupted || took < 150*time.Millisecond || took > 4*time.Second {
		t.Fatalf("peeling page: interrupted %v after %v (budget should grow past 50ms and stop at 1s)", r.Interrupted, took)
	}
}

func FuzzEmulateDOM(f *testing.F) {
	f.Add(`<body><div id=a>x</div></body>`, `document.getElementById('a').textContent = 'Call +1 888 555 0100'; location.href = 'tel:+18885550100';`)
	f.Add(`<p>x</p>`, `var w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); while (w.nextNode()) {} new MutationObserver(function(){}).observe(document.body, {childList: true});`)
	f.Add(``, `document.write('<script>eval(atob("YWxlcnQoMSk="))<\/script>'); setInterval(function(){ requestAnimationFrame(function(){}) }, 10);`)
	// The visitor, the observers, the sentinel and the native look.
	f.Add(`<script data-n="1"></script>`, `new IntersectionObserver(function(e){ postMessage(e[0].target.dataset.n) }).observe(document.currentScript || document.body); addEventListener('message', function(m){ RegExp("[?&]ph0ne" + m.data + "=([^&#]*)").exec(location.href) });`)
	f.Add(`<body onmousemove="x()">`, `var c = new MessageChannel(); c.port1.onmessage = function(){ Function.prototype.toString.call(alert); new URLSearchParams(location.search).get('phone') }; c.port2.postMessage(1); document.addEventListener('mousemove', function(){ for(;;){} });`)
	f.Fuzz(func(t *testing.T, html, code string) {
		r := Emulate(context.Background(), Page{URL: "https://page.test/?a=1", HTML: []byte(html), Scripts: []Script{{Name: "f", Source: []byte(code)}}},
			Options{Budget: 20 * time.Millisecond, MaxBudget: 60 * time.Millisecond, Click: true})
		for _, e := range r.Errors {
			if strings.Contains(e, "emulator failure") {
				t.Fatalf("emulator failure: %s", e)
			}
		}
	})
}

// TestDOMReadBack: the final document comes back as HTML with what
// scripts set (attributes, title, text) and without the scripts.
func TestDOMReadBack(t *testing.T) {
	r := run(t, `<html><head></head><body><script>document.body.setAttribute('oncontextmenu', 'return false');
document.title = 'Security <Alert>'; document.body.appendChild(document.createElement('p')).textContent = 'a < b';</script></body></html>`, "", false)
	dom := domHTML(r)
	for _, want := range []string{`<body oncontextmenu="return false">`, `<title>Security &lt;Alert&gt;</title>`, `<p>a &lt; b</p>`} {
		if !strings.Contains(dom, want) {
			t.Errorf("document lacks %s:\n%s", want, dom)
		}
	}
	if strings.Contains(dom, "<script") || strings.Contains(dom, "setAttribute") {
		t.Errorf("scripts came back:\n%s", dom)
	}
}
