package main

import (
	"context"
	"os"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/sandbox"
)

// dynamicAnalyzer runs each (mutated) page in headless Chromium and
// analyses what it did together with its served bytes. The mutated main
// document is written to a temporary file and served in place of the
// page; the page's other files (external scripts, media) are served from
// the collection as they are, so classes that rewrite external scripts
// change only inline code in this mode.
func dynamicAnalyzer(pool *sandbox.Pool, engine *analyze.Engine, dir, tmp string, po sandbox.PageOptions) func(context.Context, *capture.Capture, corpus.Entry) (Judged, error) {
	return func(ctx context.Context, c *capture.Capture, e corpus.Entry) (Judged, error) {
		f, err := os.CreateTemp(tmp, "page-*.html")
		if err != nil {
			return Judged{}, err
		}
		defer os.Remove(f.Name())
		if len(c.Documents) > 0 {
			_, err = f.Write(c.Documents[0].Body)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return Judged{}, err
		}
		// The mutated page, served where the original would be.
		s := corpus.Serve(dir, e)
		// As scan --dynamic loads a page (scanjob.Rendered).
		dc, err := scanjob.Rendered(ctx, pool, sandbox.Target{Root: s.Root, File: s.File, Page: f.Name(), Alias: s.Alias}, po, c)
		if err != nil {
			return Judged{}, err
		}
		return Judged{Report: engine.Analyze(ctx, dc), Crashed: dc.Runtime != nil && dc.Runtime.Crashed}, nil
	}
}
