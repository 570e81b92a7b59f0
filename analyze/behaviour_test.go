package analyze

import (
	"context"
	"testing"
)

// The Navigation API's navigate() dials as location.assign does: on its
// own it is an auto-dial, in a click handler a call button.
func TestNavigationAPICall(t *testing.T) {
	e := mustEngine(t, Options{NoEmulation: true})
	for code, want := range map[string]bool{
		`navigation.navigate("tel:+18554947196");`:        true,
		`window.navigation.navigate("tel:+18554947196");`: true,
		`document.getElementById("b").addEventListener("click", function () { navigation.navigate("tel:+18554947196"); });`: false,
	} {
		page := `<body><p>Please wait.</p><button id="b">Call</button><script>` + code + `</script></body>`
		r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
		if got := r.Finding("TSS-CALL-AUTODIAL") != nil; got != want {
			t.Errorf("%s: auto-dial %v, want %v (%v)", code, got, want, r.Findings)
		}
	}
}

// A callback of an array's iteration method runs once for every element:
// a flood written with forEach or map is a flood, unless a gesture runs
// it (a form showing each of its errors with alert()).
func TestFloodsInIterationCallbacks(t *testing.T) {
	for _, c := range []struct {
		code, rule string
		want       bool
	}{
		{`Array.from({length: 300}).forEach(function (_, i) { history.pushState(null, "", "?" + i); });`, "TSS-LOCK-HISTORY-FLOOD", true},
		{`[...Array(200)].map(() => window.print());`, "TSS-LOCK-PRINT-FLOOD", true},
		{`$.each(new Array(50), function () { alert("Your computer is blocked"); });`, "TSS-LOCK-DIALOG-LOOP", true},
		{`document.forms[0].addEventListener("submit", function () { ["name", "mail"].forEach(function (m) { alert("Missing " + m); }); });`, "TSS-LOCK-DIALOG-LOOP", false},
		{`document.querySelectorAll("a.ext").forEach(function (a) { a.addEventListener("click", function () { window.open(a.href); }); });`, "TSS-LOCK-POPUP-FLOOD", false},
	} {
		r := analyzeHTML(t, `<html><body><p>Hello</p><script>`+c.code+`</script></body></html>`)
		if got := r.Finding(c.rule) != nil; got != c.want {
			t.Errorf("%s in %q: %v, want %v (findings %v)", c.rule, c.code, got, c.want, r.Findings)
		}
	}
}

// Traps of a visitor heading for the close button: a dialog in a mouseout
// handler comes back each time the pointer leaves, and a leave prompt
// whose message is put together from pieces ("…" + phone) is still one.
func TestLeaveTraps(t *testing.T) {
	for _, c := range []struct {
		code, rule string
		want       bool
	}{
		{`document.body.addEventListener("mouseout", function () { alert("Your computer is blocked"); }, false);`, "TSS-LOCK-DIALOG-LOOP", true},
		{`$(document).mouseleave(function () { confirm("Do not leave"); });`, "TSS-LOCK-DIALOG-LOOP", true},
		{`document.getElementById("b").addEventListener("click", function () { alert("Saved"); });`, "TSS-LOCK-DIALOG-LOOP", false},
		{`var phone = document.getElementById("p").value; var msg = "Call Microsoft Support: " + phone; window.onbeforeunload = function () { return msg; };`, "TSS-LOCK-BEFOREUNLOAD", true},
		{`window.onbeforeunload = function () { return unsaved(); };`, "TSS-LOCK-BEFOREUNLOAD", false},
		// Full screen taken again when the visitor leaves it is a lock;
		// a demo that says so in a dialog is not a dialog loop.
		{`function full() { if (!document.fullscreenElement) document.documentElement.requestFullscreen(); } document.addEventListener("click", full); document.addEventListener("fullscreenchange", full);`, "TSS-LOCK-KEYBOARD", true},
		{`document.addEventListener("webkitfullscreenchange", function () { alert("full screen changed"); });`, "TSS-LOCK-DIALOG-LOOP", false},
	} {
		r := analyzeHTML(t, `<html><body><p>Hello</p><script>`+c.code+`</script></body></html>`)
		if got := r.Finding(c.rule) != nil; got != c.want {
			t.Errorf("%s in %q: %v, want %v (findings %v)", c.rule, c.code, got, c.want, r.Findings)
		}
	}
}
