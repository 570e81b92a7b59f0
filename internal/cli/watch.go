package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/internal/watch"
	"github.com/tssguard/tssguard/store"
)

// withWatch adds the watch's jobs to a queue's options: every process with
// workers re-captures watched pages; River's leader alone runs the tick.
func (w *workerFlags) withWatch(o *queue.Options, db *store.DB, runner *scanjob.Runner) {
	if w.watchWorkers <= 0 || w.workers <= 0 {
		return
	}
	// A site is held while its page is captured twice (own number and
	// sentinel), each within the fetch timeout; a hold left by a killed
	// worker lapses after that.
	hold := 2*runner.Policy.Timeout + 10*time.Second
	wo := watch.Options{Politeness: w.politeness, Hold: hold, Logger: o.Logger}
	if db.Backend() == "sqlite" {
		// This process owns the database: holds left are a killed run's.
		if err := db.ReleaseSites(context.Background()); err != nil {
			o.Logger.Warn("watch: release sites", "err", err)
		}
	}
	if w.watchInterval > 0 {
		db.SetSchedule(store.Schedule{Last: w.watchInterval, GoneFor: 48 * time.Hour, Jitter: 0.1})
		// The tick looks for due pages at least every 30 s: a long
		// interval must not leave a backlog a tick could not claim in one go.
		wo.Every = min(w.watchInterval, 30*time.Second)
	}
	o.Register = func(ws *river.Workers) { watch.Register(ws, db, runner.Observe, wo) }
	o.Queues = map[string]int{watch.Queue: w.watchWorkers}
	o.Periodic = append(o.Periodic, watch.Periodic(wo))
}

func (e *env) watchCmd() *cobra.Command {
	var sf storeFlags
	var format string
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Scam pages re-captured on a schedule: their state, takedown times, rotations",
		Long: `Every page a scan finds to be a scam is re-captured by the workers of
'serve' and 'worker' on a schedule (every 15 min for its first 6 hours,
hourly for its first day, then every 6 hours) until it has been gone for two
days. A page seen gone (its name no longer resolves, nothing listens, HTTP
4xx, parked or benign content, a redirect elsewhere) loses its listings at
once; a page that comes back is listed again.

'watch list' shows the watched pages; 'watch stats' what watching observed.`,
	}
	sf.register(cmd.PersistentFlags())
	cmd.PersistentFlags().StringVar(&format, "format", "text", "output: text or json")
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "The watched pages, their state and next check",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				var all []store.Watch
				if err := db.Watches(ctx, func(w store.Watch) error { all = append(all, w); return nil }); err != nil {
					return err
				}
				if format == "json" {
					return jsonLines(e.stdout, all)
				}
				for _, w := range all {
					next := "-"
					if !w.NextDue.IsZero() {
						next = w.NextDue.Format(time.RFC3339)
					}
					state := w.State
					if w.How != "" {
						state += " (" + w.How + ")"
					}
					page := w.URL
					if v := visitorText(w.Visitor); v != "" {
						page += "  (as " + v + ")"
					}
					fmt.Fprintf(e.stdout, "%-18s checks %4d  next %-20s  %s\n", state, w.Checks, next, page)
				}
				return nil
			})
		},
	}, &cobra.Command{
		Use:   "stats",
		Short: "Time to takedown, how pages went, numbers per day per campaign",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				st, err := db.WatchStatistics(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					return jsonLines(e.stdout, []store.WatchStats{st})
				}
				fmt.Fprintf(e.stdout, "%d pages watched: %d alive, %d gone, %d ended; %d re-captures\n", st.Watched, st.Alive, st.Gone, st.Ended, st.Checks)
				fmt.Fprintf(e.stdout, "%d number rotations seen on live pages; %d pages write a number put in their URL\n", st.Rotations, st.Reflects)
				for _, x := range []struct {
					name string
					d    store.Durations
				}{{"page", st.URLTakedown}, {"domain", st.DomainTakedown}} {
					if x.d.N > 0 {
						fmt.Fprintf(e.stdout, "%s takedown (%d seen gone): p50 %s, p90 %s, longest %s\n", x.name, x.d.N, lifetime(x.d.P50), lifetime(x.d.P90), lifetime(x.d.Max))
					}
				}
				for _, how := range sortedKeys(st.GoneHow) {
					fmt.Fprintf(e.stdout, "  gone by %-10s %6d checks\n", how, st.GoneHow[how])
				}
				for _, c := range sortedKeys(st.NumbersPerDay) {
					for _, day := range sortedKeys(st.NumbersPerDay[c]) {
						fmt.Fprintf(e.stdout, "  %-12s %s  %d numbers\n", c, day, st.NumbersPerDay[c][day])
					}
				}
				return nil
			})
		},
	})
	return cmd
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// visitorText says who a watch re-captures its page as ("iphone, ja, from
// https://www.bing.com/"), "" for the default visitor.
func visitorText(v store.Visitor) string {
	var parts []string
	for _, p := range []string{v.UA, v.Lang} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if v.Referrer != "" {
		parts = append(parts, "from "+v.Referrer)
	}
	return strings.Join(parts, ", ")
}
