package analyze

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// benignAnalyses reads the corpus's benign pages as far as the rules: the
// documents, scripts and hidden text, each page in its own analysis. As in
// a scan, pages the fast path takes are left out.
func benignAnalyses(b *testing.B) []*analysis {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("no corpus")
	}
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	var out []*analysis
	for _, p := range corpusPages(b, dir) {
		if !strings.HasPrefix(p.Entry.File, "benign/") {
			continue
		}
		c, err := capture.FromFile(context.Background(), p.Path, p.Opts)
		if err != nil {
			continue
		}
		if ok, _ := e.pre.fastClean(c); ok {
			continue
		}
		r := &Report{Schema: SchemaVersion, Findings: []Finding{}, Hotlines: []Hotline{}}
		a := &analysis{e: e, ctx: context.Background(), cap: c, report: r, findings: map[string]*Finding{}}
		a.readDocuments()
		a.readScripts()
		a.readRuntime()
		a.readHiddenText()
		out = append(out, a)
	}
	if len(out) == 0 {
		b.Skip("no benign pages")
	}
	return out
}

// BenchmarkEvaluate runs the rules (evaluate) over the benign pages, as
// the first evaluation of each: nothing derived or cached from the last.
func BenchmarkEvaluate(b *testing.B) {
	pages := benignAnalyses(b)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		for _, base := range pages {
			a := *base
			r := *base.report
			a.report = &r
			a.findings = map[string]*Finding{}
			a.lowered, a.upperToASCII, a.urlHelpers, a.helpersFor, a.scopedNotes = nil, nil, nil, 0, nil
			a.evaluate()
		}
	}
}

// BenchmarkNormalizeText normalises the text of the benign pages.
func BenchmarkNormalizeText(b *testing.B) {
	var texts []string
	var size int64
	for _, a := range benignAnalyses(b) {
		for _, d := range a.docs {
			texts = append(texts, d.Text)
			size += int64(len(d.Text))
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		for _, t := range texts {
			normalizeText(t)
		}
	}
}

// reportCPU reports the process's CPU time per iteration (cpu-ns/op) when
// the function it returns is called: on a shared machine, other work
// stretches wall time but not this.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
