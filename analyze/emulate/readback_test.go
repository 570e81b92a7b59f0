package emulate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/cpuclock"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// joinDumpJS is the document read back as it was: the pieces joined in
// JavaScript and the attributes read with for-in.
const joinDumpJS = `(function () {
	var voidTags = { area: 1, base: 1, br: 1, col: 1, embed: 1, hr: 1, img: 1, input: 1, link: 1, meta: 1, source: 1, track: 1, wbr: 1, param: 1 };
	function str(v) { try { return v === undefined || v === null ? "" : String(v); } catch (e) { return ""; } }
	function esc(t, attr) {
		if (t.indexOf("&") >= 0) t = t.replace(/&/g, "&amp;");
		if (t.indexOf("<") >= 0) t = t.replace(/</g, "&lt;");
		if (t.indexOf(">") >= 0) t = t.replace(/>/g, "&gt;");
		if (attr && t.indexOf('"') >= 0) t = t.replace(/"/g, "&quot;");
		return t;
	}
	function dump(n, out, raw, depth) {
		if (out.size > 4194304 || depth > 256) return;
		if (n.nodeType === 3) { var t = raw ? n.data : esc(n.data, false); out.push(t); out.size += t.length; return; }
		var t = n.localName, kids = n.childNodes || [];
		if (n.nodeType === 9 || n.nodeType === 11) { for (var i = 0; i < kids.length; i++) dump(kids[i], out, false, depth + 1); return; }
		if (t === "script" || n.nodeType !== 1) return;
		var s = "<" + t;
		for (var k in n._attrs) s += " " + k + '="' + esc(str(n._attrs[k]), true) + '"';
		out.push(s + ">"); out.size += s.length;
		if (voidTags[t]) return;
		for (var i = 0; i < kids.length; i++) dump(kids[i], out, t === "style", depth + 1);
		out.push("</" + t + ">");
	}
	return function () { var out = []; out.size = 0; dump(document, out, false, 0); return out.join(""); };
})()`

// makeAllJS makes every node of the document.
const makeAllJS = `(function m(n) { var k = n.childNodes || []; for (var i = 0; i < k.length; i++) m(k[i]); })(document)`

// readBackOddities are scripts that leave the document in states the
// fast read back must hand to the old one.
var readBackOddities = []string{
	"",
	`document.body.setAttribute("data-x", "a&b<c>\"d\""); document.body.appendChild(document.createTextNode("x < y & z"));`,
	`Object.prototype.polluted = "yes";`,
	`document.body._attrs.num = 42; document.body._attrs.obj = { toString: function () { return "obj&"; } };`,
	`var d = document.createElement("div"); d._attrs = Object.create({ inherited: "i" }); d._attrs.own = "o"; document.body.appendChild(d);`,
	`var s = document.createElement("style"); var t = document.createTextNode("p{}"); t.data = 7; s.appendChild(t); document.body.appendChild(s);`,
	`Array.prototype.join = function () { return "joined by the page"; };`,
	`var p = Array.prototype.push; Array.prototype.push = function (x) { return p.call(this, String(x).toUpperCase()); };`,
	`document.body._attrs = null; document.documentElement._attrs = "str";`,
	`document.body.innerHTML = "<p id=1 9=n 10=m a=b>\u00e9\u4e2d\ud83d\ude00</p>";`,
	// Scripts that change how the dump escapes: only the prelude's dump
	// reads the page as they made it.
	`Object.defineProperty(RegExp.prototype, "global", { configurable: true, get: function () { return false; } }); document.body.setAttribute("title", "a&b&c");`,
	`String.prototype.indexOf = function () { return -1; };`,
	`var rx = RegExp.prototype.exec; RegExp.prototype.exec = function (s) { return rx.call(this, s); };`,
	`var ap = Array.prototype, j = ap.join; ap.join = function () { return j.call(this, "+"); }; Array = { prototype: { push: ap.push, join: j } };`,
	// Halves of a surrogate pair in neighbouring texts make one character
	// in the joined document; a lone half is U+FFFD.
	`document.body.appendChild(document.createTextNode("a\ud83d")); document.body.appendChild(document.createTextNode("\ude00b")); document.body.appendChild(document.createTextNode("\ud800"));`,
}

// TestReadBackMatchesJoin holds the document read back to the old way of
// reading it, on the corpus, the fixtures and pages left in odd states.
func TestReadBackMatchesJoin(t *testing.T) {
	check := func(name string, html []byte, script string) string {
		t.Helper()
		clock, unlock := cpuclock.Start()
		defer unlock()
		e := &emu{opts: Options{MaxEvents: 256, MaxOutput: 2 << 20}, events: capture.EventLog[eventKey]{PerKind: 256}, started: time.Now(), clock: clock}
		preludeOnce.Do(func() { prelude, preludeErr = goja.Compile("prelude.js", preludeJS, false) })
		vm := goja.New()
		vm.SetMaxCallStackSize(1000) // as Emulate has it
		e.vm = vm
		e.install(Page{URL: "https://page.test/", HTML: html})
		if _, err := vm.RunProgram(prelude); err != nil {
			t.Fatal(err)
		}
		old, err := vm.RunString(joinDumpJS)
		if err != nil {
			t.Fatal(err)
		}
		oldFn, _ := goja.AssertFunction(old)
		newFn, _ := goja.AssertFunction(vm.Get("__domHTML"))
		if _, err := vm.RunString(script); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The read back takes what is not made yet from the page's tree
		// (lazy.go); the old way makes every node first, outside the read
		// back's budget, and so does the second reading.
		got := e.readBack(newFn)
		if script == "" && !e.domRead {
			t.Errorf("%s: not read back in Go", name)
		}
		if _, err := vm.RunString(makeAllJS); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The old way reads a large page in JavaScript: on a slow machine
		// it took more than the read back's budget, and the test failed
		// for want of a reference.
		want := e.readBackWithin(oldFn, 10*time.Second)
		if made := e.readBack(newFn); made != got {
			t.Errorf("%s: read back differs once every node is made", name)
		}
		if want == "" && name != "oddity 8" {
			t.Errorf("%s: nothing read back", name)
		}
		if got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: read back differs at %d:\n got %.120q\nwant %.120q", name, i, got[i:], want[i:])
		}
		return got
	}
	err := testdirs.EachFile(func(name string, b []byte) error {
		check(name, b, "")
		return nil
	}, ".html", ".htm")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range readBackOddities {
		check(fmt.Sprintf("oddity %d", i), []byte(`<html><body class="b" onload="x()"><p title='a"b'>t &amp; u</p><style>a>b{}</style></body></html>`), s)
	}
	// A tree made a graph that would take forever to walk is given up at
	// the read back's budget, and what follows still reads.
	clock, unlock := cpuclock.Start()
	defer unlock()
	e := &emu{opts: Options{MaxEvents: 256, MaxOutput: 2 << 20}, events: capture.EventLog[eventKey]{PerKind: 256}, started: time.Now(), clock: clock}
	e.vm = goja.New()
	e.install(Page{URL: "https://page.test/", HTML: []byte("<p>x</p>")})
	if _, err := e.vm.RunProgram(prelude); err != nil {
		t.Fatal(err)
	}
	if _, err := e.vm.RunString(`var d = document.createElement("div"); document.body.appendChild(d); d.childNodes.push(d, d); __canvasText = function () { return "after"; };`); err != nil {
		t.Fatal(err)
	}
	domFn, _ := goja.AssertFunction(e.vm.Get("__domHTML"))
	began := time.Now()
	if got := e.readBack(domFn); got != "" {
		t.Errorf("a cyclic tree read back as %.80q", got)
	}
	if took := time.Since(began); took > 5*readBackBudget {
		t.Errorf("a cyclic tree took %v to give up", took)
	}
	after, _ := goja.AssertFunction(e.vm.Get("__canvasText"))
	if got := e.readBack(after); got != "after" {
		t.Errorf("after the cyclic tree, a read back gave %q", got)
	}
	// Past the read-back cap, the pieces stop where the joined text was cut.
	big := strings.Repeat("<p>"+strings.Repeat("\u4e2dxy", maxReadBack/16)+"</p>", 4)
	if got := check("over the cap", []byte(big), ""); !strings.HasSuffix(got, "…") {
		t.Errorf("a document of %d bytes was not cut at the cap: %d bytes", len(big), len(got))
	}
}
