package js

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// corpusScript is one script of the shared corpus: an external .js file of
// a kit, an inline <script> or an on<event> attribute of a page.
type corpusScript struct {
	name    string // file, plus "#N" for the Nth inline script or "@onclick"
	label   string // "scam" or "benign"
	handler string
	src     []byte
}

var (
	corpusOnce sync.Once
	corpusAll  []corpusScript
)

// corpusScripts reads the corpus once; tests skip when it is absent.
func corpusScripts(tb testing.TB) []corpusScript {
	tb.Helper()
	dir, ok := testdirs.Corpus()
	if !ok {
		tb.Skipf("corpus not found at %s (set TSSGUARD_CORPUS)", dir)
	}
	corpusOnce.Do(func() { corpusAll = readCorpus(dir) })
	if len(corpusAll) == 0 {
		tb.Fatalf("no scripts found in %s", dir)
	}
	return corpusAll
}

func readCorpus(dir string) []corpusScript {
	var out []corpusScript
	for _, label := range []string{"scam", "benign"} {
		root := filepath.Join(dir, label)
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(dir, path)
			switch ext := strings.ToLower(filepath.Ext(path)); ext {
			case ".js":
				out = append(out, corpusScript{name: rel, label: label, src: b})
			case ".html", ".htm", ".php":
				out = append(out, pageScripts(rel, label, b)...)
			}
			return nil
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// pageScripts returns the inline scripts and event handler attributes of
// an HTML page.
func pageScripts(name, label string, page []byte) []corpusScript {
	var out []corpusScript
	z := html.NewTokenizer(bytes.NewReader(page))
	inScript := false
	n := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			tn, hasAttr := z.TagName()
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if len(k) > 2 && k[0] == 'o' && k[1] == 'n' && len(bytes.TrimSpace(v)) > 0 {
					out = append(out, corpusScript{name: name + "@" + string(k), label: label, handler: string(k), src: append([]byte(nil), v...)})
				}
			}
			inScript = string(tn) == "script"
		case html.TextToken:
			if inScript {
				if t := z.Text(); len(bytes.TrimSpace(t)) > 0 {
					n++
					out = append(out, corpusScript{name: name + "#" + itoa(n), label: label, src: append([]byte(nil), t...)})
				}
			}
		case html.EndTagToken:
			inScript = false
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// corpusFile returns one script of the corpus by the end of its name.
func corpusFile(t *testing.T, suffix string) corpusScript {
	t.Helper()
	for _, s := range corpusScripts(t) {
		if strings.HasSuffix(s.name, suffix) {
			return s
		}
	}
	t.Fatalf("%s not in the corpus", suffix)
	return corpusScript{}
}

func hasCall(f Facts, callee string, ctx Context, via string) bool {
	for _, c := range f.Calls {
		if c.Callee == callee && c.Ctx&ctx == ctx && c.Via == via {
			return true
		}
	}
	return false
}

// TestCorpusKits checks facts on real kit scripts; most are obfuscated
// with obfuscator.io string arrays.
func TestCorpusKits(t *testing.T) {
	t.Run("fullscreen on click, obfuscated", func(t *testing.T) {
		s := corpusFile(t, filepath.Join("canada", "fullscreen.js"))
		f := Analyze(s.src, Options{})
		if f.ParseError != "" {
			t.Fatal(f.ParseError)
		}
		if !hasCall(f, "document.documentElement.requestFullScreen", InGestureHandler, "call") ||
			!hasCall(f, "document.documentElement.webkitRequestFullScreen", InGestureHandler, "call") {
			t.Errorf("no requestFullScreen via call in a gesture handler")
		}
		events := map[string]bool{}
		for _, l := range f.Listeners {
			events[l.Event+"@"+l.Target] = true
		}
		if !events["click@window"] || !events["keydown@window"] || !events["contextmenu@window"] {
			t.Errorf("listeners %v", events)
		}
		if len(f.Members) < 9 {
			t.Errorf("members %+v", f.Members)
		}
	})
	t.Run("keyboard lock, obfuscated", func(t *testing.T) {
		f := Analyze(corpusFile(t, filepath.Join("Eroxks", "js", "cse.js")).src, Options{})
		if !hasCall(f, "navigator.keyboard.lock", TopLevel, "") {
			t.Errorf("calls %+v", f.Calls)
		}
		found := false
		for _, a := range f.Assigns {
			found = found || a.Target == "document.onkeydown"
		}
		if !found {
			t.Errorf("assigns %+v", f.Assigns)
		}
	})
	t.Run("beforeunload trap, obfuscated", func(t *testing.T) {
		f := Analyze(corpusFile(t, filepath.Join("canada", "before.js")).src, Options{})
		if len(f.Listeners) != 1 || f.Listeners[0].Event != "beforeunload" || f.Listeners[0].Target != "window" {
			t.Errorf("listeners %+v", f.Listeners)
		}
		found := false
		for _, a := range f.Assigns {
			if strings.HasSuffix(a.Target, ".returnValue") && a.Ctx&InUnloadHandler != 0 && strings.Contains(a.Value, "If you leave") {
				found = true
			}
		}
		if !found {
			t.Errorf("assigns %+v", f.Assigns)
		}
	})
	t.Run("onbeforeunload attribute", func(t *testing.T) {
		s := corpusFile(t, "Eroxks__index.html@onbeforeunload")
		f := Analyze(s.src, Options{Handler: s.handler})
		if f.ParseError != "" || !hasCall(f, "myFunction", InUnloadHandler, "") {
			t.Errorf("%q: %+v", f.ParseError, f.Calls)
		}
	})
	t.Run("base64 page written by script", func(t *testing.T) {
		out := Deobfuscate(corpusFile(t, "Eroxks__index.html#1").src, DeobfuscateOptions{})
		ok := false
		for _, d := range out {
			ok = ok || d.Method == "atob" && strings.Contains(d.Text, "<audio autoplay")
		}
		if !ok {
			t.Errorf("no decoded page:%s", dumpDecoded(out))
		}
	})
	t.Run("char code shift loop in a broken script", func(t *testing.T) {
		out := Deobfuscate(corpusFile(t, "jap-into-germany__index.html#19").src, DeobfuscateOptions{})
		ok := false
		for _, d := range out {
			ok = ok || d.Method == "unescape" && strings.HasPrefix(d.Text, "function eval2(){")
		}
		if !ok {
			t.Errorf("loop not decoded:%s", dumpDecoded(out))
		}
	})
	t.Run("loader hidden in jQuery", func(t *testing.T) {
		out := Deobfuscate(corpusFile(t, filepath.Join("2908", "js", "noir.js")).src, DeobfuscateOptions{Timeout: time.Second})
		ok := false
		for _, d := range out {
			ok = ok || strings.HasPrefix(d.Text, "https://") && strings.Contains(d.Text, "script.js")
		}
		if !ok {
			t.Errorf("loader URL not decoded:%s", dumpDecoded(out))
		}
	})
}

// TestCorpusRobust runs everything over every corpus script: no recovered
// panics, offsets inside the script, bounded time.
func TestCorpusRobust(t *testing.T) {
	failOnPanic(t)
	var slowest time.Duration
	var slowName string
	for _, s := range corpusScripts(t) {
		start := time.Now()
		f := Analyze(s.src, Options{Handler: s.handler})
		if el := time.Since(start); el > slowest {
			slowest, slowName = el, s.name
		}
		for _, c := range f.Calls {
			if c.Offset < -1 || c.Offset > len(s.src) {
				t.Errorf("%s: call %s offset %d", s.name, c.Callee, c.Offset)
			}
		}
		if s.handler == "" && LooksObfuscated(s.src) {
			for _, d := range Deobfuscate(s.src, DeobfuscateOptions{}) {
				if d.Offset < -1 || d.Offset > len(s.src) {
					t.Errorf("%s: decoded offset %d", s.name, d.Offset)
				}
			}
		}
	}
	t.Logf("slowest Analyze: %v (%s)", slowest, slowName)
}

// TestCorpusLiterals: the literals gathered from the syntax tree are the
// ones the tokenizer sees.
func TestCorpusLiterals(t *testing.T) {
	n := 0
	for _, s := range corpusScripts(t) {
		f := Analyze(s.src, Options{Handler: s.handler})
		if f.ParseError != "" {
			continue
		}
		n++
		l := Literals(s.src, 0)
		if len(l) != len(f.Literals) {
			t.Errorf("%s: %d literals from the tree, %d from tokens", s.name, len(f.Literals), len(l))
			continue
		}
		for i := range l {
			if l[i] != f.Literals[i] {
				t.Errorf("%s: literal %d: tree %+v, tokens %+v", s.name, i, f.Literals[i], l[i])
				break
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d scripts parsed", n)
	}
}
