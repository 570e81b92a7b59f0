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
