package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/workpool"
)

type scanFlags struct {
	format       string
	rules        []string
	ua           string
	referrer     string
	lang         string
	allowPrivate bool
	timeout      time.Duration
	maxPage      int64
	emulation    string
	ocr          string
	noFastPath   bool
	baseDir      string
	pageURL      string
	jobs         int
	all          bool
	noProgress   bool
	dyn          dynamicFlags
}

// target is one page to scan.
type target struct {
	name  string // as shown in reports; the input as given ("-" is "stdin")
	url   string // http(s) target
	path  string // local file
	base  string // where its relative references resolve
	root  string // where local reads are confined
	stdin bool
	alias func(string) (string, bool) // a collection's layout, see corpus.Alias
	err   error                       // why the input cannot be scanned (a missing file)
}

// input is how a JSON line names the target: as it was given.
func (t target) input() string {
	if t.stdin {
		return "-"
	}
	return t.name
}

// jsonReport is a report line of --format json: the report, with the
// input it is about (a dynamic report's url is where the browser loaded
// the page from, not the file given).
type jsonReport struct {
	Schema int    `json:"schema"` // first, as on an error line; hides Report's
	Input  string `json:"input"`
	*analyze.Report
}

// jsonError is the line of --format json for an input that failed.
type jsonError struct {
	Schema int    `json:"schema"`
	Input  string `json:"input"`
	Error  string `json:"error"`
}

func (e *env) scanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [flags] TARGET...",
		Short: "Analyse pages and report whether they are tech support scams",
		Long: `Analyse pages and report whether they are tech support scam pages, and why.

A TARGET is an http(s) URL, an HTML file, a directory of pages, or - for
standard input. A directory with a MANIFEST.tsv is read as a labelled
collection (its kits' scripts resolve as the manifest says); any other
directory is walked for .html/.htm/.php/... pages.

Static analysis reads the page's HTML, its scripts (inline and external,
read from beside a local page or fetched for a URL), de-obfuscates encoded
strings, and runs the scripts for a moment in a bounded emulator. --dynamic
also loads the page in headless Chromium and watches what it does.

URLs are fetched safely: time and size limits, no private, loopback or
link-local destinations unless --allow-private.`,
		Example: `  tssguard scan suspicious.html
  tssguard scan --format json https://example.com/landing?phone=18445550142
  tssguard scan fixtures/                 # every page under a directory
  curl -s https://example.com | tssguard scan -
  tssguard scan --dynamic --ua iphone --click page.html`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.scan(cmd.Context(), args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "text", "output format: text, or json (one report per line)")
	fl.StringArrayVar(&f.rules, "rules", nil, "rule pack `FILE` that extends or overrides the built-in rules (repeatable)")
	fl.StringVar(&f.ua, "ua", "windows", "victim profile / User-Agent: windows, mac, android, iphone (mobile = android)")
	fl.StringVar(&f.lang, "lang", "", "the victim's language, a tag such as ja or de-DE: the Accept-Language of fetches, and in the emulator and the browser navigator.language, the locale and a time zone of its country; kits aimed at one country check it (default: the language the page declares, in the emulator and the browser; fetches ask for en-US)")
	fl.StringVar(&f.referrer, "referrer", "", "arrive as if from URL (its Referer): cloaking kits show the scam only to visitors from a search or an ad, e.g. https://www.bing.com/")
	fl.BoolVar(&f.allowPrivate, "allow-private", false, "allow fetching private, loopback and link-local addresses")
	fl.DurationVar(&f.timeout, "timeout", 20*time.Second, "time limit for fetching one page with its scripts")
	fl.Int64Var(&f.maxPage, "max-page-bytes", 8<<20, "size cap for one page; longer bodies are truncated")
	fl.StringVar(&f.emulation, "emulation", "auto", "run page scripts in the bounded emulator: auto (when the static evidence is not conclusive), always, never")
	fl.StringVar(&f.ocr, "ocr", "auto", "read text in pictures with tesseract, when it is installed: auto (the pictures of a page with little text that already raises an alarm, and with --dynamic the screenshot of such a page), never")
	fl.BoolVar(&f.noFastPath, "no-fast-path", false, "run every rule on every page, also on pages the keyword prefilter finds nothing in")
	fl.StringVar(&f.baseDir, "base-dir", "", "`DIR` that relative scripts resolve against (default: beside the page)")
	fl.StringVar(&f.pageURL, "page-url", "", "`URL` the page was seen at (for a file or stdin; its ?phone= parameters count)")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "pages analysed at once")
	fl.BoolVar(&f.all, "all", false, "text format: print full reports for clean pages too")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress bar, even on a terminal")
	f.dyn.register(fl)
	return cmd
}

func (e *env) scan(ctx context.Context, args []string, f *scanFlags) error {
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("%w: --format %q: want text or json", errUsage, f.format)
	}
	ua, err := capture.UserAgentFor(f.ua)
	if err != nil {
		return fmt.Errorf("%w: --ua: %v", errUsage, err)
	}
	targets, err := e.targets(args, f)
	if err != nil {
		return err
	}
	defer batchGC()()
	if f.ocr != "auto" && f.ocr != "never" {
		return fmt.Errorf("%w: --ocr %q: want auto or never", errUsage, f.ocr)
	}
	if _, ok := capture.LanguageTag(f.lang); f.lang != "" && !ok {
		return fmt.Errorf("%w: --lang %q: want a language tag such as ja, de-DE or pt-BR", errUsage, f.lang)
	}
	engine, err := engineFor(f.rules, f.emulation, f.noFastPath, f.ocr == "auto")
	if err != nil {
		return err
	}
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = f.allowPrivate
	policy.Timeout = f.timeout
	policy.MaxPageBytes = f.maxPage
	policy.UserAgent = ua
	if f.referrer != "" {
		if err := capture.CheckPageURL(f.referrer); err != nil {
			return fmt.Errorf("%w: --referrer: want an http(s) URL: %v", errUsage, err)
		}
	}
	policy = policy.Visiting(f.lang, f.referrer)

	start := time.Now()
	f.dyn.targets = len(targets)
	capt, closer, err := e.capturer(ctx, f, policy)
	if err != nil {
		return err
	}
	defer closer()

	jobs := f.jobs
	if f.dyn.enabled {
		jobs = f.dyn.concurrency()
	}
	jobs = max(1, min(jobs, len(targets)))

	// Results print in target order; with a progress bar on the terminal
	// they are held until the bar is done so the two do not interleave.
	var out io.Writer = e.stdout
	var held bytes.Buffer
	var bar *mpb.Bar
	var prog *mpb.Progress
	if len(targets) > 1 && e.stderrTTY && !f.noProgress {
		prog = mpb.NewWithContext(ctx, mpb.WithOutput(e.stderr), mpb.WithWidth(40))
		bar = prog.AddBar(int64(len(targets)),
			mpb.PrependDecorators(decor.Name("scanning "), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage(), decor.Name(" "), decor.AverageETA(decor.ET_STYLE_GO)))
		out = &held
	}

	type result struct {
		report *analyze.Report
		err    error
	}
	results := make([]*result, len(targets))
	ready := make([]chan struct{}, len(targets))
	for i := range ready {
		ready[i] = make(chan struct{})
	}
	wait := workpool.Start(ctx, len(targets), jobs, func(i int) {
		t := targets[i]
		var c *capture.Capture
		err := t.err
		if err == nil {
			c, err = capt(ctx, t)
		}
		r := &result{err: err}
		if err == nil {
			c.Language = f.lang // the emulator's visitor speaks it too
			r.report = engine.Analyze(ctx, c)
			if t.name != "" && r.report.URL == "" {
				r.report.URL = t.name
			}
			if f.dyn.enabled {
				f.dyn.save(c, t, i, e.stderr)
			}
		}
		results[i] = r
		if bar != nil {
			bar.Increment()
		}
		close(ready[i])
	})

	var summary struct{ scam, suspicious, clean, errors int }
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for i, t := range targets {
		select {
		case <-ready[i]:
		case <-ctx.Done():
			wait()
			return ctx.Err()
		}
		r := results[i]
		if r.err != nil {
			// Reported, and the batch goes on: the exit code says at the
			// end that something failed.
			summary.errors++
			msg := r.err.Error()
			if !strings.HasPrefix(msg, t.name+":") {
				msg = t.name + ": " + msg
			}
			fmt.Fprintf(e.stderr, "tssguard: %s\n", msg)
			if f.format == "json" {
				if err := enc.Encode(jsonError{Schema: analyze.SchemaVersion, Input: t.input(), Error: msg}); err != nil {
					return err
				}
			}
			continue
		}
		switch r.report.Verdict {
		case analyze.Scam:
			summary.scam++
		case analyze.Suspicious:
			summary.suspicious++
		default:
			summary.clean++
		}
		if f.format == "json" {
			if err := enc.Encode(jsonReport{Schema: r.report.Schema, Input: t.input(), Report: r.report}); err != nil {
				return err
			}
			continue
		}
		renderText(out, e.colour, t.name, r.report, f.all || len(targets) == 1)
	}
	wait()
	if prog != nil {
		prog.Wait()
		if _, err := held.WriteTo(e.stdout); err != nil {
			return err
		}
	}
	if f.format == "text" && len(targets) > 1 {
		fmt.Fprintf(e.stdout, "\n%d pages: %d scam, %d suspicious, %d clean, %d errors (%v)\n",
			len(targets), summary.scam, summary.suspicious, summary.clean, summary.errors, time.Since(start).Round(time.Millisecond))
	}
	switch {
	case summary.errors > 0:
		return exitError{ExitError}
	case summary.scam+summary.suspicious > 0:
		return exitError{ExitFlagged}
	}
	return nil
}

// targets expands the command line into pages. An input that cannot be
// read (a missing file, a directory without pages) is a target with err
// set, reported in its place; only a misuse of the command line is an
// error here.
func (e *env) targets(args []string, f *scanFlags) ([]target, error) {
	var out []target
	stdinUsed := false
	for _, a := range args {
		switch {
		case a == "-":
			if stdinUsed {
				return nil, fmt.Errorf("%w: standard input given twice", errUsage)
			}
			stdinUsed = true
			out = append(out, target{name: "stdin", stdin: true, base: f.baseDir, root: f.baseDir})
		case strings.HasPrefix(strings.ToLower(a), "http://") || strings.HasPrefix(strings.ToLower(a), "https://"):
			out = append(out, target{name: a, url: a})
		default:
			st, err := os.Stat(a)
			if err != nil {
				switch {
				case os.IsNotExist(err) && looksLikeHost(a):
					err = fmt.Errorf("%s: no such file; to scan a web page, give the full URL: https://%s", a, a)
				case os.IsNotExist(err):
					err = fmt.Errorf("%s: no such file", a)
				}
				out = append(out, target{name: a, err: err})
				continue
			}
			if !st.IsDir() {
				base := f.baseDir
				if base == "" {
					base = filepath.Dir(a)
				}
				out = append(out, target{name: a, path: a, base: base, root: base})
				continue
			}
			pages, err := dirTargets(a)
			if err == nil && len(pages) == 0 {
				err = fmt.Errorf("%s: no pages found (looked for .html, .htm, .php and similar files)", a)
			}
			if err != nil {
				out = append(out, target{name: a, err: err})
				continue
			}
			out = append(out, pages...)
		}
	}
	return out, nil
}

// dirTargets lists a directory's pages: from its manifest when it has one,
// else by walking it.
func dirTargets(dir string) ([]target, error) {
	var out []target
	if corpus.HasManifest(dir) {
		entries, err := corpus.ReadManifest(dir)
		if err != nil {
			return nil, err
		}
		for _, en := range entries {
			if !en.IsPage() {
				continue
			}
			base, root := corpus.Resolve(dir, en)
			out = append(out, target{name: filepath.Join(dir, en.File), path: filepath.Join(dir, en.File), base: base, root: root, alias: corpus.Alias(dir, en)})
		}
		return out, nil
	}
	files, err := capture.WalkPages(dir)
	if err != nil {
		return nil, err
	}
	for _, p := range files {
		out = append(out, target{name: p, path: p, base: filepath.Dir(p), root: dir})
	}
	return out, nil
}

func looksLikeHost(s string) bool {
	host, _, _ := strings.Cut(s, "/")
	return strings.Contains(host, ".") && !strings.ContainsAny(host, " \\") && !strings.HasSuffix(host, ".html") && !strings.HasSuffix(host, ".htm") && !strings.HasSuffix(host, ".php")
}

// staticCapturer reads files and stdin, and fetches URLs under the policy.
func (e *env) staticCapturer(f *scanFlags, policy capture.Policy) func(context.Context, target) (*capture.Capture, error) {
	fetcher := capture.NewFetcher(policy)
	return func(ctx context.Context, t target) (*capture.Capture, error) {
		// The analysis parses every document anyway: the capture lists the
		// references with that parse instead of a pass of its own.
		opts := capture.Options{Policy: policy, BaseDir: t.base, Root: t.root, PageURL: f.pageURL, Alias: t.alias, Parse: analyze.ParseForCapture}
		switch {
		case t.url != "":
			return fetcher.Capture(ctx, t.url, opts)
		case t.stdin:
			return capture.FromReader(ctx, e.stdin, "stdin", opts)
		default:
			opts.Policy.MaxResources = capture.LocalMaxResources // reading a file costs no request
			return capture.FromFile(ctx, t.path, opts)
		}
	}
}

// Garbage collection for a batch scan: a scan makes much short-lived
// garbage (tokens, script facts) over a small live heap, and collecting it
// at the default pace (GOGC=100) cost about a tenth of a static scan's
// processor time. Collecting when the heap has grown five-fold, under a
// soft limit of 1 GiB, trades some memory for that time. GOGC or
// GOMEMLIMIT in the environment win. The returned function restores the
// settings (the CLI runs inside tests too).
const (
	batchGCPercent   = 400
	batchMemoryLimit = 1 << 30
)

func batchGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(batchGCPercent)
	limit := debug.SetMemoryLimit(batchMemoryLimit)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
