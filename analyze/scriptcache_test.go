package analyze

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tssguard/tssguard/analyze/js"
	"github.com/tssguard/tssguard/internal/testdirs"
)

func TestBoundedCacheBounds(t *testing.T) {
	c := newBoundedCache[int, string](3, 100)
	for i := range 5 {
		c.put(i, "v", 10)
	}
	if _, ok := c.get(1); ok {
		t.Error("item 1 kept past the item bound")
	}
	if _, ok := c.get(4); !ok {
		t.Error("newest item missing")
	}
	c.put(10, "big", 95) // pushes out everything else
	if _, ok := c.get(4); ok || c.bytes != 95 {
		t.Errorf("byte bound not kept: %d bytes", c.bytes)
	}
	c.put(11, "huge", 101)
	if _, ok := c.get(11); ok {
		t.Error("a value over the byte bound was kept")
	}
}

// An obfuscated page analysed twice: the second time its decodings come
// from the cache, and the report is the same.
func TestDecodedCachedByContent(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(filepath.Join(testdirs.Fixtures(), "scam", "obf-atob-click.html"))
	if err != nil {
		t.Fatal(err)
	}
	c := SampleCapture(Sample{HTML: string(body)})
	first := e.Analyze(context.Background(), c)
	if len(e.cache.decoded.items) == 0 {
		t.Fatal("nothing cached from an obfuscated page")
	}
	second := e.Analyze(context.Background(), c)
	if first.Verdict != second.Verdict || first.Score != second.Score || !reflect.DeepEqual(first.Findings, second.Findings) {
		t.Errorf("reports differ: %s %.1f vs %s %.1f", first.Verdict, first.Score, second.Verdict, second.Score)
	}
	if len(first.Findings) == 0 {
		t.Error("no finding on an obfuscated scam page")
	}
}

// Small scripts and handler attributes are cached too, apart from the
// large ones, with the handler and the page's invoked names in the key.
func TestSmallFactsCached(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("window.open('tel:18005550100')")
	f1, _ := e.script(src, "", nil, nil, 0)
	f2, _ := e.script(src, "", nil, nil, 0)
	if f1 != f2 {
		t.Error("a repeated small script was analysed again")
	}
	if len(e.cache.facts.items) != 0 || len(e.cache.smallFacts.items) != 1 {
		t.Errorf("small script cached with the large ones: %d large, %d small", len(e.cache.facts.items), len(e.cache.smallFacts.items))
	}
	h, _ := e.script(src, "onclick", nil, nil, 0)
	if h == f1 || h.Calls[0].Ctx&js.InGestureHandler == 0 {
		t.Errorf("handler code got the script's facts: %+v", h.Calls)
	}
	if again, _ := e.script(src, "onload", nil, nil, 0); again == h {
		t.Error("facts of an onclick handler served for an onload one")
	}
	fn := []byte("function dial(){ location.href = 'tel:1' }")
	plain, _ := e.script(fn, "", nil, nil, 0)
	invoked, _ := e.script(fn, "", map[string]js.Context{"dial": js.InGestureHandler}, nil, 0)
	if want := js.Analyze(fn, js.Options{MaxBytes: maxScriptBytes}); plain == invoked || !reflect.DeepEqual(*plain, want) {
		t.Error("facts of code invoked by the page served for the same code not invoked")
	}
}

func TestScriptCacheKeepsGlobalsApart(t *testing.T) {
	e, err := New(Options{NoEmulation: true})
	if err != nil {
		t.Fatal(err)
	}
	src := []byte("document.write(phone)")
	none, _ := e.script(src, "", nil, nil, 0)
	one, _ := e.script(src, "", nil, map[string]string{"phone": "+1 844 555 0142"}, 0)
	other, _ := e.script(src, "", nil, map[string]string{"phone": "+1 844 555 0199"}, 0)
	if argAt(none.Calls[0].Args, 0) != "" || argAt(one.Calls[0].Args, 0) != "+1 844 555 0142" || argAt(other.Calls[0].Args, 0) != "+1 844 555 0199" {
		t.Errorf("facts of one page's globals served for another's: %q %q %q", none.Calls[0].Args, one.Calls[0].Args, other.Calls[0].Args)
	}
}
