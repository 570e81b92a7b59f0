// Command watchscale measures the watch on PostgreSQL with several
// `tssguard worker` processes: it bulk-inserts many watched pages, all
// due at once, served by a loopback web server with many sites (one
// listener on 127.0.0.1 per site), starts the workers, and reports checks
// (re-capture jobs) per minute, the database's load from pg_stat_database
// (transactions and rows per check), the workers' CPU per check, and
// whether any page was captured twice in one slot, any slot had two jobs,
// or any site had two captures at once.
//
//	go run ./bench/watchscale -postgres URL          # 50,000 pages, 2 workers
//	go run ./bench/watchscale -quick                 # 2,000 pages
//
// URL is a PostgreSQL server's admin URL (default $TSSGUARD_TEST_POSTGRES;
// scripts/postgres starts one on loopback): a database is created for the
// run and dropped after it. Figures are printed as lines
// figure<TAB>tssguard<TAB>reference<TAB>ratio<TAB>unit.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tssguard/tssguard/internal/watch"
	"github.com/tssguard/tssguard/store"
)

// page is a hand-written fake alert with a hotline; each site shows a
// number of its own (a campaign's pages share one, and every check of a
// page updates its number's row).
const page = `<!doctype html><html><head><title>Windows Defender Security Warning</title></head>
<body onbeforeunload="return 'Your computer is locked'">
<h1>Microsoft Windows Security Alert</h1>
<p>Your computer has been infected with a Trojan spyware. Your passwords and banking details are at risk.</p>
<p>Do not restart your computer. Call Microsoft Support immediately at <a href="tel:+1888555%[1]s">+1-888-555-%[1]s</a> (toll free).</p>
<script>for (var i = 0; i < 50; i++) { alert("Virus detected! Call +1-888-555-%[1]s now"); } document.documentElement.requestFullscreen();</script>
</body></html>`

func main() {
	quick := flag.Bool("quick", false, "a short run: 2,000 pages on 50 sites, at most 3 minutes")
	pages := flag.Int("pages", 50_000, "watched pages")
	sites := flag.Int("sites", 500, "sites (loopback listeners) the pages are spread over")
	workers := flag.Int("workers", 2, "tssguard worker processes")
	watchWorkers := flag.Int("watch-workers", 8, "re-captures at once per worker process")
	politeness := flag.Duration("politeness", 2*time.Second, "least time between two visits of one site")
	budget := flag.Duration("duration", 20*time.Minute, "stop measuring after this long, done or not")
	admin := flag.String("postgres", os.Getenv("TSSGUARD_TEST_POSTGRES"), "PostgreSQL admin `URL` (a database is created and dropped)")
	keep := flag.Bool("keep", false, "keep the database")
	flag.Parse()
	if *quick {
		*pages, *sites, *budget = 2000, 50, 3*time.Minute
	}
	if *admin == "" {
		log.Fatal("watchscale: name a PostgreSQL server with -postgres or TSSGUARD_TEST_POSTGRES (scripts/postgres starts one)")
	}
	ctx := context.Background()
	dsn, drop := createDB(ctx, *admin)
	if !*keep {
		defer drop()
	}

	tmp, err := os.MkdirTemp("", "watchscale")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "tssguard")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/tssguard").CombinedOutput(); err != nil {
		log.Fatalf("build tssguard (run from the module's root): %v\n%s", err, out)
	}

	web := newWeb(*sites)
	defer web.close()

	db, err := store.OpenPostgres(ctx, dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	ws := make([]store.NewWatch, *pages)
	for i := range ws {
		u := fmt.Sprintf("%s/p/%d", web.urls[i%*sites], i)
		ws[i] = store.NewWatch{URL: u, Domain: watch.Site(u), Due: start}
	}
	if err := db.AddWatches(ctx, ws); err != nil {
		log.Fatal(err)
	}
	setup := time.Since(start)
	log.Printf("%d watches on %d sites added in %.1fs", *pages, *sites, setup.Seconds())

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close(ctx)
	// pg_stat_statements, when the server preloads it, says which
	// statements the load is.
	_, err = conn.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`)
	statements := err == nil
	if statements {
		_, err = conn.Exec(ctx, `SELECT pg_stat_statements_reset()`)
		statements = err == nil
	}
	before := stats(ctx, conn)

	var procs []*exec.Cmd
	for i := 0; i < *workers; i++ {
		// A long interval: each page has one slot in the run, so a page
		// fetched twice was captured twice for one slot.
		cmd := exec.Command(bin, "worker", "--postgres", dsn, "--workers", "1", "--watch-workers", strconv.Itoa(*watchWorkers),
			"--watch-interval", "2h", "--politeness", politeness.String(), "--allow-private", "--dynamic", "off",
			"--hunt-workers", "0", "--log-level", "warn")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			log.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	defer func() {
		for _, p := range procs {
			_ = p.Process.Kill()
			_ = p.Wait()
		}
	}()
	began := time.Now()
	var tenth, ninetieth time.Time
	done := 0
	for time.Since(began) < *budget {
		time.Sleep(2 * time.Second)
		// Progress from the statistics, not a count over the table: the
		// measuring must not be a load of its own.
		_, _ = conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`)
		if err := conn.QueryRow(ctx, `SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'watch_checks'`).Scan(&done); err != nil {
			log.Fatal(err)
		}
		if tenth.IsZero() && done >= *pages/10 {
			tenth = time.Now()
		}
		if ninetieth.IsZero() && done >= *pages*9/10 {
			ninetieth = time.Now()
		}
		log.Printf("%6.0fs: %d of %d checked", time.Since(began).Seconds(), done, *pages)
		if done >= *pages {
			break
		}
	}
	took := time.Since(began)
	cpu := 0.0
	for _, p := range procs {
		cpu += cpuSeconds(p.Process.Pid)
	}
	after := stats(ctx, conn)
	must(conn.QueryRow(ctx, `SELECT count(*) FROM watch_checks`).Scan(&done))

	var dupJobs, retried, multiChecks int
	must(conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT args FROM river_job WHERE kind = 'watch_check' GROUP BY args HAVING count(*) > 1) d`).Scan(&dupJobs))
	must(conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT url FROM watch_checks GROUP BY url HAVING count(*) > 1) d`).Scan(&multiChecks))
	must(conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'watch_check' AND state = 'completed' AND attempt > 1`).Scan(&retried))
	twice, overlaps, fetched := web.result()

	if statements {
		topStatements(ctx, conn, done)
	}
	fig := func(name string, v float64, unit string) {
		// No reference system: reference and ratio are "-".
		fmt.Printf("%s\t%s\t-\t-\t%s\n", name, strconv.FormatFloat(v, 'f', -1, 64), unit)
	}
	fmt.Printf("# %d pages on %d sites, %d worker processes × %d re-captures at once, politeness %v, PostgreSQL; %d checked in %.0fs\n",
		*pages, *sites, *workers, *watchWorkers, *politeness, done, took.Seconds())
	fmt.Println("# figure\ttssguard\treference\tratio\tunit")
	fig("watches_bulk_insert", round(float64(*pages)/setup.Seconds()), "pages/s")
	fig("checks_done", float64(done), "checks")
	fig("checks_per_minute", round(float64(done)/took.Minutes()), "jobs/min (whole run, leader election included)")
	if !tenth.IsZero() && !ninetieth.IsZero() && ninetieth.After(tenth) {
		fig("checks_per_minute_steady", round(float64(*pages*8/10)/ninetieth.Sub(tenth).Minutes()), "jobs/min (10% to 90% done)")
	}
	d := after.minus(before)
	per := func(x int64) float64 { return round3(float64(x) / float64(max(done, 1))) }
	fig("pg_transactions_per_check", per(d.commits+d.rollbacks), "xact/check")
	fig("pg_rollbacks", float64(d.rollbacks), "xact")
	fig("pg_transactions_per_second", round(float64(d.commits+d.rollbacks)/took.Seconds()), "xact/s")
	fig("pg_rows_written_per_check", per(d.inserted+d.updated+d.deleted), "rows/check (ins+upd+del)")
	fig("pg_rows_read_per_check", per(d.returned+d.fetched), "rows/check (returned+fetched)")
	fig("pg_blocks_per_check", per(d.hit+d.read), "blocks/check (hit+read)")
	fig("worker_cpu_per_check", round3(1000*cpu/float64(max(done, 1))), "ms/check (all worker processes)")
	fig("pages_fetched", float64(fetched), "pages")
	fig("pages_captured_twice_in_one_slot", float64(twice), "pages")
	fig("page_slots_with_two_jobs", float64(dupJobs), "slots")
	fig("pages_with_two_checks", float64(multiChecks), "pages")
	fig("checks_retried", float64(retried), "jobs")
	fig("site_overlaps", float64(overlaps), "captures at once on one site")
	if twice > 0 || dupJobs > 0 || multiChecks > 0 || overlaps > 0 {
		os.Exit(1)
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func round(v float64) float64  { return float64(int64(v + 0.5)) }
func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// createDB makes a fresh database on the admin URL's server.
func createDB(ctx context.Context, admin string) (string, func()) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		log.Fatalf("postgres: %v", err)
	}
	defer conn.Close(ctx)
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := "tssguard_watchscale_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		log.Fatalf("postgres: %v", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		log.Fatal(err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
}

// web is the loopback web: one listener per site, each page a path.
type web struct {
	urls []string
	srvs []*http.Server

	mu       sync.Mutex
	hits     map[string]int
	busy     map[string]bool
	overlaps int
}

func newWeb(sites int) *web {
	w := &web{hits: map[string]int{}, busy: map[string]bool{}}
	for i := 0; i < sites; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		site := ln.Addr().String()
		number := fmt.Sprintf("%04d", 100+i%100)
		srv := &http.Server{Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			w.mu.Lock()
			w.hits[site+r.URL.Path]++
			if w.busy[site] {
				w.overlaps++
			}
			w.busy[site] = true
			w.mu.Unlock()
			defer func() { w.mu.Lock(); w.busy[site] = false; w.mu.Unlock() }()
			rw.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(rw, page, number)
		}), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		w.urls = append(w.urls, "http://"+site)
		w.srvs = append(w.srvs, srv)
	}
	return w
}

func (w *web) close() {
	for _, s := range w.srvs {
		_ = s.Close()
	}
}

func (w *web) result() (twice, overlaps, fetched int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, k := range w.hits {
		fetched += k
		if k > 1 {
			twice++
		}
	}
	return twice, w.overlaps, fetched
}

type dbStats struct{ commits, rollbacks, returned, fetched, inserted, updated, deleted, hit, read int64 }

func stats(ctx context.Context, conn *pgx.Conn) dbStats {
	// The counters are sent to the collector now and then: ask for a
	// fresh snapshot.
	_, _ = conn.Exec(ctx, `SELECT pg_stat_clear_snapshot()`)
	var s dbStats
	must(conn.QueryRow(ctx, `SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, tup_inserted, tup_updated, tup_deleted, blks_hit, blks_read
		FROM pg_stat_database WHERE datname = current_database()`).Scan(&s.commits, &s.rollbacks, &s.returned, &s.fetched, &s.inserted, &s.updated, &s.deleted, &s.hit, &s.read))
	return s
}

func (a dbStats) minus(b dbStats) dbStats {
	return dbStats{a.commits - b.commits, a.rollbacks - b.rollbacks, a.returned - b.returned, a.fetched - b.fetched,
		a.inserted - b.inserted, a.updated - b.updated, a.deleted - b.deleted, a.hit - b.hit, a.read - b.read}
}

// cpuSeconds is a process's user and system CPU time so far.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100 // clock ticks (USER_HZ is 100 on Linux)
}

// topStatements prints the statements that took the database's time, per
// check, as comment lines.
func topStatements(ctx context.Context, conn *pgx.Conn, checks int) {
	rows, err := conn.Query(ctx, `SELECT calls, total_exec_time, rows, regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements
		WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 12`)
	if err != nil {
		log.Printf("pg_stat_statements: %v", err)
		return
	}
	defer rows.Close()
	fmt.Println("# top statements by database time: calls/check, ms/check, rows/check, statement")
	for rows.Next() {
		var calls, nrows int64
		var ms float64
		var q string
		if err := rows.Scan(&calls, &ms, &nrows, &q); err != nil {
			log.Fatal(err)
		}
		c := float64(max(checks, 1))
		fmt.Printf("#   %7.2f %8.3f %8.2f  %.110s\n", float64(calls)/c, ms/c, float64(nrows)/c, q)
	}
}
