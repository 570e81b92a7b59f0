package analyze

import (
	"context"
	"testing"
)

func TestProse(t *testing.T) {
	for s, want := range map[string]bool{
		"Your computer has been blocked":                   true,
		"Your com\u200bputer has be\u200ben blo\u200bcked": true, // zero-width characters inside the words
		"Ваш компьютер заблокирован, позвоните":            true, // two bytes a letter
		"お使いの コンピューター は ロック されました":                         true,
		"+1 (844) 555-0173":         true,
		"#screen > div.alert":       false,
		"https://example.com/a b c": false,
		"if (a) { b = c; }":         false,
		"12 34 56 78 90 12 34 56 78 90 12 34 56 78 90 12 34 56": false, // digits, not words
	} {
		if got := prose(s); got != want {
			t.Errorf("prose(%q) = %v, want %v", s, got, want)
		}
	}
}

// What fillText draws is page text even when one line is too short to
// read as prose: "5 viruses" and "found on your PC." drawn one under the
// other say a threat was found.
func TestCanvasDrawnLines(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true})
	page := `<canvas id="c"></canvas><script>var g = document.getElementById('c').getContext('2d');
g.fillText("5 viruses", 20, 40); g.fillText("found on your PC.", 20, 80);</script>`
	r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: page}))
	f := r.Finding("TSS-TEXT-THREAT-FOUND")
	if f == nil || f.Evidence[0].Source != "canvas" {
		t.Fatalf("TSS-TEXT-THREAT-FOUND from the canvas = %+v; findings %v", f, r.Findings)
	}
}
