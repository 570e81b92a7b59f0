package analyze

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// Every built-in detector must tell the fast path what it needs; one
// without an entry would be assumed to fire on every page (safe, but the
// fast path would then never be taken).
func TestPrefilterKnowsEveryDetector(t *testing.T) {
	p, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	known := detectorKeywords()
	for _, r := range p.Rules {
		if r.IsText() {
			continue
		}
		if _, ok := known[r.ID]; !ok {
			t.Errorf("behaviour rule %s has no entry in detectorKeywords", r.ID)
		}
	}
	for id := range known {
		if p.Rule(id) == nil {
			t.Errorf("detectorKeywords lists %s, which the pack does not have", id)
		}
	}
	for id := range detectorMinimums() {
		if _, ok := known[id]; !ok || p.Rule(id) == nil {
			t.Errorf("detectorMinimums counts for %s, which is not a known behaviour rule of the pack", id)
		}
	}
}

// Every rule's ingredients are known: no rule of the pack is assumed to
// fire on every page (a text rule with a regex but no keywords, a detector
// without keywords), which would silently shut the fast path. Only
// TSS-OBFUSCATED, which repeats another rule's finding, has none of its own.
func TestPrefilterKnowsEveryRule(t *testing.T) {
	e := mustEngine(t, Options{})
	seen := map[string]bool{}
	for _, r := range e.pre.rules {
		seen[r.id] = true
		if r.always && r.id != "TSS-OBFUSCATED" {
			t.Errorf("%s: the prefilter does not know what it needs (a regex rule needs keywords; a detector an entry in detectorKeywords)", r.id)
		}
	}
	for _, r := range e.pack.Rules {
		if !r.Disabled && (r.Weight > 0 || r.MaxWeight > 0 || r.Decisive) && !seen[r.ID] {
			t.Errorf("%s scores but the prefilter does not count it", r.ID)
		}
	}
}

// What the prefilter thinks a rule needs is what the rule's own samples
// show: every true-positive sample of every rule makes that rule possible
// to the scan (or has code that builds strings at run time), and no
// true-positive sample that yields a verdict takes the fast path. A
// detector that learns a new way to fire, with a sample, fails here until
// its keywords follow.
func TestPrefilterAllowsEverySample(t *testing.T) {
	e := mustEngine(t, Options{})
	full := mustEngine(t, Options{NoFastPath: true})
	ctx := context.Background()
	scores := map[string]bool{}
	for _, r := range e.pre.rules {
		scores[r.id] = true
	}
	for _, r := range e.pack.Rules {
		if r.Disabled || !scores[r.ID] { // rules that only lower a score (awareness) need nothing
			continue
		}
		for i, smp := range r.Samples.TP {
			c := SampleCapture(smp)
			s := e.pre.scan(c, false)
			possible, ids := e.pre.possible(s)
			opaque := s.opaque
			e.pre.scans.Put(s)
			if opaque == "" && !possible[r.ID] {
				t.Errorf("%s: true-positive sample %d is not possible to the prefilter (possible: %v): %s", r.ID, i+1, ids, clip(smp.HTML, 120))
			}
			if ok, why := e.pre.fastClean(c); ok {
				if v := full.Analyze(ctx, c).Verdict; v != Clean {
					t.Errorf("%s: true-positive sample %d is %s but the fast path says clean (%s)", r.ID, i+1, v, why)
				}
			}
		}
	}
}

// A gateway that hands on a server's placeholder instead of a number
// (numberInTarget) is possible in each way a kit writes it.
func TestPrefilterSeesNumberPlaceholders(t *testing.T) {
	e := mustEngine(t, Options{})
	for _, body := range []string{
		`<script>location.href = "./t/?num=<?=$n?>"</script>`,
		`<script>location.replace('./t/?phone={{phone}}')</script>`,
		`<script>location = "./t/?n=%num%"</script>`,
		`<script>var v = '%num%'; location.href = "./t/?n=" + v</script>`,
		`<script>location.href = "./t/?n=%25num%25"</script>`,
	} {
		s := e.pre.scan(staticCapture("<html><body>"+body+"</body></html>"), false)
		possible, ids := e.pre.possible(s)
		e.pre.scans.Put(s)
		if !possible["TSS-GATEWAY-NUMBER-TARGET"] {
			t.Errorf("TSS-GATEWAY-NUMBER-TARGET not possible (possible: %v): %s", ids, body)
		}
	}
}

// The locker counts (lockers.go): TSS-LOCK-UNGESTURED needs a takeover or
// a leave prompt among three behaviours, blocked input and a hidden cursor
// counted (the detector takes two takeovers among three, one among four
// with those, or a leave prompt among four; the bound allows the union).
func TestPrefilterCountsLockers(t *testing.T) {
	e := mustEngine(t, Options{})
	for body, want := range map[string]bool{
		`<script>document.getElementById('p').onclick = function(){ window.print() }</script>`:                                                 false,
		`<script>alert('saved'); history.pushState({}, '', '#a')</script>`:                                                                     false,
		`<script>alert('saved'); history.pushState({}, '', '#a'); onbeforeunload = function(){ return 'x' }</script>`:                          true,
		`<audio src="a.mp3" autoplay></audio><script>document.body.requestPointerLock(); for (;;) history.pushState({}, '', '#' + i)</script>`: true,
		`<audio src="a.mp3" autoplay></audio><script>document.body.requestPointerLock(); onbeforeunload = function(){ return 'x' }</script>`:   true,
		`<audio src="a.mp3" autoplay></audio><script>document.body.requestPointerLock()</script>`:                                              false,
		`<body style="cursor:none" oncontextmenu="return false"><script>onbeforeunload = function(){ return 'x' }</script></body>`:             true,
		`<body style="cursor:none" oncontextmenu="return false"><script>document.title = 'x'</script></body>`:                                  false,
		`<audio src="a.mp3" autoplay></audio><body style="cursor:none" oncontextmenu="return false"></body>`:                                   false,
		`<body style="cursor:none" oncontextmenu="return false"><script>moveTo(0, 0); resizeTo(screen.width, screen.height)</script></body>`:   true,
	} {
		s := e.pre.scan(staticCapture("<html><body>"+body+"</body></html>"), false)
		possible, ids := e.pre.possible(s)
		e.pre.scans.Put(s)
		if possible["TSS-LOCK-UNGESTURED"] != want {
			t.Errorf("TSS-LOCK-UNGESTURED possible = %v, want %v (possible: %v): %s", !want, want, ids, body)
		}
	}
}

// The prefilter's keywords come from the pack: a phrase added by an
// overriding pack reaches it without any change to prefilter.go.
func TestPrefilterFollowsThePack(t *testing.T) {
	page := `<html><body><h1>Zorglub quarantine engaged</h1><p>Zorglub quarantine engaged on this machine.</p></body></html>`
	e := mustEngine(t, Options{})
	if r := e.Analyze(context.Background(), staticCapture(page)); !r.FastPath {
		t.Fatalf("plain page not fast-pathed: %s", r.Reason)
	}
	p, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParsePack([]byte(`
rules:
  - id: TSS-TEXT-ZORGLUB
    category: content
    severity: high
    weight: 6
    message: made-up scare word
    phrases: [zorglub quarantine engaged]
    samples:
      tp: ["<p>zorglub quarantine engaged</p>"]
`), "test pack")
	if err != nil {
		t.Fatal(err)
	}
	p.Merge(o)
	e2 := mustEngine(t, Options{Pack: p})
	if r := e2.Analyze(context.Background(), staticCapture(page)); r.FastPath {
		t.Fatalf("page with the new rule's phrase fast-pathed: %s", r.Reason)
	}
}

func mustEngine(t testing.TB, o Options) *Engine {
	t.Helper()
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func staticCapture(page string) *capture.Capture {
	return &capture.Capture{URL: "https://example.test/page", Documents: []capture.Document{{URL: "https://example.test/page", Body: []byte(page)}}}
}

// Hidden keywords are found: each page hides a scare claim, a locker or
// an auto-dial the way kits hide them from keyword lists; the scan must
// still see the rule it needs as possible (or give up on code that builds
// its strings at run time).
func TestPrefilterSeesHiddenKeywords(t *testing.T) {
	cases := []struct{ name, body, rule string }{
		{"plain", `<p>Your computer has been blocked.</p>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"entities", `<p>Your computer has been &#98;&#108;&#x6f;cked.</p>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"tags inside", `<p>Your computer has been bl<b></b>ocked.</p>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"block tags between", `<div>Your computer</div><div>has been blocked</div>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"zero width", "<p>Your computer has been bl\u200bocked.</p>", "TSS-TEXT-DEVICE-BLOCKED"},
		{"full width", "<p>Your computer has been ｂｌｏｃｋｅｄ.</p>", "TSS-TEXT-DEVICE-BLOCKED"},
		{"homoglyphs", "<p>Your computer has been blосkеd.</p>", "TSS-TEXT-DEVICE-BLOCKED"},
		{"js escapes", `<script>document.write("Your computer has been \x62\u006cocked.")</script>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"concatenated", `<script>document.write("Your computer has been bl" + 'ocked.')</script>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"percent", `<script>document.write(unescape("Your computer has been %62locked."))</script>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"base64", `<script>var m = "WW91ciBjb21wdXRlciBoYXMgYmVlbiBibG9ja2VkLg==";</script>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"hex", `<script>var m = "596f757220636f6d707574657220686173206265656e20626c6f636b65642e";</script>`, "TSS-TEXT-DEVICE-BLOCKED"},
		{"dialog loop", `<script>while (1) { window["al" + "ert"]("x") }</script>`, "TSS-LOCK-DIALOG-LOOP"},
		{"fullscreen", `<script>document.documentElement["request" + "Fullscreen"]()</script>`, "TSS-LOCK-FULLSCREEN"},
		{"tel autodial", `<a id=c href="te&#108;:+18885550147">x</a><script>c.click()</script>`, "TSS-CALL-AUTODIAL"},
		{"number split", `<p>Call 1-888-<span>555</span>-0147</p>`, "TSS-HOTLINE"},
		{"full-width number", "<p>Call １８８８５５５０１４７</p>", "TSS-HOTLINE"},
		{"eval", `<script>eval(x)</script>`, ""},
		{"char codes", `<script>var s = String.fromCharCode(118, 105, 114, 117, 115)</script>`, ""},
		{"Function", `<script>new Function(x)()</script>`, ""},
		{"obfuscator names", `<script>var _0x3f2a = ['x']</script>`, ""},
	}
	e := mustEngine(t, Options{})
	for _, tc := range cases {
		page := "<html><head><title>Notice</title></head><body>" + tc.body + "</body></html>"
		s := e.pre.scan(staticCapture(page), false)
		if tc.rule == "" {
			if s.opaque == "" {
				t.Errorf("%s: run-time string building not noticed", tc.name)
			}
			continue
		}
		if possible, ids := e.pre.possible(s); !possible[tc.rule] {
			t.Errorf("%s: %s not possible (possible: %v)", tc.name, tc.rule, ids)
		}
	}
}

// A plain article takes the fast path, and the report says so.
func TestFastPathReport(t *testing.T) {
	page := `<html lang="en"><head><title>Baking bread at home</title></head><body><h1>Baking bread</h1>
<p>Mix flour, water, salt and yeast. Let the dough rest overnight, then bake it for forty minutes.</p></body></html>`
	e := mustEngine(t, Options{})
	r := e.Analyze(context.Background(), staticCapture(page))
	if !r.FastPath || r.Verdict != Clean || !strings.HasPrefix(r.Reason, "fast path:") {
		t.Fatalf("want a fast-path clean report, got fast_path=%v verdict=%s reason=%q", r.FastPath, r.Verdict, r.Reason)
	}
	off := mustEngine(t, Options{NoFastPath: true})
	if r := off.Analyze(context.Background(), staticCapture(page)); r.FastPath || r.Verdict != Clean {
		t.Fatalf("NoFastPath: fast_path=%v verdict=%s", r.FastPath, r.Verdict)
	}
	dyn := staticCapture(page)
	dyn.Runtime = &capture.Runtime{}
	if r := e.Analyze(context.Background(), dyn); r.FastPath {
		t.Fatal("a dynamic capture took the fast path")
	}
}

// The fast path loses nothing: over the fixtures and the shared corpus,
// every page gets the same verdict with and without it, and no page the
// full engine calls suspicious or scam is fast-pathed. (A page the fast
// path does not take runs the same pipeline in both engines, so only the
// fast-pathed pages need the second analysis.)
func TestFastPathLosesNothing(t *testing.T) {
	dirs := testdirs.All()
	fast := mustEngine(t, Options{})
	full := mustEngine(t, Options{NoFastPath: true})
	ctx := context.Background()
	for _, dir := range dirs {
		taken := map[string]int{}
		pages := map[string]int{}
		for _, p := range corpusPages(t, dir) {
			en := p.Entry
			c, err := capture.FromFile(ctx, p.Path, p.Opts)
			if err != nil {
				continue
			}
			pages[en.Label]++
			ok, why := fast.pre.fastClean(c)
			if !ok {
				continue
			}
			taken[en.Label]++
			if b := full.Analyze(ctx, c); b.Verdict != Clean {
				t.Errorf("%s: fast path says clean (%s), the full engine %s (score %.1f)", en.File, why, b.Verdict, b.Score)
			}
		}
		t.Logf("%s: fast path taken by %d of %d benign pages, %d of %d scam pages", filepath.Base(dir), taken["benign"], pages["benign"], taken["scam"], pages["scam"])
		if taken["scam"] > 0 {
			t.Errorf("%d scam pages took the fast path", taken["scam"])
		}
	}
}

// A page with embedded pictures keeps the full path when the engine reads
// pictures: OCR may find the words the markup does not have.
func TestEmbedsPictures(t *testing.T) {
	for body, want := range map[string]bool{
		`<img src="data:image/png;base64,iVBORw0KGgo=">`: true,
		`<IMG SRC="DATA:IMAGE/GIF;base64,R0lGOD=">`:      true,
		`<p>metadata:imagery of the week</p>`:            false,
		`<img src="img/alert.png">`:                      false,
		`data:image/`:                                    true,
	} {
		c := &capture.Capture{Documents: []capture.Document{{Body: []byte(body)}}}
		if got := embedsPictures(c); got != want {
			t.Errorf("embedsPictures(%q) = %v, want %v", body, got, want)
		}
	}
}

// The glance leaves the obfuscation test out when the keywords alone put a
// page out of reach: fastClean decides every page of the fixtures and the
// shared corpus (and their documents alone, obfuscated or not) as it does
// when the glance makes the test first, with the same reason for a page it
// takes.
func TestGlanceObfuscationLater(t *testing.T) {
	dirs := testdirs.All()
	lazy := mustEngine(t, Options{})
	eager := mustEngine(t, Options{})
	eager.pre.eagerObfuscation = true
	ctx := context.Background()
	pages, taken := 0, 0
	check := func(name string, c *capture.Capture) {
		pages++
		ok, why := lazy.pre.fastClean(c)
		wantOK, wantWhy := eager.pre.fastClean(c)
		if ok != wantOK || ok && why != wantWhy {
			t.Errorf("%s: fast path %v (%s), with the obfuscation test first %v (%s)", name, ok, why, wantOK, wantWhy)
		}
		if ok {
			taken++
		}
	}
	for _, p := range corpusPages(t, dirs...) {
		c, err := capture.FromFile(ctx, p.Path, p.Opts)
		if err != nil {
			continue
		}
		check(p.Entry.File, c)
		for _, d := range c.Documents {
			check(p.Entry.File+" (document alone)", staticCapture(string(d.Body)))
		}
	}
	for _, body := range []string{`<p>hello</p>`, `<script>eval(atob("YWxlcnQoMSk="))</script><p>Call Microsoft support</p>`,
		`<script>var _0x1a2b=["\x61\x6c\x65\x72\x74"];</script>`, `<p>Windows Defender</p><script>document.write(unescape("%3Cp%3E"))</script>`} {
		check(body, staticCapture("<html><body>"+body+"</body></html>"))
	}
	t.Logf("%d captures, %d fast-pathed", pages, taken)
	if taken == 0 || taken == pages {
		t.Fatal("the comparison needs pages of both kinds")
	}
}
