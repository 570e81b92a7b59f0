// Command sandbox-soak pushes many pages through the browser pool and the
// analyzer, and reports throughput and the memory of the whole process tree
// (this process and every Chromium child) over time, so that leaks show.
//
//	go run ./bench/sandbox-soak -pages 500 -tabs 1,2,4
//
// Pages come from the fixtures and, when present, the shared corpus (served
// locally with their kit files, as the corpus README describes).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
	"github.com/tssguard/tssguard/internal/workpool"
	"github.com/tssguard/tssguard/sandbox"
)

type page struct {
	target sandbox.Target
	name   string
}

func main() {
	n := flag.Int("pages", 500, "pages per run")
	tabsList := flag.String("tabs", "1,2,4", "tabs per browser to measure, comma-separated")
	observe := flag.Duration("observe", 2*time.Second, "observation window per page")
	recycle := flag.Int("recycle", 50, "restart a browser after this many pages")
	flag.Parse()

	pages := collect()
	if len(pages) == 0 {
		fmt.Fprintln(os.Stderr, "no pages found")
		os.Exit(1)
	}
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%d distinct pages; %d pages per run; observe %v; recycle after %d\n", len(pages), *n, *observe, *recycle)
	for _, s := range strings.Split(*tabsList, ",") {
		tabs, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || tabs < 1 {
			fmt.Fprintln(os.Stderr, "bad -tabs:", s)
			os.Exit(2)
		}
		run(engine, pages, *n, tabs, *observe, *recycle)
	}
}

func collect() []page {
	dirs := []string{testdirs.Fixtures()}
	if d, ok := testdirs.Corpus(); ok {
		dirs = append(dirs, d)
	}
	var out []page
	for _, p := range corpus.ServedPages(dirs...) {
		out = append(out, page{name: p.Entry.File, target: sandbox.Target{Root: p.Root, File: p.File, Page: p.Path, Alias: p.Alias}})
	}
	return out
}

func run(engine *analyze.Engine, pages []page, n, tabs int, observe time.Duration, recycle int) {
	pool, err := sandbox.New(context.Background(), sandbox.Options{TabsPerBrowser: tabs, RecycleAfter: recycle})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer pool.Close()
	var done, failed, crashed, scams atomic.Int64
	var peak atomic.Int64
	stop := make(chan struct{})
	var samples []string
	var smu sync.Mutex
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				rss := treeRSS(os.Getpid())
				if rss > peak.Load() {
					peak.Store(rss)
				}
				smu.Lock()
				samples = append(samples, fmt.Sprintf("%d:%dMB", done.Load(), rss>>20))
				smu.Unlock()
			}
		}
	}()
	start := time.Now()
	workpool.Run(context.Background(), n, tabs, func(i int) {
		defer done.Add(1)
		p := pages[i%len(pages)]
		c, err := pool.Capture(context.Background(), p.target, sandbox.PageOptions{Observe: observe})
		if err != nil {
			failed.Add(1)
			return
		}
		if c.Runtime.Crashed {
			crashed.Add(1)
		}
		if r := engine.Analyze(context.Background(), c); r.Verdict == analyze.Scam {
			scams.Add(1)
		}
	})
	close(stop)
	el := time.Since(start)
	smu.Lock()
	defer smu.Unlock()
	// Memory over the run: first, middle and last samples tell flatness.
	var trend []string
	if k := len(samples); k > 0 {
		idx := []int{0, k / 4, k / 2, 3 * k / 4, k - 1}
		sort.Ints(idx)
		for _, i := range idx {
			trend = append(trend, samples[i])
		}
	}
	fmt.Printf("tabs=%d: %d pages in %v = %.1f pages/min; failed %d, crashed tabs %d, scam verdicts %d; peak memory (process tree PSS) %d MB; by pages done %s\n",
		tabs, n, el.Round(time.Second), float64(n)/el.Minutes(), failed.Load(), crashed.Load(), scams.Load(), peak.Load()>>20, strings.Join(trend, " "))
}

// treeRSS sums the memory of pid and all its descendants as proportional
// set size (PSS: shared pages divided among the processes sharing them),
// which does not count Chromium's shared libraries once per process; it
// falls back to RSS where smaps_rollup is not readable.
func treeRSS(root int) int64 {
	children := map[int][]int{}
	rss := map[int]int64{}
	ents, _ := os.ReadDir("/proc")
	page := int64(os.Getpagesize())
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// The command name is in parentheses and may hold spaces.
		s := string(stat)
		close := strings.LastIndexByte(s, ')')
		if close < 0 {
			continue
		}
		f := strings.Fields(s[close+1:])
		if len(f) < 22 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pages, _ := strconv.ParseInt(f[21], 10, 64)
		children[ppid] = append(children[ppid], pid)
		rss[pid] = pages * page
		if pss, ok := readPSS(pid); ok {
			rss[pid] = pss
		}
	}
	var total int64
	var walk func(int)
	walk = func(p int) {
		total += rss[p]
		for _, c := range children[p] {
			walk(c)
		}
	}
	walk(root)
	return total
}

// readPSS reads a process's proportional set size in bytes.
func readPSS(pid int) (int64, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "Pss:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				return kb << 10, err == nil
			}
		}
	}
	return 0, false
}
