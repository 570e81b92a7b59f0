// Command evasion measures how well detection holds when scam pages are
// rewritten the way kit authors evade detectors: text moved into images or
// canvas, phone numbers split, look-alike letters, invisible characters,
// renamed and wrapped and obfuscated scripts, no text at all, other
// languages, character references.
//
//	go run ./bench/evasion [-json] [-classes a,b] [-seed N] [DIR...]
//
// Each DIR is a collection with a MANIFEST.tsv (default: fixtures/ and
// ../shared/corpus when present). Every scam page is read once with its
// kit files, then analysed unmutated (baseline) and under each mutation
// class; the report gives recall (verdict scam) per class, per family and
// per kit (the manifest's kit column; a page without one is its own kit).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/sandbox"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "evasion:", err)
		os.Exit(2)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("evasion", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON result per collection")
	classes := fs.String("classes", "", "comma-separated mutation classes (default: all)")
	seed := fs.Uint64("seed", 1, "seed of the mutations' random choices")
	jobs := fs.Int("jobs", 2, "pages analysed at once")
	emulation := fs.String("emulation", "auto", "emulator: auto, always, never")
	dump := fs.String("dump", "", "write each mutated main document under `DIR`/<class>/<file>")
	makeFixtures := fs.String("make-obfuscated-fixtures", "", "write the obfuscated fixture pages into `FIXTURES` (the fixtures folder) and print their manifest rows")
	dynamic := fs.Bool("dynamic", false, "also run every page in headless Chromium (sandbox) and analyse what it did; slow")
	chromium := fs.String("chromium", "", "dynamic: browser binary (default: found on PATH)")
	list := fs.Bool("list", false, "list the mutation classes and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *list {
		for _, m := range mutations() {
			fmt.Fprintf(stdout, "%-20s %s\n", m.Name, m.Doc)
		}
		return nil
	}
	if *makeFixtures != "" {
		return makeObfuscatedFixtures(*makeFixtures, stdout)
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		for _, d := range []string{"fixtures", "../shared/corpus"} {
			if exists(d) {
				dirs = append(dirs, d)
			}
		}
		if len(dirs) == 0 {
			return fmt.Errorf("no collection given and neither fixtures/ nor ../shared/corpus is here")
		}
	}
	opts := analyze.Options{}
	switch *emulation {
	case "auto":
	case "always":
		opts.AlwaysEmulate = true
	case "never":
		opts.NoEmulation = true
	default:
		return fmt.Errorf("-emulation %q: want auto, always or never", *emulation)
	}
	if sandbox.OCRAvailable() { // as the CLI does: embedded pictures are read
		opts.OCR = sandbox.ReadText
	}
	engine, err := analyze.New(opts)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bo := Options{Seed: *seed, Jobs: *jobs, Dump: *dump}
	if *classes != "" {
		bo.Classes = strings.Split(*classes, ",")
	}
	var pool *sandbox.Pool
	if *dynamic {
		pool, err = sandbox.New(ctx, sandbox.Options{ChromiumPath: *chromium, Browsers: 1, TabsPerBrowser: max(*jobs, 1), Policy: capture.DefaultPolicy()})
		if err != nil {
			return err
		}
		defer pool.Close()
	}
	tmp, err := os.MkdirTemp("", "evasion-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, dir := range dirs {
		if pool != nil {
			bo.Analyze = dynamicAnalyzer(pool, engine, dir, tmp, sandbox.PageOptions{Click: true})
			bo.Mode = "dynamic"
		}
		res, err := Run(ctx, dir, engine, bo)
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(res); err != nil {
				return err
			}
			continue
		}
		printResult(stdout, res)
	}
	return nil
}

// shortNames label the per-family and per-kit columns.
var shortNames = map[string]string{
	baseline: "base", "text-to-image": "img", "text-in-script": "inscript", "text-to-canvas": "canvas", "split-numbers": "split",
	"homoglyphs": "homo", "zero-width": "zw", "rename-identifiers": "rename", "base64-wrap": "b64",
	"obfuscator": "obf", "no-text": "notext", "translate": "transl", "entities": "ent", "body-in-frame": "frame",
}

func printResult(w io.Writer, r *Result) {
	base := r.Overall[baseline]
	fmt.Fprintf(w, "%s: %d scam pages, %s analysis, seed %d\n\n", r.Dir, base.Pages, r.Mode, r.Seed)
	fmt.Fprintf(w, "%-20s %6s %8s %9s %5s %7s %8s\n", "mutation", "pages", "changed", "detected", "susp", "recall", "vs base")
	for _, c := range r.Classes {
		t := r.Overall[c]
		if t == nil {
			continue
		}
		fmt.Fprintf(w, "%-20s %6d %8d %9d %5d %7.3f %+8.3f\n", c, t.Pages, t.Changed, t.Detected, t.Suspicious, t.Recall, t.Recall-base.Recall)
	}
	if len(r.Variants) > 0 {
		fmt.Fprintln(w)
		for _, k := range sortedKeys(r.Variants) {
			t := r.Variants[k]
			fmt.Fprintf(w, "%-28s %6d %8d %9d %5d %7.3f\n", k, t.Pages, t.Changed, t.Detected, t.Suspicious, t.Recall)
		}
	}
	for _, c := range sortedKeys(r.Skipped) {
		fmt.Fprintf(w, "skipped %s: %s\n", c, r.Skipped[c])
	}
	printGrid(w, "family", r.Classes, r.Families)
	printGrid(w, "kit", r.Classes, r.Kits)
	fmt.Fprintf(w, "\n%d (page, mutation) pairs lost a baseline detection (see -json \"lost\")\n", len(r.Lost))
	if len(r.Broken) > 0 {
		fmt.Fprintf(w, "%d more were broken by the mutation: the variant crashed the browser tab, the page did not (see -json \"broken\")\n", len(r.Broken))
	}
	fmt.Fprintln(w)
}

// printGrid prints recall per row (family or kit) and class, rows with the
// most pages first.
func printGrid(w io.Writer, what string, classes []string, rows map[string]map[string]*Tally) {
	names := sortedKeys(rows)
	sort.SliceStable(names, func(i, j int) bool {
		return rows[names[i]][baseline].Pages > rows[names[j]][baseline].Pages
	})
	fmt.Fprintf(w, "\nrecall per %s\n%-40s %5s", what, what, "pages")
	for _, c := range classes {
		fmt.Fprintf(w, " %6s", shortNames[c])
	}
	fmt.Fprintln(w)
	for _, n := range names {
		label := n
		if len(label) > 40 {
			label = label[:39] + "…"
		}
		fmt.Fprintf(w, "%-40s %5d", label, rows[n][baseline].Pages)
		for _, c := range classes {
			if t := rows[n][c]; t != nil {
				fmt.Fprintf(w, " %6.2f", t.Recall)
			} else {
				fmt.Fprintf(w, " %6s", "-")
			}
		}
		fmt.Fprintln(w)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
