package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/analyze"
)

func (e *env) rulesCmd() *cobra.Command {
	var files []string
	var check bool
	cmd := &cobra.Command{
		Use:   "rules [flags]",
		Short: "List the detection rules, or check a rule pack against its samples",
		Long: `List the detection rules with their category, weight and what they detect.

Rules live in an embedded rule pack (YAML). --rules FILE lays your own pack
over it: new IDs add rules, an existing ID replaces that rule (extend: true
adds phrases to it instead; disabled: true switches it off), and thresholds,
damping and categories can be tuned. --check validates the result and runs
every rule's true- and false-positive samples.`,
		Example: `  tssguard rules
  tssguard rules --rules my-rules.yaml --check`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			engine, err := loadEngine(files, analyze.Options{}, true)
			if err != nil {
				return err
			}
			pack := engine.Pack()
			if check {
				return e.checkRules(cmd.Context(), engine)
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
