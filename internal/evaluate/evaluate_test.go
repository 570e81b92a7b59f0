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
		page("benign", "c", analyze.Clean),
	}
	r := Summarise("d", pages)
	if r.Pages != 8 || r.TP != 2 || r.FN != 1 || r.FP != 1 || r.TN != 4 || r.Suspicious != 2 || r.Errors != 1 {
		t.Errorf("counts = %+v", r.Counts)
	}
	if !rateIs(r.Precision, 0.6667) || !rateIs(r.Recall, 0.6667) || !rateIs(r.FPR, 0.2) {
		t.Errorf("rates: precision %v recall %v fpr %v", show(r.Precision), show(r.Recall), show(r.FPR))
	}
	// Family a has only scam pages: no false-positive rate. Family b has
	// only benign ones: no recall, and precision 0 from its false alarm.
	// Family c has benign pages and no alarm: no precision either.
	if a := r.Families["a"]; !rateIs(a.Recall, 0.6667) || !rateIs(a.Precision, 1) || a.FPR != nil {
		t.Errorf("family a: precision %v recall %v fpr %v", show(a.Precision), show(a.Recall), show(a.FPR))
	}
	if b := r.Families["b"]; !rateIs(b.Precision, 0) || b.Recall != nil || !rateIs(b.FPR, 0.25) {
		t.Errorf("family b: precision %v recall %v fpr %v", show(b.Precision), show(b.Recall), show(b.FPR))
	}
	if c := r.Families["c"]; c.Precision != nil || c.Recall != nil || !rateIs(c.FPR, 0) {
		t.Errorf("family c: precision %v recall %v fpr %v", show(c.Precision), show(c.Recall), show(c.FPR))
	}
	if len(r.Misses) != 2 || r.Misses[0].Label != "scam" {
		t.Errorf("misses = %+v, want the missed scam first then the false alarm", r.Misses)
	}
}

func rateIs(v *float64, want float64) bool { return v != nil && *v == want }

func show(v *float64) any {
	if v == nil {
		return "undefined"
	}
	return *v
}
