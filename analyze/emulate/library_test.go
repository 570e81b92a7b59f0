package emulate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
)

// TestLibrarySkipIsEarned: a name or a banner alone does not make a
// script a library the emulator skips; size and the absence of anything
// a payload needs do too.
func TestLibrarySkipIsEarned(t *testing.T) {
	neutral := strings.Repeat("function f(a){return a.map(function(x){return x+1})}\n", 400) // 20 KB
	banner := "/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n"
	for _, c := range []struct {
		name, src string
		want      bool
	}{
		{"https://kit.test/js/jquery.min.js", neutral, true},
		{"https://kit.test/js/app.js", banner + neutral, true},
		{"https://kit.test/js/app.js", neutral, false},
		{"https://kit.test/js/jquery.min.js", `setTimeout(function () { location.href = "tel:+18445550142"; }, 500);`, false},
		{"https://kit.test/js/jquery.min.js", neutral + `document.documentElement.requestFullscreen();`, false},
		{"https://kit.test/js/app.js", banner + neutral + `location.href = "TEL:+18445550142";`, false},
		{"https://kit.test/js/bootstrap.js", banner + "x();", false},
	} {
		if got := isLibrary(Script{Name: c.name, Source: []byte(c.src)}); got != c.want {
			t.Errorf("%s (%d bytes, ends %.40q): library %v, want %v", c.name, len(c.src), c.src[max(0, len(c.src)-40):], got, c.want)
		}
	}
	// End to end: the auto-dial in a file named like jQuery runs.
	page := `<body><a class="cta" href="tel:+18445550142">Call</a></body>`
	payload := `setTimeout(function () { document.querySelector('a.cta').dispatchEvent(new MouseEvent('click', { bubbles: true })); }, 800);`
	r := emulateScripts(t, page, Script{Name: "https://kit.test/js/jquery.min.js", Source: []byte(payload)})
	if len(find(r, capture.EventCallNavigation)) == 0 {
		t.Fatalf("the payload named jquery.min.js did not run: %+v %v", r.Events, r.Errors)
	}
}

// emulateScripts runs html with the given scripts and a click.
func emulateScripts(t testing.TB, html string, scripts ...Script) Result {
	t.Helper()
	return Emulate(context.Background(), Page{URL: "https://page.test/", HTML: []byte(html), Scripts: scripts}, Options{Click: true, Budget: 500 * time.Millisecond})
}
