package evaluate_test

import (
	"context"
	"testing"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/internal/evaluate"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// Minimums the detector must keep on each collection (issue #2).
const (
	minRecall = 0.97
	maxFPR    = 0.01
)

func checkQuality(t *testing.T, dir string) {
	e, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := evaluate.Run(context.Background(), dir, e, evaluate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d pages, precision %.4f, recall %.4f, FPR %.4f", dir, res.Pages, res.Precision, res.Recall, res.FPR)
	for _, m := range res.Misses {
		t.Logf("  miss: %s %s %s score %.1f: %s %s", m.Label, m.Verdict, m.File, m.Score, m.Reason, m.Error)
	}
	if res.Errors > 0 {
		t.Errorf("%d pages could not be read", res.Errors)
	}
	if res.Recall < minRecall {
		t.Errorf("recall %.4f < %.2f", res.Recall, minRecall)
	}
	if res.FPR > maxFPR {
		t.Errorf("false-positive rate %.4f > %.2f", res.FPR, maxFPR)
	}
}

func TestCorpusQuality(t *testing.T) {
	dir, ok := testdirs.Corpus()
	if !ok {
		t.Skipf("shared corpus not found at %s (set TSSGUARD_CORPUS)", dir)
	}
	checkQuality(t, dir)
}

func TestFixturesQuality(t *testing.T) {
	checkQuality(t, testdirs.Fixtures())
}
