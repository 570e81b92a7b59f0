package js

import (
	"strings"
	"testing"
	"time"
)

// callCtx returns the context of the first call whose callee is callee.
func callCtx(t *testing.T, f Facts, callee string) Context {
	t.Helper()
	for _, c := range f.Calls {
		if c.Callee == callee {
			return c.Ctx
		}
	}
	var seen []string
	for _, c := range f.Calls {
		seen = append(seen, c.Callee)
	}
	t.Fatalf("no call of %s; calls: %v (parse error %q)", callee, seen, f.ParseError)
	return 0
}

func TestContexts(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		handler string
		callee  string
		want    Context // flags that must be set
		not     Context // flags that must not be set
	}{
		// Top level and functions.
		{"top level", `alert(1)`, "", "alert", TopLevel, InFunction | InLoop},
		{"function", `function f(){ alert(1) } f()`, "", "alert", InFunction, TopLevel | InUncalled},
		{"uncalled function", `function f(){ alert(1) }`, "", "alert", InFunction | InUncalled, TopLevel},
		{"method may be called elsewhere", `app.start = function(){ alert(1) }`, "", "alert", InFunction, InUncalled},
		{"arrow", `var f = () => alert(1); f()`, "", "alert", InFunction, TopLevel},

		// Loops.
		{"for", `for (var i = 0; i < 9; i++) { alert(i) }`, "", "alert", InLoop | TopLevel, 0},
		{"while", `while (true) alert(1)`, "", "alert", InLoop, 0},
		{"while condition", `while (confirm('stay?')) {}`, "", "confirm", InLoop, 0},
		{"do while", `do { alert(1) } while (1)`, "", "alert", InLoop, 0},
		{"for in", `for (var k in o) alert(k)`, "", "alert", InLoop, 0},
		{"for of", `for (const k of o) { alert(k) }`, "", "alert", InLoop, 0},
		{"after loop", `for (;;) { break } alert(1)`, "", "alert", TopLevel, InLoop},
		{"loop initialiser", `for (init(); ;) {}`, "", "init", TopLevel, InLoop},

		// Timers.
		{"setTimeout callback", `setTimeout(function(){ alert(1) }, 10)`, "", "alert", InTimer | InFunction, InInterval | TopLevel},
		{"setInterval arrow", `setInterval(() => { history.pushState({}, '', '#') }, 10)`, "", "history.pushState", InTimer | InInterval, 0},
		{"window.setInterval", `window.setInterval(function(){ print() }, 10)`, "", "print", InTimer | InInterval, 0},
		{"requestAnimationFrame", `requestAnimationFrame(function(){ alert(1) })`, "", "alert", InTimer, 0},
		{"timer by name", `function tick(){ alert(1) } setInterval(tick, 100)`, "", "alert", InTimer | InInterval, InUncalled},
		{"timer with bind", `function tick(){ alert(1) } setTimeout(tick.bind(this), 100)`, "", "alert", InTimer, 0},
		{"timer string", `setTimeout("alert('x')", 100)`, "", "alert", InTimer | InEval, 0},
		{"timer string interval", `setInterval('window.print()', 100)`, "", "window.print", InTimer | InInterval | InEval, 0},
		{"called from timer", `function show(){ alert(1) } setInterval(function(){ show() }, 9)`, "", "alert", InTimer | InInterval, 0},
		{"not a global timer", `$timeout.setTimeout(function(){ alert(1) })`, "", "alert", InFunction, InTimer},

		// Recursion.
		{"direct recursion", `function f(){ alert(1); f() } f()`, "", "alert", InRecursion, 0},
		{"recursion via timer", `function f(){ alert(1); setTimeout(f, 10) } f()`, "", "alert", InRecursion | InTimer, 0},
		{"recursion via rAF", `(function loop(){ document.title = 'x'; requestAnimationFrame(loop) })()`, "", "requestAnimationFrame", InRecursion, 0},
		{"recursion via inline timer", `function f(){ alert(1); setTimeout(function(){ f() }, 10) } f()`, "", "alert", InRecursion, 0},
		{"mutual recursion", `function a(){ alert(1); b() } function b(){ a() } a()`, "", "alert", InRecursion, 0},
		{"re-added listener", `function h(){ alert(1); window.addEventListener('mousemove', h) } h()`, "", "alert", InRecursion, 0},
		{"arguments.callee", `(function(){ alert(1); setTimeout(arguments.callee, 10) })()`, "", "alert", InRecursion, 0},
		{"called from recursive", `function show(){ confirm('x') } function loop(){ show(); loop() } loop()`, "", "confirm", InRecursion, 0},
		{"removal is no recursion", `function h(){ alert(1); el.removeEventListener('click', h) } el.addEventListener('click', h)`, "", "alert", InGestureHandler, InRecursion},
		{"cycle through click is no recursion", `function init(){ $('#b').click(function(){ init() }); alert(1) } init()`, "", "alert", 0, InRecursion},
		{"no recursion", `function f(){ alert(1) } f(); f()`, "", "alert", InFunction, InRecursion},

		// Gesture handlers.
		{"addEventListener click", `btn.addEventListener('click', function(){ window.open('tel:1') })`, "", "window.open", InGestureHandler, TopLevel | InLoadHandler},
		{"touchstart", `document.addEventListener('touchstart', e => location.assign('tel:1'))`, "", "location.assign", InGestureHandler, 0},
		{"keydown", `window.addEventListener("keydown", function(){ a() })`, "", "a", InGestureHandler, 0},
		{"onclick property", `document.getElementById('c').onclick = function(){ dial() }`, "", "dial", InGestureHandler, 0},
		{"onclick attribute", `window.location.href = 'tel:123'; return false`, "onclick", "", 0, 0},
		{"jQuery click", `$('#call').click(function(){ dial() })`, "", "dial", InGestureHandler, 0},
		{"jQuery on", `$(document).on('click touchstart', '.x', function(){ dial() })`, "", "dial", InGestureHandler, 0},
		{"jQuery on map", `$(document).on({click: function(){ dial() }})`, "", "dial", InGestureHandler, 0},
		{"jQuery bind", `$('body').bind('mousedown', function(){ dial() })`, "", "dial", InGestureHandler, 0},
		{"jQuery one", `$(window).one('keyup', function(){ dial() })`, "", "dial", InGestureHandler, 0},
		{"attachEvent", `document.attachEvent('onclick', function(){ dial() })`, "", "dial", InGestureHandler, 0},
		{"named handler", `function go(){ dial() } btn.addEventListener('click', go)`, "", "dial", InGestureHandler, InUncalled},
		{"named handler property", `function go(){ dial() } document.body.onclick = go`, "", "dial", InGestureHandler, 0},
		{"named handler also called at load", `function go(){ dial() } go(); btn.onclick = go`, "", "dial", 0, InGestureHandler},
		{"called only from handler", `function call(){ dial() } btn.addEventListener('click', function(){ call() })`, "", "dial", InGestureHandler, 0},
		{"listener in loop is not looped", `for (var i = 0; i < n; i++) links[i].onclick = function(){ window.open(this.href) }`, "", "window.open", InGestureHandler, InLoop},
		{"submit", `form.addEventListener('submit', function(){ go() })`, "", "go", InGestureHandler, 0},
		{"contextmenu", `document.oncontextmenu = function(){ go() }`, "", "go", InGestureHandler, 0},

		// Load handlers.
		{"DOMContentLoaded", `document.addEventListener('DOMContentLoaded', function(){ go() })`, "", "go", InLoadHandler, InGestureHandler},
		{"window.onload", `window.onload = function(){ go() }`, "", "go", InLoadHandler, 0},
		{"bare onload", `onload = function(){ go() }`, "", "go", InLoadHandler, 0},
		{"$(fn)", `$(function(){ go() })`, "", "go", InLoadHandler, 0},
		{"jQuery(fn)", `jQuery(function($){ go() })`, "", "go", InLoadHandler, 0},
		{"ready", `$(document).ready(function(){ go() })`, "", "go", InLoadHandler, 0},
		{"readystatechange", `document.onreadystatechange = function(){ go() }`, "", "go", InLoadHandler, 0},
		{"pageshow", `addEventListener('pageshow', function(){ go() })`, "", "go", InLoadHandler, 0},
		{"image onload is not the page's", `var img = new Image(); img.onload = function(){ go() }`, "", "go", InFunction, InLoadHandler},
		{"xhr readystatechange", `var x = new XMLHttpRequest(); x.onreadystatechange = function(){ go() }`, "", "go", InFunction, InLoadHandler},
		{"script load listener", `s.addEventListener('load', function(){ go() })`, "", "go", InFunction, InLoadHandler},
		{"onload attribute", `init()`, "onload", "init", InLoadHandler | InFunction, TopLevel},

		// Unload and leave handlers.
		{"onbeforeunload", `window.onbeforeunload = function(){ return 'stay' ; go() }`, "", "go", InUnloadHandler, 0},
		{"beforeunload listener", `window.addEventListener('beforeunload', function(e){ e.preventDefault() })`, "", "e.preventDefault", InUnloadHandler, 0},
		{"pagehide", `addEventListener('pagehide', function(){ go() })`, "", "go", InUnloadHandler, 0},
		{"onbeforeunload attribute", `return myFunction()`, "onbeforeunload", "myFunction", InUnloadHandler, 0},
		{"popstate", `window.onpopstate = function(){ history.pushState(null, '', location.href) }`, "", "history.pushState", InLeaveHandler, 0},
		{"visibilitychange", `document.addEventListener('visibilitychange', function(){ go() })`, "", "go", InLeaveHandler, 0},

		// Move handlers.
		{"mousemove", `document.addEventListener('mousemove', function(){ el.requestFullscreen() })`, "", "el.requestFullscreen", InMoveHandler, InGestureHandler},
		{"mouseover property", `document.body.onmouseover = function(){ go() }`, "", "go", InMoveHandler, 0},
		{"jQuery hover", `$('a').hover(function(){ go() })`, "", "go", InMoveHandler, 0},
		{"scroll", `window.addEventListener('scroll', () => go())`, "", "go", InMoveHandler, 0},

		// Nesting.
		{"timer in click", `btn.onclick = function(){ setTimeout(function(){ dial() }, 10) }`, "", "dial", InGestureHandler | InTimer, 0},
		{"click in load", `window.onload = function(){ btn.onclick = function(){ dial() } }`, "", "dial", InGestureHandler, InLoadHandler},
		{"loop in timer", `setInterval(function(){ for(;;) alert(1) }, 1)`, "", "alert", InLoop | InTimer, 0},

		// Code in strings.
		{"eval", `eval("alert('x')")`, "", "alert", InEval | TopLevel, 0},
		{"eval in loop", `for(;;) eval("alert('x')")`, "", "alert", InEval | InLoop, 0},
		{"new Function", `new Function("alert('x')")()`, "", "alert", InEval | InFunction, 0},
		{"setAttribute handler", `el.setAttribute('onclick', "location.href='tel:1'")`, "", "", 0, 0},
		{"invoked externally", `function dial(){ go() }`, "", "go", InGestureHandler, InUncalled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Handler: tt.handler}
			if tt.name == "invoked externally" {
				opts.Invoked = map[string]Context{"dial": InGestureHandler}
			}
			f := Analyze([]byte(tt.src), opts)
			if f.ParseError != "" {
				t.Fatalf("parse error: %s", f.ParseError)
			}
			if tt.callee == "" {
				return
			}
			got := callCtx(t, f, tt.callee)
			if got&tt.want != tt.want {
				t.Errorf("context %s lacks %s", got, tt.want&^got)
			}
			if got&tt.not != 0 {
				t.Errorf("context %s has %s", got, got&tt.not)
			}
		})
	}
}

func TestHandlerAttribute(t *testing.T) {
	f := Analyze([]byte(`window.location.href = 'tel:123'; return false`), Options{Handler: "onclick"})
	if f.ParseError != "" {
		t.Fatal(f.ParseError)
	}
	if len(f.Assigns) != 1 {
		t.Fatalf("assigns: %+v", f.Assigns)
	}
	a := f.Assigns[0]
	if a.Target != "window.location.href" || a.Value != "tel:123" || a.Offset != 0 || a.Ctx&InGestureHandler == 0 {
		t.Errorf("got %+v (%s)", a, a.Ctx)
	}
	f = Analyze([]byte(`el.setAttribute('onclick', "location.href='tel:1'")`), Options{})
	found := false
	for _, a := range f.Assigns {
		if a.Target == "location.href" && a.Value == "tel:1" && a.Ctx&(InGestureHandler|InEval) == InGestureHandler|InEval && a.Offset == 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("setAttribute code not analysed: %+v", f.Assigns)
	}
}

func TestCallees(t *testing.T) {
	tests := []struct {
		src, callee, method string
		args                []string
	}{
		{`alert("hi")`, "alert", "alert", []string{"hi"}},
		{`window.alert('a' + 'b')`, "window.alert", "alert", []string{"ab"}},
		{`window['alert']("x")`, "window.alert", "alert", []string{"x"}},
		{`window["al" + "ert"]("x")`, "window.alert", "alert", []string{"x"}},
		{"window[`open`]('tel:1')", "window.open", "open", []string{"tel:1"}},
		{`document.getElementById('call').click()`, "document.getElementById().click", "click", []string{}},
		{`el.requestFullscreen()`, "el.requestFullscreen", "requestFullscreen", []string{}},
		{`navigator.keyboard.lock(['Escape'])`, "navigator.keyboard.lock", "lock", []string{""}},
		{`history.pushState(null, '', '#' + 1)`, "history.pushState", "pushState", []string{"null", "", "#1"}},
		{`speechSynthesis.speak(new SpeechSynthesisUtterance('Critical alert'))`, "speechSynthesis.speak", "speak", []string{""}},
		{`new SpeechSynthesisUtterance('Critical alert')`, "new SpeechSynthesisUtterance", "SpeechSynthesisUtterance", []string{"Critical alert"}},
		{`new Audio('a.mp3').play()`, "new Audio().play", "play", []string{}},
		{`var a = new Audio('a.mp3'); a.play()`, "new Audio().play", "play", []string{}},
		{`var w = window; w.open('tel:1')`, "window.open", "open", []string{"tel:1"}},
		{`var d = document, el = d.documentElement; el.requestFullscreen()`, "document.documentElement.requestFullscreen", "requestFullscreen", []string{}},
		{`var btn = document.querySelector('a'); btn.click()`, "document.querySelector().click", "click", []string{}},
		{`$('#x').trigger('click')`, "$('#x').trigger", "trigger", []string{"click"}},
		{`location.assign(String.fromCharCode(116,101,108,58) + '1')`, "location.assign", "assign", []string{"tel:1"}},
		{`location.replace(atob('dGVsOjE='))`, "location.replace", "replace", []string{"tel:1"}},
		{`open(unescape('%74el:1'))`, "open", "open", []string{"tel:1"}},
		{`open(decodeURIComponent('tel%3A1'))`, "open", "open", []string{"tel:1"}},
		{"open(`tel:${'1'}`)", "open", "open", []string{"tel:1"}},
		{`open(['1',':','l','e','t'].reverse().join(''))`, "open", "open", []string{"tel:1"}},
		{`open('1:let'.split('').reverse().join(''))`, "open", "open", []string{"tel:1"}},
		{`var s = 'te'; const t = s + 'l:'; open(t + 1)`, "open", "open", []string{"tel:1"}},
		{`setTimeout(f, 1000)`, "setTimeout", "setTimeout", []string{"", "1000"}},
		{`x.y.z()`, "x.y.z", "z", []string{}},
		{`a?.b.c()`, "a.b.c", "c", []string{}},
		{`this.f()`, "this.f", "f", []string{}},
		{`(0, obj.fn)(1)`, "obj.fn", "fn", []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			f := Analyze([]byte(tt.src), Options{})
			if f.ParseError != "" {
				t.Fatal(f.ParseError)
			}
			var c *Call
			for i := range f.Calls {
				if f.Calls[i].Callee == tt.callee {
					c = &f.Calls[i]
					break
				}
			}
			if c == nil {
				var seen []string
				for _, c := range f.Calls {
					seen = append(seen, c.Callee)
				}
				t.Fatalf("no call %q in %q", tt.callee, seen)
			}
			if c.Method != tt.method {
				t.Errorf("method %q, want %q", c.Method, tt.method)
			}
			if strings.Join(c.Args, "|") != strings.Join(tt.args, "|") || len(c.Args) != len(tt.args) {
				t.Errorf("args %q, want %q", c.Args, tt.args)
			}
		})
	}
}

func TestPartialValues(t *testing.T) {
	f := Analyze([]byte(`location.href = 'tel:' + phone; window.open("callto:" + n + "?x", '_self'); location = `+"`tel:${num}`"), Options{})
	if len(f.Assigns) != 2 {
		t.Fatalf("assigns %+v", f.Assigns)
	}
	if a := f.Assigns[0]; a.Value != "" || a.Partial != "tel:"+Unknown {
		t.Errorf("assign %+v", a)
	}
	if a := f.Assigns[1]; a.Partial != "tel:"+Unknown {
		t.Errorf("template assign %+v", a)
	}
	c := f.Calls[0]
	if c.Args[0] != "" || c.PartialArgs == nil || c.PartialArgs[0] != "callto:"+Unknown+"?x" || c.PartialArgs[1] != "_self" || c.Args[1] != "_self" {
		t.Errorf("call %+v", c)
	}
	f = Analyze([]byte(`open(a + b)`), Options{})
	if f.Calls[0].PartialArgs != nil {
		t.Errorf("nothing constant, yet partial: %q", f.Calls[0].PartialArgs)
	}
}

func TestViaCalls(t *testing.T) {
	src := `var el = document.documentElement;
var rfs = el.requestFullScreen || el.webkitRequestFullScreen || el.mozRequestFullScreen;
rfs.call(el);
(el.msRequestFullscreen || el.requestFullscreen).apply(el);
var a = alert; a('hello');`
	f := Analyze([]byte(src), Options{})
	want := map[string]string{
		"document.documentElement.requestFullScreen":       "call",
		"document.documentElement.webkitRequestFullScreen": "call",
		"document.documentElement.mozRequestFullScreen":    "call",
		"document.documentElement.msRequestFullscreen":     "apply",
		"document.documentElement.requestFullscreen":       "apply",
		"alert": "alias",
	}
	for _, c := range f.Calls {
		if via, ok := want[c.Callee]; ok && c.Via == via {
			delete(want, c.Callee)
			if c.Callee == "alert" && (len(c.Args) != 1 || c.Args[0] != "hello") {
				t.Errorf("alias call args %q", c.Args)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("missing via calls %v in %+v", want, f.Calls)
	}
	members := 0
	for _, m := range f.Members {
		if strings.HasPrefix(m.Path, "document.documentElement.") {
			members++
		}
	}
	if members != 5 {
		t.Errorf("members %+v", f.Members)
	}
}

func TestListeners(t *testing.T) {
	src := `addEventListener('beforeunload', f);
document.addEventListener('click', g, true);
$(document).on('click.ns touchend', h);
$('body').click(function(){});
window.onload = function(){};
el.attachEvent('onmousedown', k);
$(function(){});
$('a').on({mouseenter: m, click: n});
document.body.onkeydown = null;`
	f := Analyze([]byte(src), Options{})
	var got []string
	for _, l := range f.Listeners {
		got = append(got, l.Event+"@"+l.Target)
	}
	want := "beforeunload@window click@document click@$(document) touchend@$(document) click@$('body') load@window mousedown@el ready@document mouseenter@$('a') click@$('a') keydown@document.body"
	if strings.Join(got, " ") != want {
		t.Errorf("listeners\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestURLReads(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // expr=param
	}{
		{"search", `var q = location.search.substring(1)`, []string{"location.search="}},
		{"href read", `var u = window.location.href;`, []string{"window.location.href="}},
		{"href write is not a read", `window.location.href = 'x'`, nil},
		{"URLSearchParams", `var p = new URLSearchParams(window.location.search).get('phone')`, []string{"new URLSearchParams().get=phone", "window.location.search="}},
		{"URLSearchParams variable", `const params = new URLSearchParams(location.search); const n = params.get("n1");`, []string{"location.search=", "new URLSearchParams().get=n1"}},
		{"searchParams", `new URL(location.href).searchParams.get('ph')`, []string{"new URL().searchParams.get=ph", "location.href="}},
		{"regex helper", `function getParam(name) {
  var r = new RegExp('[?&]' + name + '=([^&#]*)').exec(window.location.href);
  return r ? decodeURIComponent(r[1]) : null;
}
var phone = getParam('phone');`, []string{"window.location.href=", "getParam=phone"}},
		{"helper assigned to var", `var gp = function(n){ return location.search.split(n + '=')[1] }; gp('num')`, []string{"location.search=", "gp=num"}},
		{"getUrlVars", `function getUrlVars() {
  var vars = {};
  window.location.href.replace(/[?&]+([^=&]+)=([^&]*)/gi, function(m, key, value) { vars[key] = value; });
  return vars;
}
var number = getUrlVars()["phone"];`, []string{"window.location.href=", "getUrlVars().phone=phone"}},
		{"pattern", `var m = location.search.match(/[?&]phone=([^&]*)/)`, []string{"location.search.match=phone", "location.search="}},
		{"word boundary pattern", `var m = location.href.match(/\bkx=([^&]+)/)`, []string{"location.href.match=kx", "location.href="}},
		{"split", `var n = location.search.split('num=')[1]`, []string{"location.search.split=num", "location.search="}},
		{"test only", `if (/[?&]ads=1/.test(location.href) || location.href.indexOf('preview=true') > -1) {}`, []string{"location.href=", "location.href="}},
		{"not a helper", `function add(a, b){ return a + b } add('x', 1)`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Analyze([]byte(tt.src), Options{})
			var got []string
			for _, u := range f.URLReads {
				got = append(got, u.Expr+"="+u.Param)
				if u.Offset < 0 || u.Offset >= len(tt.src) {
					t.Errorf("offset %d out of range", u.Offset)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOffsets(t *testing.T) {
	src := "alert(1);\nvar x = 2;\nalert(2); y = alert; alert(3)\nlocation = 'tel:1'; obj.go()"
	f := Analyze([]byte(src), Options{})
	var offs []int
	for _, c := range f.Calls {
		offs = append(offs, c.Offset)
		if !strings.HasPrefix(src[c.Offset:], c.Callee) {
			t.Errorf("call %s at %d points at %.10q", c.Callee, c.Offset, src[c.Offset:])
		}
	}
	if len(offs) != 4 || offs[0] != 0 || offs[1] != strings.Index(src, "alert(2)") || offs[2] != strings.Index(src, "alert(3)") {
		t.Errorf("offsets %v", offs)
	}
	for _, a := range f.Assigns {
		if !strings.HasPrefix(src[a.Offset:], a.Target) {
			t.Errorf("assign %s at %d points at %.10q", a.Target, a.Offset, src[a.Offset:])
		}
	}
}

func TestReturns(t *testing.T) {
	f := Analyze([]byte(`window.onbeforeunload = function(){ return "Your computer is at risk!" };
function util(){ return "not a handler" } util();
document.oncontextmenu = function(){ return false };`), Options{})
	if len(f.Returns) != 2 {
		t.Fatalf("returns %+v", f.Returns)
	}
	if r := f.Returns[0]; r.Value != "Your computer is at risk!" || r.Ctx&InUnloadHandler == 0 || r.Offset != 43 {
		t.Errorf("%+v", r)
	}
	if r := f.Returns[1]; r.Value != "false" || r.Ctx&InGestureHandler == 0 {
		t.Errorf("%+v", r)
	}
	f = Analyze([]byte(`return false`), Options{Handler: "onbeforeunload"})
	if len(f.Returns) != 1 || f.Returns[0].Offset != 7 || f.Returns[0].Ctx&InUnloadHandler == 0 {
		t.Errorf("handler attribute: %+v", f.Returns)
	}
}

func TestTopLevelWindowProperties(t *testing.T) {
	f := Analyze([]byte(`var location = 'tel:+18005551234'; var onbeforeunload = function(){ return 'x' }; var other = 'tel:1';`), Options{})
	var targets []string
	for _, a := range f.Assigns {
		targets = append(targets, a.Target+"="+a.Value)
	}
	if strings.Join(targets, " ") != "location=tel:+18005551234 onbeforeunload=" {
		t.Errorf("assigns %q", targets)
	}
	if len(f.Listeners) != 1 || f.Listeners[0].Event != "beforeunload" {
		t.Errorf("listeners %+v", f.Listeners)
	}
}

func TestStringArrayObfuscation(t *testing.T) {
	// The shape obfuscator.io produces (this one was written for the test):
	// a provider, an accessor with an offset, and a rotation with a
	// parseInt checksum.
	src := `function _0xa(){var s=['3VJhQkg','keyboard','2aXyZ','lock','7QwErT','documentElement','5PoiUy','requestFullscreen'];_0xa=function(){return s;};return _0xa();}
function _0xb(i,k){var a=_0xa();return _0xb=function(j,l){j=j-0x64;var r=a[j];return r;},_0xb(i,k);}
(function(p,t){var g=_0xb,q=p();while(!![]){try{var c=parseInt(g(0x64))/0x1*(parseInt(g(0x66))/0x2)+parseInt(g(0x68))/0x3+-parseInt(g(0x6a))/0x4;if(c===t)break;else q['push'](q['shift']());}catch(e){q['push'](q['shift']());}}}(_0xa,CHECK));
var _0xc=_0xb;navigator[_0xc(0x65)][_0xc(0x67)]();document[_0xc(0x69)][_0xc(0x6b)]();`
	// Compute the checksum of the unrotated array (3*2/2... as JS would),
	// then rotate the array literal by 3 so the resolver must find it.
	arr := []string{"3VJhQkg", "keyboard", "2aXyZ", "lock", "7QwErT", "documentElement", "5PoiUy", "requestFullscreen"}
	// float64 arithmetic step by step, as JavaScript does it.
	v3, v2, v7, v5 := 3.0, 2.0, 7.0, 5.0
	check := v3/1*(v2/2) + v7/3 + -v5/4
	rot := append(append([]string{}, arr[len(arr)-3:]...), arr[:len(arr)-3]...)
	lit := "'" + strings.Join(rot, "','") + "'"
	src = strings.Replace(src, "'3VJhQkg','keyboard','2aXyZ','lock','7QwErT','documentElement','5PoiUy','requestFullscreen'", lit, 1)
	src = strings.Replace(src, "CHECK", numberString(check), 1)
	f := Analyze([]byte(src), Options{})
	if f.ParseError != "" {
		t.Fatal(f.ParseError)
	}
	var got []string
	for _, c := range f.Calls {
		got = append(got, c.Callee)
	}
	joined := strings.Join(got, " ")
	for _, want := range []string{"navigator.keyboard.lock", "document.documentElement.requestFullscreen"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no %s in %s", want, joined)
		}
	}
	if strings.Contains(joined, "_0xc") {
		t.Errorf("accessor calls reported as calls: %s", joined)
	}
}

func TestParseErrorFallback(t *testing.T) {
	src := `window.onload = function() { setInterval(function(){ alert('Virus!') }, 100); }
document.getElementById('x').addEventListener('click', function(){ location.href = 'tel:' + '+1800' });
var u = location.search;
el.webkitRequestFullScreen();
<?php echo $phone; ?>`
	f := Analyze([]byte(src), Options{})
	if f.ParseError == "" {
		t.Fatal("expected a parse error")
	}
	if c := callCtx(t, f, "alert"); c&(InTimer|InLoadHandler) != InTimer|InLoadHandler {
		t.Errorf("alert context %s", c)
	}
	found := false
	for _, a := range f.Assigns {
		if a.Target == "location.href" && a.Value == "tel:+1800" && a.Ctx&InGestureHandler != 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("assigns %+v", f.Assigns)
	}
	if len(f.Listeners) != 2 || f.Listeners[1].Event != "click" {
		t.Errorf("listeners %+v", f.Listeners)
	}
	if len(f.URLReads) != 1 || len(f.Members) != 1 {
		t.Errorf("url reads %+v members %+v", f.URLReads, f.Members)
	}
	if len(f.Literals) < 3 {
		t.Errorf("literals %+v", f.Literals)
	}
}

func TestLimits(t *testing.T) {
	// Strings count little towards the limit (WithinData), up to 32 times it.
	big := []byte("var a = '" + strings.Repeat("x", 2<<20) + "'; alert(1)")
	f := Analyze(big, Options{MaxBytes: 128 << 10})
	if f.ParseError != "" || len(f.Calls) != 1 {
		t.Errorf("a script of one 2 MiB string: %q, %d calls", f.ParseError, len(f.Calls))
	}
	big = []byte("var a = '" + strings.Repeat("x", 5<<20) + "'; alert(1)")
	f = Analyze(big, Options{MaxBytes: 128 << 10})
	if f.ParseError == "" || len(f.Calls) != 0 || len(f.Literals) != 1 {
		t.Errorf("oversized script: %q, %d calls, %d literals", f.ParseError, len(f.Calls), len(f.Literals))
	}
	many := []byte(strings.Repeat("alert(1);", maxFacts+10))
	f = Analyze(many, Options{})
	if len(f.Calls) != maxFacts || !f.Truncated {
		t.Errorf("%d calls, truncated %v", len(f.Calls), f.Truncated)
	}
	deep := []byte(strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000))
	f = Analyze(deep, Options{})
	if f.ParseError == "" {
		t.Error("deep nesting parsed")
	}
	lits := Literals([]byte(strings.Repeat("'a';", 100)), 10)
	if len(lits) != 10 {
		t.Errorf("%d literals", len(lits))
	}
}

func TestLiterals(t *testing.T) {
	src := "var a = '\\x74\\u0065\\u{6C}\\072', b = \"x\\\"y\", c = `t${1}u`; var r = /'not a string'/; d = a / 2 / 'z'"
	got := Literals([]byte(src), 0)
	var vals []string
	for _, l := range got {
		vals = append(vals, l.Value)
		if src[l.Offset] != '\'' && src[l.Offset] != '"' && src[l.Offset] != '`' && src[l.Offset] != '}' {
			t.Errorf("offset %d of %q points at %q", l.Offset, l.Value, src[l.Offset])
		}
	}
	if strings.Join(vals, "|") != "tel:|x\"y|t|u|z" {
		t.Errorf("literals %q", vals)
	}
	if !got[0].Escaped || got[1].Escaped {
		t.Errorf("escaped flags %+v", got)
	}
	// Broken scripts still give their literals.
	got = Literals([]byte("x = 'unterminated\ny = 'ok'; @#! z = \"fine\""), 0)
	vals = nil
	for _, l := range got {
		vals = append(vals, l.Value)
	}
	if strings.Join(vals, "|") != "ok|fine" {
		t.Errorf("broken literals %q", vals)
	}
}

// TestConcurrent: Analyze and Deobfuscate share no mutable state (run
// with -race).
func TestConcurrent(t *testing.T) {
	srcs := [][]byte{
		[]byte(`document.addEventListener('click', function(){ el.requestFullscreen() }); for(;;) alert(1)`),
		[]byte(`eval(atob('YWxlcnQoIlZpcnVzIGRldGVjdGVkIik='))`),
		[]byte(`function _0xa(){var s=['keyboard','lock'];_0xa=function(){return s;};return _0xa();}function _0xb(i){var a=_0xa();return _0xb=function(j){j=j-0;return a[j];},_0xb(i);}navigator[_0xb(0)][_0xb(1)]()`),
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			for i := 0; i < 20; i++ {
				for _, s := range srcs {
					Analyze(s, Options{Handler: []string{"", "onclick"}[i%2]})
					Deobfuscate(s, DeobfuscateOptions{})
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// TestHostile feeds inputs built to hurt: deep nesting of every kind,
// floods of lexical errors, long chains, huge literals. Everything must
// return quickly without a recovered panic.
func TestHostile(t *testing.T) {
	failOnPanic(t)
	r := strings.Repeat
	inputs := map[string]string{
		"parens":        r("(", 100000) + "1" + r(")", 100000),
		"brackets":      r("[", 100000),
		"braces":        r("{", 100000) + r("}", 100000),
		"functions":     r("function(){", 5000) + r("}", 5000),
		"unary":         r("!", 200000) + "x",
		"assign chain":  r("a=", 100000) + "1",
		"ternary":       r("a?b:", 50000) + "c",
		"concat 999":    "x(" + r("'a'+", 998) + "'a')",
		"member chain":  "a" + r(".b", 999) + "()",
		"call chain":    "a" + r("()", 999),
		"template":      r("`${", 5000) + r("}`", 5000),
		"stray bytes":   r("@#", 300000),
		"unterminated":  r("'x\n", 100000),
		"regex soup":    r("/[/ ", 100000),
		"many literals": r("'a',", 200000),
		"many calls":    r("f(1);", 100000),
		"big string":    "x('" + r("A", 900000) + "')",
		"doubling":      "var a='xx';" + r("a=a+a;", 40) + "eval(a)",
		"array index":   "var s=[" + r("'a',", 20000) + "'b']; x(s[20000], s.join(''), s.reverse().join(''))",
		"recursive fn":  "function f(x){ return f(x) } x(f('a'))",
		"html":          r("<div onclick=\"a()\">text</div>\n", 20000),
		"binary":        string([]byte{0, 0xff, 0xfe, '\'', 0x80, '`', '$', '{'}) + r("\x00\xc3", 100000),
		"packer bomb":   "eval(function(p,a,c,k,e,d){}('" + r("0 ", 100000) + "',62,1,'" + r("x", 60000) + "'.split('|'),0,{}))",
		"escape flood":  "var s='" + r("\\x41", 200000) + "'",
	}
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			Analyze([]byte(src), Options{})
			Analyze([]byte(src), Options{Handler: "onclick"})
			Literals([]byte(src), 0)
			if LooksObfuscated([]byte(src)) {
				Deobfuscate([]byte(src), DeobfuscateOptions{})
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
		})
	}
}
