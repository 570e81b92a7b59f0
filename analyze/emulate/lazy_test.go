package emulate

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/cpuclock"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// queryProbeJS runs the DOM's searches and reads over the page and says
// what each found, each node by its path from the document. ids are the
// ids to look up.
const queryProbeJS = `(function (ids) {
	function path(n) { var p = []; for (; n && n.parentNode; n = n.parentNode) p.unshift(n.parentNode.childNodes.indexOf(n)); return n === document ? p.join(".") : "detached"; }
	// The first and last of each list, and how many: a path costs a walk up.
	function list(l) { var out = [l.length]; for (var i = 0; i < l.length; i++) if (i < 50 || i >= l.length - 50) out.push(path(l[i])); return out.join(" "); }
	var out = [];
	["*", "div", "a", "p", "script", "meta", "li", "span", "img", "nosuchtag"].forEach(function (t) { out.push("tag " + t + ": " + list(document.getElementsByTagName(t))); });
	["div a", "body > div", "a[href]", "[id]", "ul li a", "div > p, span", "p:first-child", "[class]", "#main .content", "a[href^=http]", "meta[name]", "div.x", "body *"].forEach(function (s) {
		out.push("all " + s + ": " + list(document.querySelectorAll(s)));
		var one = document.querySelector(s);
		out.push("one " + s + ": " + (one ? path(one) : "none"));
	});
	var first = document.querySelector("[class]");
	if (first) {
		var cls = first.getAttribute("class").split(/\s+/)[0];
		out.push("class " + cls + ": " + list(document.getElementsByClassName(cls)));
	}
	var d = document.getElementsByTagName("div")[3];
	if (d) out.push("under div: " + list(d.querySelectorAll("*")) + " / " + list(d.getElementsByTagName("a")) + " / " + d.textContent.length);
	ids.forEach(function (id) { var n = document.getElementById(id); out.push("id " + id + ": " + (n ? path(n) : "none")); });
	out.push("title: " + document.title + " / body text " + document.body.textContent.length);
	return out.join("\n");
})`

// lazyVM is a VM with the prelude run over html, as Emulate sets it up.
func lazyVM(t *testing.T, html []byte) *goja.Runtime {
	t.Helper()
	clock, unlock := cpuclock.Start()
	t.Cleanup(unlock)
	e := &emu{opts: Options{MaxEvents: 256, MaxOutput: 2 << 20}, events: capture.EventLog[eventKey]{PerKind: 256}, started: time.Now(), clock: clock}
	preludeOnce.Do(func() { prelude, preludeErr = goja.Compile("prelude.js", preludeJS, false) })
	e.vm = goja.New()
	e.vm.SetMaxCallStackSize(1000)
	e.install(Page{URL: "https://page.test/", HTML: html})
	if _, err := e.vm.RunProgram(prelude); err != nil {
		t.Fatal(err)
	}
	return e.vm
}

// TestLazyDOMAnswersAsMade: on every page of the corpus and the
// fixtures, the searches and reads of a DOM made on demand find what they
// find once every node is made.
func TestLazyDOMAnswersAsMade(t *testing.T) {
	pages := 0
	err := testdirs.EachFile(func(name string, b []byte) error {
		pages++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			compareLazy(t, b)
		})
		return nil
	}, ".html", ".htm")
	if err != nil {
		t.Fatal(err)
	}
	if pages < 100 {
		t.Fatalf("only %d pages", pages)
	}
}

func compareLazy(t *testing.T, page []byte) {
	probe := func(vm *goja.Runtime, ids []string) string {
		t.Helper()
		out, err := callJS(t, vm, queryProbeJS, ids)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	made := lazyVM(t, page)
	if _, err := made.RunString(makeAllJS); err != nil {
		t.Fatal(err)
	}
	idsV, err := made.RunString(`Array.prototype.map.call(document.getElementsByTagName("*"), function (n) { return n.getAttribute("id"); }).filter(function (x) { return x; }).slice(0, 40).concat(["nosuchid", "constructor"])`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	if err := made.ExportTo(idsV, &ids); err != nil {
		t.Fatal(err)
	}
	want := probe(made, ids)
	got := probe(lazyVM(t, page), ids)
	if got != want {
		g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Errorf("on demand %.200q\n  made up front %.200q", g[i], w[i])
				break
			}
		}
	}
}

// TestPaddedPayload: padding a page with thousands of elements before
// its payload (nested or side by side) hides neither the payload nor
// what it does within the budget the pipeline gives.
func TestPaddedPayload(t *testing.T) {
	payload := `<div class="box"><p>Call 1-844-555-0142</p><a class="cta" id="cta" href="` + num + `">Call</a></div>`
	script := `<script>setTimeout(function () { var a = document.querySelector('a.cta') || document.getElementById('cta'); a.dispatchEvent(new MouseEvent('click', { bubbles: true })); }, 500);</script>`
	for name, pad := range map[string]func(int) string{
		"nested": func(n int) string {
			return `<div style="display:none">` + strings.Repeat(`<div class="c"><span>item</span></div>`, n) + `</div>`
		},
		"side by side": func(n int) string { return strings.Repeat(`<div>item</div>`, n) },
	} {
		for _, n := range []int{6000, 20000} {
			t.Run(fmt.Sprintf("%s %d", name, n), func(t *testing.T) {
				html := `<html><head><title>Security Warning</title></head><body>` + pad(n) + payload + script + `</body></html>`
				r := runBudget(t, html, 35*time.Millisecond)
				if ev := find(r, capture.EventCallNavigation); len(ev) == 0 {
					t.Fatalf("the auto-dial after %d padding elements was not seen: interrupted %v, errors %v", n, r.Interrupted, r.Errors)
				}
			})
		}
	}
}

// runBudget is run with the pipeline's budget.
func runBudget(t testing.TB, html string, budget time.Duration) Result {
	t.Helper()
	var scripts []Script
	rest := html
	for {
		i := strings.Index(rest, "<script>")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], "</script>")
		scripts = append(scripts, Script{Name: "inline", Source: []byte(rest[i+8 : i+j])})
		rest = rest[i+j:]
	}
	return Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(html), Scripts: scripts}, Options{Budget: budget, Click: true})
}

// TestPageTreeFind: find returns every element a compound could match,
// in document order, and path leads to it.
func TestPageTreeFind(t *testing.T) {
	var nodes int
	tr := buildPageTree(parseTree(`<div id=a class="x y"><p class=x>1</p><a href=h>2</a></div><p id=b data-k=v>3</p><DIV Class=X>4</DIV>`, &nodes, MaxPageNodes))
	tags := func(list []int32) string {
		var s []string
		for _, i := range list {
			s = append(s, tr.nodes[i].tag)
		}
		return strings.Join(s, ",")
	}
	for _, c := range []struct {
		from int
		q    []string
		want string
	}{
		{-1, []string{"p", "\x00", "", ""}, "p,p"},
		{-1, []string{"", "b", "", ""}, "p"},
		{-1, []string{"", "\x00", "x", ""}, "div,p"}, // "X" differs in case: no
		{-1, []string{"", "\x00", "", "href"}, "a"},
		{-1, []string{"", "\x00", "", "data-k"}, "p"},
		{-1, []string{"a", "\x00", "", "", "p", "\x00", "", ""}, "p,a,p"},
		{0, []string{"", "\x00", "", ""}, "p,a"},
		{0, []string{"div", "\x00", "", ""}, ""},
	} {
		found, _ := tr.find(c.from, parseQueries(c.q))
		if got := tags(found); got != c.want {
			t.Errorf("find(%d, %q) = %s, want %s", c.from, c.q, got, c.want)
		}
	}
	many := buildPageTree(parseTree(strings.Repeat("<p>x</p>", 100)+"<a>y</a>", &nodes, MaxPageNodes))
	if found, m := many.find(-1, parseQueries([]string{"p", "\x00", "", ""})); !m || found != nil {
		t.Errorf("100 of 101 elements: many %v, %d found", m, len(found))
	}
	if found, m := many.find(-1, parseQueries([]string{"a", "\x00", "", ""})); m || len(found) != 1 {
		t.Errorf("1 of 101 elements: many %v, %d found", m, len(found))
	}
	if p := tr.path(-1, 2); len(p) != 2 || p[0] != 0 || p[1] != 2 {
		t.Errorf("path to the a: %v", p)
	}
	if p := tr.path(3, 2); p != nil {
		t.Errorf("path from an element not above: %v", p)
	}
	if got := tr.text(0); got != "12" {
		t.Errorf("text of the first div: %q", got)
	}
	if got := tr.lastID["a"]; got != 0 {
		t.Errorf("id a: %d", got)
	}
}

// TestBudgetSeesThroughNodeMaking: making nodes is not charged, but a page
// can neither call the natives that time it nor leave the timing open by
// making the node cap throw: a spinning page is still cut off.
func TestBudgetSeesThroughNodeMaking(t *testing.T) {
	page := `<body><div id=a><p>x</p><p>y</p></div>` + strings.Repeat(`<div><span>pad</span></div>`, 200) + `</body>`
	for name, code := range map[string]string{
		"natives hidden":          `if (typeof __cpu !== "undefined" || typeof __credit !== "undefined" || typeof __pageKids !== "undefined") location.href = 'tel:+18445550142'; while (true) {}`,
		"cap throws while making": `try { for (var i = 0; i < 50000; i++) document.createElement('i'); } catch (e) {} try { document.getElementById('a'); } catch (e) { while (true) {} }`,
		"setter met while making": `Object.defineProperty(Object.prototype, "id", { set: function (v) { while (true) {} }, configurable: true }); document.getElementById('a');`,
		"getter met while making": `Object.defineProperty(Object.prototype, "_lz", { get: function () { while (true) {} }, configurable: true }); document.querySelector('p');`,
	} {
		t.Run(name, func(t *testing.T) {
			clock, stop := cpuclock.Start()
			defer stop()
			// A budget the 50,000 nodes fit in; the wall cap is 20 of them.
			r := Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(page), Scripts: []Script{{Name: "s", Source: []byte(code)}}},
				Options{Budget: 400 * time.Millisecond})
			if took := clock.Used(); !r.Interrupted || took > 2*time.Second {
				t.Fatalf("interrupted %v after %v", r.Interrupted, took)
			}
			if len(find(r, capture.EventCallNavigation)) != 0 {
				t.Fatal("a page script reached the natives")
			}
		})
	}
}

// TestDOMCutIsSaid: a document past the emulator's node cap is kept in
// part, and the result says so; parsing it, longer than the pipeline's
// budget, is not charged to the budget.
func TestDOMCutIsSaid(t *testing.T) {
	for n, want := range map[int]bool{1000: false, MaxPageNodes + 10: true} {
		page := Page{URL: "https://page.test/", HTML: []byte("<body>" + strings.Repeat("<i></i>", n) + "</body>"), Scripts: []Script{{Name: "s", Source: []byte("var x = 1;")}}}
		r := Emulate(context.Background(), page, Options{Budget: 35 * time.Millisecond, Click: true})
		if r.DOMCut != want || r.Interrupted {
			t.Errorf("%d elements: DOMCut %v, interrupted %v", n, r.DOMCut, r.Interrupted)
		}
	}
}

// TestPageElementsAreOneObjectEach: an object given a page element's
// properties (jQuery's extend, Object.assign) does not make that
// element's children a second time, so searches still find the page's
// own nodes.
func TestPageElementsAreOneObjectEach(t *testing.T) {
	vm := lazyVM(t, []byte(`<body><div id=a><p class=k>1</p></div></body>`))
	v, err := vm.RunString(`var div = document.body.firstChild, copy = Object.assign(Object.create(Object.getPrototypeOf(div)), div);
		var kids = copy.childNodes.length, p = document.querySelector('p.k');
		kids + " " + (p && p.parentNode === div) + " " + (document.getElementById('a') === div)`)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != "0 true true" {
		t.Fatalf("copy's children, the p's parent, the div by id: %s", got)
	}
}

// FuzzLazyDOM: on any page and any selector, the DOM made on demand finds
// what the DOM made up front finds.
func FuzzLazyDOM(f *testing.F) {
	f.Add(`<div id=a class="x y"><p class=x>1</p><a href=h>2</a></div><p id=b>3</p>`, "div > p, a[href]")
	f.Add(`<ul><li><a>1</a></li><li><b><a class=k>2</a></b></li></ul>`, "ul li a.k")
	f.Add(`<body><table><tr><td>x</td></tr></table><i id=x></i><i id=x></i></body>`, "#x")
	f.Fuzz(func(t *testing.T, html, sel string) {
		if len(html) > 4096 || len(sel) > 64 {
			return
		}
		const probe = `(function (sel) {
			function path(n) { var p = []; for (; n && n.parentNode; n = n.parentNode) p.unshift(n.parentNode.childNodes.indexOf(n)); return p.join("."); }
			function list(l) { var out = []; for (var i = 0; i < l.length; i++) out.push(path(l[i])); return out.join(" "); }
			var out = [];
			try { out.push(list(document.querySelectorAll(sel))); } catch (e) { out.push("throws"); }
			try { var one = document.querySelector(sel); out.push(one ? path(one) : "none"); } catch (e) { out.push("throws"); }
			try { out.push(list(document.getElementsByTagName(sel))); } catch (e) { out.push("throws"); }
			try { out.push(list(document.getElementsByClassName(sel))); } catch (e) { out.push("throws"); }
			try { var n = document.getElementById(sel); out.push(n ? path(n) : "none"); } catch (e) { out.push("throws"); }
			out.push(document.body.textContent);
			return out.join("\n");
		})`
		run := func(made bool) string {
			vm := lazyVM(t, []byte(html))
			if made {
				if _, err := vm.RunString(makeAllJS); err != nil {
					t.Skip(err)
				}
			}
			out, err := callJS(t, vm, probe, sel)
			if err != nil {
				return "error"
			}
			return out
		}
		if lazy, made := run(false), run(true); lazy != made {
			t.Fatalf("on demand:\n%s\nmade up front:\n%s", lazy, made)
		}
	})
}

// callJS evaluates src, a function expression, and calls it with arg.
func callJS(t testing.TB, vm *goja.Runtime, src string, arg any) (string, error) {
	t.Helper()
	fn, err := vm.RunString(src)
	if err != nil {
		t.Fatal(err)
	}
	call, ok := goja.AssertFunction(fn)
	if !ok {
		t.Fatalf("not a function: %.40s", src)
	}
	v, err := call(goja.Undefined(), vm.ToValue(arg))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}
