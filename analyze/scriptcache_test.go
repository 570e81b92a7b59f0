package analyze

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

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
