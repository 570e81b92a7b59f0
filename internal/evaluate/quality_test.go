package evaluate_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/evaluate"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/sandbox"
)

// Minimums the detector must keep on each collection (issues #2 and #9):
// recall at least 0.97 on each, every kit with more than one page too, and
// no false positive at all.
const (
	minRecall     = 0.97
	minKitRecall  = 0.9
	maxFP         = 0
	maxSuspBenign = 0.15 // share of benign pages left suspicious
	// minWithHotline: share of the scam pages found whose report names
	// their number (number tracking and reputation live on it); the
	// others take theirs from the URL or a server. The corpus was at
	// 0.66 while a number kept in one script and written by another
	// (var phone = '…'; document.write(phone)) went unread.
	minWithHotline = 0.8
)

func checkQuality(t *testing.T, dir string) {
	opts := analyze.Options{}
	if sandbox.OCRAvailable() { // as the CLI does: embedded pictures are read
		opts.OCR = sandbox.ReadText
	}
	e, err := analyze.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	res, pages, err := evaluate.Run(context.Background(), dir, e, evaluate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Precision == nil || res.Recall == nil || res.FPR == nil {
		t.Fatalf("%s: a rate is undefined: the collection lacks scam or benign pages", dir)
	}
	t.Logf("%s: %d pages, precision %.4f, recall %.4f, FPR %.4f", dir, res.Pages, *res.Precision, *res.Recall, *res.FPR)
	for _, m := range res.Misses {
		t.Logf("  miss: %s %s %s score %.1f: %s %s", m.Label, m.Verdict, m.File, m.Score, m.Reason, m.Error)
	}
	if res.Errors > 0 {
		t.Errorf("%d pages could not be read", res.Errors)
	}
	if *res.Recall < minRecall {
		t.Errorf("recall %.4f < %.2f", *res.Recall, minRecall)
	}
	if res.FP > maxFP {
		t.Errorf("%d false positives (want %d)", res.FP, maxFP)
	}
	for kit, c := range res.Kits {
		if c.Recall != nil && c.TP+c.FN > 1 && *c.Recall < minKitRecall {
			t.Errorf("kit %s: recall %.3f < %.2f", kit, *c.Recall, minKitRecall)
		}
	}
	if res.TP > 0 && float64(res.WithHotline)/float64(res.TP) < minWithHotline {
		t.Errorf("%d of %d scam pages found name a hotline (< %.0f%%)", res.WithHotline, res.TP, minWithHotline*100)
	}
	// Benign pages left suspicious are analysts' work; keep them few.
	suspBenign := 0
	for _, p := range pages {
		if p.Entry.Label == "benign" && p.Report != nil && p.Report.Verdict == analyze.Suspicious {
			suspBenign++
		}
	}
	if benign := res.FP + res.TN; benign > 0 && float64(suspBenign)/float64(benign) > maxSuspBenign {
		t.Errorf("%d of %d benign pages suspicious (> %.0f%%)", suspBenign, benign, maxSuspBenign*100)
	}
}

// The collections are named by a relative path, as a user types
// "../shared/corpus"; TestPathFormsAgree checks the absolute form reads
// the same.
func TestCorpusQuality(t *testing.T) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skipf("shared corpus not found at %s (set TSSGUARD_CORPUS)", dir)
	}
	checkQuality(t, relative(t, dir))
}

func TestFixturesQuality(t *testing.T) {
	checkQuality(t, relative(t, testdirs.Fixtures()))
}

// relative is dir written relative to the working directory.
func relative(t *testing.T, dir string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || filepath.IsAbs(rel) {
		t.Fatalf("no relative path to %s: %v", dir, err)
	}
	return rel
}

// Every page of a collection is read alike whether the collection is
// named by an absolute or a relative path (issue 10, item 13: with a
// relative path a kit's framed second page was not found, and a scam page
// scored clean 1.5 instead of scam 19.5).
func TestPathFormsAgree(t *testing.T) {
	dirs := []string{testdirs.Fixtures()}
	if dir, ok := testdirs.Corpus(); ok {
		dirs = append(dirs, dir)
	} else {
		t.Logf("shared corpus not found at %s: fixtures only", dir)
	}
	read := evaluate.StaticCapturer(capture.DefaultPolicy())
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		rel := relative(t, abs)
		entries, err := corpus.ReadManifest(abs)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsPage() {
				continue
			}
			a, errA := read(t.Context(), abs, e)
			r, errR := read(t.Context(), rel, e)
			if (errA == nil) != (errR == nil) {
				t.Errorf("%s: absolute %v, relative %v", e.File, errA, errR)
				continue
			}
			if errA != nil {
				continue
			}
			if got, want := shape(r), shape(a); got != want {
				t.Errorf("%s: relative path reads %s, absolute %s", e.File, got, want)
			}
		}
	}
}

// shape is what a capture read: its documents and resources, by size.
func shape(c *capture.Capture) string {
	s := ""
	for _, d := range c.Documents {
		s += "doc:" + strconv.Itoa(len(d.Body)) + " "
	}
	for _, r := range c.Resources {
		s += string(r.Kind) + ":" + strconv.Itoa(len(r.Body)) + r.Err + " "
	}
	return s
}
