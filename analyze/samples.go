package analyze

import (
	"context"
	"fmt"

	"github.com/tssguard/tssguard/capture"
)

// SampleCapture makes the capture a rule sample stands for.
func SampleCapture(s Sample) *capture.Capture {
	u := s.URL
	if u == "" {
		u = "file:///sample.html"
	}
	return &capture.Capture{URL: u, FinalURL: u, Documents: []capture.Document{{URL: u, Frame: "main", Body: []byte(s.HTML)}}}
}

// CheckSamples runs every enabled rule's samples through the engine: a
// true-positive sample must produce a finding of that rule, a false-positive
// sample must not. It returns one line per failure. The fast path is off.
func CheckSamples(ctx context.Context, e *Engine) []string {
	// Samples test findings, which the fast path skips on pages it calls
	// clean: run them through the full pipeline.
	full := *e
	full.pre = nil
	e = &full
	var fails []string
	for _, r := range e.pack.Rules {
		if r.Disabled {
			continue
		}
		for i, s := range r.Samples.TP {
			if rep := e.Analyze(ctx, SampleCapture(s)); rep.Finding(r.ID) == nil {
				fails = append(fails, fmt.Sprintf("%s: true-positive sample %d did not match: %s", r.ID, i+1, clip(s.HTML, 120)))
			}
		}
		for i, s := range r.Samples.FP {
			if rep := e.Analyze(ctx, SampleCapture(s)); rep.Finding(r.ID) != nil {
				fails = append(fails, fmt.Sprintf("%s: false-positive sample %d matched: %s", r.ID, i+1, clip(s.HTML, 120)))
			}
		}
	}
	return fails
}
