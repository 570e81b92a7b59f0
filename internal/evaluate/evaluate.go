// Package evaluate measures detection quality over a labelled collection
// (see package corpus): confusion matrix, precision, recall and
// false-positive rate overall and per family, and the pages it got wrong.
//
// A page counts as predicted positive when its verdict is scam: that is the
// verdict blocking acts on. Suspicious verdicts are counted separately.
package evaluate

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/workpool"
)

// Counts is a confusion matrix with its rates.
type Counts struct {
	Pages      int `json:"pages"`
	TP         int `json:"tp"`
	FN         int `json:"fn"`
	FP         int `json:"fp"`
	TN         int `json:"tn"`
	Suspicious int `json:"suspicious"` // pages (of either label) with verdict suspicious
	// WithHotline counts the scam pages whose report names a hotline
	// number: what number tracking and reputation get from a collection
	// (a template whose number comes only from its URL has none).
	WithHotline int `json:"with_hotline"`
	Errors      int `json:"errors"`
	// The rates are nil (null in JSON) when there is nothing to measure:
	// precision with no page detected, recall with no scam page, the
	// false-positive rate with no benign page. A family of benign pages has
	// no recall; showing 1.000 would claim a perfect one.
	Precision *float64 `json:"precision"`
	Recall    *float64 `json:"recall"`
	FPR       *float64 `json:"false_positive_rate"`
}

// Miss is a page the engine got wrong.
type Miss struct {
	File    string  `json:"file"`
	Label   string  `json:"label"`
	Family  string  `json:"family"`
	Verdict string  `json:"verdict"`
	Score   float64 `json:"score"`
	Reason  string  `json:"reason"`
	Error   string  `json:"error,omitempty"`
}

// Result is an evaluation.
type Result struct {
	Dir string `json:"dir"`
	Counts
	Families map[string]*Counts `json:"families"`
	// Kits counts scam pages by the manifest's kit column (a page without
	// one is its own kit), so one large kit cannot hide a weak one.
	Kits   map[string]*Counts `json:"kits"`
	Misses []Miss             `json:"misses"`
	// Skipped counts pages marked dynamic-only left out of a static run.
	Skipped int `json:"skipped,omitempty"`
}

// Page is one evaluated page.
type Page struct {
	Entry  corpus.Entry
	Report *analyze.Report
	Err    error
}

// Capturer turns a manifest entry into a capture; the default reads the
// file statically. The dynamic evaluation plugs the sandbox in here.
type Capturer func(ctx context.Context, dir string, e corpus.Entry) (*capture.Capture, error)

// StaticCapturer reads a page from disk with the collection's resolution rule.
func StaticCapturer(policy capture.Policy) Capturer {
	policy.MaxResources = capture.LocalMaxResources // reading a file costs no request
	return func(ctx context.Context, dir string, e corpus.Entry) (*capture.Capture, error) {
		base, root := corpus.Resolve(dir, e)
		return capture.FromFile(ctx, filepath.Join(dir, e.File), capture.Options{Policy: policy, BaseDir: base, Root: root, Alias: corpus.Alias(dir, e), Parse: analyze.ParseForCapture})
	}
}

// Options configure Run.
type Options struct {
	Capture  Capturer // default StaticCapturer(capture.DefaultPolicy())
	Jobs     int      // concurrent pages (default: number of CPUs)
	Progress func(done, total int)
	// Dynamic says Capture runs pages in the browser, so pages marked
	// dynamic-only are evaluated too.
	Dynamic bool
}

// Run evaluates engine over the collection in dir.
func Run(ctx context.Context, dir string, engine *analyze.Engine, opts Options) (*Result, []Page, error) {
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	var pages []corpus.Entry
	skipped := 0
	for _, e := range entries {
		switch {
		case !e.IsPage():
		case e.DynamicOnly() && !opts.Dynamic:
			skipped++
		default:
			pages = append(pages, e)
		}
	}
	if len(pages) == 0 {
		return nil, nil, fmt.Errorf("%s: manifest lists no pages", dir)
	}
	if opts.Capture == nil {
		opts.Capture = StaticCapturer(capture.DefaultPolicy())
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	out := make([]Page, len(pages))
	var mu sync.Mutex
	done := 0
	workpool.Run(ctx, len(pages), opts.Jobs, func(i int) {
		p := Page{Entry: pages[i]}
		c, err := opts.Capture(ctx, dir, pages[i])
		if err != nil {
			p.Err = err
		} else {
			p.Report = engine.Analyze(ctx, c)
		}
		out[i] = p
		if opts.Progress != nil {
			mu.Lock()
			done++
			opts.Progress(done, len(pages))
			mu.Unlock()
		}
	})
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	res := Summarise(dir, out)
	res.Skipped = skipped
	return res, out, nil
}

// Summarise computes the counts and misses of evaluated pages.
func Summarise(dir string, pages []Page) *Result {
	r := &Result{Dir: dir, Families: map[string]*Counts{}, Kits: map[string]*Counts{}, Misses: []Miss{}}
	for _, p := range pages {
		fam := r.Families[p.Entry.Family]
		if fam == nil {
			fam = &Counts{}
			r.Families[p.Entry.Family] = fam
		}
		groups := []*Counts{&r.Counts, fam}
		if p.Entry.Label == "scam" {
			kit := p.Entry.Kit
			if kit == "" {
				kit = p.Entry.File
			}
			if r.Kits[kit] == nil {
				r.Kits[kit] = &Counts{}
			}
			groups = append(groups, r.Kits[kit])
		}
		for _, c := range groups {
			c.Pages++
			if p.Err != nil {
				c.Errors++
			}
		}
		verdict := "error"
		var score float64
		reason := ""
		if p.Report != nil {
			verdict, score, reason = string(p.Report.Verdict), p.Report.Score, p.Report.Reason
		}
		positive := verdict == string(analyze.Scam)
		for _, c := range groups {
			if verdict == string(analyze.Suspicious) {
				c.Suspicious++
			}
			switch {
			case p.Entry.Label == "scam" && positive:
				c.TP++
				if len(p.Report.Hotlines) > 0 {
					c.WithHotline++
				}
			case p.Entry.Label == "scam":
				c.FN++
			case positive:
				c.FP++
			default:
				c.TN++
			}
		}
		if (p.Entry.Label == "scam") != positive {
			m := Miss{File: p.Entry.File, Label: p.Entry.Label, Family: p.Entry.Family, Verdict: verdict, Score: score, Reason: reason}
			if p.Err != nil {
				m.Error = p.Err.Error()
			}
			r.Misses = append(r.Misses, m)
		}
	}
	r.Counts.rates()
	for _, c := range r.Families {
		c.rates()
	}
	for _, c := range r.Kits {
		c.rates()
	}
	sort.Slice(r.Misses, func(i, j int) bool {
		if r.Misses[i].Label != r.Misses[j].Label {
			return r.Misses[i].Label > r.Misses[j].Label // scam pages missed first
		}
		return r.Misses[i].File < r.Misses[j].File
	})
	return r
}

// rates fills precision, recall and FPR, leaving undefined ones nil.
func (c *Counts) rates() {
	c.Precision = ratio(c.TP, c.TP+c.FP)
	c.Recall = ratio(c.TP, c.TP+c.FN)
	c.FPR = ratio(c.FP, c.FP+c.TN)
}

// ratio is n/d rounded to 4 decimals, or nil when d is 0.
func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(int(float64(n)/float64(d)*10000+0.5)) / 10000
	return &v
}
