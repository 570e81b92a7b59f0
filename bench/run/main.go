// Command run runs every tssguard benchmark beside its reference in the
// same run and prints one table: figure, tssguard, reference, ratio, the
// issue's target and whether it is met.
//
//	go run ./bench/run [-quick] [-only scan,engine,...] [-json] [-corpus DIR]
//
// References: yara over the same directory (static scans), the analysis
// benchmark (the CLI), a Go map lookup (CheckURL), a minimal net/http server
// under the same wrk load (the check API), a cold chromium --dump-dom of the
// same page (one tab of the pool). The programs other parts own
// (bench/reputation, bench/checkhttp, bench/service, bench/growth) are run
// and their lines "figure<TAB>tssguard<TAB>reference<TAB>ratio<TAB>unit"
// collected. A part that is missing or fails is a row "n/a (reason)"; the
// run goes on. See bench/README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"
)

// bench is one sub-benchmark, selectable with -only.
type bench struct {
	name string
	// figures name the rows it produces, so that a failure before any row
	// still shows each as n/a.
	figures []string
	run     func(ctx context.Context, e *env) ([]Row, error)
	// budget bounds the whole sub-benchmark (quick, full).
	quick, full time.Duration
}

func benches() []bench {
	return []bench{
		{name: "scan", figures: []string{figBenign, figCorpus, figOne}, run: runScan, quick: 5 * time.Minute, full: 15 * time.Minute},
		{name: "engine", figures: []string{figEngine}, run: runEngine, quick: 5 * time.Minute, full: 15 * time.Minute},
		{name: "checkurl", figures: []string{figCheckURL}, run: runCheckURL, quick: 5 * time.Minute, full: 10 * time.Minute},
		{name: "http", figures: []string{figHTTP, figHTTPP99}, run: runHTTP, quick: 5 * time.Minute, full: 10 * time.Minute},
		{name: "dynamic", figures: []string{figDynamic}, run: runDynamic, quick: 5 * time.Minute, full: 20 * time.Minute},
		{name: "service", figures: []string{"service vs CLI and pool"}, run: external("service"), quick: 5 * time.Minute, full: 30 * time.Minute},
		{name: "growth", figures: []string{"growth 1k to 1M pages"}, run: external("growth"), quick: 5 * time.Minute, full: 60 * time.Minute},
	}
}

// env is what every sub-benchmark shares.
type env struct {
	root      string // the repository
	corpus    string // the shared corpus
	yaraRules string
	chromium  string
	quick     bool
	tmp       string // removed at the end
	tssguard  string // the built CLI, set by buildCLI
	logf      func(format string, args ...any)
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-serve-minimal" {
		serveMinimal(os.Args[2]) // the reference HTTP server, see http.go
		return
	}
	quick := flag.Bool("quick", false, "small sizes and one repetition: the whole run in under 5 minutes")
	only := flag.String("only", "", "comma-separated sub-benchmarks to run (default all): "+strings.Join(names(), ","))
	asJSON := flag.Bool("json", false, "print the machine and the rows as JSON instead of the table")
	corpusDir := flag.String("corpus", "", "the shared corpus (default ../shared/corpus beside the repository)")
	yaraRules := flag.String("yara-rules", "", "YARA rules for the static reference (default bench/yara/tss.yar, else a placeholder)")
	chromium := flag.String("chromium", "", "Chromium binary for the dynamic reference (default: the one the pool uses)")
	verbose := flag.Bool("v", false, "log progress to standard error")
	flag.Parse()

	root, err := repoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	selected, err := selectBenches(benches(), *only)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	e := &env{root: root, corpus: *corpusDir, yaraRules: *yaraRules, chromium: *chromium, quick: *quick}
	if e.corpus == "" {
		e.corpus = filepath.Join(root, "..", "shared", "corpus")
	}
	if e.corpus, err = filepath.Abs(e.corpus); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	e.logf = func(string, ...any) {}
	if *verbose {
		e.logf = func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "bench/run %s ", time.Now().Format("15:04:05"))
			fmt.Fprintf(os.Stderr, format+"\n", args...)
		}
	}
	if e.tmp, err = os.MkdirTemp("", "bench-run"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer os.RemoveAll(e.tmp)

	// An interrupted run stops its commands (their process groups), removes
	// its files and prints what it has.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := describeMachine(root)
	m.Quick = *quick
	m.Only = strings.TrimSpace(*only)
	var rows []Row
	for _, b := range selected {
		budget := b.full
		if *quick {
			budget = b.quick
		}
		if ctx.Err() != nil {
			rows = append(rows, naRows(b, "interrupted")...)
			continue
		}
		e.logf("%s: start (budget %v)", b.name, budget)
		rows = append(rows, runOne(ctx, b, e, budget)...)
	}
	m.finish()

	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(struct {
			Machine machine `json:"machine"`
			Rows    []Row   `json:"rows"`
		}{m, rows})
		return
	}
	m.write(os.Stdout)
	fmt.Println()
	writeTable(os.Stdout, rows)
	fmt.Println()
	writeNotes(os.Stdout, rows)
}

func names() []string {
	var out []string
	for _, b := range benches() {
		out = append(out, b.name)
	}
	return out
}

// selectBenches keeps the benches -only names, in the table's order.
func selectBenches(all []bench, only string) ([]bench, error) {
	if strings.TrimSpace(only) == "" {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if !slices.ContainsFunc(all, func(b bench) bool { return b.name == n }) {
			return nil, fmt.Errorf("-only: unknown %q (have %s)", n, strings.Join(names(), ", "))
		}
		want[n] = true
	}
	var out []bench
	for _, b := range all {
		if want[b.name] {
			out = append(out, b)
		}
	}
	return out, nil
}

// runOne runs a sub-benchmark within its budget. An error, a panic or no
// rows at all become n/a rows: one table, whatever fails.
func runOne(parent context.Context, b bench, e *env, budget time.Duration) (rows []Row) {
	ctx, cancel := context.WithTimeout(parent, budget)
	defer cancel()
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			e.logf("%s: panic: %v\n%s", b.name, p, debug.Stack())
			rows = naRows(b, fmt.Sprintf("panic: %v", p))
		}
		e.logf("%s: done in %v", b.name, time.Since(start).Round(time.Second))
	}()
	rows, err := b.run(ctx, e)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		err = fmt.Errorf("over its %v budget: %w", budget, err)
	}
	if err != nil && len(rows) == 0 {
		return naRows(b, err.Error())
	}
	if len(rows) == 0 {
		return naRows(b, "it printed no figure")
	}
	return rows
}

func naRows(b bench, reason string) []Row {
	var rows []Row
	for _, f := range b.figures {
		rows = append(rows, naRow(b.name, f, reason))
	}
	return rows
}

// repoRoot finds the module root above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/tssguard/tssguard") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run inside the tssguard repository (no go.mod of github.com/tssguard/tssguard above the working directory)")
		}
		dir = parent
	}
}
