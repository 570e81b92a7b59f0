// Command service measures the scan service against its references, side
// by side in one run, over the same pages served on loopback:
//
//   - static scans submitted through the API of 'tssguard serve' (SQLite,
//     and PostgreSQL with one extra 'tssguard worker' when a server is
//     given) against the same URLs through one 'tssguard scan' process;
//   - dynamic scans through 'serve' against the browser pool alone
//     (bench/sandbox-soak's way: capture and analyse), same pages, same
//     tabs.
//
// It prints one table: figure, tssguard, reference, ratio.
//
//	go run ./bench/service -quick
//	go run ./bench/service -postgres "$(scripts/postgres)"
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/sandbox"
)

type row struct {
	figure        string
	tssguard, ref float64
	unit, refName string
}

func main() {
	quick := flag.Bool("quick", false, "small runs (under 3 minutes in all)")
	nStatic := flag.Int("static", 500, "static scans per run")
	nDynamic := flag.Int("dynamic", 48, "dynamic scans per run (0: skip)")
	tabs := flag.Int("tabs", 4, "dynamic: tabs of the one browser, in the pool and in serve")
	workers := flag.Int("workers", 2, "static: --workers of serve (and of the extra worker on PostgreSQL)")
	pg := flag.String("postgres", os.Getenv("TSSGUARD_BENCH_POSTGRES"), "PostgreSQL server URL (a fresh database is made on it; default $TSSGUARD_BENCH_POSTGRES)")
	bin := flag.String("bin", "", "tssguard binary (default: built from this checkout)")
	extra := flag.String("serve-flags", "", "extra flags for serve and worker (space-separated)")
	rounds := flag.Int("rounds", 2, "dynamic: runs of the pool and of serve, taking turns; their rates are averaged")
	flag.Parse()
	if *quick {
		*nStatic, *nDynamic, *rounds = min(*nStatic, 200), min(*nDynamic, 16), 1
	}
	tmp, err := os.MkdirTemp("", "tssguard-bench-service-")
	check(err)
	defer os.RemoveAll(tmp)
	if *bin == "" {
		*bin = filepath.Join(tmp, "tssguard")
		out, err := exec.Command("go", "build", "-o", *bin, "./cmd/tssguard").CombinedOutput()
		if err != nil {
			fail("build: %v\n%s", err, out)
		}
	}
	pages := servePages()
	fmt.Printf("%d distinct pages on loopback; %d static scans, %d dynamic scans, %d tabs, %d workers\n", len(pages), *nStatic, *nDynamic, *tabs, *workers)
	extraFlags := strings.Fields(*extra)

	var rows []row
	if *nStatic > 0 {
		rows = staticRows(*bin, tmp, pages, *nStatic, *workers, *tabs, *pg, extraFlags)
	}
	if *nDynamic > 0 {
		// A run of 48 pages moves by a fifth with the machine: the two
		// take turns, so that both see the same moments of it.
		durls := cycle(pages, *nDynamic)
		n := max(1, *rounds)
		var poolSum, serveSum float64
		for r := range n {
			pool := poolRate(durls, *tabs)
			fmt.Printf("dynamic, pool alone (round %d): %.1f pages/min, p50 %.1f s a page\n", r+1, pool.rate, pool.p50.Seconds())
			d := serviceRate(*bin, tmp, "sqlite", "", durls, true, *tabs, *tabs, extraFlags)
			fmt.Printf("dynamic, serve (round %d): %.1f scans/min, p50 %.1f s a scan\n", r+1, d.rate, d.p50.Seconds())
			poolSum, serveSum = poolSum+pool.rate, serveSum+d.rate
		}
		rows = append(rows, row{figure: fmt.Sprintf("dynamic scans/min, API, %d tabs", *tabs), tssguard: serveSum / float64(n), ref: poolSum / float64(n), unit: "/min", refName: "browser pool alone"})
	}
	fmt.Println()
	fmt.Printf("| %-48s | %10s | %10s | %-20s | %5s |\n", "figure", "tssguard", "reference", "reference is", "ratio")
	fmt.Printf("|%s|%s|%s|%s|%s|\n", strings.Repeat("-", 50), strings.Repeat("-", 12), strings.Repeat("-", 12), strings.Repeat("-", 22), strings.Repeat("-", 7))
	for _, r := range rows {
		fmt.Printf("| %-48s | %10.1f | %10.1f | %-20s | %5.2f |\n", r.figure, r.tssguard, r.ref, r.refName, r.tssguard/r.ref)
	}
}

// staticRows measures static scans through the API against the CLI.
func staticRows(bin, tmp string, pages []string, n, workers, tabs int, pg string, extraFlags []string) []row {
	var rows []row
	urls := cycle(pages, n)
	cli := cliRate(bin, urls)
	fmt.Printf("static, CLI (one scan process): %.0f scans/min\n", cli)
	sq := serviceRate(bin, tmp, "sqlite", "", urls, false, workers, tabs, extraFlags)
	fmt.Printf("static, serve SQLite: %.0f scans/min\n", sq.rate)
	rows = append(rows, row{figure: fmt.Sprintf("static scans/min, API, SQLite, %d workers", workers), tssguard: sq.rate, ref: cli, unit: "/min", refName: "one CLI process"})
	if pg != "" {
		dsn := freshDatabase(pg)
		p := serviceRate(bin, tmp, "postgres", dsn, urls, false, workers, tabs, extraFlags)
		fmt.Printf("static, serve PostgreSQL + worker: %.0f scans/min\n", p.rate)
		rows = append(rows, row{figure: fmt.Sprintf("static scans/min, API, PostgreSQL, %d+%d workers", workers, workers), tssguard: p.rate, ref: cli, unit: "/min", refName: "one CLI process"})
	}
	return rows
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "bench/service: "+f+"\n", a...)
	os.Exit(1)
}

func cycle(pages []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = pages[i%len(pages)]
	}
	return out
}

// servePages serves every page of the fixtures and the corpus on
// loopback, each under its own folder with its kit files, and returns
// their URLs.
func servePages() []string {
	var roots []string
	var urls []string
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	dirs := []string{testdirs.Fixtures()}
	if d, ok := testdirs.Corpus(); ok {
		dirs = append(dirs, d)
	}
	for _, p := range corpus.ServedPages(dirs...) {
		root, file := p.Root, p.File
		if !p.InPlace {
			// A plain file server cannot put a page kept apart from its
			// kit among the kit's files: serve its own folder.
			root, file = filepath.Dir(p.Path), filepath.Base(p.Path)
		}
		roots = append(roots, root)
		urls = append(urls, fmt.Sprintf("http://%s/%d/%s", ln.Addr(), len(roots)-1, (&url.URL{Path: file}).EscapedPath()))
	}
	if len(urls) == 0 {
		fail("no pages found")
	}
	files := make([]http.Handler, len(roots))
	for i, r := range roots {
		files[i] = http.FileServer(http.Dir(r))
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		var i int
		if _, err := fmt.Sscanf(first, "%d", &i); err != nil || i < 0 || i >= len(files) {
			http.NotFound(w, r)
			return
		}
		r.URL.Path = "/" + rest
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if ext := filepath.Ext(rest); ext != "" && !strings.HasPrefix(ext, ".htm") && ext != ".php" {
			w.Header().Del("Content-Type")
		}
		files[i].ServeHTTP(w, r)
	}))
	return urls
}

// cliRate scans the URLs with one 'tssguard scan' process.
func cliRate(bin string, urls []string) float64 {
	args := append([]string{"scan", "--allow-private", "--format", "json", "--no-progress"}, urls...)
	cmd := exec.Command(bin, args...)
	cmd.Stdout = io.Discard
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	el := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		fail("scan: %v\n%s", err, stderr.String())
	}
	return float64(len(urls)) / el.Minutes()
}

// poolRate captures and analyses the pages through one browser pool.
func poolRate(urls []string, tabs int) serviceResult {
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	pool, err := sandbox.New(context.Background(), sandbox.Options{TabsPerBrowser: tabs, Policy: policy})
	check(err)
	defer pool.Close()
	engine, err := analyze.New(analyze.Options{})
	check(err)
	var next atomic.Int64
	var wg sync.WaitGroup
	took := make([]time.Duration, len(urls))
	start := time.Now()
	for range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(urls) {
					return
				}
				t0 := time.Now()
				c, err := capture.NewFetcher(policy).Capture(context.Background(), urls[i], capture.Options{Policy: policy})
				if err != nil {
					continue
				}
				dyn, err := pool.Capture(context.Background(), sandbox.Target{URL: urls[i]}, sandbox.PageOptions{Click: true, Screenshot: true})
				if err != nil {
					continue
				}
				dyn.AddServed(c)
				engine.Analyze(context.Background(), dyn)
				took[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	rate := float64(len(urls)) / time.Since(start).Minutes()
	sort.Slice(took, func(a, b int) bool { return took[a] < took[b] })
	return serviceResult{rate: rate, p50: took[len(took)/2]}
}

type serviceResult struct {
	rate float64
	p50  time.Duration
}

// serviceRate starts 'tssguard serve' (and, on PostgreSQL, one 'tssguard
// worker'), submits every URL through the API and waits until all are
// done.
func serviceRate(bin, tmp, backend, dsn string, urls []string, dynamic bool, workers, tabs int, extra []string) serviceResult {
	data, err := os.MkdirTemp(tmp, "data-")
	check(err)
	storeArgs := []string{"--data", data}
	if backend == "postgres" {
		storeArgs = []string{"--postgres", dsn}
	}
	out, err := exec.Command(bin, append([]string{"apikey", "create", "bench"}, storeArgs...)...).Output()
	if err != nil {
		fail("apikey: %v", err)
	}
	key := strings.TrimSpace(string(out))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := ln.Addr().String()
	ln.Close()
	dyn := "off"
	if dynamic {
		dyn = "on"
	}
	common := append([]string{"--allow-private", "--dynamic", dyn, "--workers", fmt.Sprint(workers), "--tabs", fmt.Sprint(tabs), "--log-level", "warn"}, storeArgs...)
	common = append(common, extra...)
	var procs []*exec.Cmd
	serveLog, err := os.Create(filepath.Join(data, "..", filepath.Base(data)+".log"))
	check(err)
	defer serveLog.Close()
	start := func(args ...string) {
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = serveLog, serveLog
		check(cmd.Start())
		procs = append(procs, cmd)
	}
	start(append([]string{"serve", "--listen", addr, "--rate-key", "0", "--rate-ip", "0"}, common...)...)
	if backend == "postgres" && !dynamic {
		start(append([]string{"worker"}, common...)...)
	}
	defer func() {
		for _, p := range procs {
			_ = p.Process.Signal(os.Interrupt)
		}
		for _, p := range procs {
			_ = p.Wait()
		}
	}()
	base := "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 300 {
			fail("serve did not start; log in %s", serveLog.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Submit from a few clients, as a feed would.
	ids := make([]string, len(urls))
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(urls) {
					return
				}
				body, _ := json.Marshal(map[string]any{"url": urls[i], "dynamic": dynamic})
				req, _ := http.NewRequest("POST", base+"/api/v1/scans", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					fail("submit: %v", err)
				}
				var r struct{ ID string }
				_ = json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					fail("submit: HTTP %d", resp.StatusCode)
				}
				ids[i] = r.ID
			}
		}()
	}
	wg.Wait()
	// Wait for every scan, looking at the ones not done yet.
	took := make([]time.Duration, len(urls))
	pending := make(map[int]bool, len(urls))
	for i := range urls {
		pending[i] = true
	}
	var failed int
	deadline := time.Now().Add(30 * time.Minute)
	for len(pending) > 0 {
		if time.Now().After(deadline) {
			fail("scans not done after 30 minutes: %d left", len(pending))
		}
		for i := range pending {
			resp, err := http.Get(base + "/api/v1/scans/" + ids[i])
			if err != nil {
				fail("poll: %v", err)
			}
			var s struct {
				Status   string
				Started  time.Time `json:"started"`
				Finished time.Time `json:"finished"`
			}
			_ = json.NewDecoder(resp.Body).Decode(&s)
			resp.Body.Close()
			if s.Status == "done" || s.Status == "failed" {
				if s.Status == "failed" {
					failed++
				}
				// A scan's own time, from its start to its end (the
				// queue's wait is in the rate).
				took[i] = s.Finished.Sub(s.Started)
				delete(pending, i)
			}
		}
		if len(pending) > 0 {
			time.Sleep(50 * time.Millisecond)
		}
	}
	el := time.Since(t0)
	if failed > 0 {
		fmt.Printf("  (%d of %d scans failed)\n", failed, len(urls))
	}
	sort.Slice(took, func(a, b int) bool { return took[a] < took[b] })
	return serviceResult{rate: float64(len(urls)) / el.Minutes(), p50: took[len(took)/2]}
}

// freshDatabase makes an empty database on the server and returns its URL.
func freshDatabase(admin string) string {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	check(err)
	defer conn.Close(ctx)
	name := fmt.Sprintf("tssguard_bench_%d", time.Now().UnixNano())
	_, err = conn.Exec(ctx, "CREATE DATABASE "+name)
	check(err)
	u, err := url.Parse(admin)
	check(err)
	u.Path = "/" + name
	return u.String()
}
