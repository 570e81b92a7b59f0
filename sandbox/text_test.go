package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
)

func TestJoinCanvas(t *testing.T) {
	letters := func(s string, x0, y, advance float64) []drawnText {
		var out []drawnText
		x := x0
		for _, r := range s {
			if r != ' ' {
				out = append(out, drawnText{text: string(r), x: x, y: y, w: advance})
			}
			x += advance
		}
		return out
	}
	pieces := []drawnText{{text: "Critical alert", x: 10, y: 20, w: 200}}
	pieces = append(pieces, letters("Call 1-844-555-0142", 10, 60, 12)...)
	pieces = append(pieces, drawnText{text: "Score 10", x: 5, y: 90})
	got := joinCanvas(pieces)
	want := "Critical alert\nCall 1-844-555-0142\nScore 10"
	if got != want {
		t.Errorf("joinCanvas = %q, want %q", got, want)
	}
	// Widths unknown: the step to the next letter tells the space.
	var unmeasured []drawnText
	for _, p := range letters("call now", 0, 5, 10) {
		p.w = 0
		unmeasured = append(unmeasured, p)
	}
	if got := joinCanvas(unmeasured); got != "call now" {
		t.Errorf("unmeasured: %q", got)
	}
	if joinCanvas(nil) != "" {
		t.Error("nothing drawn, something joined")
	}
}

func TestOCRReason(t *testing.T) {
	wide := frameTexts{VW: 1366, VH: 768}
	text := wide
	text.Chars, text.Media = 3000, 0.4
	sparse := wide
	sparse.Chars, sparse.Media = 40, 0.6
	empty := wide
	if r := ocrReason(text, nil); r != "" {
		t.Errorf("text-rich page: %q", r)
	}
	if r := ocrReason(sparse, nil); r == "" {
		t.Error("image page with 40 characters: no OCR")
	}
	if r := ocrReason(empty, nil); r != "" {
		t.Errorf("blank page: %q", r)
	}
	lock := []capture.Event{{Kind: capture.EventKeyboardLock, Count: 1}}
	some := wide
	some.Chars = 300
	if r := ocrReason(some, lock); !strings.Contains(r, "locker") {
		t.Errorf("locker: %q", r)
	}
	if r := ocrReason(text, lock); r != "" {
		t.Errorf("locker on a page with plenty of text: %q", r)
	}
	lock[0].UserActivation = true
	if r := ocrReason(some, lock); r != "" {
		t.Errorf("gestured lock: %q", r)
	}
}

func TestCleanOCR(t *testing.T) {
	in := "Your computer is blocked\n\n|| ~~ \\\\ //\n  Call  1-844-555-0142  \nab\n»»»«««¬¬¬ x"
	if got, want := cleanOCR(in), "Your computer is blocked\nCall 1-844-555-0142"; got != want {
		t.Errorf("cleanOCR = %q, want %q", got, want)
	}
}

func TestOCRLanguages(t *testing.T) {
	installed := map[string]bool{"eng": true, "deu": true}
	for lang, want := range map[string]string{"": "eng", "de-DE": "eng+deu", "DE": "eng+deu", "fr": "eng", "en_US": "eng"} {
		if got := ocrLanguages(lang, installed); got != want {
			t.Errorf("ocrLanguages(%q) = %q, want %q", lang, got, want)
		}
	}
}

func textOf(c *capture.Capture, source string) string {
	for _, t := range c.Runtime.Texts {
		if t.Source == source {
			return t.Text
		}
	}
	return ""
}

// hidden returns JavaScript for the string s shifted by one code point, so
// that no reader of the page's bytes sees the words.
func hidden(s string) string {
	return "dec('" + strings.Map(func(r rune) rune { return r + 1 }, s) + "')"
}

const decJS = `function dec(s){ return s.replace(/[\s\S]/g, function(c){ return String.fromCharCode(c.charCodeAt(0) - 1); }); }`

// TestHiddenTextSources: text outside the DOM's text nodes comes back from
// the browser with its source.
func TestHiddenTextSources(t *testing.T) {
	t.Parallel()
	page := `<!doctype html><html lang="en"><body style="margin:0">
<canvas id=c width=800 height=200></canvas>
<style>.w::before{content:"Windows " attr(data-w) " warning"} .i::after{content:"\f101"}</style>
<div class=w data-w="security"></div><i class=i></i>
<svg width=400 height=60><text id=t x=5 y=30></text></svg>
<img alt="Support line" title="Helpdesk" width=1 height=1>
<img width=1 height=1 src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Ctext%3EPicture words%3C/text%3E%3C/svg%3E">
<input id=f readonly><input placeholder="Placeholder words"><input type=hidden value="Hidden value">
<p><bdo dir=rtl>sdrow desreveR</bdo> <span style="unicode-bidi:bidi-override;direction:rtl">2410-555 (448) 1+</span></p>
<div id=host></div><div id=closed></div>
<script>` + decJS + `
var g = document.getElementById('c').getContext('2d'); g.font = '30px sans-serif';
g.fillText(` + hidden("Drawn on canvas") + `, 10, 40);
var s = ` + hidden("Letter by letter") + `, x = 10;
for (var i = 0; i < s.length; i++) { if (s[i] !== ' ') g.fillText(s[i], x, 90); x += g.measureText(s[i]).width; }
new OffscreenCanvas(10, 10).getContext('2d').strokeText(` + hidden("Offscreen words") + `, 1, 1);
var t = document.createElementNS('http://www.w3.org/2000/svg', 'tspan'); t.textContent = ` + hidden("Vector words") + `; document.getElementById('t').appendChild(t);
document.getElementById('host').attachShadow({mode: 'open'}).innerHTML = '<p>' + ` + hidden("Shadow words") + ` + '</p><style>p{color:red}</style>';
document.getElementById('closed').attachShadow({mode: 'closed'}).innerHTML = '<p>closed root</p>';
document.getElementById('f').value = ` + hidden("Field words") + `;
</script></body></html>`
	c := load(t, map[string]string{"p.html": page}, "p.html", PageOptions{NoOCR: true})
	for src, want := range map[string][]string{
		capture.TextCanvas:     {"Drawn on canvas", "Letter by letter", "Offscreen words"},
		capture.TextCSSContent: {"Windows security warning"},
		capture.TextSVG:        {"Vector words", "Picture words"},
		capture.TextAttribute:  {"Support line", "Helpdesk", "Field words", "Placeholder words"},
		capture.TextReversed:   {"Reversed words", "+1 (844) 555-0142"},
		capture.TextShadow:     {"Shadow words"},
	} {
		got := textOf(c, src)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s text %q lacks %q", src, got, w)
			}
		}
	}
	if css := textOf(c, capture.TextCSSContent); strings.ContainsRune(css, '\uf101') {
		t.Errorf("icon-font glyph kept: %q", css)
	}
	if strings.Contains(textOf(c, capture.TextAttribute), "Hidden value") {
		t.Error("a hidden input's value read as text")
	}
	if strings.Contains(textOf(c, capture.TextShadow), "color:red") {
		t.Error("style text read as shadow text")
	}
	if c.Runtime.OCR != "" {
		t.Errorf("OCR ran with NoOCR: %q", c.Runtime.OCR)
	}
}

// TestUserActivation: each locker event says whether the page had user
// activation; a page cannot fake it by redefining navigator.userActivation.
func TestUserActivation(t *testing.T) {
	t.Parallel()
	lockAll := `document.documentElement.requestFullscreen().catch(function(){}); navigator.keyboard.lock().catch(function(){}); document.body.requestPointerLock();`
	onLoad := `<body style="height:100vh"><script>
Object.defineProperty(Navigator.prototype, 'userActivation', {get: function(){ return {isActive: true, hasBeenActive: true}; }});
` + lockAll + `</script></body>`
	c := load(t, map[string]string{"p.html": onLoad}, "p.html", PageOptions{NoOCR: true})
	for _, k := range []capture.EventKind{capture.EventFullscreen, capture.EventKeyboardLock, capture.EventPointerLock} {
		ev := events(c, k)
		if len(ev) == 0 {
			t.Errorf("%s: not seen; events %+v", k, c.Runtime.Events)
			continue
		}
		if ev[0].UserActivation || ev[0].Gestured() {
			t.Errorf("%s on load counted as gestured: %+v", k, ev[0])
		}
	}
	onClick := `<body style="height:100vh"><script>document.addEventListener('click', function(){ ` + lockAll + ` });</script></body>`
	c = load(t, map[string]string{"p.html": onClick}, "p.html", PageOptions{Click: true, NoOCR: true})
	for _, k := range []capture.EventKind{capture.EventFullscreen, capture.EventKeyboardLock, capture.EventPointerLock} {
		ev := events(c, k)
		if len(ev) == 0 || !ev[0].UserActivation || !ev[0].AfterGesture {
			t.Errorf("%s in a click handler: %+v", k, ev)
		}
	}
}

// textPNG draws lines of text, large enough for OCR.
func textPNG(t *testing.T, lines []string) []byte {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 36, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1200, 100+len(lines)*70))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{0, 84, 166, 255}}, image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.White, Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(30, 70+i*70)
		d.DrawString(l)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sources(r *analyze.Report) map[string]bool {
	out := map[string]bool{}
	for _, f := range r.Findings {
		for _, ev := range f.Evidence {
			out[ev.Source] = true
		}
	}
	return out
}

// TestDynamicVerdicts runs pages in the browser and analyses what it saw:
// text outside the DOM reaches the rules with its source, a locker without
// words is a scam, a game locking after its Play click is clean.
func TestDynamicVerdicts(t *testing.T) {
	t.Parallel()
	engine, err := analyze.New(analyze.Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	alert := []string{
		"Windows Defender Security Warning",
		"Your computer has been blocked.",
		"Trojan spyware was detected on this PC.",
		"Do not restart your computer.",
		"Call Microsoft Support immediately:",
		"1-844-555-0142 (toll free)",
	}
	var canvasJS strings.Builder
	for i, l := range alert {
		fmt.Fprintf(&canvasJS, "g.fillText(%s, 20, %d);\n", hidden(l), 40+i*40)
	}
	var cssRules, cssDivs strings.Builder
	for i, l := range alert {
		fmt.Fprintf(&cssRules, ".l%d::before{content:%q}\n", i, l)
		fmt.Fprintf(&cssDivs, "<div class=l%d></div>", i)
	}
	var svgJS strings.Builder
	for i, l := range alert {
		fmt.Fprintf(&svgJS, "line(%s, %d);\n", hidden(l), 40+i*40)
	}
	cases := []struct {
		name    string
		files   map[string]string
		opts    PageOptions
		verdict analyze.Verdict
		source  string // evidence source that must be present
		rule    string // finding that must be present
	}{
		{name: "canvas only", verdict: analyze.Scam, source: capture.TextCanvas, files: map[string]string{"p.html": `<canvas id=c width=1000 height=300></canvas><script>` + decJS + `
var g = document.getElementById('c').getContext('2d'); g.font = '24px sans-serif';
` + canvasJS.String() + `</script>`}},
		{name: "css content only", verdict: analyze.Scam, source: capture.TextCSSContent, files: map[string]string{"p.html": `<link rel=stylesheet href="s.css">` + cssDivs.String(), "s.css": cssRules.String()}},
		{name: "svg text", verdict: analyze.Scam, source: capture.TextSVG, files: map[string]string{"p.html": `<svg id=s width=900 height=300></svg><script>` + decJS + `
function line(s, y){ var t = document.createElementNS('http://www.w3.org/2000/svg', 'text'); t.setAttribute('x', 10); t.setAttribute('y', y); t.textContent = s; document.getElementById('s').appendChild(t); }
` + svgJS.String() + `</script>`}},
		{name: "image of text", verdict: analyze.Scam, source: capture.TextOCR, files: map[string]string{"p.html": `<body style="margin:0"><img src="alert.png"></body>`, "alert.png": string(textPNG(t, alert))}},
		{name: "wordless locker", verdict: analyze.Scam, rule: "TSS-LOCK-UNGESTURED", source: "runtime", opts: PageOptions{NoOCR: true}, files: map[string]string{"p.html": `<a href="tel:+18445550142"></a><audio id=a loop src="a.wav"></audio><script>
function grab(){ document.documentElement.requestFullscreen().catch(function(){}); navigator.keyboard.lock().catch(function(){}); document.getElementById('a').play().catch(function(){}); }
grab(); setInterval(function(){ alert(''); grab(); }, 150);
</script>`, "a.wav": wav()}},
		{name: "game after click", verdict: analyze.Clean, opts: PageOptions{Click: true}, files: map[string]string{"p.html": `<canvas id=c width=600 height=300></canvas>
<button id=play style="position:fixed;inset:0;width:100%;height:100%">Play</button><script>
var c = document.getElementById('c'), g = c.getContext('2d');
document.getElementById('play').addEventListener('click', function(){
  this.style.display = 'none';
  c.requestFullscreen().catch(function(){}); navigator.keyboard.lock().catch(function(){}); c.requestPointerLock();
  g.font = '20px sans-serif'; g.fillText('Score 0', 10, 30); g.fillText('Level 1', 10, 60);
});</script>`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := load(t, tc.files, "p.html", tc.opts)
			r := engine.Analyze(context.Background(), c)
			if r.Verdict != tc.verdict {
				t.Errorf("verdict %s (%s), want %s; texts %+v; notes %v", r.Verdict, r.Reason, tc.verdict, c.Runtime.Texts, r.Notes)
			}
			if tc.source != "" && !sources(r)[tc.source] {
				t.Errorf("no evidence from %s: %+v", tc.source, r.Findings)
			}
			if tc.rule != "" && r.Finding(tc.rule) == nil {
				t.Errorf("no %s: %+v", tc.rule, r.Findings)
			}
			if tc.verdict == analyze.Clean {
				for _, f := range r.Findings {
					if f.Category == "locker" {
						for _, ev := range f.Evidence {
							if ev.Source == "runtime" {
								t.Errorf("locker evidence from a gestured game: %s %+v", f.Rule, ev)
							}
						}
					}
				}
			}
		})
	}
}

// TestGateway: a page that only sends the browser on is judged by its
// target; the report has the chain and the target's evidence.
func TestGateway(t *testing.T) {
	lure := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<h1>Windows Defender Security Warning</h1><p>Your computer has been blocked. Trojan spyware was detected on this PC.
Do not restart your computer. Call Microsoft Support immediately at 1-844-555-0142 (toll free).</p>
<script>setInterval(function(){ alert('Your computer is blocked') }, 200)</script>`)
	}))
	defer lure.Close()
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<script>if (/Windows NT/.test(navigator.userAgent)) location.replace('%s/alert?id=7'); else location.replace('https://www.example.com/')</script>`, lure.URL)
	}))
	defer gate.Close()
	lab := capture.DefaultPolicy()
	lab.AllowPrivate = true
	p, err := New(context.Background(), Options{Policy: lab})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := p.Capture(context.Background(), Target{URL: gate.URL + "/"}, PageOptions{Observe: 1500 * time.Millisecond, NoOCR: true})
	if err != nil {
		t.Fatal(err)
	}
	engine, err := analyze.New(analyze.Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	r := engine.Analyze(context.Background(), c)
	if len(r.Redirects) != 2 || r.Redirects[0] != gate.URL+"/" || r.Redirects[1] != lure.URL+"/alert?id=7" {
		t.Errorf("redirects %v, want gateway then lure", r.Redirects)
	}
	if r.FinalURL != lure.URL+"/alert?id=7" {
		t.Errorf("final URL %s", r.FinalURL)
	}
	if r.Verdict != analyze.Scam || r.Finding("TSS-LOCK-DIALOG-LOOP") == nil || r.Finding("TSS-TEXT-DEVICE-BLOCKED") == nil {
		t.Errorf("verdict %s (%s), findings %+v", r.Verdict, r.Reason, r.Findings)
	}
}

// TestOCRWithoutTesseract: a page that needs OCR on a machine without
// tesseract is still analysed; the capture says OCR was skipped.
func TestOCRWithoutTesseract(t *testing.T) {
	tesseractTool() // settle the lookup before replacing its result
	saved := tesseract.path
	tesseract.path = ""
	defer func() { tesseract.path = saved }()
	c := load(t, map[string]string{"p.html": `<body style="margin:0"><canvas width=1300 height=700></canvas></body>`}, "p.html", PageOptions{})
	if c.Runtime.OCR == "" {
		t.Fatal("a canvas-only page did not call for OCR")
	}
	found := false
	for _, n := range c.Notes {
		found = found || strings.Contains(n, "OCR skipped") && strings.Contains(n, "tesseract is not installed")
	}
	if !found {
		t.Errorf("notes %v, want OCR skipped", c.Notes)
	}
	if textOf(c, capture.TextOCR) != "" {
		t.Error("OCR text without tesseract")
	}
}

func TestReadText(t *testing.T) {
	if path, _ := tesseractTool(); path == "" {
		t.Skip(errNoTesseract)
	}
	text, err := readText(context.Background(), textPNG(t, []string{"Your computer has been blocked", "Call 1-844-555-0142"}), "en")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "computer has been blocked") || !strings.Contains(text, "844-555-0142") {
		t.Errorf("read %q", text)
	}
	if _, err := readText(context.Background(), []byte("not a picture"), ""); err == nil {
		t.Error("no error for bytes that are no image")
	}
}

func TestCPUTime(t *testing.T) {
	deadline := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(deadline) {
	}
	used, ok := cpuTime(os.Getpid())
	if !ok {
		t.Skip("no /proc")
	}
	if used <= 0 {
		t.Errorf("cpu time %v after busy work", used)
	}
}
