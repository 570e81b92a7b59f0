package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/evaluate"
	"github.com/tssguard/tssguard/internal/workpool"
)

// baseline is the row of unmutated pages.
const baseline = "baseline"

// Options configure a bench run.
type Options struct {
	Classes []string // mutation classes to run (default: all)
	Seed    uint64
	Jobs    int
	// Analyze turns a (mutated) capture into a report; the default is the
	// static engine. The dynamic bench plugs the sandbox in here.
	Analyze func(ctx context.Context, c *capture.Capture, e corpus.Entry) (Judged, error)
	// Mode labels the result: static or dynamic.
	Mode string
	// Dump, when set, is a directory that receives each mutated main
	// document as Dump/<class>/<file>, for a look at what was analysed.
	Dump string
}

// Judged is a page's analysis: its report, and whether running it
// crashed the browser tab (dynamic analysis only).
type Judged struct {
	Report  *analyze.Report
	Crashed bool
}

// Tally counts one cell of the report.
type Tally struct {
	Pages      int     `json:"pages"`
	Changed    int     `json:"changed"` // pages the mutation altered
	Detected   int     `json:"detected"`
	Suspicious int     `json:"suspicious"`
	Errors     int     `json:"errors"`
	Recall     float64 `json:"recall"`
}

// Lost is a page the baseline detected and a mutation made it miss.
type Lost struct {
	Class   string  `json:"class"`
	File    string  `json:"file"`
	Verdict string  `json:"verdict"`
	Score   float64 `json:"score"`
	// Findings are what the variant still raised ("RULE weight"), to see
	// what evidence was left and what was missing.
	Findings []string `json:"findings,omitempty"`
}

// Result is one collection's bench.
type Result struct {
	Dir      string                       `json:"dir"`
	Mode     string                       `json:"mode"`
	Seed     uint64                       `json:"seed"`
	Classes  []string                     `json:"classes"` // baseline first
	Overall  map[string]*Tally            `json:"overall"` // class -> tally
	Variants map[string]*Tally            `json:"variants,omitempty"`
	Families map[string]map[string]*Tally `json:"families"` // family -> class -> tally
	Kits     map[string]map[string]*Tally `json:"kits"`
	Skipped  map[string]string            `json:"skipped,omitempty"` // class -> why
	Lost     []Lost                       `json:"lost"`
	// Broken are the pairs the baseline detected whose variant crashed the
	// browser tab where the page did not: the mutation broke the page (a
	// self-defending script obfuscated again loops until the tab is
	// killed), so no visitor would see it. They are not in Lost. Dynamic
	// analysis only: the static engine cannot tell.
	Broken []Lost `json:"broken,omitempty"`
}

// outcome is one page under one class.
type outcome struct {
	class, variant string
	changed        bool
	verdict        analyze.Verdict
	score          float64
	findings       []string
	crashed        bool   // the browser tab crashed running it
	unmeasured     string // why a miss of this variant says nothing (errUnmeasured)
	err            error
	skipped        string
}

// Run benches every scam page of the collection in dir.
func Run(ctx context.Context, dir string, engine *analyze.Engine, opts Options) (*Result, error) {
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	var pages []corpus.Entry
	for _, e := range entries {
		if e.IsPage() && e.Label == "scam" {
			pages = append(pages, e)
		}
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("%s: manifest lists no scam pages", dir)
	}
	classes, err := selectClasses(opts.Classes)
	if err != nil {
		return nil, err
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.Analyze == nil {
		opts.Analyze = func(ctx context.Context, c *capture.Capture, _ corpus.Entry) (Judged, error) {
			return Judged{Report: engine.Analyze(ctx, c)}, nil
		}
	}
	read := evaluate.StaticCapturer(capture.DefaultPolicy())
	results := make([][]outcome, len(pages))
	workpool.Run(ctx, len(pages), opts.Jobs, func(i int) {
		results[i] = benchPage(ctx, dir, pages[i], classes, read, opts)
	})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	r := summarise(dir, opts.Seed, pages, classes, results)
	r.Mode = cmp.Or(opts.Mode, "static")
	return r, nil
}

func selectClasses(names []string) ([]Mutation, error) {
	all := mutations()
	if len(names) == 0 {
		return all, nil
	}
	byName := map[string]Mutation{}
	for _, m := range all {
		byName[m.Name] = m
	}
	var out []Mutation
	for _, n := range names {
		m, ok := byName[n]
		if !ok {
			return nil, fmt.Errorf("unknown mutation class %q", n)
		}
		out = append(out, m)
	}
	return out, nil
}

// benchPage reads one page once and analyses it unmutated and under each
// class.
func benchPage(ctx context.Context, dir string, e corpus.Entry, classes []Mutation, read evaluate.Capturer, opts Options) []outcome {
	out := make([]outcome, 0, len(classes)+1)
	c, err := read(ctx, dir, e)
	if err != nil {
		o := outcome{class: baseline, err: err}
		out = append(out, o)
		for _, m := range classes {
			o.class = m.Name
			out = append(out, o)
		}
		return out
	}
	orig := pageOf(c)
	analyse := func(o outcome, mc *capture.Capture) outcome {
		j, err := opts.Analyze(ctx, mc, e)
		if err != nil {
			o.err = err
			return o
		}
		r := j.Report
		o.verdict, o.score, o.crashed = r.Verdict, r.Score, j.Crashed
		for _, f := range r.Findings {
			o.findings = append(o.findings, fmt.Sprintf("%s %g", f.Rule, f.Weight))
		}
		return o
	}
	out = append(out, analyse(outcome{class: baseline}, c))
	for _, m := range classes {
		p := orig.clone()
		rng := rand.New(rand.NewPCG(opts.Seed, seedOf(e.File, m.Name)))
		o := outcome{class: m.Name}
		variant, err := applySafely(m, p, rng)
		var skip errSkip
		var unmeasured errUnmeasured
		switch {
		case errors.As(err, &unmeasured):
			o.unmeasured = unmeasured.why
		case errors.As(err, &skip):
			o.skipped = skip.why
			out = append(out, o)
			continue
		case err != nil:
			o.err = err
			out = append(out, o)
			continue
		}
		o.variant = variant
		o.changed = !orig.equal(p)
		if opts.Dump != "" && len(p.Docs) > 0 {
			dumpPage(filepath.Join(opts.Dump, m.Name, e.File), p.Docs[0])
		}
		out = append(out, analyse(o, withPage(c, p)))
	}
	return out
}

// applySafely runs a mutation; a panic in one is that page's error, not
// the bench's end.
func applySafely(m Mutation, p *Page, rng *rand.Rand) (variant string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s panicked: %v", m.Name, r)
		}
	}()
	return m.Apply(p, rng)
}

func seedOf(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// pageOf takes the documents and external scripts of a capture.
func pageOf(c *capture.Capture) *Page {
	p := &Page{}
	for _, d := range c.Documents {
		p.Docs = append(p.Docs, d.Body)
	}
	for _, r := range c.Resources {
		if r.Kind == capture.KindScript {
			p.Scripts = append(p.Scripts, r.Body)
		}
	}
	return p.clone()
}

func (p *Page) equal(q *Page) bool {
	if len(p.Docs) != len(q.Docs) || len(p.Scripts) != len(q.Scripts) {
		return false
	}
	for i := range p.Docs {
		if string(p.Docs[i]) != string(q.Docs[i]) {
			return false
		}
	}
	for i := range p.Scripts {
		if string(p.Scripts[i]) != string(q.Scripts[i]) {
			return false
		}
	}
	return true
}

// withPage returns a copy of c carrying p's documents and scripts.
func withPage(c *capture.Capture, p *Page) *capture.Capture {
	m := *c
	m.Documents = append([]capture.Document(nil), c.Documents...)
	for i := range m.Documents {
		m.Documents[i].Body = p.Docs[i]
	}
	m.Resources = append([]capture.Resource(nil), c.Resources...)
	k := 0
	for i := range m.Resources {
		if m.Resources[i].Kind == capture.KindScript {
			m.Resources[i].Body = p.Scripts[k]
			k++
		}
	}
	return &m
}

func summarise(dir string, seed uint64, pages []corpus.Entry, classes []Mutation, results [][]outcome) *Result {
	r := &Result{Dir: dir, Seed: seed, Classes: []string{baseline}, Overall: map[string]*Tally{}, Variants: map[string]*Tally{},
		Families: map[string]map[string]*Tally{}, Kits: map[string]map[string]*Tally{}, Skipped: map[string]string{}, Lost: []Lost{}}
	for _, m := range classes {
		r.Classes = append(r.Classes, m.Name)
	}
	cell := func(m map[string]map[string]*Tally, row, class string) *Tally {
		if m[row] == nil {
			m[row] = map[string]*Tally{}
		}
		if m[row][class] == nil {
			m[row][class] = &Tally{}
		}
		return m[row][class]
	}
	for i, e := range pages {
		kit := e.Kit
		if kit == "" {
			kit = e.File
		}
		baseDetected, baseCrashed := false, false
		for _, o := range results[i] {
			if o.unmeasured != "" && o.verdict != analyze.Scam && o.err == nil {
				o.skipped = o.unmeasured
			}
			if o.skipped != "" {
				r.Skipped[o.class] = o.skipped
				continue
			}
			if o.class == baseline {
				baseDetected, baseCrashed = o.verdict == analyze.Scam, o.crashed
			}
			if r.Overall[o.class] == nil {
				r.Overall[o.class] = &Tally{}
			}
			tallies := []*Tally{r.Overall[o.class], cell(r.Families, e.Family, o.class), cell(r.Kits, kit, o.class)}
			if o.variant != "" {
				k := o.class + "/" + o.variant
				if r.Variants[k] == nil {
					r.Variants[k] = &Tally{}
				}
				tallies = append(tallies, r.Variants[k])
			}
			for _, t := range tallies {
				t.Pages++
				if o.changed {
					t.Changed++
				}
				switch {
				case o.err != nil:
					t.Errors++
				case o.verdict == analyze.Scam:
					t.Detected++
				case o.verdict == analyze.Suspicious:
					t.Suspicious++
				}
			}
			if o.class != baseline && baseDetected && o.verdict != analyze.Scam {
				l := Lost{Class: o.class, File: e.File, Verdict: string(o.verdict), Score: o.score, Findings: o.findings}
				if o.crashed && !baseCrashed {
					r.Broken = append(r.Broken, l)
				} else {
					r.Lost = append(r.Lost, l)
				}
			}
		}
	}
	all := []map[string]*Tally{r.Overall, r.Variants}
	for _, m := range r.Families {
		all = append(all, m)
	}
	for _, m := range r.Kits {
		all = append(all, m)
	}
	for _, m := range all {
		for _, t := range m {
			if t.Pages > 0 {
				t.Recall = float64(int(float64(t.Detected)/float64(t.Pages)*10000+0.5)) / 10000
			}
		}
	}
	var kept []string
	for _, c := range r.Classes {
		if _, skipped := r.Skipped[c]; !skipped || r.Overall[c] != nil {
			kept = append(kept, c)
		}
	}
	r.Classes = kept
	for _, l := range [][]Lost{r.Lost, r.Broken} {
		sort.Slice(l, func(i, j int) bool {
			if l[i].Class != l[j].Class {
				return l[i].Class < l[j].Class
			}
			return l[i].File < l[j].File
		})
	}
	return r
}

func dumpPage(path string, body []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
		_ = os.WriteFile(path, body, 0o644)
	}
}

func exists(dir string) bool {
	st, err := os.Stat(dir)
	return err == nil && st.IsDir()
}
