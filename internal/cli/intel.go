package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/intel"
	"github.com/tssguard/tssguard/store"
)

// sinceFlag parses --since: a duration back from now (72h, 7d) or a date.
func sinceFlag(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 {
			return time.Now().Add(-time.Duration(n) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return time.Now().Add(-d), nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: --since %q: want a duration (72h, 7d) or a date (2026-11-01)", errUsage, s)
}

func (e *env) numbersCmd() *cobra.Command {
	var sf storeFlags
	var since, format string
	cmd := &cobra.Command{
		Use:   "numbers",
		Short: "List the hotline numbers seen on scam pages",
		Long: `numbers lists every hotline number the scans found on scam and suspicious
pages: first and last seen, how many pages, the domains, the brand, how it
was found (text, tel: link, URL parameter, script, speech), its country and
type, and its campaign. 'numbers stats' says how long numbers stay in use.`,
		Example: `  tssguard numbers --since 7d
  tssguard numbers --format csv > numbers.csv
  tssguard numbers stats`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, err := sinceFlag(since)
			if err != nil {
				return err
			}
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				w, flush, err := hotlineWriter(e.stdout, format)
				if err != nil {
					return err
				}
				if err := db.Hotlines(ctx, from, w); err != nil {
					return err
				}
				return flush()
			})
		},
	}
	sf.register(cmd.PersistentFlags())
	cmd.Flags().StringVar(&since, "since", "", "only numbers last seen since `WHEN` (72h, 7d, 2026-11-01)")
	cmd.Flags().StringVar(&format, "format", "table", "output: table, json (one object per line) or csv")
	cmd.AddCommand(e.numberStatsCmd(&sf))
	return cmd
}

func hotlineWriter(out io.Writer, format string) (func(store.Hotline) error, func() error, error) {
	switch format {
	case "table":
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NUMBER\tTYPE\tREGION\tVERDICT\tPAGES\tFIRST SEEN\tLAST SEEN\tFOUND IN\tBRAND\tCAMPAIGN\tDOMAINS")
		return func(h store.Hotline) error {
			_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", h.E164, dash(h.Type), dash(h.Region), h.Verdict, h.Sightings,
				h.FirstSeen.Format(time.DateTime), h.LastSeen.Format(time.DateTime), dash(strings.Join(h.How, ",")), dash(h.Brand), dash(h.Campaign), dash(strings.Join(h.Domains, " ")))
			return err
		}, tw.Flush, nil
	case "json":
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		return func(h store.Hotline) error { return enc.Encode(h) }, func() error { return nil }, nil
	case "csv":
		cw := csv.NewWriter(out)
		_ = cw.Write([]string{"e164", "type", "region", "verdict", "sightings", "first_seen", "last_seen", "found_in", "brand", "campaign", "domains", "templates"})
		return func(h store.Hotline) error {
				return cw.Write([]string{h.E164, h.Type, h.Region, h.Verdict, strconv.Itoa(h.Sightings), h.FirstSeen.Format(time.RFC3339),
					h.LastSeen.Format(time.RFC3339), strings.Join(h.How, ","), h.Brand, h.Campaign, strings.Join(h.Domains, " "), strings.Join(h.Templates, " ")})
			}, func() error {
				cw.Flush()
				return cw.Error()
			}, nil
	}
	return nil, nil, fmt.Errorf("%w: --format %q: want table, json or csv", errUsage, format)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (e *env) campaignsCmd() *cobra.Command {
	var sf storeFlags
	var format string
	cmd := &cobra.Command{
		Use:   "campaigns",
		Short: "List the campaigns: scam pages of one kit, with their numbers and domains",
		Long: `campaigns groups scam pages by template: pages built from one kit form one
campaign, whatever numbers, domains and URL parameters their operators
swapped in. Each campaign lists its numbers, domains, pages and lifetime.`,
		Example: `  tssguard campaigns
  tssguard campaigns show c-3f9a1b2c`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				cs, err := db.Campaigns(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					return jsonLines(e.stdout, cs)
				}
				tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "CAMPAIGN\tBRAND\tPAGES\tNUMBERS\tDOMAINS\tFIRST SEEN\tLAST SEEN\tLIFETIME")
				for _, c := range cs {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\n", c.ID, dash(c.Brand), c.Pages, len(c.Numbers), len(c.Domains),
						c.FirstSeen.Format(time.DateTime), c.LastSeen.Format(time.DateTime), lifetime(c.LastSeen.Sub(c.FirstSeen)))
				}
				return tw.Flush()
			})
		},
	}
	sf.register(cmd.PersistentFlags())
	cmd.Flags().StringVar(&format, "format", "table", "output: table or json")
	cmd.AddCommand(&cobra.Command{
		Use:   "show ID",
		Short: "One campaign: its numbers, domains and URL patterns",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				c, err := db.Campaign(ctx, args[0])
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no campaign %q: 'tssguard campaigns' lists them", args[0])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "campaign %s\n  brand      %s\n  pages      %d\n  first seen %s\n  last seen  %s (%s)\n",
					c.ID, dash(c.Brand), c.Pages, c.FirstSeen.Format(time.DateTime), c.LastSeen.Format(time.DateTime), lifetime(c.LastSeen.Sub(c.FirstSeen)))
				for _, l := range []struct {
					name string
					vals []string
				}{{"numbers", c.Numbers}, {"domains", c.Domains}, {"URL patterns", c.URLs}} {
					fmt.Fprintf(e.stdout, "  %s (%d)\n", l.name, len(l.vals))
					for _, v := range l.vals {
						fmt.Fprintf(e.stdout, "    %s\n", v)
					}
				}
				return nil
			})
		},
	})
	return cmd
}

func jsonLines[T any](out io.Writer, items []T) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

func lifetime(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%.1fh", d.Hours())
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}

// createOutput opens -o FILE (or standard output), writing to a temporary
// file renamed into place so that a failed export never leaves half a list
// where a DNS server would load it.
func createOutput(stdout io.Writer, path string) (io.Writer, func(ok bool) error, error) {
	if path == "" || path == "-" {
		return stdout, func(bool) error { return nil }, nil
	}
	f, err := os.CreateTemp(dirOf(path), ".tssguard-export-*")
	if err != nil {
		return nil, nil, err
	}
	return f, func(ok bool) error {
		cerr := f.Close()
		if !ok || cerr != nil {
			os.Remove(f.Name())
			return cerr
		}
		_ = os.Chmod(f.Name(), 0o644)
		return os.Rename(f.Name(), path)
	}, nil
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}

func (e *env) numberStatsCmd(sf *storeFlags) *cobra.Command {
	var since, format string
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "How long hotline numbers stay in use",
		Long: `stats reports the lifetime of hotline numbers — from the first scan that saw
a number to the last — as a distribution, with the share of numbers used for
less than a day. Numbers still in use are counted up to their last sighting
so far; a number seen once has a lifetime of zero.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, err := sinceFlag(since)
			if err != nil {
				return err
			}
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				firstLast := map[string][2]time.Time{}
				err = db.Hotlines(ctx, from, func(h store.Hotline) error {
					firstLast[h.E164] = [2]time.Time{h.FirstSeen, h.LastSeen}
					return nil
				})
				if err != nil {
					return err
				}
				st := intel.Lifetimes(firstLast)
				if format == "json" {
					return jsonLines(e.stdout, []intel.LifetimeStats{st})
				}
				if st.Numbers == 0 {
					fmt.Fprintln(e.stdout, "no numbers yet: scans of scam pages record them")
					return nil
				}
				fmt.Fprintf(e.stdout, "%d numbers; %d (%.0f%%) used for less than a day\n", st.Numbers, st.UnderDay, 100*st.ShareUnderDay)
				fmt.Fprintf(e.stdout, "lifetime p50 %s, p90 %s, longest %s\n", lifetime(st.P50), lifetime(st.P90), lifetime(st.Max))
				for _, b := range st.Buckets {
					bar := strings.Repeat("#", int(40*float64(b.Count)/float64(st.Numbers)+0.5))
					fmt.Fprintf(e.stdout, "  %-6s %6d  %s\n", b.Label, b.Count, bar)
				}
				if ws, err := db.WatchStatistics(ctx); err == nil && ws.Checks > 0 {
					fmt.Fprintf(e.stdout, "observed over %d re-captures of %d watched pages (tssguard watch stats)\n", ws.Checks, ws.Watched)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "only numbers last seen since `WHEN` (72h, 7d, 2026-11-01)")
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	return cmd
}
