package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/tssguard/tssguard/internal/hunt"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/store"
	"github.com/tssguard/tssguard/urlx"
)

// huntFlags configure hunting, in 'hunt' and in 'serve'.
type huntFlags struct {
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
// (origin "hunt", at a priority below what people submit) and remembers
// the hosts it queued; without, it only ranks.
func (h *huntFlags) hunter(ctx context.Context, db *store.DB, q *queue.Queue) (*hunt.Hunter, error) {
	var listed []string
	if db != nil {
		err := db.Listings(ctx, time.Now(), func(l store.Listed) error {
			if l.Kind == "domain" {
				listed = append(listed, l.Value)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	hu := &hunt.Hunter{Scorer: hunt.NewScorer(listed), Threshold: h.minScore, PerRound: h.perRound, MaxRead: 1_000_000}
	if db == nil || q == nil {
		return hu, nil
	}
	hu.Seen = func(ctx context.Context, host, source string, score float64) (bool, error) {
		return db.MarkHunted(ctx, host, source, score, "")
	}
	hu.Submit = func(ctx context.Context, c hunt.Candidate, s hunt.Score, prio int) error {
		dom, err := urlx.RegistrableDomain(c.Host)
		if err != nil {
			dom = c.Host
		}
		id := store.NewID()
		_, err = db.CreateScan(ctx, store.Scan{ID: id, URL: c.URL, Origin: "hunt"}, q.EnqueuePriority(ctx, id, dom, prio))
		return err
	}
	return hu, nil
}

// loop runs rounds of every source until ctx ends (once when every is 0).
func (h *huntFlags) loop(ctx context.Context, hu *hunt.Hunter, srcs []hunt.Source, log *slog.Logger, report func(hunt.Round)) error {
	for {
		for _, src := range srcs {
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

func (h *huntFlags) register(cmd *cobra.Command, prefix string) {
	fl := cmd.Flags()
	fl.StringArrayVar(&h.sources, prefix+"source", nil, "candidate source `KIND:LOCATION` (repeatable): list:FILE-OR-URL, ct:LOG-URL, taxii:COLLECTION-URL, misp:FEED-URL, urlscan:SEARCH-URL")
	fl.Float64Var(&h.minScore, prefix+"min-score", hunt.DefaultThreshold, "least score that spends a scan")
	fl.IntVar(&h.perRound, prefix+"per-round", 100, "scans one source may queue per round (its rate limit, with the round interval)")
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
for the workers of 'serve' or 'worker'; --every repeats rounds.`,
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
			return hf.loop(ctx, hu, srcs, log, func(r hunt.Round) {
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
	return cmd
}

// start runs the hunt in the background of serve, when sources are named.
func (h *huntFlags) start(ctx context.Context, db *store.DB, q *queue.Queue, log *slog.Logger) error {
	srcs, err := h.parse()
	if err != nil || len(srcs) == 0 {
		return err
	}
	if h.every <= 0 {
		h.every = 5 * time.Minute
	}
	hu, err := h.hunter(ctx, db, q)
	if err != nil {
		return err
	}
	go func() {
		_ = h.loop(ctx, hu, srcs, log, func(r hunt.Round) {
			log.Info("hunt round", "source", r.Source, "read", r.Read, "above", r.Above, "queued", r.Queued, "repeats", r.Repeats, "deferred", r.Deferred)
		})
	}()
	log.Info("hunting", "sources", len(srcs), "every", h.every)
	return nil
}
