package evaluate

import (
	"errors"
	"testing"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/internal/corpus"
)

func TestSummarise(t *testing.T) {
	page := func(label, family string, v analyze.Verdict) Page {
		return Page{Entry: corpus.Entry{File: family + "/" + string(v), Label: label, Family: family}, Report: &analyze.Report{Verdict: v}}
	}
	pages := []Page{
		page("scam", "a", analyze.Scam),
		page("scam", "a", analyze.Scam),
		page("scam", "a", analyze.Suspicious), // a miss: suspicious is not detected
		page("benign", "b", analyze.Clean),
		page("benign", "b", analyze.Suspicious),
		page("benign", "b", analyze.Scam), // a false alarm
		{Entry: corpus.Entry{File: "x", Label: "benign", Family: "b"}, Err: errors.New("unreadable")},
	}
	r := Summarise("d", pages)
	if r.Pages != 7 || r.TP != 2 || r.FN != 1 || r.FP != 1 || r.TN != 3 || r.Suspicious != 2 || r.Errors != 1 {
		t.Errorf("counts = %+v", r.Counts)
	}
	if r.Precision != 0.6667 || r.Recall != 0.6667 || r.FPR != 0.25 {
		t.Errorf("rates: precision %v recall %v fpr %v", r.Precision, r.Recall, r.FPR)
	}
	if a := r.Families["a"]; a.Recall != 0.6667 || a.FPR != 0 {
		t.Errorf("family a = %+v", a)
	}
	if len(r.Misses) != 2 || r.Misses[0].Label != "scam" {
		t.Errorf("misses = %+v, want the missed scam first then the false alarm", r.Misses)
	}
}
