package emulate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
)

// TestKitDOMAPIs: DOM APIs kits call on the way to their payload work as
// in a browser. Each was missing or wrong (a script threw, or a selector
// matched what it should not): dataset, attributes, toggleAttribute,
// replaceWith, replaceChildren, insertAdjacentElement, element siblings, once listeners,
// event init dictionaries, structural pseudo-classes and :not, the
// document's collections, activeElement.
func TestKitDOMAPIs(t *testing.T) {
	html := `<html><head><title>t</title></head><body><div id="a" class="x y" data-phone="+18445550142" data-my-val="7"><p class="k">one</p><p>two <b>bold</b></p><a href="tel:+18445550142" id="c">c</a></div><ul><li>1</li><li>2</li><li>3</li></ul><input id="i" value="v"><script id="me" data-n="5">var SCRIPT=1;</script></body></html>`
	for name, code := range map[string]string{
		"dataset":                   `document.getElementById('a').dataset.phone === '+18445550142' && document.getElementById('a').dataset.myVal === '7'`,
		"classList":                 `var c = document.getElementById('a').classList; c.contains('x') && (c.add('z'), c.contains('z')) && (c.toggle('z'), !c.contains('z'))`,
		"cloneNode":                 `document.getElementById('a').cloneNode(true).querySelectorAll('p').length === 2`,
		"rect":                      `typeof document.getElementById('a').getBoundingClientRect().width === 'number'`,
		"offsetWidth":               `typeof document.getElementById('a').offsetWidth === 'number'`,
		"computed":                  `typeof getComputedStyle(document.body).getPropertyValue('display') === 'string'`,
		"insertAdjacentElement":     `var s = document.createElement('span'); document.getElementById('a').insertAdjacentElement('beforeend', s); s.parentNode.id === 'a'`,
		"animate":                   `typeof document.body.animate === 'function'`,
		"scrollIntoView":            `(document.body.scrollIntoView(), true)`,
		"activeElement":             `document.activeElement !== undefined`,
		"once":                      `var n = 0; document.body.addEventListener('x', function(){ n++; }, {once: true}); document.body.dispatchEvent(new Event('x')); document.body.dispatchEvent(new Event('x')); n === 1`,
		"replaceChildren":           `var u = document.querySelector('ul'); u.replaceChildren('a', document.createElement('b'), 'c'); u.childNodes.length === 3 && u.textContent === 'ac' && !u.querySelector('li')`,
		"replaceWith":               `var p = document.querySelector('p.k'); var q = document.createElement('p'); p.replaceWith(q); document.querySelectorAll('#a p').length === 2 && !document.querySelector('p.k')`,
		"append strings":            `document.body.append('hi', document.createElement('i')); true`,
		"innerText":                 `document.querySelectorAll('p')[1].innerText.indexOf('two') === 0`,
		"attributes":                `document.getElementById('a').attributes.length >= 3 && document.getElementById('a').attributes[0].name !== undefined`,
		"toggleAttribute":           `var i = document.getElementById('i'); i.toggleAttribute('disabled'); i.hasAttribute('disabled')`,
		"element nav":               `var d = document.getElementById('a'); d.firstElementChild.tagName === 'P' && d.children.length === 3 && d.firstElementChild.nextElementSibling.tagName === 'P' && d.lastElementChild.id === 'c'`,
		"contains":                  `document.body.contains(document.getElementById('c'))`,
		"not selector":              `document.querySelectorAll('#a > :not(a)').length === 2`,
		"nth-child":                 `document.querySelector('li:nth-child(2)').textContent === '2' && document.querySelector('li:last-child').textContent === '3'`,
		"attr selectors":            `!!document.querySelector('a[href^="tel:"]') && !!document.querySelector('a[href$="0142"]') && !!document.querySelector('[data-phone*="555"]')`,
		"comma":                     `document.querySelectorAll('p.k, a#c').length === 2`,
		"scripts":                   `document.scripts.length >= 1`,
		"input value":               `document.getElementById('i').value === 'v'`,
		"forms":                     `document.forms !== undefined && document.links !== undefined`,
		"cookie":                    `document.cookie = 'a=1'; document.cookie.indexOf('a=1') >= 0`,
		"title set":                 `document.title = 'x'; document.title === 'x'`,
		"location parts":            `location.hostname === 'page.test' && location.protocol === 'https:'`,
		"history":                   `history.length >= 1 && typeof history.state !== 'function'`,
		"event props":               `var e = new MouseEvent('click', {bubbles: true, clientX: 5}); e.clientX === 5 && e.bubbles === true`,
		"keyboard event":            `var e = new KeyboardEvent('keydown', {key: 'F12', keyCode: 123}); e.key === 'F12'`,
		"custom event":              `var e = new CustomEvent('z', {detail: 3}); e.detail === 3`,
		"getElementsByTagName live": `var l = document.getElementsByTagName('li'); l.length === 3`,
		"nodeType text":             `document.querySelector('p').firstChild.nodeType === 3`,
		"template":                  `var t = document.createElement('template'); t.innerHTML = '<b>x</b>'; !!(t.content || t.firstChild)`,
		"textContent set":           `var d = document.getElementById('a'); d.textContent = 'y'; d.childNodes.length === 1`,
		"matchMedia":                `typeof matchMedia('(max-width: 600px)').matches === 'boolean'`,
		"style set":                 `document.body.style.backgroundColor = 'red'; document.body.style.backgroundColor === 'red' && (document.body.style.cssText !== undefined)`,
		"setAttribute style":        `document.body.setAttribute('style', 'cursor:none'); document.body.getAttribute('style') === 'cursor:none'`,
	} {
		full := `if (eval(` + jsq(code) + `)) location.href = 'tel:+18445550142';`
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(html), Scripts: []Script{{Name: "s", Source: []byte(full)}}}, Options{Budget: 200 * time.Millisecond})
		if len(find(r, "call-navigation")) == 0 {
			t.Errorf("%s: %v", name, r.Errors)
		}
	}
}

func jsq(s string) string {
	out := "'"
	for _, c := range s {
		switch c {
		case '\'', '\\':
			out += "\\" + string(c)
		case '\n':
			out += "\\n"
		default:
			out += string(c)
		}
	}
	return out + "'"
}

// TestCurrentScript: document.currentScript is the running script's
// element, as in a browser, and null in its timers. Kits read their
// number from its data-* or its src's query; a script that read it as
// null threw before its call.
func TestCurrentScript(t *testing.T) {
	html := `<html><head><script>var first = 1;</script><script type="application/ld+json">{}</script></head><body>` +
		`<script src="js/dial.js?n=18445550142"></script><script data-n="+18445550142">var inline = 1;</script></body></html>`
	dialSrc := `var n = new URL(document.currentScript.src, location.href).searchParams.get('n'); location.href = 'tel:+' + n;`
	dialData := `location.href = 'tel:' + document.currentScript.dataset.n; setTimeout(function () { if (document.currentScript === null) location.href = 'tel:+18005550199'; }, 10);`
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(html), Scripts: []Script{
		{Name: "inline #1", Source: []byte(`var first = 1;`), Element: 1},
		{Name: "https://page.test/js/dial.js?n=18445550142", Source: []byte(dialSrc), Element: 3, Src: "js/dial.js?n=18445550142"},
		{Name: "inline #2", Source: []byte(dialData), Element: 4},
	}}, Options{Budget: 200 * time.Millisecond})
	got := map[string]bool{}
	for _, ev := range find(r, "call-navigation") {
		got[ev.Detail] = true
	}
	for _, want := range []string{"tel:+18445550142", "tel:+18005550199"} {
		if !got[want] {
			t.Errorf("no call to %s (calls %v, errors %v)", want, got, r.Errors)
		}
	}
	// A place that is not the script's (the engine and the page disagree)
	// gives null, not another script's element.
	r = Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(html), Scripts: []Script{
		{Name: "s", Source: []byte(`if (document.currentScript === null) location.href = 'tel:+18445550142';`), Element: 3, Src: "other.js"},
	}}, Options{Budget: 200 * time.Millisecond})
	if len(find(r, "call-navigation")) == 0 {
		t.Errorf("a script whose element does not match read a currentScript: %v", r.Errors)
	}
}

// TestSentinelParam: a phone number's parameter the page URL lacks gets
// the sentinel when the page asks for it by name; other names, other
// URLs and parameters the URL has do not.
func TestSentinelParam(t *testing.T) {
	code := `var q = new URLSearchParams(location.search), u = new URL(location.href).searchParams;
var other = new URL('https://cdn.test/x.js').searchParams, own = new URLSearchParams('a=1');
document.body.textContent = [q.get('ph' + 'one'), u.get('tel'), q.get('lang'), q.get('ref'), other.get('phone'), own.get('phone')].join('|');`
	opts := Options{Budget: 200 * time.Millisecond, Sentinel: "18885550100", NumberParam: func(n string) bool { return n == "phone" || n == "tel" }}
	r := Emulate(context.Background(), Page{URL: "https://page.test/?ref=7", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, opts)
	want := "18885550100|18885550100||7||"
	dom := domHTML(r)
	if !strings.Contains(dom, want) {
		t.Errorf("page wrote %q, want %q (errors %v)", dom, want, r.Errors)
	}
	if strings.Join(r.SentinelParams, ",") != "phone,tel" {
		t.Errorf("sentinel handed out for %v, want phone and tel", r.SentinelParams)
	}
	// Without a sentinel the emulator hands out nothing.
	r = Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(`if (new URLSearchParams(location.search).get('phone') === null) location.href = 'tel:+18445550142';`)}}}, Options{Budget: 200 * time.Millisecond})
	if len(find(r, "call-navigation")) == 0 || len(r.SentinelParams) > 0 {
		t.Errorf("no sentinel: got %v", r.SentinelParams)
	}
}

// TestMouseMoves: the simulated visitor moves the mouse over the page
// before clicking; what a mousemove (or mouseover) handler starts is the
// page's own doing, not a gesture's, as in a browser where moving grants
// no user activation.
func TestMouseMoves(t *testing.T) {
	code := `document.addEventListener('mousemove', function () { document.documentElement.requestFullscreen(); }, { once: true });
document.body.onmouseover = function () { location.href = 'tel:+18445550142'; };
document.body.addEventListener('click', function () { window.open('https://after.test/'); });`
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond, Click: true})
	for kind, wantGesture := range map[string]bool{"fullscreen": false, "call-navigation": false, "popup": true} {
		ev := find(r, capture.EventKind(kind))
		if len(ev) == 0 || ev[0].AfterGesture != wantGesture {
			t.Errorf("%s: %+v, want after a gesture %v (errors %v)", kind, ev, wantGesture, r.Errors)
		}
	}
	// Without the visitor (Click off) nothing moves.
	r = Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
	if len(find(r, capture.EventKind("fullscreen"))) != 0 {
		t.Error("the mouse moved without the simulated visitor")
	}
}

// TestAsyncDelivery: observers report what they watch after observe(),
// and postMessage and MessageChannel deliver, as in a browser; a kit whose
// call waits on one of them ran nothing.
func TestAsyncDelivery(t *testing.T) {
	dial := `location.href = 'tel:+18445550142';`
	for name, code := range map[string]string{
		"intersection":   `new IntersectionObserver(function (es) { if (es[0].isIntersecting && es[0].target === document.body) {` + dial + `} }).observe(document.body);`,
		"resize":         `new ResizeObserver(function (es) { if (es[0].contentRect.width > 0) {` + dial + `} }).observe(document.body);`,
		"postMessage":    `addEventListener('message', function (e) { if (e.data === 'go') {` + dial + `} }); postMessage('go', '*');`,
		"MessageChannel": `var ch = new MessageChannel(); ch.port1.onmessage = function (e) { if (e.data === 1) {` + dial + `} }; ch.port2.postMessage(1);`,
		"disconnected":   `var o = new IntersectionObserver(function () { location.href = 'tel:+18005550199'; }); o.observe(document.body); o.disconnect();` + dial,
	} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body><p>x</p></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
		calls := find(r, capture.EventCallNavigation)
		if len(calls) != 1 || calls[0].Detail != "tel:+18445550142" {
			t.Errorf("%s: calls %+v (errors %v)", name, calls, r.Errors)
		}
	}
}

// TestNativeLook: the browser built-ins the prelude supplies read as
// native code, and navigator's properties are Navigator.prototype's, as in
// a browser; the page's own functions read as their source.
func TestNativeLook(t *testing.T) {
	code := `var n = /\{\s*\[native code\]\s*\}/;
var natives = [alert, setTimeout, window.open, document.getElementById, document.createElement, document.body.appendChild, addEventListener, history.pushState, Element.prototype.requestFullscreen || document.documentElement.requestFullscreen, Function.prototype.toString, Object.getOwnPropertyDescriptor(Navigator.prototype, 'userAgent').get];
var all = natives.every(function (f) { return n.test(Function.prototype.toString.call(f)) && n.test(String(f)); });
function mine() { return 1; }
var bare = Object.getOwnPropertyNames(navigator).length === 0 && navigator instanceof Navigator;
if (all && bare && !n.test(mine.toString()) && mine.toString().indexOf('return 1') > 0) location.href = 'tel:+18445550142';`
	r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
	if len(find(r, capture.EventCallNavigation)) == 0 {
		t.Errorf("built-ins do not look native: %v", r.Errors)
	}
}

// TestSentinelByRegExp: a kit that reads its number with a regular
// expression built for the parameter's name, over location.href, gets the
// sentinel when the name is a phone number's and the URL lacks it; regular
// expressions stay regular expressions.
func TestSentinelByRegExp(t *testing.T) {
	code := `function param(n) { var r = new RegExp("[\\?&]" + n + "=([^&#]*)"); var m = r.exec(window.location.href); return m ? m[1] : ""; }
function param2(n) { var m = RegExp(n + "=" + "(.+?)(&|$)").exec(location.search); return m ? m[1] : "none"; }
var name = String.fromCharCode(112, 104, 48, 110, 101);
var sane = /x/ instanceof RegExp && new RegExp("a+", "g").global && /x/.constructor === RegExp && "a-b".split(new RegExp("-")).length === 2;
document.body.textContent = [param(name), param("ref"), param("lang"), param2("tel"), sane].join("|");`
	opts := Options{Budget: 200 * time.Millisecond, Sentinel: "18885550100", NumberParam: func(n string) bool { return n == "ph0ne" || n == "tel" }}
	r := Emulate(context.Background(), Page{URL: "https://page.test/a?ref=7#top", HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, opts)
	want := "18885550100|7||18885550100|true"
	dom := domHTML(r)
	if !strings.Contains(dom, want) || strings.Join(r.SentinelParams, ",") != "ph0ne,tel" {
		t.Errorf("page wrote %q, want %q; sentinel for %v (errors %v)", dom, want, r.SentinelParams, r.Errors)
	}
}

// TestVisitorLanguage: the visitor's language is the page's declared one
// (navigator.language, Intl's locale, a time zone of its country), en-US
// when it declares none or something that is no language tag.
func TestVisitorLanguage(t *testing.T) {
	code := `document.body.textContent = [navigator.language, navigator.languages.join(','), Intl.DateTimeFormat().resolvedOptions().locale, Intl.DateTimeFormat().resolvedOptions().timeZone, new Date().getTimezoneOffset()].join('|');`
	for lang, want := range map[string]string{
		"ja":                   "ja|ja,en-US,en|ja|Asia/Tokyo|-540",
		"de-DE":                "de-DE|de-DE,de,en-US,en|de-DE|Europe/Berlin|-60",
		"":                     "en-US|en-US,en|en-US|America/New_York|300",
		"es":                   "es|es,en-US,en|es|America/New_York|300",
		`"><script>x</script>`: "en-US|en-US,en|en-US|America/New_York|300",
	} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", Language: lang, HTML: []byte(`<body></body>`), Scripts: []Script{{Name: "s", Source: []byte(code)}}}, Options{Budget: 200 * time.Millisecond})
		dom := domHTML(r)
		if !strings.Contains(dom, "<body>"+want+"</body>") {
			t.Errorf("%q: page wrote %q, want %q (errors %v)", lang, dom, want, r.Errors)
		}
	}
}
