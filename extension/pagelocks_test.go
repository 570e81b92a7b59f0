package extension_test

import (
	"encoding/base64"
	"fmt"
	"html"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// alertText is a fake alert's words; on the device they score 10.5 with
// the number (a scam) wherever they are in the page.
const alertText = `<h1>Windows Defender Security Center</h1>
<p>Access to this computer has been blocked for security reasons.</p>
<p>Your computer is infected with Trojan spyware. Threats found: Trojan.Agent, Spyware.Banker.</p>
<p>Your passwords and bank details are being stolen.</p>
<p>Do not close this page or restart your computer.</p>
<p>Call Microsoft support immediately: +1 (855) 555-0142</p>`

// nearAlert scores 9.5 on the device (suspicious): what a page does to
// the visitor's input decides whether it is a scam. (One threat named: with
// "Trojan spyware" the threats found count three times and it reads 10.)
const nearAlert = `<p>Windows Security. Your computer has been blocked. Threats found: Trojan.
Call Microsoft support: +1 (855) 555-0142</p>`

// TestWarningAtLoadHiddenText: kits keep their warning hidden (in a hidden
// element or a <template>) until the visitor's first click lets them take
// the screen, or out of the text nodes (in CSS generated content). The extension reads
// the hidden words at load, as the server does, and warns before the
// click; a help page whose collapsed answers name a brand, an infection
// and a number stays unwarned.
func TestWarningAtLoadHiddenText(t *testing.T) {
	pages := map[string]string{
		"/hidden-alert": `<title>Video</title><body><h1>Video player</h1><p>Click anywhere to play.</p>
<div id="w" style="display:none">` + alertText + `</div></body>`,
		// Every word in CSS generated content.
		"/css-alert": `<title>Video</title><style>
.a::before { content: "Windows Defender Security Center"; }
.b::before { content: "Access to this computer has been blocked. Your computer is infected with Trojan spyware \2014  threats found."; }
@media screen { .c::after { content: 'Do not close this page. Call Microsoft support immediately: +1 (855) 555-0142'; } }
</style><body><h1>Video player</h1><p class="a"></p><p class="b"></p><p class="c"></p></body>`,
		"/css-icons": `<title>Sourdough at home</title><style>
.q::before { content: "\201C"; } .warn::before { content: "Warning: "; } .tip::after { content: " (call us at +1 (855) 555-0142)"; }
</style><body><h1>Sourdough at home</h1><p class="q">Bake it long.</p><p class="warn">the oven is hot.</p><p class="tip">Questions?</p></body>`,
		// Copied into the page by a script once the click took the screen.
		"/template-alert": `<title>Video</title><body><h1>Video player</h1><p>Click anywhere to play.</p>
<template id="w">` + alertText + `</template></body>`,
		"/hidden-help": `<title>Contoso PC Help</title><body><h1>Contoso PC Help</h1><p>Frequently asked questions</p>
<details><summary>Is my computer infected?</summary><p>If Windows Defender finds a virus, call our help desk at +1 (855) 555-0142.
Never call a number shown in a pop-up that says your computer is blocked: Microsoft does not put phone numbers in error messages.</p></details></body>`,
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	for path, want := range map[string]bool{"/hidden-alert": true, "/template-alert": true, "/css-alert": true, "/hidden-help": false, "/css-icons": false} {
		tb := b.open(t, base+path, 3*time.Second)
		var shown, visible bool
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
		tb.eval(t, `getComputedStyle(document.getElementById('w') || document.body).display !== 'none'`, &visible)
		tb.close()
		if shown != want {
			t.Errorf("%s: warning at load %v, want %v", path, shown, want)
		}
		if (path == "/hidden-alert" || path == "/template-alert") && visible {
			t.Errorf("%s: the page's warning became visible on its own; the case no longer tests hidden text", path)
		}
	}
}

// TestInputLocksCount: a page that takes away the context menu for the
// whole page (a listener or a handler on window, document, <html> or
// <body>) or hides the mouse cursor over it is blocking its visitor, as
// the server's TSS-LOCK-INPUT-BLOCK and TSS-LOCK-CURSOR-HIDDEN say; with
// words that are not quite a scam on their own, that makes one. The same
// words alone, or a context menu of its own on one element (a map, an
// editor), do not.
func TestInputLocksCount(t *testing.T) {
	page := func(head, body, script string) string {
		return `<title>Windows Security</title>` + head + `<body` + body + `>` + nearAlert + `<div id="map">map</div>` + script + `</body>`
	}
	cases := []struct {
		path, html string
		want       bool
	}{
		{"/plain", page("", "", ""), false},
		{"/element-menu", page("", "", `<script>document.getElementById('map').addEventListener('contextmenu', (e) => e.preventDefault());</script>`), false},
		{"/listener", page("", "", `<script>document.addEventListener('contextmenu', (e) => e.preventDefault());</script>`), true},
		{"/property", page("", "", `<script>document.oncontextmenu = () => false;</script>`), true},
		{"/body-property", page("", "", `<script>document.body.oncontextmenu = () => false;</script>`), true},
		{"/attribute", page("", ` oncontextmenu="return false"`, ""), true},
		{"/cursor", page(`<style>html, body { cursor: none; }</style>`, "", ""), true},
	}
	pages, want := map[string]string{}, map[string]bool{}
	for _, c := range cases {
		pages[c.path], want[c.path] = c.html, c.want
	}
	checkWarnedAtLoad(t, startBrowser(t, true), servePages(t, pages), want)
}

// checkWarnedAtLoad opens each path of want under base and checks whether
// the warning shows within three seconds of the load, as want says.
func checkWarnedAtLoad(t *testing.T, b *browser, base string, want map[string]bool) {
	t.Helper()
	for _, path := range slices.Sorted(maps.Keys(want)) {
		tb := b.open(t, base+path, 3*time.Second)
		var shown bool
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
		tb.close()
		if shown != want[path] {
			t.Errorf("%s: warning at load %v, want %v", path, shown, want[path])
		}
	}
}

// TestArmedLockersCount: a fake blue screen takes the screen on the
// visitor's first click, and its code says so before: the server counts
// the full-screen, keyboard-lock or pointer-lock API named in any script
// at load (TSS-LOCK-FULLSCREEN, -KEYBOARD, -POINTER). The extension reads
// them from the page's inline scripts and handler attributes, and from
// the gesture listeners that scripts in other files add, so words one
// short of a scam are warned about at load, before the click. The warning
// does not say the page was stopped from locking: it has tried nothing.
// A key handler that tests for F11 or F12, the keys people use to get
// out, counts in the same way (the server's TSS-LOCK-INPUT-BLOCK); one for
// the arrow keys does not. A link that calls the number is the server's
// TSS-CALL-LINK, which counts the same way. A video page whose button goes
// full screen stays unwarned.
func TestArmedLockersCount(t *testing.T) {
	page := func(body, script string) string {
		return `<title>Windows Security</title><body` + body + `>` + nearAlert + script + `</body>`
	}
	pages := map[string]string{
		"/words":             page("", ""),
		"/call-link":         page("", `<a href="tel:+18555550142">&#9742;</a>`),
		"/inline":            page("", `<script>document.addEventListener('mousedown', () => document.documentElement.requestFullscreen());</script>`),
		"/handler":           page(` onclick="var d = document.documentElement; (d.webkitRequestFullScreen || d.requestFullscreen).call(d)"`, ""),
		"/external":          page("", `<script src="/listener.js"></script>`),
		"/listener.js":       `document.body.addEventListener('click', function () { navigator.keyboard.lock(); });`,
		"/external-property": page("", `<script src="/property.js"></script>`),
		"/property.js":       `document.onmousedown = function () { document.body.requestPointerLock(); };`,
		"/keys-inline":       page("", `<script>document.addEventListener('keydown', function (e) { if (e.keyCode == 123) { e.preventDefault(); return false; } });</script>`),
		"/keys-external":     page("", `<script src="/keys.js"></script>`),
		"/keys.js":           `window.addEventListener('keydown', function (e) { if (e.key === 'F11') e.preventDefault(); });`,
		"/arrow-keys":        page("", `<script>document.addEventListener('keydown', function (e) { if (e.key === 'ArrowUp' || e.keyCode == 38) e.preventDefault(); });</script>`),
		"/video": `<title>Sourdough at home</title><body><h1>Sourdough at home</h1><video id="v" src="/none.mp4"></video>
<button onclick="document.getElementById('v').requestFullscreen()">Full screen</button>
<script>document.addEventListener('keydown', (e) => { if (e.key === 'f') document.getElementById('v').requestFullscreen(); });</script></body>`,
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	for _, c := range []struct {
		path string
		want bool
	}{{"/words", false}, {"/call-link", true}, {"/inline", true}, {"/handler", true}, {"/external", true}, {"/external-property", true},
		{"/keys-inline", true}, {"/keys-external", true}, {"/arrow-keys", false}, {"/video", false}} {
		tb := b.open(t, base+c.path, 3*time.Second)
		var shown bool
		var locked string
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
		tb.eval(t, warningLocked, &locked)
		tb.close()
		if shown != c.want {
			t.Errorf("%s: warning at load %v, want %v", c.path, shown, c.want)
		}
		if shown && locked != "false" {
			t.Errorf("%s: the warning says the page was stopped from locking (data-locked %q); it tried nothing", c.path, locked)
		}
	}
}

// TestTemplateNumberCounts: scam templates take their number from the
// URL they are sent to (?phone=…), and the server counts a page that
// writes a number from its URL into itself (TSS-TEMPLATE-NUMBER-PARAM).
// The device sees the outcome: the page shows the number its URL hands
// it. With words one short of a scam, the template visited as its victims
// are is warned about at load; the same page without the parameter, and
// a search for the number, are not.
func TestTemplateNumberCounts(t *testing.T) {
	kit := `<title>Windows Security</title><body><p>Windows Security. Your computer has been blocked. Threats found: Trojan.
Call Microsoft support: <span id="n">+1 (855) 555-0142</span></p>
<script>var p = new URLSearchParams(location.search).get('phone'); if (p) document.getElementById('n').textContent = p;</script></body>`
	checkWarnedAtLoad(t, startBrowser(t, true), servePages(t, map[string]string{"/kit": kit}),
		map[string]bool{"/kit": false, "/kit?phone=%2B1%20(888)%20555-0199": true, "/kit?q=18555550142": false})
}

// TestConversionCounts: the server's conversion detectors read how a
// number-less scam page pays (analyze/conversion.go): a live-chat
// widget's script, an affiliate link, the system paths a fake scan
// animates (named in its script) and a progress bar beside "repairing"
// words. The device reads the same from the page in front of it: words
// one short of a scam with any of them are warned about at load; the
// words alone, the repairing words without a bar, and a shop with a chat
// widget, an affiliate link and an upload bar are not.
func TestConversionCounts(t *testing.T) {
	page := func(extra string) string {
		return `<title>Windows Security</title><body>` + nearAlert + extra + `</body>`
	}
	pages := map[string]string{
		"/words":     page(""),
		"/chat":      page(`<script src="https://embed.tawk.to/5f0000/default"></script>`),
		"/affiliate": page(`<a href="https://shop.example/checkout?affid=4411&product=total">Continue</a>`),
		"/paths": page(`<div id="f"></div><script>var files = ['C:\\Windows\\System32\\drivers\\etc\\hosts', 'C:\\Windows\\System32\\kernel32.dll',
'C:\\Program Files\\Common Files\\system.dll', 'C:\\Users\\Public\\tmp.exe']; document.getElementById('f').textContent = files[0];</script>`),
		"/repairing": page(`<p>Repairing...</p>`),
		"/progress":  page(`<p>Repairing...</p><progress value="40" max="100"></progress>`),
		"/shop": `<title>Sourdough supplies</title><body><h1>Sourdough supplies</h1><p>Uploading your photo</p><progress value="40" max="100"></progress>
<a href="https://partner.example/buy?affid=4411">Buy flour</a><script src="https://embed.tawk.to/5f0000/default"></script></body>`,
	}
	checkWarnedAtLoad(t, startBrowser(t, true), servePages(t, pages), map[string]bool{
		"/words": false, "/chat": true, "/affiliate": true, "/paths": true, "/repairing": false, "/progress": true, "/shop": false})
}

// TestDownloadFloodStopped: a page that clicks download links on its own,
// again and again, fills the visitor's disk and download bar (the
// server's TSS-LOCK-DOWNLOAD-FLOOD). Past three such clicks in ten seconds
// the guard refuses them and reports the flood, which with words one
// short of a scam makes one. A page that starts one download on its own
// ("your download will start shortly") keeps it, unwarned.
func TestDownloadFloodStopped(t *testing.T) {
	// Counted in the DOM, which the test reads from its own world.
	const counter = `<script>document.documentElement.dataset.clicks = 0; document.addEventListener('click', (e) => { if (e.target.download) document.documentElement.dataset.clicks++; }, true);</script>`
	pages := map[string]string{
		"/flood": `<title>Windows Security</title><body>` + nearAlert + counter + `<script>
var i = 0, iv = setInterval(function () {
  var a = document.createElement('a'); a.href = 'data:text/plain,report' + i; a.download = 'report' + i + '.txt';
  document.body.appendChild(a); a.click(); if (++i >= 12) clearInterval(iv);
}, 100);</script></body>`,
		"/one": `<title>Download</title><body><h1>Thank you for downloading</h1><p>Your download will start shortly.</p>` + counter + `<script>
setTimeout(function () { var a = document.createElement('a'); a.href = 'data:text/plain,setup'; a.download = 'setup.txt'; document.body.appendChild(a); a.click(); }, 100);</script></body>`,
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	for _, c := range []struct {
		path      string
		warn      bool
		maxClicks int
	}{{"/flood", true, 3}, {"/one", false, 1}} {
		tb := b.open(t, base+c.path, 3*time.Second)
		var shown bool
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
		var n string
		tb.eval(t, `document.documentElement.dataset.clicks`, &n)
		clicks, _ := strconv.Atoi(n)
		tb.close()
		if shown != c.warn {
			t.Errorf("%s: warning %v, want %v", c.path, shown, c.warn)
		}
		if clicks > c.maxClicks || clicks == 0 {
			t.Errorf("%s: %d download clicks went through, want 1 to %d", c.path, clicks, c.maxClicks)
		}
	}
}

// TestPopupFloodCounts: a page that opens window after window on its own
// (the server's TSS-LOCK-POPUP-FLOOD; the browser blocks most of them)
// is flooding its visitor: past three in ten seconds the guard answers
// null and reports the flood, which with words one short of a scam makes
// one. A page that opens one window on load is not warned about.
func TestPopupFloodCounts(t *testing.T) {
	pages := map[string]string{
		"/flood": `<title>Windows Security</title><body>` + nearAlert + `<script>
var i = 0, iv = setInterval(function () { window.open('about:blank', '_blank', 'width=300,height=200'); if (++i >= 12) clearInterval(iv); }, 100);</script></body>`,
		"/one": `<title>Windows Security</title><body>` + nearAlert + `<script>setTimeout(function () { window.open('about:blank', '_blank'); }, 100);</script></body>`,
	}
	checkWarnedAtLoad(t, startBrowser(t, true), servePages(t, pages), map[string]bool{"/flood": true, "/one": false})
}

// TestMarkupTrapsCount: a leave-page trap in the markup (<body
// onbeforeunload="return …">) and audible media that plays on its own
// (<audio autoplay>) count as the server's TSS-LOCK-BEFOREUNLOAD and
// TSS-MEDIA-AUTOPLAY: neither goes through a call the guard sees. With
// words one short of a scam both are warned about at load; a muted
// background video is not. The trap's handler no longer runs for a page
// the visitor never touched: the guard's own listener, there before any
// page code, stops the event before it.
func TestMarkupTrapsCount(t *testing.T) {
	page := func(body, extra string) string {
		return `<title>Windows Security</title><body` + body + `>` + nearAlert + extra + `</body>`
	}
	pages := map[string]string{
		"/trap":  page(` onbeforeunload="document.documentElement.dataset.ran = 1; return 'Your files will be deleted'"`, ""),
		"/audio": page("", `<audio autoplay src="/none.mp3"></audio>`),
		"/muted": page("", `<video autoplay muted loop src="/none.mp4"></video>`),
		"/editor": `<title>Notes</title><body onbeforeunload="document.documentElement.dataset.ran = 1; return 'Unsaved changes'"><textarea id="t"></textarea>
<button id="go" onclick="window.dispatchEvent(new Event('beforeunload'))">Leave</button></body>`,
		"/dispatch": page(` onbeforeunload="document.documentElement.dataset.ran = 1; return 'Your files will be deleted'"`, `<script>setTimeout(() => window.dispatchEvent(new Event('beforeunload')), 50);</script>`),
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	checkWarnedAtLoad(t, b, base, map[string]bool{"/trap": true, "/audio": true, "/muted": false})
	tb := b.open(t, base+"/dispatch", 2*time.Second)
	var ran string
	tb.eval(t, `document.documentElement.dataset.ran || ''`, &ran)
	tb.close()
	if ran != "" {
		t.Errorf("the onbeforeunload attribute's handler ran on a page the visitor never touched")
	}
	// An editor the visitor typed in keeps its "unsaved changes" prompt.
	tb = b.open(t, base+"/editor", time.Second)
	tb.click(t, "#t")
	tb.click(t, "#go")
	tb.eval(t, `document.documentElement.dataset.ran || ''`, &ran)
	tb.close()
	if ran != "1" {
		t.Errorf("an editor the visitor used lost its onbeforeunload handler")
	}
}

// TestObfuscatedCodeCounts: kits put their code through the string-array
// obfuscator (javascript-obfuscator), and the server counts scam words
// hidden that way (TSS-OBFUSCATED). The extension counts inline code in
// that obfuscator's shapes beside the scam words or hotline the page
// shows, so words one short of a scam, in the page or written by the
// obfuscated code, are warned about at load. The shapes on a recipe page,
// and the words beside a packed analytics snippet (packers are common in
// pages' own code), are not. Code that rewrites the body it sits in, or
// removes itself, once it has run (out of document.scripts before the page
// is scored) is read all the same, and so is code the page decodes from
// base64 to run (eval(atob(…))).
func TestObfuscatedCodeCounts(t *testing.T) {
	// The obfuscator's start-up: it rotates its string array.
	const rotate = `var _0x4b2a=['log','info'];(function(_0x1d,_0x3e){var _0x5f=function(_0x2c){while(--_0x2c){_0x1d['push'](_0x1d['shift']());}};_0x5f(++_0x3e);}(_0x4b2a,0x1a3));`
	const packed = `<script>eval(function(p,a,c,k,e,d){e=function(c){return c};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('0.1=2',3,3,'window|gaReady|true'.split('|'),0,{}))</script>`
	written := jsString(nearAlert)
	pages := map[string]string{
		"/words":      `<title>Windows Security</title><body>` + nearAlert + `</body>`,
		"/obfuscated": `<title>Windows Security</title><body>` + nearAlert + `<script>` + rotate + `</script></body>`,
		"/written":    `<title>Windows Security</title><body><script>` + rotate + `document.write(` + written + `);</script></body>`,
		"/recipe":     `<title>Sourdough at home</title><body><h1>Sourdough at home</h1><p>Feed the starter, wait, bake.</p><script>` + rotate + `</script></body>`,
		"/packed":     `<title>Windows Security</title><body>` + nearAlert + packed + `</body>`,
		// Code that rewrites the body it sits in, or removes itself, once
		// it has run is read all the same.
		"/rewrites-body":  `<title>Windows Security</title><body><script>` + rotate + `document.body.innerHTML=` + written + `;</script></body>`,
		"/removes-itself": `<title>Windows Security</title><body>` + nearAlert + `<script>` + rotate + `document.currentScript.remove();</script></body>`,
		// Code wrapped as eval(atob(…)) is read once the page decodes it.
		"/eval-atob":        `<title>Windows Security</title><body>` + nearAlert + `<script>eval(atob("` + base64.StdEncoding.EncodeToString([]byte(rotate)) + `"))</script></body>`,
		"/recipe-eval-atob": `<title>Sourdough at home</title><body><h1>Sourdough at home</h1><p>Feed the starter, wait, bake.</p><script>eval(atob("` + base64.StdEncoding.EncodeToString([]byte(rotate)) + `"))</script></body>`,
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	checkWarnedAtLoad(t, b, base, map[string]bool{"/words": false, "/obfuscated": true, "/written": true, "/recipe": false, "/packed": false,
		"/rewrites-body": true, "/removes-itself": true, "/eval-atob": true, "/recipe-eval-atob": false})
}

// TestCanvasTextCounts: a kit can draw its whole alert on a canvas, out of
// the page's text (the server reads the strings a script draws with
// fillText as page text). The guard hands the content script what the
// page draws, a number drawn a character at a time put back together, so
// an alert drawn on a canvas beside a button's word is warned about at
// load; a chart whose labels are drawn, and a game's score, are not.
func TestCanvasTextCounts(t *testing.T) {
	draw := func(title, body, script string) string {
		return `<title>` + title + `</title><body>` + body + `<canvas id="c" width="900" height="500"></canvas><script>
var g = document.getElementById('c').getContext('2d'); g.font = '24px sans-serif';
` + script + `</script></body>`
	}
	pages := map[string]string{
		"/alert": draw("Notice", `<button>OK</button>`, `
var lines = ['Windows Defender Security Center', 'Access to this computer has been blocked for your protection.',
  'Trojan spyware was detected on this PC. Your passwords and banking details are at risk.',
  'Do not restart or shut down your computer.', 'Call Microsoft Support immediately (toll free):'];
for (var i = 0; i < lines.length; i++) g.fillText(lines[i], 20, 40 + i * 40);
var number = '+1 (844) 555-0173', x = 20;
for (var k = 0; k < number.length; k++) { if (number[k] !== ' ') g.strokeText(number[k], x, 300); x += g.measureText(number[k]).width; }`),
		"/chart": draw("Sales by month", `<h1>Sales by month</h1><p>Orders per month, 2026.</p>`, `
var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'];
for (var i = 0; i < months.length; i++) { g.fillText(months[i], 40 + i * 120, 480); g.fillText(String(1200 + i * 317), 40 + i * 120, 440 - i * 50); }
g.fillText('Support tickets closed: 98%', 20, 30);`),
		"/game": draw("Space rocks", `<h1>Space rocks</h1><p>Arrow keys to move, space to fire.</p>`, `
g.fillText('SCORE 004210', 20, 30); g.fillText('LIVES 3', 700, 30); g.fillText('GAME OVER - press space to play again', 200, 250);`),
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	checkWarnedAtLoad(t, b, base, map[string]bool{"/alert": true, "/chart": false, "/game": false})
}

// TestLookalikesCount: kits write their alert with Cyrillic letters drawn
// like Latin ones and invisible characters inside words, so that no phrase
// matches while the visitor reads every word. The device folds them as the
// server does (rules.json fold): the disguised alert is warned about at
// load. A Russian recipe page stays as written, and unwarned.
func TestLookalikesCount(t *testing.T) {
	disguised := strings.NewReplacer("o", "\u043e", "e", "\u0435", "c", "\u0441", "a", "\u0430", "Call", "Ca\u200bll").Replace(alertText)
	pages := map[string]string{
		"/disguised": `<meta charset="utf-8"><title>Security</title><body>` + disguised + `</body>`,
		"/russian":   `<meta charset="utf-8"><title>Борщ</title><body><h1>Борщ по-домашнему</h1><p>Свёкла, капуста, картофель. Варите два часа. Звоните нам: +7 (495) 555-01-42</p></body>`,
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	checkWarnedAtLoad(t, b, base, map[string]bool{"/disguised": true, "/russian": false})
}

// TestShownTextCounts: words and numbers the page shows outside its text
// nodes' written order count as the server reads them. A kit writes its
// number backwards and has the browser show it forwards (<bdo dir="rtl">,
// a style or class that overrides the direction, U+202E … U+202C; brackets are
// mirrored as shown), or keeps it in an image's alt text, a read-only
// field's box (not in a hidden input) or an SVG picture's text. With the number
// the alert is a scam, without it not. A Hebrew page whose number is
// shown left to right is not warned.
func TestShownTextCounts(t *testing.T) {
	page := func(number string) string {
		return `<meta charset="utf-8"><title>Windows Security</title><body><h1>Windows Defender Security Center</h1>` +
			`<p>Your computer is infected with Trojan spyware.</p><p>Call Microsoft support: ` + number + `</p></body>`
	}
	pages := map[string]string{
		"/plain":        page("+1 (855) 555-0142"),
		"/none":         page(""),
		"/bdo":          page(`<bdo dir="rtl">2410-555 (558) 1+</bdo>`),
		"/style":        page(`<span style="unicode-bidi: bidi-override; direction: rtl">2410-555-558-1+</span>`),
		"/rlo":          page("\u202e2410-555 (558) 1+\u202c"),
		"/class":        `<style>.n { unicode-bidi: bidi-override; direction: rtl }</style>` + page(`<span class="n">2410-555-558-1+</span>`),
		"/alt":          page(`<img src="line.png" alt="Toll free line +1 (855) 555-0142">`),
		"/field":        page(`<input type="text" readonly value="+1 (855) 555-0142">`),
		"/hidden-field": page(`<input type="hidden" name="ref" value="+1 (855) 555-0142">`),
		"/svg":          page(`<img src="data:image/svg+xml;base64,` + base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="30"><text x="0" y="20">+1 (855) 555-0142</text></svg>`)) + `">`),
		"/hebrew": `<meta charset="utf-8"><html dir="rtl" lang="he"><title>מאפייה</title><body><h1>מאפיית השכונה</h1>` +
			`<p>לחם טרי כל בוקר. להזמנות התקשרו: <bdo dir="ltr">+972 3-555-0142</bdo></p><img src="bread.png" alt="לחם מחמצת טרי מהתנור"></body>`,
	}
	checkWarnedAtLoad(t, startBrowser(t, true), servePages(t, pages), map[string]bool{
		"/plain": true, "/none": false, "/bdo": true, "/style": true, "/rlo": true, "/class": true, "/alt": true, "/field": true, "/hidden-field": false, "/svg": true, "/hebrew": false})
}

// TestAlertOutOfTheDocumentCounts: a kit can show its whole alert in a
// frame over an empty page (srcdoc, a data: URL, an <object>), or keep
// its words in attributes that CSS shows with attr(). The warning is shown
// in the page at load, as the server reads all of them. The same alert in
// a frame the size of an ad is not the page's (the frame is defused, the
// page not covered), and a print style sheet that shows every link's href
// reads no link as words.
func TestAlertOutOfTheDocumentCounts(t *testing.T) {
	full := `style="border:0;position:fixed;inset:0;width:100%;height:100%"`
	data := "data:text/html;base64," + base64.StdEncoding.EncodeToString([]byte(alertText))
	pages := map[string]string{
		"/srcdoc": `<title>Loading</title><body><iframe ` + full + ` srcdoc="` + html.EscapeString(alertText) + `"></iframe></body>`,
		"/data":   `<title>Loading</title><body><iframe ` + full + ` src="` + data + `"></iframe></body>`,
		"/object": `<title>Loading</title><body><object ` + full + ` type="text/html" data="` + data + `"></object></body>`,
		"/ad": `<title>Garden news</title><body><h1>Planting tulips in autumn</h1><p>Plant the bulbs six inches deep, pointy end up, before the first frost.</p>` +
			`<iframe style="border:0;width:300px;height:250px" srcdoc="` + html.EscapeString(alertText) + `"></iframe></body>`,
		"/attr": `<title>Loading</title><style>p::before { content: attr(data-line) }</style><body>` +
			`<p data-line="Windows Defender Security Center"></p><p data-line="Your computer is infected with Trojan spyware. Your passwords and bank details are being stolen."></p>` +
			`<p data-line="Do not close this page or restart your computer."></p><p data-line="Call Microsoft support immediately: +1 (855) 555-0142"></p></body>`,
		"/print": `<title>Scam advice</title><style>@media print { a[href]::after { content: " (" attr(href) ")" } }</style><body><h1>Fake virus alerts</h1>` +
			`<p>A page that says your computer is infected and asks you to call Microsoft support is a scam: <a href="https://example.org/your-computer-is-infected-call-microsoft-support-now">read more</a>.</p></body>`,
	}
	base := servePages(t, pages)
	b := startBrowser(t, true)
	checkWarnedAtLoad(t, b, base, map[string]bool{"/srcdoc": true, "/data": true, "/object": true, "/ad": false, "/attr": true, "/print": false})
}

// TestHiddenAlertFrameShownOnClick: a kit keeps the frame with its alert
// hidden behind a harmless landing ("Loading the article… Read more")
// and shows it, full screen, on the visitor's click. The frame scores as a
// scam while hidden, at no size; the warning is shown in the page once the
// click shows the frame that large, and the page is released from full
// screen. The same frame shown at the size of an ad is not the page's.
func TestHiddenAlertFrameShownOnClick(t *testing.T) {
	landing := func(frameStyle string) string {
		return `<title>Loading…</title><body><div id="c"><p>Loading the article…</p><button id="go" style="padding:30px">Read more</button></div>` +
			`<div id="box" style="display:none"><iframe style="border:0;` + frameStyle + `" srcdoc="` + html.EscapeString(alertText) + `"></iframe></div>` +
			`<script>document.getElementById('go').addEventListener('click', function () {` +
			`document.getElementById('c').style.display = 'none'; var b = document.getElementById('box'); b.style.display = 'block'; b.requestFullscreen(); });</script></body>`
	}
	base := servePages(t, map[string]string{
		"/full": landing("width:100vw;height:100vh"),
		"/ad":   landing("width:300px;height:250px"),
	})
	b := startBrowser(t, true)
	for path, want := range map[string]bool{"/full": true, "/ad": false} {
		tb := b.open(t, base+path, 3*time.Second)
		var shown, full bool
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &shown)
		if shown {
			t.Errorf("%s: warned at load, while the frame is hidden", path)
		}
		tb.click(t, "#go")
		for end := time.Now().Add(4 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			if tb.eval(t, `!!document.getElementById('tssguard-warning')`, &shown); shown {
				break
			}
		}
		time.Sleep(500 * time.Millisecond)
		tb.eval(t, `!!document.fullscreenElement`, &full)
		tb.close()
		if shown != want {
			t.Errorf("%s: warning after the click %v, want %v", path, shown, want)
		}
		if want && full {
			t.Errorf("%s: still in full screen under the warning", path)
		}
	}
}

// TestCallFramesAndRefreshesAmongMany: the guard checks the frames and
// meta elements that enter the document at each batch of nodes the parser
// adds, and a page with more than 200 of them has its added nodes read
// instead (content-main.js). Either way, a meta refresh to a call scheme
// and a call frame written with innerHTML are stopped and the call prompt
// shown; so is a frame already checked that is pointed at a call URL
// afterwards through setAttributeNS, its attribute node (value, nodeValue,
// textContent), setAttributeNode or the attributes map. Without the
// extension all of them dial.
func TestCallFramesAndRefreshesAmongMany(t *testing.T) {
	metas := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, `<meta name="m%d" content="x">`, i)
		}
		return b.String()
	}
	refresh := `<meta http-equiv="refresh" content="1;url=tel:+18445550177"><title>Apple Care</title></head><body><p>Your Apple ID has been locked. We are connecting you to Apple Care.</p></body>`
	// later: a frame already in the document (checked by the observer)
	// pointed at a call URL afterwards, another way than its src property
	// or setAttribute.
	later := func(code string) string {
		return `<head><title>Windows Security</title></head><body><p>Call Microsoft support.</p><iframe id="f" style="display:none"></iframe>` +
			`<script>setTimeout(function () { var f = document.getElementById('f'); ` + code + ` }, 200);</script></body>`
	}
	frame := `<title>Windows Security</title></head><body><p>Call Microsoft support.</p><div id="d"></div><script>setTimeout(function () { document.getElementById('d').innerHTML = '<iframe style="display:none" src="tel:+18445550142"></iframe>'; }, 200);</script></body>`
	pages := map[string]string{
		"/refresh-few":      `<head>` + metas(3) + refresh,
		"/refresh-many":     `<head>` + metas(250) + refresh,
		"/frame-few":        `<head>` + metas(3) + frame,
		"/frame-many":       `<head>` + metas(250) + frame,
		"/frame-ns":         later(`f.setAttributeNS(null, 'src', 'tel:+18445550142');`),
		"/frame-attr-value": later(`f.setAttribute('src', 'about:blank'); f.getAttributeNode('src').value = 'tel:+18445550142';`),
		"/frame-attr-node":  later(`f.setAttribute('src', 'about:blank'); f.getAttributeNode('src').nodeValue = 'tel:+18445550142';`),
		"/frame-attr-text":  later(`f.setAttribute('src', 'about:blank'); f.getAttributeNode('src').textContent = 'tel:+18445550142';`),
		"/frame-set-node":   later(`var a = document.createAttribute('src'); a.value = 'tel:+18445550142'; f.setAttributeNode(a);`),
		"/frame-named-item": later(`var a = document.createAttribute('src'); a.value = 'tel:+18445550142'; f.attributes.setNamedItem(a);`),
	}
	base := servePages(t, pages)
	const observe = 2500 * time.Millisecond
	plain := startBrowser(t, false)
	for path := range pages {
		tb := plain.open(t, base+path, observe)
		if len(tb.v.Calls()) == 0 {
			t.Errorf("%s: no call without the extension either (control failed)", path)
		}
		tb.close()
	}
	plain.cancel()
	b := startBrowser(t, true)
	for path := range pages {
		tb := b.open(t, base+path, observe)
		var prompt bool
		tb.eval(t, `!!document.querySelector('tssguard-overlay#tssguard-call-prompt')`, &prompt)
		if calls := tb.v.Calls(); len(calls) > tb.v.Refused() {
			t.Errorf("%s: call navigation with the extension: %v", path, calls)
		}
		if !prompt {
			t.Errorf("%s: no call prompt shown", path)
		}
		tb.close()
	}
}
