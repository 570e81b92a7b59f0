package js

import (
	"slices"
	"testing"
)

// TestURLHelpersNamed: a top-level function that reads a URL parameter by
// the name it is given is named in the facts, so that its calls from other
// scripts of the page count as URL reads; other functions are not.
func TestURLHelpersNamed(t *testing.T) {
	for src, want := range map[string][]string{
		`function getVar(n){ var r = new RegExp('[?&]' + n + '=([^&#]*)').exec(window.location.href); return r ? r[1] : ''; }`: {"getVar"},
		`function q(name){ return new URLSearchParams(location.search).get(name); }`:                                           {"q"},
		`function show(n){ document.getElementById(n).style.display = 'block'; }`:                                              nil,
		`function here(){ return location.href.split('?')[0]; }`:                                                               nil,
	} {
		if got := Analyze([]byte(src), Options{}).URLHelpers; !slices.Equal(got, want) {
			t.Errorf("%s\nURLHelpers = %v, want %v", src, got, want)
		}
	}
}
