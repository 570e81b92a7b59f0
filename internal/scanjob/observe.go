package scanjob

import (
	"context"
	"fmt"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/store"
)

// Observation is one static re-capture of a page: what a scan of it would
// record, and what the server answered.
type Observation struct {
	Result   store.Result
	Status   int    // HTTP status of the page
	FinalURL string // after redirects
}

// Observe captures and analyses a page the way a static scan arriving as
// visitor v does, for the watch: it records nothing.
func (r *Runner) Observe(ctx context.Context, rawURL string, v store.Visitor) (Observation, error) {
	policy, err := r.policyFor(v)
	if err != nil {
		return Observation{}, err
	}
	c, err := capture.NewFetcher(policy).Capture(ctx, rawURL, capture.Options{Policy: policy, Parse: analyze.ParseForCapture})
	if err != nil {
		return Observation{}, err
	}
	c.Language = v.Lang
	rep, err := r.analyze(ctx, c)
	if err != nil {
		return Observation{}, err
	}
	rep.URL = rawURL
	res, err := r.result(store.Scan{URL: rawURL, Visitor: v}, c, rep)
	if err != nil {
		return Observation{}, err
	}
	o := Observation{Result: res, FinalURL: res.FinalURL, Status: 200}
	// The capture keeps an error status as a note on the page.
	for _, n := range c.Notes {
		var code int
		if _, err := fmt.Sscanf(n, "page answered HTTP %d", &code); err == nil {
			o.Status = code
			break
		}
	}
	return o, nil
}
