package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/internal/scanjob"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/sandbox"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// storeFlags pick the database: the embedded one in a data directory, or
// PostgreSQL.
type storeFlags struct {
	data     string
	postgres string
}

func (s *storeFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&s.data, "data", "tssguard-data", "embedded database: keep data in `DIR`")
	fl.StringVar(&s.postgres, "postgres", "", "use PostgreSQL at `URL` instead of the embedded database (default: $TSSGUARD_POSTGRES)")
}

// open opens the store; exclusive is for the one server that owns an
// embedded data directory.
func (s *storeFlags) open(ctx context.Context, exclusive bool) (*store.DB, error) {
	if s.postgres == "" {
		// From the environment, so that the password stays out of ps and --help.
		s.postgres = os.Getenv("TSSGUARD_POSTGRES")
	}
	if s.postgres != "" {
		return store.OpenPostgres(ctx, s.postgres)
	}
	return store.OpenSQLite(ctx, s.data, exclusive)
}

// read runs fn with the store opened for a command that does not serve:
// it takes no lock on the data directory, so it works beside a running
// server.
func (s *storeFlags) read(cmd *cobra.Command, fn func(ctx context.Context, db *store.DB) error) error {
	db, err := s.open(cmd.Context(), false)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(cmd.Context(), db)
}

// workerFlags configure the scan workers of serve and worker.
type workerFlags struct {
	workers       int
	dynamic       string
	chromium      string
	tabs          int
	scanTimeout   time.Duration
	fetchers      int
	politeness    time.Duration
	politePerHost bool
	politePrivate bool
	rescueAfter   time.Duration
	allowPrivate  bool
	rules         []string
	watchWorkers  int
	watchInterval time.Duration
	huntWorkers   int
}

func (w *workerFlags) register(fl *pflag.FlagSet) {
	fl.IntVar(&w.workers, "workers", 2, "scans analysed at once in this process")
	fl.IntVar(&w.fetchers, "fetchers", 0, "scans held at once in this process, fetching or waiting for an analysis slot (default: 8 × --workers)")
	fl.StringVar(&w.dynamic, "dynamic", "auto", "dynamic scans in headless Chromium: auto (when Chromium is installed), on, off")
	fl.StringVar(&w.chromium, "chromium", "", "Chromium binary (default: chromium on PATH)")
	fl.IntVar(&w.tabs, "tabs", 4, "dynamic: pages loaded at once per browser")
	fl.DurationVar(&w.scanTimeout, "scan-timeout", 2*time.Minute, "budget of one scan attempt")
	fl.DurationVar(&w.politeness, "politeness", 2*time.Second, "least time between two scans of one domain, across all workers on the database (0: none)")
	fl.BoolVar(&w.politePerHost, "polite-per-host", true, "scan one page of a domain at a time, across all workers on the database")
	fl.BoolVar(&w.politePrivate, "polite-private", false, "be polite to loopback, private and link-local hosts too (with --allow-private; by default they are labs and benchmarks, scanned without waits)")
	fl.DurationVar(&w.rescueAfter, "rescue-after", 0, "retry a scan left running by a dead worker after this long (default: scan timeout + 15s)")
	_ = fl.MarkHidden("rescue-after")
	fl.BoolVar(&w.allowPrivate, "allow-private", false, "let scans reach private, loopback and link-local addresses (labs and tests only)")
	fl.StringArrayVar(&w.rules, "rules", nil, "extra rule pack `FILE` (repeatable)")
	fl.IntVar(&w.watchWorkers, "watch-workers", 2, "re-captures of watched scam pages run at once in this process (0: none)")
	fl.DurationVar(&w.watchInterval, "watch-interval", 0, "re-capture watched pages at this fixed interval instead of the schedule (labs and tests)")
	_ = fl.MarkHidden("watch-interval")
	fl.IntVar(&w.huntWorkers, "hunt-workers", 1, "hunt rounds (of the sources serve was given) run at once in this process (0: none)")
}

type logFlags struct{ format, level string }

func (l *logFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&l.format, "log-format", "text", "log format: text or json")
	fl.StringVar(&l.level, "log-level", "info", "log level: debug, info, warn, error")
}

func (l *logFlags) logger(e *env) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(l.level)); err != nil {
		return nil, fmt.Errorf("%w: --log-level %q", errUsage, l.level)
	}
	o := &slog.HandlerOptions{Level: lvl}
	switch l.format {
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, o)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, o)), nil
	}
	return nil, fmt.Errorf("%w: --log-format %q: want text or json", errUsage, l.format)
}

// startWorkers builds the runner and the queue with workers.
func (w *workerFlags) startWorkers(ctx context.Context, db *store.DB, log *slog.Logger, allowed func(string) bool) (*queue.Queue, *sandbox.Pool, error) {
	if w.dynamic != "off" && w.dynamic != "on" && w.dynamic != "auto" {
		return nil, nil, fmt.Errorf("%w: --dynamic %q: want auto, on or off", errUsage, w.dynamic)
	}
	engine, err := engineFor(w.rules, "auto", false, true)
	if err != nil {
		return nil, nil, err
	}
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = w.allowPrivate
	var pool *sandbox.Pool
	if w.dynamic != "off" && w.workers > 0 {
		pool, err = sandbox.New(ctx, sandbox.Options{ChromiumPath: w.chromium, TabsPerBrowser: w.tabs, Policy: policy})
		switch {
		case err == nil:
		case errors.Is(err, sandbox.ErrNoChromium) && w.dynamic == "auto":
			log.Warn("dynamic scans disabled: Chromium not found", "hint", "apt-get install -y chromium")
		default:
			return nil, nil, err
		}
	}
	runner := scanjob.New(engine, policy, pool)
	if allowed != nil {
		runner.Allowed = allowed
	}
	if err := runner.Rebuild(ctx, db); err != nil {
		return nil, nil, fmt.Errorf("campaigns: %w", err)
	}
	runner.LimitAnalysis(w.workers)
	fetchers := w.fetchers
	if fetchers <= 0 {
		fetchers = 8 * w.workers
	}
	gap := w.politeness
	if gap <= 0 {
		gap = -1 // none
	}
	qo := queue.Options{Workers: w.workers, Fetchers: fetchers, JobTimeout: w.scanTimeout, RescueAfter: w.rescueAfter, Logger: log,
		Politeness: gap, Concurrent: !w.politePerHost, PolitePrivate: w.politePrivate}
	if pool != nil {
		// Dynamic scans wait for a tab outside their time limit.
		runner.LimitDynamic(w.tabs)
		qo.Admit = runner.Admit
	}
	w.withWatch(&qo, db, runner)
	w.withHunt(&qo, db)
	q, err := queue.New(ctx, db, runner.Run, qo)
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		return nil, nil, err
	}
	return q, pool, nil
}

func (e *env) serveCmd() *cobra.Command {
	var sf storeFlags
	var wf workerFlags
	var lf logFlags
	var listen string
	var readKey, trustProxy bool
	var keyRate, keyReadRate, ipRate float64
	var maxBody int64
	var warningURL string
	var hf huntFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the API: scan queue, reputation lookups, exports",
		Long: `serve runs tssguard as a service: submit URLs for scanning, read their
reports, and ask whether a URL, domain or number is known to be bad.

With no flags it keeps its data in ./tssguard-data (embedded SQLite) and
listens on 127.0.0.1:8080 with two scan workers. --postgres uses PostgreSQL
instead, and 'tssguard worker' then adds workers on other machines.

Write endpoints need an API key: tssguard apikey create NAME.

Rate limits: requests with an API key are limited per key (--rate-key for
writes, --rate-key-read for reads such as /api/v1/check), never per
address; requests without a key, or with a refused one, are limited per
client address (--rate-ip, 2000/s). A single busy client (a proxy or mail
gateway checking every URL) should send a key instead of raising --rate-ip
for everyone. A revoked key stops working within 10 seconds.

The API is described at /openapi.json; health at /healthz; Prometheus
metrics at /metrics.

Every page a scan finds to be a scam is watched: re-captured on a schedule
by the workers of serve and of every 'tssguard worker' (--watch-workers).

Hunting: --hunt-source KIND:LOCATION (repeatable) and --hunt-config FILE
name the sources to read for candidates (list:FILE-OR-URL, ct:LOG-URL,
taxii:COLLECTION-URL, misp:FEED-URL, urlscan:SEARCH-URL). serve writes them
to the database, where they replace the sources hunted before; without
either flag the database's list is kept. Each source is read every
--hunt-every (or its file's every=) by a job on any worker process, from
the cursor the last round saved there (a CT log index, a list's ETag and
Last-Modified, a TAXII added_after, MISP event timestamps, a urlscan sort
key), so a restart goes on where it stopped. The file has one source a
line, '#' starts a comment:

  ct:https://ct.example/log             name=ct-main every=1m per-round=200
  list:https://feeds.example/new.txt    every=10m min-score=5
  misp:https://partner.example/feed/

A list: file must be readable by every worker process.`,
		Example: `  tssguard apikey create soc
  tssguard serve
  tssguard serve --postgres $URL --hunt-config hunt.conf
  curl -H "Authorization: Bearer $KEY" -d '{"url":"https://example.com/"}' localhost:8080/api/v1/scans
  curl 'localhost:8080/api/v1/check?url=https://example.com/'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log, err := lf.logger(e)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return fmt.Errorf("listen: %w", err)
			}
			defer ln.Close()
			db, err := sf.open(ctx, true)
			if err != nil {
				return err
			}
			defer db.Close()

			ix := reputation.New()
			since, err := server.LoadIndex(ctx, db, ix, time.Now())
			if err != nil {
				return fmt.Errorf("index: %w", err)
			}
			q, pool, err := wf.startWorkers(ctx, db, log, func(d string) bool { return ix.Allowed(d) })
			if err != nil {
				return err
			}
			if pool != nil {
				defer pool.Close()
			}
			if err := q.Start(ctx); err != nil {
				return fmt.Errorf("queue: %w", err)
			}
			if err := hf.configure(ctx, db, log); err != nil {
				return err
			}
			// The DOMs users send with reports are analysed with the same rules.
			engine, err := engineFor(wf.rules, "auto", false, true)
			if err != nil {
				return err
			}
			srv := server.New(server.Options{
				Store: db, Queue: q, Index: ix, Logger: log, Engine: engine,
				AllowPrivate: wf.allowPrivate, Dynamic: pool != nil, ReadNeedsKey: readKey, TrustProxy: trustProxy,
				KeyRate: keyRate, KeyBurst: int(max(1, keyRate*2)), KeyReadRate: keyReadRate, KeyReadBurst: int(max(1, keyReadRate*2)), IPRate: ipRate, IPBurst: int(max(1, ipRate*2)),
				MaxBody: maxBody, Version: versionString(), WarningURL: warningURL,
			})
			followCtx, stopFollow := context.WithCancel(ctx)
			defer stopFollow()
			go server.Follow(followCtx, db, ix, since, 2*time.Second, log, srv.Changed)
			u, d, n := ix.Len()
			log.Info("tssguard serving", "addr", "http://"+ln.Addr().String(), "store", db.Backend(), "workers", wf.workers,
				"dynamic", pool != nil, "index_urls", u, "index_domains", d, "index_numbers", n)
			if err := srv.ListenAndServe(ctx, ln, 10*time.Second); err != nil {
				log.Error("server", "err", err)
			}
			log.Info("shutting down: letting running scans finish")
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return q.Stop(sctx)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "127.0.0.1:8080", "serve the API on `ADDR`")
	sf.register(fl)
	wf.register(fl)
	lf.register(fl)
	fl.BoolVar(&readKey, "read-key", false, "reads need an API key too (default: only writes do)")
	fl.BoolVar(&trustProxy, "trust-proxy", false, "take the client address from X-Forwarded-For (behind a reverse proxy)")
	fl.Float64Var(&keyRate, "rate-key", 20, "writes (scans, reports, allowlist changes) a second per API key (0: unlimited)")
	fl.Float64Var(&keyReadRate, "rate-key-read", 0, "reads (check, lookups, exports) a second per API key (0: unlimited); requests with a key are limited per key, never per address")
	fl.Float64Var(&ipRate, "rate-ip", 2000, "requests a second per client address, for requests without an API key (0: unlimited); a client that needs more, such as a proxy checking every URL, should send a key")
	fl.Int64Var(&maxBody, "max-body", 64<<10, "largest request body in bytes")
	hf.register(cmd, "hunt-")
	fl.DurationVar(&hf.every, "hunt-every", 5*time.Minute, "hunt: a round of every --hunt-source this often")
	fl.StringVar(&warningURL, "warning-url", "", "where the MV3 ruleset export (/api/v1/export/dnr) sends blocked pages (default: the extension's own warning page)")
	return cmd
}

func (e *env) workerCmd() *cobra.Command {
	var sf storeFlags
	var wf workerFlags
	var lf logFlags
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run more scan workers against a shared PostgreSQL database",
		Long: `worker runs scan workers without the API, against the same PostgreSQL
database as 'tssguard serve --postgres URL', so that scans spread over more
machines. The embedded database belongs to its one server: workers need
--postgres.

Workers also re-capture watched scam pages (--watch-workers) and run hunt
rounds (--hunt-workers) of the sources 'serve' wrote to the database, each
source from the cursor its last round saved there.`,
		Example: `  tssguard worker --postgres postgres://tssguard@db.internal/tssguard --workers 4`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if sf.postgres == "" && os.Getenv("TSSGUARD_POSTGRES") == "" {
				return fmt.Errorf("%w: worker needs --postgres URL (the embedded database is served by one 'tssguard serve')", errUsage)
			}
			log, err := lf.logger(e)
			if err != nil {
				return err
			}
			db, err := sf.open(ctx, false)
			if err != nil {
				return err
			}
			defer db.Close()
			q, pool, err := wf.startWorkers(ctx, db, log, allowlistOf(ctx, db))
			if err != nil {
				return err
			}
			if pool != nil {
				defer pool.Close()
			}
			if err := q.Start(ctx); err != nil {
				return err
			}
			log.Info("tssguard worker running", "store", store.Redact(sf.postgres), "workers", wf.workers, "dynamic", pool != nil)
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return q.Stop(sctx)
		},
	}
	sf.register(cmd.Flags())
	wf.register(cmd.Flags())
	lf.register(cmd.Flags())
	return cmd
}

// allowlistOf asks the store, for workers that keep no index.
func allowlistOf(ctx context.Context, db store.Store) func(string) bool {
	return func(d string) bool {
		ok, err := db.IsAllowed(ctx, d)
		return err == nil && ok
	}
}

func (e *env) apikeyCmd() *cobra.Command {
	var sf storeFlags
	cmd := &cobra.Command{
		Use:   "apikey",
		Short: "Create, list and revoke API keys",
		Long: `API keys let clients write: submit scans and reports, edit the allowlist
(and read too, when the server runs with --read-key). The key is shown once,
at creation; only its hash is stored.`,
	}
	sf.register(cmd.PersistentFlags())
	cmd.AddCommand(&cobra.Command{
		Use:     "create NAME",
		Short:   "Create a key and print it (once)",
		Example: "  tssguard apikey create soc-team",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				_, token, err := db.CreateKey(ctx, args[0])
				if errors.Is(err, store.ErrExists) {
					return fmt.Errorf("a key named %q exists already: pick another name, or revoke it first", args[0])
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, token)
				fmt.Fprintf(e.stderr, "key %q created; it is shown only now. Send it as: Authorization: Bearer KEY\n", args[0])
				return nil
			})
		},
	}, &cobra.Command{
		Use:   "list",
		Short: "List the keys (never their tokens)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				keys, err := db.Keys(ctx)
				if err != nil {
					return err
				}
				for _, k := range keys {
					state := "live"
					if !k.Revoked.IsZero() {
						state = "revoked " + k.Revoked.Format(time.DateOnly)
					}
					fmt.Fprintf(e.stdout, "%-24s created %s  %s\n", k.Name, k.Created.Format(time.DateOnly), state)
				}
				return nil
			})
		},
	}, &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke a key",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return sf.read(cmd, func(ctx context.Context, db *store.DB) error {
				return db.RevokeKey(ctx, args[0])
			})
		},
	})
	return cmd
}
