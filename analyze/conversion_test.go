package analyze

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// The affiliate parameter evidence names is the first in the link, every
// time (it came from a map's order).
func TestAffiliateParamIsTheFirst(t *testing.T) {
	for range 20 {
		if p := affiliateParam("https://partner.example/go?offer_id=1&amp;aff_id=2&sub_id=3&aff_sub=4"); p != "offer_id" {
			t.Fatalf("affiliateParam = %q, want offer_id", p)
		}
	}
}

// lowerBytes is bytes.ToLower: on every fixture and corpus file, and on
// random bytes (invalid UTF-8, letters that change length when lowered).
func TestLowerBytesIsToLower(t *testing.T) {
	dirs := testdirs.All()
	files := 0
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			files++
			if !bytes.Equal(lowerBytes(b), bytes.ToLower(b)) {
				t.Errorf("%s: lowerBytes differs from bytes.ToLower", path)
			}
			return nil
		})
	}
	pieces := []string{"A", "z", "Ä", "ß", "İ", "Ω", "ẞ", "\xff", "\xe2\x82", "\xed\xa0\x80", "\uFFFD", "К", "ǅ", " ", "<P>", "Ⅻ", "ｗ"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var sb strings.Builder
		for range rng.IntN(30) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		b := []byte(sb.String())
		if got, want := lowerBytes(b), bytes.ToLower(b); !bytes.Equal(got, want) {
			t.Fatalf("lowerBytes(%q) = %q, want %q", b, got, want)
		}
	}
	if files == 0 {
		t.Fatal("no files")
	}
}
