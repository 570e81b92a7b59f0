package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/evaluate"
	"github.com/tssguard/tssguard/sandbox"
)

type evalFlags struct {
	json       bool
	rules      []string
	noFastPath bool
	emulation  string
	jobs       int
	noProgress bool
	dyn        dynamicFlags
	ua         string
}

func (e *env) evalCmd() *cobra.Command {
	var f evalFlags
	cmd := &cobra.Command{
		Use:   "eval [flags] DIR",
		Short: "Measure detection quality over a labelled collection of pages",
		Long: `Measure detection quality over a labelled collection: DIR/MANIFEST.tsv lists
the pages (columns: file, label, family/kind, source repository, path in
repository, commit, license, notes, kit; label is scam or benign). Rows whose
family starts with "asset-of:" and files under lists/ are not pages.

A page counts as detected when its verdict is scam (what blocking acts on);
suspicious verdicts are counted separately. Prints the confusion matrix,
precision, recall and false-positive rate overall and per family, and every
page it got wrong with its score.`,
		Example: `  tssguard eval fixtures
  tssguard eval --json ../shared/corpus | jq .recall`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.eval(cmd.Context(), args[0], &f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.json, "json", false, `print {"pages":N,"precision":P,"recall":R,"false_positive_rate":F,"families":{…},"misses":[…]}`)
	fl.StringArrayVar(&f.rules, "rules", nil, "rule pack `FILE` that extends or overrides the built-in rules (repeatable)")
	fl.StringVar(&f.emulation, "emulation", "auto", "run page scripts in the bounded emulator: auto (when the static evidence is not conclusive), always, never")
	fl.BoolVar(&f.noFastPath, "no-fast-path", false, "run every rule on every page, also on pages the keyword prefilter finds nothing in")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.NumCPU(), "pages analysed at once")
	fl.BoolVar(&f.noProgress, "no-progress", false, "no progress bar, even on a terminal")
	fl.StringVar(&f.ua, "ua", "windows", "dynamic: victim profile: windows, mac, android, iphone")
	f.dyn.register(fl)
	return cmd
}

func (e *env) eval(ctx context.Context, dir string, f *evalFlags) error {
	if !corpus.HasManifest(dir) {
		return fmt.Errorf("%s: no %s here; eval needs a labelled collection", dir, corpus.ManifestName)
	}
	engine, err := engineFor(f.rules, f.emulation, f.noFastPath, true)
	if err != nil {
		return err
	}
	opts := evaluate.Options{Jobs: f.jobs}
	if f.dyn.enabled {
		pool, err := sandbox.New(ctx, sandbox.Options{ChromiumPath: f.dyn.chromium, Browsers: f.dyn.browsers, TabsPerBrowser: f.dyn.tabs, Policy: capture.DefaultPolicy()})
		if err != nil {
			return err
		}
		defer pool.Close()
		opts.Jobs = f.dyn.concurrency()
		opts.Dynamic = true
		static := evaluate.StaticCapturer(capture.DefaultPolicy())
		po := sandbox.PageOptions{Profile: profileName(f.ua), Click: f.dyn.click, Observe: f.dyn.observe}
		opts.Capture = func(ctx context.Context, dir string, en corpus.Entry) (*capture.Capture, error) {
			base, root := corpus.Resolve(dir, en)
			path := filepath.Join(dir, en.File)
			st := localTarget(target{name: path, path: path, base: base, root: root, alias: corpus.Alias(dir, en)}, "")
			return withServed(ctx, pool, st, po, func() (*capture.Capture, error) { return static(ctx, dir, en) })
		}
	}
	var prog *mpb.Progress
	if e.stderrTTY && !f.noProgress {
		prog = mpb.NewWithContext(ctx, mpb.WithOutput(e.stderr), mpb.WithWidth(40))
		var bar *mpb.Bar
		opts.Progress = func(done, total int) {
			if bar == nil {
				bar = prog.AddBar(int64(total), mpb.PrependDecorators(decor.Name("evaluating "), decor.CountersNoUnit("%d/%d")),
					mpb.AppendDecorators(decor.Percentage()))
			}
			bar.SetCurrent(int64(done))
		}
	}
	res, _, err := evaluate.Run(ctx, dir, engine, opts)
	if prog != nil {
		prog.Wait()
	}
	if err != nil {
		return err
	}
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printEval(e.stdout, res)
	return nil
}

// kitNames lists the kits with more than one page, weakest recall first;
// pages without a kit are counted in the table above.
func kitNames(r *evaluate.Result) []string {
	var names []string
	for k, c := range r.Kits {
		if c.TP+c.FN > 1 {
			names = append(names, k)
		}
	}
	recall := func(k string) float64 {
		if c := r.Kits[k]; c.Recall != nil {
			return *c.Recall
		}
		return 1
	}
	sort.Slice(names, func(i, j int) bool {
		if ri, rj := recall(names[i]), recall(names[j]); ri != rj {
			return ri < rj
		}
		return names[i] < names[j]
	})
	return names
}

func clipName(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func printEval(w io.Writer, r *evaluate.Result) {
	fmt.Fprintf(w, "%s: %d pages (%d scam, %d benign)\n", r.Dir, r.Pages, r.TP+r.FN, r.FP+r.TN)
	if r.Skipped > 0 {
		fmt.Fprintf(w, "%d pages marked dynamic-only left out (evaluate them with --dynamic)\n", r.Skipped)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-44s %5s %4s %4s %4s %4s %5s %9s %7s %6s\n", "family", "pages", "TP", "FN", "FP", "TN", "susp", "precision", "recall", "FPR")
	names := make([]string, 0, len(r.Families))
	for k := range r.Families {
		names = append(names, k)
	}
	sort.Strings(names)
	row := func(name string, c *evaluate.Counts) {
		if len(name) > 44 {
			name = name[:43] + "…"
		}
		fmt.Fprintf(w, "%-44s %5d %4d %4d %4d %4d %5d %9s %7s %6s\n", name, c.Pages, c.TP, c.FN, c.FP, c.TN, c.Suspicious,
			rate(c.Precision, 3), rate(c.Recall, 3), rate(c.FPR, 3))
	}
	for _, n := range names {
		row(n, r.Families[n])
	}
	fmt.Fprintln(w, strings.Repeat("-", 104))
	row("all", &r.Counts)
	if kits := kitNames(r); len(kits) > 0 {
		// recall per kit: one large kit cannot hide a weak one
		fmt.Fprintf(w, "\nrecall by kit (%d kits):", len(kits))
		for i, k := range kits {
			c := r.Kits[k]
			if i%4 == 0 {
				fmt.Fprint(w, "\n ")
			}
			fmt.Fprintf(w, " %-22s %3d/%-3d", clipName(k, 22), c.TP, c.TP+c.FN)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nprecision %s  recall %s  false-positive rate %s\n", rate(r.Precision, 4), rate(r.Recall, 4), rate(r.FPR, 4))
	if r.TP > 0 {
		fmt.Fprintf(w, "hotlines: %d of the %d scam pages found name a number (templates that take theirs only from the URL have none)\n", r.WithHotline, r.TP)
	}
	if r.Errors > 0 {
		fmt.Fprintf(w, "%d pages could not be read\n", r.Errors)
	}
	if len(r.Misses) == 0 {
		fmt.Fprintln(w, "no misses")
		return
	}
	fmt.Fprintf(w, "\nmisses (%d):\n", len(r.Misses))
	for _, m := range r.Misses {
		kind := "missed scam"
		if m.Label == "benign" {
			kind = "false alarm"
		}
		fmt.Fprintf(w, "  %-11s %-10s score %5.1f  %s  [%s]\n", kind, m.Verdict, m.Score, m.File, m.Family)
		if m.Error != "" {
			fmt.Fprintf(w, "              error: %s\n", m.Error)
		} else if m.Reason != "" {
			fmt.Fprintf(w, "              %s\n", m.Reason)
		}
	}
}

// rate formats a rate with prec decimals, or "—" when there was nothing to
// measure.
func rate(v *float64, prec int) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', prec, 64)
}
