package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/analyze"
)

func (e *env) rulesCmd() *cobra.Command {
	var files []string
	var check bool
	cmd := &cobra.Command{
		Use:   "rules [ID...] [flags]",
		Short: "List the detection rules, show one in full, or check a rule pack against its samples",
		Long: `List the detection rules with their category, weight and what they detect.

With rule IDs (as a report names them; the TSS- prefix and case may be
left out, and a part of an ID lists every rule it names), show each rule
in full: its weight, when a claim does not count, the words and windows it
matches with, and the samples it is tested on.

Rules live in an embedded rule pack (YAML). --rules FILE lays your own pack
over it: new IDs add rules, an existing ID replaces that rule (extend: true
adds phrases to it instead; disabled: true switches it off), and thresholds,
damping and categories can be tuned. --check validates the result and runs
every rule's true- and false-positive samples.`,
		Example: `  tssguard rules
  tssguard rules TSS-TEXT-THREAT-FOUND     # one rule in full
  tssguard rules lock                      # every rule whose ID has "lock"
  tssguard rules --rules my-rules.yaml --check`,
		RunE: func(cmd *cobra.Command, args []string) error {
			engine, err := loadEngine(files, analyze.Options{}, true)
			if err != nil {
				return err
			}
			pack := engine.Pack()
			if check {
				if len(args) > 0 {
					return fmt.Errorf("%w: --check runs every rule's samples; leave out the rule IDs", errUsage)
				}
				return e.checkRules(cmd.Context(), engine)
			}
			if len(args) > 0 {
				return e.showRules(pack, args)
			}
			rules := append([]analyze.Rule(nil), pack.Rules...)
			sort.SliceStable(rules, func(i, j int) bool { return rules[i].Category < rules[j].Category })
			fmt.Fprintf(e.stdout, "thresholds: scam ≥ %.1f (from ≥ %d kinds of evidence), suspicious ≥ %.1f\n\n", pack.Thresholds.Scam, pack.MinCategories, pack.Thresholds.Suspicious)
			fmt.Fprintf(e.stdout, "%-28s %-12s %-9s %6s  %s\n", "ID", "CATEGORY", "SEVERITY", "WEIGHT", "DESCRIPTION")
			for _, r := range rules {
				desc := r.Description
				if r.Disabled {
					desc = "(disabled) " + desc
				}
				sev := e.colour.severity(r.Severity, fmt.Sprintf("%-9s", r.Severity))
				fmt.Fprintf(e.stdout, "%-28s %-12s %s %6.1f  %s\n", r.ID, r.Category, sev, r.Weight, desc)
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&files, "rules", nil, "rule pack `FILE` laid over the built-in rules (repeatable)")
	cmd.Flags().BoolVar(&check, "check", false, "run every rule's samples and report failures")
	return cmd
}

func (e *env) checkRules(ctx context.Context, engine *analyze.Engine) error {
	failures := analyze.CheckSamples(ctx, engine)
	n := 0
	for _, r := range engine.Pack().Rules {
		if !r.Disabled {
			n += len(r.Samples.TP) + len(r.Samples.FP)
		}
	}
	for _, f := range failures {
		fmt.Fprintln(e.stdout, f)
	}
	if len(failures) > 0 {
		fmt.Fprintf(e.stdout, "%d of %d samples failed\n", len(failures), n)
		return exitError{ExitFlagged}
	}
	fmt.Fprintf(e.stdout, "all %d samples of %d rules pass\n", n, len(engine.Pack().Rules))
	return nil
}

// findRules picks the rules a user's word names: the ID itself (case and
// the TSS- prefix optional), else every ID that contains it.
func findRules(pack *analyze.Pack, word string) []analyze.Rule {
	w := strings.ToUpper(strings.TrimSpace(word))
	for _, r := range pack.Rules {
		if r.ID == w || r.ID == "TSS-"+w {
			return []analyze.Rule{r}
		}
	}
	var out []analyze.Rule
	for _, r := range pack.Rules {
		if w != "" && strings.Contains(r.ID, w) {
			out = append(out, r)
		}
	}
	return out
}

// showRules prints each named rule in full.
func (e *env) showRules(pack *analyze.Pack, words []string) error {
	var rules []analyze.Rule
	seen := map[string]bool{}
	for _, w := range words {
		found := findRules(pack, w)
		if len(found) == 0 {
			return fmt.Errorf("%w: no rule ID has %q ('tssguard rules' lists them)", errUsage, w)
		}
		for _, r := range found {
			if !seen[r.ID] {
				seen[r.ID] = true
				rules = append(rules, r)
			}
		}
	}
	for i, r := range rules {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		e.showRule(pack, r)
	}
	return nil
}

// showRule prints one rule: what it adds, when it does not count, what it
// matches, and its samples.
func (e *env) showRule(pack *analyze.Pack, r analyze.Rule) {
	w := e.stdout
	weight := fmt.Sprintf("weight %.1f", r.Weight)
	if r.PerMatch > 0 {
		weight += fmt.Sprintf(", +%.1f a further match up to %.1f", r.PerMatch, r.MaxWeight)
	}
	fmt.Fprintf(w, "%s  %s, %s, %s\n", e.colour.severity(r.Severity, r.ID), r.Category, r.Severity, weight)
	if r.Disabled {
		fmt.Fprintln(w, "  disabled")
	}
	fmt.Fprintf(w, "  %s\n", r.Description)
	fmt.Fprintf(w, "  report message: %s\n", r.Message)
	if c, ok := pack.Categories[r.Category]; ok && c.Cap > 0 {
		fmt.Fprintf(w, "  the %s category adds at most %.1f to a page's score\n", r.Category, c.Cap)
	}
	if r.Decisive {
		fmt.Fprintln(w, "  decisive: makes the page a scam on its own")
	}
	if r.Contact {
		fmt.Fprintf(w, "  contact evidence: a legitimate contact page has it too; a page with only such evidence scores at most %.1f\n", pack.ContactCap)
	}
	if r.Scope == "claim" {
		fmt.Fprintln(w, "  a claim: not counted in a question, an if-clause, quotation marks, after a negation, or beside advisory words (scam, fake, never ...)")
	}
	if r.MinMatches > 1 {
		fmt.Fprintf(w, "  needs %d matches\n", r.MinMatches)
	}
	text := len(r.Phrases) > 0 || r.Near != nil || r.Regex != ""
	if !text {
		fmt.Fprintln(w, "  found by the engine's detectors (page structure, scripts, what the page did when run), not by words")
	} else if len(r.Surfaces) > 0 {
		fmt.Fprintf(w, "  reads: %s\n", strings.Join(r.Surfaces, ", "))
	}
	if len(r.Phrases) > 0 {
		fmt.Fprintf(w, "  any of %s\n", termSummary(pack, r.Phrases))
	}
	if n := r.Near; n != nil {
		how := fmt.Sprintf("within %d characters", n.Window)
		if n.Ordered {
			how += ", in this order"
		}
		if n.Sentence {
			how += ", in one sentence"
		}
		fmt.Fprintf(w, "  one word of each list %s:\n", how)
		for _, list := range n.Terms {
			fmt.Fprintf(w, "    %s\n", termSummary(pack, list))
		}
	}
	if r.Regex != "" {
		fmt.Fprintf(w, "  the expression %s\n", r.Regex)
		if len(r.Keywords) > 0 {
			fmt.Fprintf(w, "    on text with one of: %s\n", strings.Join(r.Keywords, ", "))
		}
	}
	if len(r.Samples.TP)+len(r.Samples.FP) > 0 {
		fmt.Fprintln(w, "  samples ('rules --check' runs them):")
		for _, s := range r.Samples.TP {
			fmt.Fprintf(w, "    matches:       %s\n", s.HTML)
		}
		for _, s := range r.Samples.FP {
			fmt.Fprintf(w, "    does not match: %s\n", s.HTML)
		}
	}
}

// termSummary names a rule's term list: named lists by name with their
// size and first words, other terms as written (the first 12).
func termSummary(pack *analyze.Pack, list []string) string {
	const shown = 12
	var parts, plain []string
	for _, t := range list {
		name, named := strings.CutPrefix(t, "@")
		if !named {
			plain = append(plain, t)
			continue
		}
		words := pack.ExpandTerms([]string{t})
		first := words[:min(len(words), 6)]
		parts = append(parts, fmt.Sprintf("@%s (%d words: %s …)", name, len(words), strings.Join(first, ", ")))
	}
	if len(plain) > 0 {
		p := strings.Join(plain[:min(len(plain), shown)], ", ")
		if len(plain) > shown {
			p += fmt.Sprintf(" … (%d in all)", len(plain))
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " or ")
}
