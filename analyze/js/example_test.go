package js_test

import (
	"fmt"

	"github.com/tssguard/tssguard/analyze/js"
)

// A locker: a dialog loop, a history flood on a timer, a call link clicked
// on load, and full screen requested on the first click.
func ExampleAnalyze() {
	src := []byte(`
for (var i = 0; i < 3; i++) { alert('Your computer is infected!'); }
setInterval(function () { history.pushState({}, '', '#' + Date.now()); }, 100);
window.onload = function () { document.getElementById('call').click(); };
document.addEventListener('click', function () {
  var el = document.documentElement;
  (el.requestFullscreen || el.webkitRequestFullscreen).call(el);
});`)
	f := js.Analyze(src, js.Options{})
	for _, c := range f.Calls {
		if c.Via != "" {
			fmt.Printf("%s (via %s) [%s]\n", c.Callee, c.Via, c.Ctx)
		} else {
			fmt.Printf("%s [%s]\n", c.Callee, c.Ctx)
		}
	}
	for _, l := range f.Listeners {
		fmt.Printf("listener %s on %s\n", l.Event, l.Target)
	}
	// Output:
	// alert [loop|top]
	// setInterval [top]
	// history.pushState [timer|function|interval]
	// Date.now [timer|function|interval]
	// document.getElementById().click [load|function]
	// document.getElementById [load|function]
	// document.addEventListener [top]
	// (document.documentElement.requestFullscreen||document.documentElement.webkitRequestFullscreen).call [gesture|function]
	// document.documentElement.requestFullscreen (via call) [gesture|function]
	// document.documentElement.webkitRequestFullscreen (via call) [gesture|function]
	// listener load on window
	// listener click on document
}

// Handler attributes are analysed with the context of their event.
func ExampleAnalyze_handler() {
	f := js.Analyze([]byte(`location.href = 'tel:' + '+1-800-555-0199'; return false`), js.Options{Handler: "onclick"})
	a := f.Assigns[0]
	fmt.Println(a.Target, a.Value, a.Ctx&js.InGestureHandler != 0)
	// Output: location.href tel:+1-800-555-0199 true
}

// Strings built at run time fold to constants; the parts that do not are
// marked in the partial form.
func ExampleAnalyze_folding() {
	f := js.Analyze([]byte(`
var p = new URLSearchParams(location.search).get('phone');
window.location = String.fromCharCode(116, 101, 108, 58) + p;`), js.Options{})
	for _, u := range f.URLReads {
		fmt.Printf("reads %s %q\n", u.Expr, u.Param)
	}
	a := f.Assigns[len(f.Assigns)-1]
	fmt.Printf("%s = %+q\n", a.Target, a.Partial)
	// Output:
	// reads new URLSearchParams().get "phone"
	// reads location.search ""
	// window.location = "tel:\ufffd"
}

// Deobfuscate peels layers: here atob of a script that unescapes markup.
func ExampleDeobfuscate() {
	src := []byte(`eval(atob('ZG9jdW1lbnQud3JpdGUodW5lc2NhcGUoJyUzQ2gxJTNFQ2FsbCUyMCsxJTIwODAwJTIwNTU1JTIwMDE5OSUzQy9oMSUzRScpKQ=='))`)
	if !js.LooksObfuscated(src) {
		return
	}
	for _, d := range js.Deobfuscate(src, js.DeobfuscateOptions{}) {
		fmt.Printf("%d %s %s\n", d.Depth, d.Method, d.Text)
	}
	// Output:
	// 1 atob document.write(unescape('%3Ch1%3ECall%20+1%20800%20555%200199%3C/h1%3E'))
	// 2 unescape <h1>Call +1 800 555 0199</h1>
}

func ExampleLiterals() {
	for _, l := range js.Literals([]byte("var a = '\\x74\\x65\\x6c:', b = `+1${x}800`;"), 0) {
		fmt.Printf("%d %q escaped=%v\n", l.Offset, l.Value, l.Escaped)
	}
	// Output:
	// 8 "tel:" escaped=true
	// 29 "+1" escaped=false
	// 35 "800" escaped=false
}
