package emulate

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// run emulates one page whose scripts are its inline <script> elements.
func run(t testing.TB, html, url string, click bool) Result {
	t.Helper()
	var scripts []Script
	for _, m := range regexp.MustCompile(`(?is)<script[^>]*>(.*?)</script>`).FindAllStringSubmatch(html, -1) {
		scripts = append(scripts, Script{Name: "inline", Source: []byte(m[1])})
	}
	if url == "" {
		url = "https://page.test/"
	}
	return Emulate(context.Background(), Page{URL: url, HTML: []byte(html), Scripts: scripts}, Options{Click: click, Budget: 500 * time.Millisecond})
}

func find(r Result, kind capture.EventKind) []capture.Event {
	var out []capture.Event
	for _, e := range r.Events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

const num = "tel:+18445550142"

func TestCallNavigations(t *testing.T) {
	pages := map[string]string{
		"click":          `<a id=c href="` + num + `"></a><script>document.getElementById('c').click()</script>`,
		"dispatchEvent":  `<a class=c href="` + num + `"></a><script>document.querySelector('a.c').dispatchEvent(new MouseEvent('click'))</script>`,
		"location":       `<script>location = '` + num + `'</script>`,
		"location.href":  `<script>window.location.href = '` + num + `'</script>`,
		"document.loc":   `<script>document.location = '` + num + `'</script>`,
		"top.location":   `<script>top.location.href = '` + num + `'</script>`,
		"assign":         `<script>location.assign('` + num + `')</script>`,
		"replace":        `<script>location.replace('` + num + `')</script>`,
		"navigation API": `<script>navigation.navigate('` + num + `').finished.then(function () {})</script>`,
		"window.open":    `<script>window.open('` + num + `')</script>`,
		"meta refresh":   `<meta http-equiv="refresh" content="0; url=` + num + `">`,
		"iframe":         `<iframe src="` + num + `"></iframe>`,
		"iframe script":  `<body><script>var f = document.createElement('iframe'); f.setAttribute('src', '` + num + `'); document.body.appendChild(f)</script></body>`,
		"form submit":    `<form action="` + num + `"></form><script>document.forms ? document.querySelector('form').submit() : 0</script>`,
		"atob":           `<script>location.href = atob('dGVsOisxODQ0NTU1MDE0Mg==')</script>`,
		"eval":           `<script>eval("location.href='` + num + `'")</script>`,
		"new Function":   `<script>new Function("location.href='` + num + `'")()</script>`,
		"timer string":   `<script>setTimeout("location.href='` + num + `'", 1500)</script>`,
		"document.write": `<script>document.write('<a id=w href="` + num + `">x</a>'); document.getElementById('w').click()</script>`,
		"jquery trigger": `<a id=j href="` + num + `"></a><script>$(function(){ $('#j').trigger('click') })</script>`,
		"onload attr":    `<body onload="location.href='` + num + `'"></body>`,
		"callto":         `<script>location.href = 'callto:+18445550142'</script>`,
	}
	for name, html := range pages {
		t.Run(name, func(t *testing.T) {
			r := run(t, html, "", false)
			ev := find(r, capture.EventCallNavigation)
			if len(ev) == 0 {
				t.Fatalf("no call navigation; events %+v errors %v", r.Events, r.Errors)
			}
			if ev[0].AfterGesture || !strings.Contains(ev[0].Detail, "18445550142") {
				t.Errorf("%+v", ev[0])
			}
		})
	}
}

// confirm() answers Cancel unless the page is run as a visitor who answers
// OK; either way the dialog is reported, and the page cannot see the
// setting.
func TestConfirmAnswer(t *testing.T) {
	html := `<script>if (typeof __answersOK !== "undefined") alert("leaked");
if (confirm("Press OK to call support")) location.href = '` + num + `'; else document.title = "cancelled"</script>`
	scripts := []Script{{Name: "inline", Source: []byte(html[len("<script>") : len(html)-len("</script>")])}}
	for _, ok := range []bool{false, true} {
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(html), Scripts: scripts, AnswersOK: ok}, Options{Budget: 500 * time.Millisecond})
		dialogs := find(r, capture.EventDialog)
		if len(dialogs) != 1 || dialogs[0].Reason != "confirm" {
			t.Errorf("answers OK %v: dialogs %+v", ok, dialogs)
		}
		if calls := find(r, capture.EventCallNavigation); (len(calls) > 0) != ok {
			t.Errorf("answers OK %v: call navigations %+v", ok, calls)
		}
	}
}

// A string array decoded entry by entry (each too short to report) is a
// page making progress: the guard grants it more time, up to MaxBudget,
// where a loop that decodes nothing is cut off at its budget. The budget
// is 25 ms and the decoding loop needs several: a machine that stalls the
// thread for a few milliseconds (a VM's stolen time reads as the thread's
// CPU time) must not read as the page stalling, as it did with 5 ms.
func TestShortDecodingsAreProgress(t *testing.T) {
	page := func(step string) Result {
		src := `var a = []; for (var i = 0; i < 300000; i++) { a.push(` + step + `); if (a.length > 64) a.length = 0 }
location.href = '` + num + `'`
		return Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte("<script>" + src + "</script>"), Scripts: []Script{{Name: "inline", Source: []byte(src)}}},
			Options{Budget: 25 * time.Millisecond, MaxBudget: 5 * time.Second})
	}
	if r := page(`decodeURIComponent("%7" + (i % 10))`); len(find(r, capture.EventCallNavigation)) == 0 {
		t.Errorf("decoding loop cut off: stalled %v, events %+v", r.Stalled, r.Events)
	}
	if r := page(`String(i % 10) + "x"`); len(find(r, capture.EventCallNavigation)) != 0 || len(r.Stalled) == 0 {
		t.Errorf("a loop that decodes nothing ran on: stalled %v, events %+v", r.Stalled, r.Events)
	}
}

// The simulated visitor leaves the page through its top edge after moving
// over it: a kit that waits for that exit intent dials then, on its own (no
// user activation), and not at all when the visitor is not simulated.
func TestExitIntent(t *testing.T) {
	for name, html := range map[string]string{
		"document mouseleave": `<body><script>document.addEventListener("mouseleave", function () { location.href = '` + num + `' })</script></body>`,
		"html onmouseleave":   `<body><script>document.documentElement.onmouseleave = function () { location.href = '` + num + `' }</script></body>`,
		"mouseout to nowhere": `<body><script>document.addEventListener("mouseout", function (e) { if (!e.relatedTarget && e.clientY < 10) location.href = '` + num + `' })</script></body>`,
	} {
		t.Run(name, func(t *testing.T) {
			ev := find(run(t, html, "", true), capture.EventCallNavigation)
			if len(ev) == 0 || ev[0].AfterGesture {
				t.Errorf("call navigations %+v", ev)
			}
			if ev := find(run(t, html, "", false), capture.EventCallNavigation); len(ev) != 0 {
				t.Errorf("without the visitor: %+v", ev)
			}
		})
	}
}

// The visitor presses Back last: on a page that pushed history entries,
// its popstate handler (a back-button trap) runs; on a page that pushed
// none, nothing is dispatched.
func TestBackButtonTrap(t *testing.T) {
	trap := `<body><script>history.pushState({}, "", location.href);
window.onpopstate = function () { location.href = '` + num + `' }</script></body>`
	if ev := find(run(t, trap, "", true), capture.EventCallNavigation); len(ev) == 0 {
		t.Errorf("back-button trap not run: %+v", ev)
	}
	if ev := find(run(t, trap, "", false), capture.EventCallNavigation); len(ev) != 0 {
		t.Errorf("without the visitor: %+v", ev)
	}
	noEntries := `<body><script>addEventListener("popstate", function () { location.href = '` + num + `' })</script></body>`
	if ev := find(run(t, noEntries, "", true), capture.EventCallNavigation); len(ev) != 0 {
		t.Errorf("popstate without pushed entries: %+v", ev)
	}
}

func TestTemplate(t *testing.T) {
	html := `<p>Call <span id=n></span></p><a id=c href="#"></a><script>
var p = new URLSearchParams(location.search).get('phone');
document.getElementById('n').textContent = p;
document.getElementById('c').href = 'tel:' + p;
document.getElementById('c').click();
</script>`
	r := run(t, html, "https://page.test/?phone=18885550100", false)
	if ev := find(r, capture.EventCallNavigation); len(ev) == 0 || ev[0].Detail != "tel:18885550100" {
		t.Errorf("template number not dialled: %+v", r.Events)
	}
}

func TestGestures(t *testing.T) {
	// A call button's handler runs only when its button is clicked: not on
	// load, and not on a click on the page.
	button := `<button id=b>Call</button><script>document.getElementById('b').addEventListener('click', function(){ location.href = '` + num + `' })</script>`
	for _, click := range []bool{false, true} {
		if ev := find(run(t, button, "", click), capture.EventCallNavigation); len(ev) != 0 {
			t.Errorf("click=%v: button handler ran: %+v", click, ev)
		}
	}
	// "Click anywhere, then lock": nothing before the click, everything after.
	page := `<script>document.addEventListener('click', function(){
  document.documentElement.requestFullscreen(); navigator.keyboard.lock(); document.body.requestPointerLock();
  new Audio('a.mp3').play(); location.href = '` + num + `'; })</script>`
	if r := run(t, page, "", false); len(r.Events) != 0 {
		t.Errorf("events without a click: %+v", r.Events)
	}
	r := run(t, page, "", true)
	for _, k := range []capture.EventKind{capture.EventFullscreen, capture.EventKeyboardLock, capture.EventPointerLock, capture.EventAudio, capture.EventCallNavigation} {
		ev := find(r, k)
		if len(ev) == 0 || !ev[0].AfterGesture {
			t.Errorf("%s after the click: %+v", k, ev)
		}
	}
}

func TestLockers(t *testing.T) {
	r := run(t, `<body onbeforeunload="return 1"><script>
for (var i = 0; i < 12; i++) history.pushState({}, '', '#' + i);
setInterval(function(){ print(); }, 500);
window.open('https://x.test/1'); window.open('https://x.test/2');
speechSynthesis.speak(new SpeechSynthesisUtterance('Critical alert from Microsoft'));
var a = document.createElement('a'); a.href = 'data:,x'; a.download = 'x.txt'; a.click();
</script><audio autoplay src="s.mp3"></audio></body>`, "", false)
	counts := map[capture.EventKind]int{}
	for _, e := range r.Events {
		counts[e.Kind] += e.Count
	}
	want := map[capture.EventKind]int{capture.EventBeforeUnload: 1, capture.EventHistory: 12, capture.EventPrint: 5, capture.EventPopup: 2, capture.EventSpeech: 1, capture.EventDownload: 1, capture.EventAudio: 1}
	for k, n := range want {
		if counts[k] < n {
			t.Errorf("%s = %d, want at least %d", k, counts[k], n)
		}
	}
	if sp := find(r, capture.EventSpeech); len(sp) == 0 || sp[0].Detail != "Critical alert from Microsoft" {
		t.Errorf("speech %+v", sp)
	}
}

func TestBudgetsAndGuards(t *testing.T) {
	tests := map[string]string{
		"endless loop":     `<script>while(true){}</script>`,
		"dialog storm":     `<script>while(true){ alert('x') }</script>`,
		"deep recursion":   `<script>function f(){ f() } f()</script>`,
		"string doubling":  `<script>var s = 'x'; while (true) s += s;</script>`,
		"interval storm":   `<script>setInterval(function(){ document.body.appendChild(document.createElement('div')) }, 0)</script>`,
		"syntax error":     `<script>function (</script>`,
		"throws":           `<script>throw new Error('boom')</script><script>location.href='` + num + `'</script>`,
		"deep nesting":     strings.Repeat("<div>", 20000) + `<script>location.href='` + num + `'</script>`,
		"innerHTML replay": `<body><script>document.body.innerHTML += '<p>x</p>'</script></body>`,
	}
	before := runtime.NumGoroutine()
	for name, html := range tests {
		t.Run(name, func(t *testing.T) {
			var scripts []Script
			for _, m := range regexp.MustCompile(`(?is)<script[^>]*>(.*?)</script>`).FindAllStringSubmatch(html, -1) {
				scripts = append(scripts, Script{Name: "inline", Source: []byte(m[1])})
			}
			start := time.Now()
			budget := 50 * time.Millisecond
			if name == "deep nesting" {
				budget = time.Second // building the capped tree is work too
			}
			r := Emulate(context.Background(), Page{HTML: []byte(html), Scripts: scripts}, Options{Budget: budget, MaxHeapMB: 256})
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
			if name == "throws" || name == "deep nesting" {
				if len(find(r, capture.EventCallNavigation)) == 0 {
					t.Errorf("the script after a failing one did not run: %+v %v (interrupted %v after %v)", r.Events, r.Errors, r.Interrupted, time.Since(start))
				}
			}
			if name == "dialog storm" && !r.Interrupted {
				t.Error("dialog storm not interrupted")
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("goroutines %d -> %d: the guard leaks", before, after)
	}
}

func TestContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	start := time.Now()
	r := Emulate(ctx, Page{HTML: []byte("<p>"), Scripts: []Script{{Source: []byte("while(true){}")}}}, Options{Budget: 10 * time.Second})
	if !r.Interrupted || time.Since(start) > 5*time.Second {
		t.Errorf("cancel not honoured: interrupted=%v after %v", r.Interrupted, time.Since(start))
	}
}

// TestCorpusPages: every corpus scam page emulates without a failure of the
// emulator, and the kits' beforeunload traps are seen.
func TestCorpusPages(t *testing.T) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skip("shared corpus not present")
	}
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	pages, unload := 0, 0
	for _, e := range entries {
		if !e.IsPage() || e.Label != "scam" {
			continue
		}
		html, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			continue
		}
		base, _ := corpus.Resolve(dir, e)
		var scripts []Script
		for _, m := range regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`).FindAllStringSubmatch(string(html), -1) {
			if src := regexp.MustCompile(`(?i)src=["']?([^"' >]+)`).FindStringSubmatch(m[1]); src != nil {
				if b, err := os.ReadFile(filepath.Join(base, src[1])); err == nil {
					scripts = append(scripts, Script{Name: src[1], Source: b})
				}
				continue
			}
			scripts = append(scripts, Script{Name: "inline", Source: []byte(m[2])})
		}
		r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: html, Scripts: scripts}, Options{Click: true})
		pages++
		for _, er := range r.Errors {
			if strings.HasPrefix(er, "internal") || strings.HasPrefix(er, "prelude") {
				t.Errorf("%s: %s", e.File, er)
			}
		}
		if len(find(r, capture.EventBeforeUnload)) > 0 {
			unload++
		}
	}
	if unload < pages/2 {
		t.Errorf("beforeunload seen on %d of %d kit pages", unload, pages)
	}
}

func FuzzEmulate(f *testing.F) {
	for _, s := range []string{`location.href='tel:1'`, `document.write('<a id=x href=tel:1>'); x.click()`, `while(1){}`, `$('<div>').appendTo('body')`, `document.querySelector('a[href^="tel"]')`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		r := Emulate(context.Background(), Page{HTML: []byte("<a id=x href='tel:1'></a>"), Scripts: []Script{{Source: []byte(src)}}}, Options{Budget: 20 * time.Millisecond, Click: true})
		for _, e := range r.Errors {
			if strings.HasPrefix(e, "internal") || strings.HasPrefix(e, "prelude") {
				t.Fatal(e)
			}
		}
	})
}

func BenchmarkEmptyPage(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Emulate(context.Background(), Page{HTML: []byte("<p>hi</p>")}, Options{Click: true})
	}
}

func BenchmarkKitPage(b *testing.B) {
	html := `<html><body onbeforeunload="return 1"><div class="map"><h1>Windows Defender</h1><p id=n></p><a id=c href="#">Call</a></div>
<script>var p = new URLSearchParams(location.search).get('phone') || '18445550142';
document.getElementById('n').textContent = p; $(function(){ $('.map').click(function(){ document.documentElement.requestFullscreen(); }); });
var i = 0; setInterval(function(){ i++; document.getElementById('n').textContent = p + ' ' + i; }, 100);</script></body></html>`
	b.ReportAllocs()
	for b.Loop() {
		run(b, html, "https://page.test/?phone=18885550100", true)
	}
}
