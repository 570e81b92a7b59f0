package emulate

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dop251/goja"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// crossingJS reads the tree both ways the DOM import has taken: viaJSON
// is the prelude's build over the JSON-parsed tree as it was, viaFlat its
// build over the flat array. Each gives the nodes as build leaves them:
// tag, the attributes as the element's _attrs enumerates them, and the
// attributes build acted on (id, on*) in the order it did.
const crossingJS = `
function describe(tag, attrs, acted, kids) { return { tag: tag, attrs: Object.keys(attrs).map(function (k) { return [k, attrs[k]]; }), acted: acted, kids: kids }; }
function viaJSON(specs) {
	function build(spec) {
		if (typeof spec === "string") return spec;
		var own = {}, acted = [], attrs = spec[1];
		for (var k in attrs) { own[k] = attrs[k]; if (k === "id" || (k.indexOf("on") === 0 && k.length > 2)) acted.push([k, attrs[k]]); }
		return describe(spec[0], own, acted, spec[2].map(build));
	}
	return specs.map(build);
}
function viaFlat(a) {
	var at = 0, inherited = [], empty = {};
	for (var k0 in empty) inherited.push(k0);
	function build() {
		var v = a[at++];
		if (typeof v === "string") return v;
		var tag = a[at++], own = {}, acted = [];
		function attr(k, val) { own[k] = val; if (k === "id" || (k.indexOf("on") === 0 && k.length > 2)) acted.push([k, val]); }
		for (var j = 0; j < v; j++) { var k = a[at++]; attr(k, a[at++]); }
		for (j = 0; j < inherited.length; j++) if (!Object.prototype.hasOwnProperty.call(own, inherited[j])) attr(inherited[j], empty[inherited[j]]);
		var kids = [], n = a[at++];
		for (var i = 0; i < n; i++) kids.push(build());
		return describe(tag, own, acted, kids);
	}
	var out = [];
	while (at < a.length) out.push(build());
	return out;
}
`

// sameCrossing checks that the flat array gives build the tree of s the
// JSON crossing gave it.
func sameCrossing(t *testing.T, vm *goja.Runtime, name, s string) {
	t.Helper()
	b, err := json.Marshal((&emu{}).parseHTML(s))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := vm.RunString("JSON.parse")
	if err != nil {
		t.Fatal(err)
	}
	parse, _ := goja.AssertFunction(parsed)
	specs, err := parse(goja.Undefined(), vm.ToValue(string(b)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	viaJSON, _ := goja.AssertFunction(vm.Get("viaJSON"))
	viaFlat, _ := goja.AssertFunction(vm.Get("viaFlat"))
	stringify, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("stringify"))
	want, err := viaJSON(goja.Undefined(), specs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := viaFlat(goja.Undefined(), flatten(vm, (&emu{}).parseHTML(s)))
	if err != nil {
		t.Fatal(err)
	}
	ws, _ := stringify(goja.Undefined(), want)
	gs, _ := stringify(goja.Undefined(), got)
	if w, g := ws.String(), gs.String(); w != g {
		i := 0
		for i < len(w) && i < len(g) && w[i] == g[i] {
			i++
		}
		t.Errorf("%s: the flat tree differs at %d:\n got %.200q\nwant %.200q", name, i, g[i:], w[i:])
	}
}

// crossingSamples are the corners of the crossing: invalid UTF-8 (in
// names that then collide), array-index and special attribute names,
// handlers and ids.
var crossingSamples = []string{
	"<div b=1 a=2 9=x 10=y 1=z __proto__=p constructor=c hasOwnProperty=h id=i onclick=\"f()\" onload=g>t</div>",
	"<p a\xff=1 a\xef\xbf\xbd=2 a\x80=3 b=\"\xff\xfe\">\xc3\x28 text \xe2\x82</p>",
	"<a x\xc0=1 x\xc1=2 href=\"tel:1\xff\">\u2028\u2029 & < > \"</a><br><img src=x onerror=alert(1)>",
	"<html a=1><head><meta charset=utf-8></head><body onload=x b=2><html c=3><body d=4>text</body></html>",
	"",
	"just text",
	"<script>var a = '</div>' + \"\xff\";</script><style>p{}</style><!-- c -->",
}

func TestFlattenMatchesJSON(t *testing.T) {
	vm := goja.New()
	if _, err := vm.RunString(crossingJS); err != nil {
		t.Fatal(err)
	}
	for _, s := range append(append([]string{}, crossingSamples...), domSamples...) {
		sameCrossing(t, vm, fmt.Sprintf("%.40q", s), s)
	}
	err := testdirs.EachFile(func(name string, b []byte) error {
		sameCrossing(t, vm, name, string(b))
		return nil
	}, ".html", ".htm", ".php")
	if err != nil {
		t.Fatal(err)
	}
	// A script that made a name enumerable on Object.prototype saw it on
	// every element parsed after.
	if _, err := vm.RunString(`Object.prototype.extra = "inherited"; Object.prototype.onfoo = "h";`); err != nil {
		t.Fatal(err)
	}
	for _, s := range crossingSamples {
		sameCrossing(t, vm, fmt.Sprintf("inherited %.40q", s), s)
	}
}

func FuzzFlatten(f *testing.F) {
	for _, s := range crossingSamples {
		f.Add(s)
	}
	vm := goja.New()
	if _, err := vm.RunString(crossingJS); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sameCrossing(t, vm, fmt.Sprintf("%q", s), s)
	})
}

// TestInheritedAttributes: names a script made enumerable on
// Object.prototype became attributes of the elements parsed after, in the
// prelude itself, unless an element has the name already.
func TestInheritedAttributes(t *testing.T) {
	r := run(t, `<body><script>
		Object.prototype.polluted = "tel:+18445550142";
		document.body.innerHTML = "<a id=x></a><a id=y polluted=tel:+18005550100></a>";
		location.href = document.getElementById("x").getAttribute("polluted");
		location.assign(document.getElementById("y").getAttribute("polluted"));
		if (document.body.getAttribute("polluted") !== null) location.replace("tel:+19995550199");
	</script></body>`, "", false)
	var got []string
	for _, e := range find(r, capture.EventCallNavigation) {
		got = append(got, e.Detail+" "+e.Reason)
	}
	want := []string{"tel:+18445550142 location.href", "tel:+18005550100 location.assign"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("call navigations %q, want %q (errors %q)", got, want, r.Errors)
	}
}
