package emulate

import (
	"testing"

	"github.com/dop251/goja"
)

// TestArgConvertsAsReflect checks that arg gives the string goja's reflect
// wrapping of a func(string) gave, for every kind of value a page can pass.
func TestArgConvertsAsReflect(t *testing.T) {
	vm := goja.New()
	var viaReflect, viaArg []string
	if err := vm.Set("viaReflect", func(a, b string) { viaReflect = append(viaReflect, a, b) }); err != nil {
		t.Fatal(err)
	}
	if err := vm.Set("viaArg", func(c goja.FunctionCall) goja.Value {
		viaArg = append(viaArg, arg(c, 0), arg(c, 1))
		return goja.Undefined()
	}); err != nil {
		t.Fatal(err)
	}
	_, err := vm.RunString(`
		var values = [undefined, null, "", "abc", "é\u2028😀", "\ud800", 0, -0, 1.5, NaN, 1e21, true, false, 12n,
			{}, [], [1, "a"], function f() {}, new Date(0), /re/g, new String("boxed"), new Number(7), new Boolean(false),
			{ toString: function () { return "custom"; } }, Object.create(null, { toString: { value: function () { return "nullproto"; } } })];
		values.push(Symbol("sym"), Symbol.iterator);
		var s = new String("over"); s.toString = function () { return "overridden"; }; values.push(s);
		values.forEach(function (v) { viaReflect(v, v); viaArg(v, v); });
		viaReflect(); viaArg(); viaReflect("one"); viaArg("one");
		var bad = { toString: function () { throw new Error("no"); } }, caught = [];
		try { viaReflect(bad); } catch (e) { caught.push(String(e)); }
		try { viaArg(bad); } catch (e) { caught.push(String(e)); }
		if (caught.length !== 2 || caught[0] !== caught[1]) throw new Error("throwing toString: " + caught.join(" / "));
	`)
	if err != nil {
		t.Fatal(err)
	}
	if len(viaArg) != len(viaReflect) {
		t.Fatalf("%d strings, want %d", len(viaArg), len(viaReflect))
	}
	for i := range viaArg {
		if viaArg[i] != viaReflect[i] {
			t.Errorf("value %d: arg gives %q, reflect gave %q", i/2, viaArg[i], viaReflect[i])
		}
	}
}
