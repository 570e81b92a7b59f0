package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHuntConfig: serve's hunt sources from flags and a file, with their
// options; mistakes are usage errors that name the line.
func TestHuntConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "hunt.conf")
	os.WriteFile(p, []byte("# sources\nct:https://ct.example/log  name=ct-main every=1m per-round=200\n\nlist:https://feeds.example/new.txt every=10m min-score=5\n"), 0o644)
	h := huntFlags{sources: []string{"misp:https://partner.example/feed/"}, config: p, every: 5 * time.Minute, perRound: 100, minScore: 4}
	srcs, err := h.sourcesToStore()
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 3 {
		t.Fatalf("sources %+v", srcs)
	}
	if s := srcs[0]; s.Name != "misp:https://partner.example/feed/" || s.Every != 5*time.Minute || s.PerRound != 100 {
		t.Errorf("flag source %+v", s)
	}
	if s := srcs[1]; s.Name != "ct-main" || s.Spec != "ct:https://ct.example/log" || s.Every != time.Minute || s.PerRound != 200 || s.MinScore != 4 {
		t.Errorf("ct source %+v", s)
	}
	if s := srcs[2]; s.Every != 10*time.Minute || s.MinScore != 5 {
		t.Errorf("list source %+v", s)
	}
	for _, bad := range []string{"gopher:x\n", "ct:https://a/ every=1ms\n", "ct:https://a/ colour=red\n", "ct:https://a/ per-round\n", "ct:https://a/ name=x\nlist:b.txt name=x\n"} {
		os.WriteFile(p, []byte(bad), 0o644)
		h := huntFlags{config: p, every: time.Minute}
		_, err := h.sourcesToStore()
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "line") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
