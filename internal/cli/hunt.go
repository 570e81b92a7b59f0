package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/internal/hunt"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/store"
)

// huntFlags configure hunting, in 'hunt' and in 'serve'.
type huntFlags struct {
	config   string
	sources  []string
	minScore float64
	perRound int
	every    time.Duration
}

func (h *huntFlags) parse() ([]hunt.Source, error) {
	var out []hunt.Source
	for _, s := range h.sources {
		src, err := hunt.ParseSource(s)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		out = append(out, src)
	}
	return out, nil
}

// hunter builds the hunter; with a store and queue it queues scans
// (origin "hunt", at a priority below what people submit), each host once
// (its mark and its scan in one transaction); without, it only ranks.
func (h *huntFlags) hunter(ctx context.Context, db *store.DB, q *queue.Queue) (*hunt.Hunter, error) {
	hu := &hunt.Hunter{Threshold: h.minScore, PerRound: h.perRound, MaxRead: 1_000_000}
	if db == nil || q == nil {
		hu.Scorer = hunt.NewScorer(nil)
		return hu, nil
	}
	sc, err := hunt.ScorerFromStore(ctx, db)
	if err != nil {
		return nil, err
	}
	hu.Scorer = sc
	return hu, nil
}

// loop runs rounds of every source until ctx ends (once when every is 0).
func (h *huntFlags) loop(ctx context.Context, hu *hunt.Hunter, srcs []hunt.Source, claim func(src hunt.Source) func(context.Context, hunt.Candidate, hunt.Score, int) (bool, error), log *slog.Logger, report func(hunt.Round)) error {
	for {
		for _, src := range srcs {
			if claim != nil {
				hu.Claim = claim(src)
			}
			r, err := hu.Run(ctx, src)
			if err != nil {
				if h.every == 0 {
					return err
				}
				log.Warn("hunt round failed", "source", src.Name(), "err", err)
				continue
			}
			report(r)
		}
		if h.every == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(h.every):
		}
	}
}

// sourcesToStore reads the sources of serve's flags and --hunt-config
// file, as the store keeps them.
func (h *huntFlags) sourcesToStore() ([]store.HuntSource, error) {
	var out []store.HuntSource
	seen := map[string]bool{}
	add := func(s store.HuntSource) error {
		if _, err := hunt.ParseSource(s.Spec); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		if seen[s.Name] {
			return fmt.Errorf("%w: hunt source %q named twice", errUsage, s.Name)
		}
		seen[s.Name] = true
		out = append(out, s)
		return nil
	}
	def := func(spec string) store.HuntSource {
		return store.HuntSource{Name: spec, Spec: spec, Every: h.every, PerRound: h.perRound, MinScore: h.minScore}
	}
	for _, spec := range h.sources {
		if err := add(def(spec)); err != nil {
			return nil, err
		}
	}
	if h.config == "" {
		return out, nil
	}
	b, err := os.ReadFile(h.config)
	if err != nil {
		return nil, fmt.Errorf("%w: --hunt-config: %v", errUsage, err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		s := def(f[0])
		bad := func(why string) error {
			return fmt.Errorf("%w: %s line %d: %s", errUsage, h.config, i+1, why)
		}
		for _, opt := range f[1:] {
			k, v, ok := strings.Cut(opt, "=")
			var err error
			switch {
			case !ok:
				return nil, bad(fmt.Sprintf("%q: want KEY=VALUE", opt))
			case k == "name":
				s.Name = v
			case k == "every":
				s.Every, err = time.ParseDuration(v)
				if err == nil && s.Every < time.Second {
					err = fmt.Errorf("under a second")
				}
			case k == "per-round":
				s.PerRound, err = strconv.Atoi(v)
			case k == "min-score":
				s.MinScore, err = strconv.ParseFloat(v, 64)
			default:
				return nil, bad(fmt.Sprintf("unknown option %q (name, every, per-round, min-score)", k))
			}
			if err != nil {
				return nil, bad(fmt.Sprintf("%s: %v", opt, err))
			}
		}
		if err := add(s); err != nil {
			return nil, fmt.Errorf("%w (%s line %d)", err, h.config, i+1)
		}
	}
	return out, nil
}

// configure writes serve's hunt sources to the store, where the hunt's
// jobs read them: the sources named become the ones hunted (each keeps
// its cursor while its spec stays the same), others are disabled. With no
// source named the store's list is left as it is.
func (h *huntFlags) configure(ctx context.Context, db *store.DB, log *slog.Logger) error {
	if len(h.sources) == 0 && h.config == "" {
		return nil
	}
	srcs, err := h.sourcesToStore()
	if err != nil {
		return err
	}
	if err := db.SetHuntSources(ctx, srcs); err != nil {
		return err
	}
	log.Info("hunting", "sources", len(srcs))
	return nil
}

// withHunt adds the hunt's jobs to a queue's options: every process with
// workers runs rounds of the sources the store lists; River's leader alone
// runs the tick that finds them due.
func (w *workerFlags) withHunt(o *queue.Options, db *store.DB) {
	if w.workers <= 0 || w.huntWorkers <= 0 {
		return
	}
	jo := hunt.JobOptions{Logger: o.Logger, FetchBudget: max(w.scanTimeout/2, 5*time.Second)}
	prev := o.Register
	o.Register = func(ws *river.Workers) {
		if prev != nil {
			prev(ws)
		}
		hunt.Register(ws, db, jo)
	}
	if o.Queues == nil {
		o.Queues = map[string]int{}
	}
	o.Queues[hunt.Queue] = w.huntWorkers
	o.Periodic = append(o.Periodic, hunt.Periodic(jo))
}

func (h *huntFlags) register(cmd *cobra.Command, prefix string) {
	fl := cmd.Flags()
	fl.StringArrayVar(&h.sources, prefix+"source", nil, "candidate source `KIND:LOCATION` (repeatable): list:FILE-OR-URL, ct:LOG-URL, taxii:COLLECTION-URL, misp:FEED-URL, urlscan:SEARCH-URL")
	fl.Float64Var(&h.minScore, prefix+"min-score", hunt.DefaultThreshold, "least score that spends a scan")
	fl.IntVar(&h.perRound, prefix+"per-round", 100, "scans one source may queue per round (its rate limit, with the round interval)")
	if prefix != "" {
		fl.StringVar(&h.config, prefix+"config", "", "hunt the sources of `FILE`: one a line, KIND:LOCATION [name=NAME] [every=5m] [per-round=100] [min-score=4]")
	}
}

func (e *env) huntCmd() *cobra.Command {
	var sf storeFlags
	var hf huntFlags
	var submit bool
	var format string
	var top int
	cmd := &cobra.Command{
		Use:   "hunt",
		Short: "Find scam pages before anyone reports them: score candidates from feeds, queue the best",
		Long: `hunt reads candidate URLs and host names from sources — URL lists,
Certificate Transparency logs, TAXII 2.1 collections and MISP feeds of other
organisations, urlscan-style searches — and scores each by how much it looks
like a tech support scam lure before spending a scan on it: brand names and
their look-alikes beside support, alert or error words, throwaway
free-hosting tenants, number-shaped parameters, kit paths, neighbours of
listed domains.

Without --submit it prints the ranking. With --submit it queues scans of the
best (once per host, at most --per-round per source and round) in the store,
for the workers of 'serve' or 'worker'; --every repeats rounds.

To hunt continuously, give the sources to 'serve' (--hunt-source,
--hunt-config): its workers and those of 'tssguard worker' then run the
rounds as jobs, each source from the cursor saved in the database.
'hunt sources' lists them with their cursors and last rounds.`,
		Example: `  tssguard hunt --source list:candidates.txt
  tssguard hunt --source ct:https://ct.example/log --every 1m --submit --postgres $URL`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			srcs, err := hf.parse()
			if err != nil {
				return err
			}
			if len(srcs) == 0 {
				return fmt.Errorf("%w: name at least one --source", errUsage)
			}
			log := slog.New(slog.NewTextHandler(e.stderr, nil))
			var db *store.DB
			var q *queue.Queue
			if submit {
				db, err = sf.open(ctx, false)
				if err != nil {
					return err
				}
				defer db.Close()
				q, err = queue.New(ctx, db, nil, queue.Options{Logger: log})
				if err != nil {
					return err
				}
			}
			hu, err := hf.hunter(ctx, db, q)
			if err != nil {
				return err
			}
			var claim func(hunt.Source) func(context.Context, hunt.Candidate, hunt.Score, int) (bool, error)
			if submit {
				claim = func(src hunt.Source) func(context.Context, hunt.Candidate, hunt.Score, int) (bool, error) {
					return hunt.Claimer(db, src.Name(), q.EnqueuePriority)
				}
			}
			return hf.loop(ctx, hu, srcs, claim, log, func(r hunt.Round) {
				if format == "json" {
					_ = jsonLines(e.stdout, []hunt.Round{r})
					return
				}
				verb := "selected (not queued: no --submit)"
				if submit {
					verb = "queued"
				}
				fmt.Fprintf(e.stdout, "%s: %d read, %d hosts, %d scored ≥ %.1f, %d %s, %d repeats, %d over the rate limit (%.2fs)\n",
					r.Source, r.Read, r.Hosts, r.Above, hf.minScore, r.Queued, verb, r.Repeats, r.Deferred, r.Seconds)
				for i, c := range r.Candidates {
					if i == top {
						break
					}
					fmt.Fprintf(e.stdout, "  %5.1f p%d  %s  %v\n", c.Value, c.Priority, c.URL, c.Reasons)
				}
			})
		},
	}
	hf.register(cmd, "")
	sf.register(cmd.Flags())
	cmd.Flags().BoolVar(&submit, "submit", false, "queue scans in the store (default: only print the ranking)")
	cmd.Flags().DurationVar(&hf.every, "every", 0, "repeat a round this often (default: one round)")
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	cmd.Flags().IntVar(&top, "top", 20, "candidates printed per round")
	cmd.AddCommand(e.huntSourcesCmd())
	return cmd
}

// huntSourcesCmd lists the sources serve hunts, with their cursors and
// last rounds.
func (e *env) huntSourcesCmd() *cobra.Command {
	var sf storeFlags
	var format string
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "The sources serve hunts: schedule, cursor, last round",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				srcs, err := db.HuntSources(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					return jsonLines(e.stdout, srcs)
				}
				for _, s := range srcs {
					state := "on"
					if !s.Enabled {
						state = "off"
					}
					fmt.Fprintf(e.stdout, "%-3s %-24s every %-6s rounds %4d  %s\n", state, s.Name, s.Every, s.Rounds, s.Spec)
					if s.Cursor != "" {
						fmt.Fprintf(e.stdout, "      cursor %s\n", s.Cursor)
					}
					if s.LastError != "" {
						fmt.Fprintf(e.stdout, "      last error: %s\n", s.LastError)
					}
				}
				return nil
			})
		},
	}
	sf.register(cmd.Flags())
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	return cmd
}
