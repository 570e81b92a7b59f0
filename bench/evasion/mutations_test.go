package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"github.com/tssguard/tssguard/analyze/emulate"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const tinyPage = `<!doctype html><html><head><title>Microsoft Warning</title></head>
<body><h1>Your computer has been blocked</h1>
<p>Call Microsoft support toll free: +1 (888) 555-0147</p>
<script>var msg = "Virus detected! Call support now"; var n = '+18885550147';
document.getElementById("x").innerHTML = '<b>Do not restart your computer</b>';</script>
<script type="application/ld+json">{"a":"Microsoft support"}</script>
</body></html>`

const tinyScript = `alert("Your computer is infected with a virus");`

func tinyMutated(t *testing.T, name string) (*Page, string) {
	t.Helper()
	ms, err := selectClasses([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{Docs: [][]byte{[]byte(tinyPage)}, Scripts: [][]byte{[]byte(tinyScript)}}
	variant, err := ms[0].Apply(p, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return p, variant
}

// visibleText strips tags, to see what a reader would see of the body.
func visibleText(doc string) string {
	doc = regexp.MustCompile(`(?s)<script.*?</script>`).ReplaceAllString(doc, "")
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(doc, "")
}

func TestSplitNumbers(t *testing.T) {
	p, _ := tinyMutated(t, "split-numbers")
	doc := string(p.Docs[0])
	if strings.Contains(doc, "555-0147") || !strings.Contains(doc, "<span>") {
		t.Fatalf("number not split:\n%s", doc)
	}
	if !strings.Contains(visibleText(doc), "+1 (888) 555-0147") {
		t.Fatalf("number no longer reads the same:\n%s", visibleText(doc))
	}
	for _, m := range regexp.MustCompile(`<span>(\d+)</span>`).FindAllStringSubmatch(doc, -1) {
		if len(m[1]) > 4 {
			t.Fatalf("span of %d digits", len(m[1]))
		}
	}
	if !strings.Contains(doc, "'+18885550147'") {
		t.Fatal("a number in a script string (not markup) must stay")
	}
}

func TestHomoglyphs(t *testing.T) {
	p, _ := tinyMutated(t, "homoglyphs")
	doc := string(p.Docs[0])
	body, _, _ := strings.Cut(doc, "application/ld+json")
	if strings.Contains(body, "Microsoft support") || strings.Contains(body, "<title>Microsoft") {
		t.Fatalf("brand left in Latin letters:\n%s", doc)
	}
	if !strings.Contains(doc, `<script type="application/ld+json">{"a":"Microsoft support"}`) {
		t.Fatal("a non-JavaScript script was changed")
	}
	if strings.Contains(string(p.Scripts[0]), "infected") {
		t.Fatalf("external script prose not changed: %s", p.Scripts[0])
	}
	if !strings.Contains(doc, "getElementById") {
		t.Fatal("code was changed")
	}
}

func TestZeroWidth(t *testing.T) {
	p, _ := tinyMutated(t, "zero-width")
	doc := string(p.Docs[0])
	if strings.Contains(doc, "blocked") || strings.Contains(doc, "555-0147") {
		t.Fatalf("words or digits left whole:\n%s", doc)
	}
	clean := strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "").Replace(doc)
	if !strings.Contains(clean, "Your computer has been blocked") || !strings.Contains(clean, "555-0147") {
		t.Fatal("removing the invisible characters does not give the text back")
	}
}

func TestHiddenDecoys(t *testing.T) {
	p, _ := tinyMutated(t, "hidden-decoys")
	doc := string(p.Docs[0])
	if strings.Contains(doc, "blocked") || strings.Contains(doc, "555-0147") {
		t.Fatalf("words or digits left whole:\n%s", doc)
	}
	shown := regexp.MustCompile(`<span [^>]*>[a-z0-9]{1,2}</span>`).ReplaceAllString(doc, "")
	if !strings.Contains(shown, "Your computer has been blocked") || !strings.Contains(shown, "555-0147") {
		t.Fatalf("without the decoys the text is not whole:\n%s", shown)
	}
}

func TestBase64Wrap(t *testing.T) {
	p, _ := tinyMutated(t, "base64-wrap")
	doc := string(p.Docs[0])
	if strings.Contains(doc, "Virus detected") {
		t.Fatal("inline script not wrapped")
	}
	m := regexp.MustCompile(`atob\("([A-Za-z0-9+/=]+)"\)`).FindStringSubmatch(doc)
	if m == nil {
		t.Fatalf("no atob call:\n%s", doc)
	}
	dec, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil || !strings.Contains(string(dec), "Virus detected") {
		t.Fatalf("payload does not decode to the script: %v %q", err, dec)
	}
	if !strings.HasPrefix(string(p.Scripts[0]), "eval(") {
		t.Fatalf("external script not wrapped: %s", p.Scripts[0])
	}
}

func TestNoText(t *testing.T) {
	p, _ := tinyMutated(t, "no-text")
	doc := string(p.Docs[0])
	if strings.TrimSpace(visibleText(doc)) != "" && strings.Contains(visibleText(doc), "Call") {
		t.Fatalf("text left:\n%s", visibleText(doc))
	}
	if strings.Contains(doc, "Do not restart") {
		t.Fatal("markup text in a script string left")
	}
	if !strings.Contains(doc, "Virus detected! Call support now") {
		t.Fatal("script prose (dialog text) must stay")
	}
}

func TestTranslate(t *testing.T) {
	p, lang := tinyMutated(t, "translate")
	doc := string(p.Docs[0])
	if lang == "" {
		t.Fatal("no language reported")
	}
	if strings.Contains(doc, "Your computer has been blocked") || strings.Contains(doc, "toll free") {
		t.Fatalf("phrases left in English (%s):\n%s", lang, doc)
	}
	if !strings.Contains(doc, "+1 (888) 555-0147") {
		t.Fatal("the number must stay")
	}
	for l := range translateLangs {
		if got := translateText("YOUR COMPUTER HAS BEEN BLOCKED. Call  Support", l); strings.Contains(got, "BLOCKED") || strings.Contains(got, "Call") {
			t.Fatalf("%s: %q", translateLangs[l], got)
		}
	}
	if got := translateText("Virus detected", 0); got != "Virus erkannt" {
		t.Fatalf("de: %q", got)
	}
}

func TestEntities(t *testing.T) {
	p, _ := tinyMutated(t, "entities")
	doc := string(p.Docs[0])
	if strings.Contains(doc, "blocked") || !strings.Contains(doc, "&#") {
		t.Fatalf("text not encoded:\n%s", doc)
	}
	if !strings.Contains(doc, "Virus detected") {
		t.Fatal("script prose cannot hold references and must stay")
	}
}

func TestRewriteKeepsUntouchedBytes(t *testing.T) {
	doc := `<div class=a data-x='1'>&amp; text</div><script>if (a < b) {}</script><!-- c -->`
	if got := string(rewriteHTML([]byte(doc), nil, nil)); got != doc {
		t.Fatalf("identity rewrite changed the page:\n%s", got)
	}
}

func TestDeterministic(t *testing.T) {
	for _, m := range mutations() {
		a := &Page{Docs: [][]byte{[]byte(tinyPage)}}
		b := &Page{Docs: [][]byte{[]byte(tinyPage)}}
		_, errA := m.Apply(a, rand.New(rand.NewPCG(7, 7)))
		_, errB := m.Apply(b, rand.New(rand.NewPCG(7, 7)))
		if (errA == nil) != (errB == nil) || !a.equal(b) {
			t.Fatalf("%s: not deterministic for one seed", m.Name)
		}
	}
}

func TestTextToCanvas(t *testing.T) {
	p, _ := tinyMutated(t, "text-to-canvas")
	doc := string(p.Docs[0])
	if strings.Contains(visibleText(doc), "blocked") {
		t.Fatalf("text left in the markup:\n%s", doc)
	}
	if !strings.Contains(doc, `fillText("Your computer has been blocked"`) || !strings.Contains(doc, "<canvas") {
		t.Fatalf("text not drawn:\n%s", doc)
	}
}

func TestTextToImage(t *testing.T) {
	p, _ := tinyMutated(t, "text-to-image")
	doc := string(p.Docs[0])
	if strings.Contains(visibleText(doc), "blocked") || !strings.Contains(doc, `<img alt="" src="data:image/png;base64,`) {
		t.Fatalf("text not replaced by images:\n%s", doc[:min(len(doc), 600)])
	}
	if !strings.Contains(doc, "<title>Microsoft Warning</title>") {
		t.Fatal("title must stay")
	}
}

func TestRenameIdentifiers(t *testing.T) {
	p := &Page{Docs: [][]byte{[]byte(`<style>.warn { color: red } #num { font-weight: bold }</style>
<div class="warn box" id="num">Call +1 888 555 0147</div>
<script>function showWarning(message) { var counterValue = 0; document.getElementById("num").textContent = message; return counterValue; }
document.querySelector(".warn").style.display = "block"; showWarning("hi");</script>`)}}
	ms, _ := selectClasses([]string{"rename-identifiers"})
	if _, err := ms[0].Apply(p, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	doc := string(p.Docs[0])
	for _, gone := range []string{`class="warn`, `id="num"`, `.warn {`, `#num {`, `"num"`, `".warn"`, "counterValue", "message"} {
		if strings.Contains(doc, gone) {
			t.Fatalf("%q left:\n%s", gone, doc)
		}
	}
	if !strings.Contains(doc, "function showWarning(") || !strings.Contains(doc, "Call +1 888 555 0147") {
		t.Fatalf("a global name or the text changed:\n%s", doc)
	}
	m := regexp.MustCompile(`id="(\w+)"`).FindStringSubmatch(doc)
	if m == nil || !strings.Contains(doc, `getElementById("`+m[1]+`")`) || !strings.Contains(doc, "#"+m[1]+" {") {
		t.Fatalf("id not renamed consistently:\n%s", doc)
	}
}

func TestPadding(t *testing.T) {
	p, variant := tinyMutated(t, "padding")
	doc := string(p.Docs[0])
	if n := strings.Count(doc, "<div"); n < 4000 {
		t.Fatalf("%s: %d elements of padding", variant, n)
	}
	body := strings.Index(doc, "<body>") + len("<body>")
	if !strings.HasPrefix(doc[body:], "<div") || strings.Index(doc, "<h1>") < strings.LastIndex(doc, "<div") {
		t.Fatalf("%s: the padding is not before the body's content", variant)
	}
	if visibleText(doc) != visibleText(tinyPage) {
		t.Fatalf("%s: the padding changed the text", variant)
	}
}

func TestScriptPadding(t *testing.T) {
	p, _ := tinyMutated(t, "script-padding")
	doc := string(p.Docs[0])
	if len(doc) < 600<<10 || !strings.Contains(doc, "<script>/*padding") || !strings.HasSuffix(string(p.Scripts[0]), tinyScript) {
		t.Fatalf("scripts not padded: %d bytes", len(doc))
	}
	if visibleText(doc) != visibleText(tinyPage) {
		t.Fatal("the padding changed the text")
	}
}

func TestScriptFlood(t *testing.T) {
	p, _ := tinyMutated(t, "script-flood")
	doc := string(p.Docs[0])
	if n := strings.Count(doc, "<script>var v"); n < 2100 || strings.Index(doc, "<script>var v") > strings.Index(doc, "<script>var msg") {
		t.Fatalf("%d tiny scripts, or not before the page's own", n)
	}
}

// TestWrittenPadding runs the padding script in the emulator, with its
// count made small (the += variant takes seconds at full size): it writes
// that many elements, in both variants, before the page's content.
func TestWrittenPadding(t *testing.T) {
	seen := map[string]bool{}
	count := regexp.MustCompile(`i<(\d+);`)
	for seed := uint64(1); len(seen) < 2 && seed < 20; seed++ {
		p := &Page{Docs: [][]byte{[]byte(tinyPage)}}
		variant, err := writtenPadding(p, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			t.Fatal(err)
		}
		seen[variant] = true
		doc := string(p.Docs[0])
		body := strings.Index(doc, "<body>") + len("<body>")
		first := strings.Index(doc[body:], "<script>")
		if first < 0 || first > strings.Index(doc[body:], "<h1>") {
			t.Fatalf("%s: the padding script is not before the body's content", variant)
		}
		script := doc[body+first+len("<script>") : body+strings.Index(doc[body:], "</script>")]
		m := count.FindStringSubmatch(script)
		if n, _ := strconv.Atoi(m[1]); n < 8000 || n >= 12000 {
			t.Fatalf("%s: %d elements", variant, n)
		}
		script = strings.Replace(script, m[0], "i<1000;", 1)
		r := emulate.Emulate(context.Background(), emulate.Page{URL: "https://page.test/", HTML: []byte(doc), Scripts: []emulate.Script{{Name: "pad", Source: []byte(script)}}},
			emulate.Options{Budget: time.Second})
		written := 0
		for _, d := range r.Decoded {
			if d.Method == variant {
				written += strings.Count(d.Text, "<div")
			}
		}
		if written != 1000 {
			t.Errorf("%s: %d elements written, want 1000 (errors %v)", variant, written, r.Errors)
		}
	}
	if len(seen) != 2 {
		t.Fatalf("variants seen: %v", seen)
	}
}

// Text the bench's font can draw is drawn whole (wrapped, not cut at 200
// characters); a page in a script it cannot draw is marked so: missed,
// it is left out of the class rather than counted lost on pictures of
// empty boxes.
func TestTextToImageScripts(t *testing.T) {
	ms, _ := selectClasses([]string{"text-to-image"})
	long := strings.Repeat("Ваш компьютер заблокирован ", 20)
	p := &Page{Docs: [][]byte{[]byte(`<p>` + long + `</p>`)}}
	if _, err := ms[0].Apply(p, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatalf("Cyrillic: %v", err)
	}
	if strings.Contains(string(p.Docs[0]), "компьютер") || !strings.Contains(string(p.Docs[0]), "data:image/png") {
		t.Fatal("Cyrillic text not drawn")
	}
	if lines := wrap(long, 70); len(lines) < 7 || len([]rune(lines[0])) > 70 {
		t.Errorf("wrap: %d lines, first %q", len(lines), lines[0])
	}
	p = &Page{Docs: [][]byte{[]byte(`<p>आपका कंप्यूटर ब्लॉक कर दिया गया है</p>`)}}
	var unmeasured errUnmeasured
	if _, err := ms[0].Apply(p, rand.New(rand.NewPCG(1, 1))); !errors.As(err, &unmeasured) || !strings.Contains(string(p.Docs[0]), "data:image/png") {
		t.Errorf("Devanagari: want the page drawn and marked unmeasured, got %v", err)
	}
}

// Each variant of text-in-script leaves no text in the markup and, run,
// puts every line back: the page the visitor sees is the same.
func TestTextInScript(t *testing.T) {
	seen := map[string]bool{}
	inline := regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	for seed := uint64(1); len(seen) < 4 && seed < 40; seed++ {
		p := &Page{Docs: [][]byte{[]byte(tinyPage)}}
		variant, err := textInScript(p, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if seen[variant] {
			continue
		}
		seen[variant] = true
		doc := string(p.Docs[0])
		if strings.Contains(visibleText(doc), "blocked") || !strings.Contains(doc, "<title>Microsoft Warning</title>") {
			t.Fatalf("%s: text left in the markup or title lost:\n%s", variant, doc)
		}
		page := emulate.Page{URL: "https://page.test/", HTML: []byte(doc)}
		for _, m := range inline.FindAllStringSubmatch(doc, -1) {
			page.Scripts = append(page.Scripts, emulate.Script{Name: "inline", Source: []byte(m[1])})
		}
		r := emulate.Emulate(context.Background(), page, emulate.Options{Budget: time.Second})
		var shown strings.Builder
		for _, d := range r.Decoded {
			shown.WriteString(d.Text + "\n")
		}
		for _, want := range []string{"Your computer has been blocked", "Call Microsoft support toll free: +1 (888) 555-0147"} {
			if !strings.Contains(shown.String(), want) {
				t.Errorf("%s: %q not put back (errors %v):\n%s", variant, want, r.Errors, shown.String())
			}
		}
	}
	if len(seen) != 4 {
		t.Fatalf("variants seen: %v", seen)
	}
}

// Each variant of body-in-frame serves a body with no text, only the
// script, whose one string is the whole body as a document of its own.
func TestBodyInFrame(t *testing.T) {
	seen := map[string]bool{}
	literal := regexp.MustCompile(`(?:srcdoc = |new Blob\(\[)("(?:[^"\\]|\\.)*")`)
	for seed := uint64(1); len(seen) < 2 && seed < 20; seed++ {
		p := &Page{Docs: [][]byte{[]byte(tinyPage)}}
		variant, err := bodyInFrame(p, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			t.Fatal(err)
		}
		seen[variant] = true
		doc := string(p.Docs[0])
		m := literal.FindStringSubmatch(doc)
		var frame string
		if m == nil || json.Unmarshal([]byte(m[1]), &frame) != nil {
			t.Fatalf("%s: no frame document in\n%s", variant, doc)
		}
		if rest := strings.Replace(doc, m[1], `""`, 1); strings.Contains(visibleText(doc), "blocked") || !strings.Contains(doc, "<title>Microsoft Warning</title>") || strings.Count(rest, "<script") != 1 {
			t.Fatalf("%s: want the title and one script, no text:\n%s", variant, doc)
		}
		body := tinyPage[strings.Index(tinyPage, "<body>")+len("<body>") : strings.Index(tinyPage, "</body>")]
		if !strings.Contains(frame, "<body>"+body+"</body>") {
			t.Errorf("%s: the frame's document is not the body:\n%s", variant, frame)
		}
	}
	if len(seen) != 2 {
		t.Fatalf("variants seen: %v", seen)
	}
}
