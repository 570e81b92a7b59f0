// Command checkhttp measures GET /api/v1/check side by side with its
// reference under the same wrk load, in one run: the real API (an index of
// N listed URLs, an empty SQLite store) and a minimal net/http server that
// answers every request with a fixed 60-byte JSON body, each in its own
// process on loopback, loaded in turn (reference, tssguard, reference, ...)
// so that both see the same machine.
//
// Two tssguard figures: anonymous requests with the address limit off, and
// requests with an API key under serve's default limits (a key's reads are
// limited per key, not per address; see serve --help).
//
//	go run ./bench/checkhttp [-quick] [-urls 1000000] [-c 64] [-d 10s] [-rounds 2]
//	go build -o /tmp/checkhttp ./bench/checkhttp && taskset -c 0 /tmp/checkhttp -wrk-cpus 1 -t 1
//	                                   # servers on core 0, wrk on core 1 (as bench/run runs it)
//
// It prints a human header and then lines
// figure<TAB>tssguard<TAB>reference<TAB>ratio<TAB>unit.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tssguard/tssguard/internal/queue"
	"github.com/tssguard/tssguard/reputation"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// referenceBody is the reference server's answer: 60 bytes, the size of a
// check answer for an unknown URL.
const referenceBody = `{"url":"https://www.example.com/pages","verdict":"unknown"}` + "\n"

func main() {
	quick := flag.Bool("quick", false, "a short run (100,000 URLs, 3 s per load, one round)")
	n := flag.Int("urls", 1_000_000, "listed URLs")
	conns := flag.Int("c", 64, "wrk connections")
	threads := flag.Int("t", 2, "wrk threads (with -wrk-cpus, no more than the CPUs it names: threads that share a core add their waits to the latencies)")
	dur := flag.Duration("d", 10*time.Second, "each wrk run")
	rounds := flag.Int("rounds", 2, "runs of each server, alternating; the median is reported")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the tssguard server to this file")
	reference := flag.Bool("reference-server", false, "internal: serve the reference and print its address")
	wrkCPUs := flag.String("wrk-cpus", "", "run wrk on these CPUs (taskset -c LIST), e.g. 1 with this program under taskset -c 0: the load generator then takes no time from the servers, which a shared core adds to their tail latency")
	flag.Parse()
	wrkOn = *wrkCPUs
	if *reference {
		serveReference()
		return
	}
	if *quick {
		*n, *dur, *rounds = 100_000, 3*time.Second, 1
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		log.Fatal("wrk is not installed (Debian: apt-get install -y wrk)")
	}
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "checkhttp")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)

	db, err := store.OpenSQLite(ctx, tmp, true)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	q, err := queue.New(ctx, db, nil, queue.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_, token, err := db.CreateKey(ctx, "bench")
	if err != nil {
		log.Fatal(err)
	}
	ix, sample := buildIndex(*n)

	anon := startTssguard(server.Options{Store: db, Queue: q, Index: ix})
	// serve's defaults (internal/cli/serve.go).
	keyed := startTssguard(server.Options{Store: db, Queue: q, Index: ix,
		KeyRate: 20, KeyBurst: 40, IPRate: 2000, IPBurst: 4000})
	refAddr, stopRef := startReference()
	defer stopRef()

	script := filepath.Join(tmp, "urls.lua")
	if err := writeScript(script, sample); err != nil {
		log.Fatal(err)
	}
	keyScript := filepath.Join(tmp, "urls-key.lua")
	if err := writeScript(keyScript, sample, "Authorization", "Bearer "+token); err != nil {
		log.Fatal(err)
	}

	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("# GET /api/v1/check vs a minimal net/http server (fixed %d-byte JSON), wrk -t%d -c%d -d%v, %d round(s), median\n",
		len(referenceBody), *threads, *conns, *dur, *rounds)
	fmt.Printf("# index: %d listed URLs; lookups half listed, half unlisted; %d cores; load average %s",
		*n, runtime.NumCPU(), load)

	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	// The reference answers the same requests as each tssguard server:
	// those with a key carry its Authorization header, which costs any
	// server the parsing (until December 2026 the keyed rows were held to
	// the reference's figure for requests without it).
	var ref, refKey, an, ky []wrkResult
	for range *rounds {
		ref = append(ref, runWrk("http://"+refAddr, script, *threads, *conns, *dur))
		an = append(an, runWrk("http://"+anon, script, *threads, *conns, *dur))
		refKey = append(refKey, runWrk("http://"+refAddr, keyScript, *threads, *conns, *dur))
		ky = append(ky, runWrk("http://"+keyed, keyScript, *threads, *conns, *dur))
	}
	r, rk, a, k := median(ref), median(refKey), median(an), median(ky)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("# reference: %.0f req/s p50 %.2f ms p99 %.2f ms (with the key's header: %.0f req/s p99 %.2f ms); anonymous: %.0f req/s p99 %.2f ms (non-2xx %d); with key: %.0f req/s p99 %.2f ms (non-2xx %d)\n",
		r.rps, r.p50, r.p99, rk.rps, rk.p99, a.rps, a.p99, a.non2xx, k.rps, k.p99, k.non2xx)
	fmt.Printf("# tssguard process: %d GCs in the run\n", ms.NumGC)
	fmt.Println("figure\ttssguard\treference\tratio\tunit")
	line := func(fig string, t, ref float64, unit string) {
		fmt.Printf("%s\t%.2f\t%.2f\t%.2f\t%s\n", fig, t, ref, t/ref, unit)
	}
	line("check req/s, anonymous", a.rps, r.rps, "req/s")
	line("check p99, anonymous", a.p99, r.p99, "ms")
	line("check req/s, API key, serve limits", k.rps, rk.rps, "req/s")
	line("check p99, API key, serve limits", k.p99, rk.p99, "ms")
	if a.non2xx+k.non2xx > 0 {
		fmt.Printf("# warning: %d non-2xx answers from tssguard\n", a.non2xx+k.non2xx)
	}
}

// buildIndex lists n synthetic URLs and returns a sample of listed and
// unlisted URLs to look up.
func buildIndex(n int) (*reputation.Index, []string) {
	ix := reputation.New()
	exp := time.Now().Add(24 * time.Hour)
	var sample []string
	for i := range n {
		u := fmt.Sprintf("http://alert-%d.scam%d.example/win/%d/index.html", i%9973, i/9973, i)
		if err := ix.Add(reputation.Entry{Kind: reputation.URL, Value: u, Verdict: reputation.Scam, Source: "scan", Expires: exp}); err != nil {
			log.Fatal(err)
		}
		if i%(max(1, n/500)) == 0 {
			sample = append(sample, u, fmt.Sprintf("https://www.site%d.example/page/%d?q=%d", i, i, i))
		}
	}
	return ix, sample
}

func startTssguard(o server.Options) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go func() { _ = server.New(o).ListenAndServe(context.Background(), ln, time.Second) }()
	return ln.Addr().String()
}

// startReference runs this program again as the reference server, in its
// own process so that neither server's heap or GC weighs on the other.
func startReference() (addr string, stop func()) {
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(self, "-reference-server")
	out, err := cmd.StdoutPipe()
	if err != nil {
		log.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		log.Fatal("reference server: ", err)
	}
	return strings.TrimSpace(line), func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
}

func serveReference() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr())
	body := []byte(referenceBody)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	if err := http.Serve(ln, h); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// writeScript writes a wrk script that requests /api/v1/check for each URL
// in turn, with an optional header.
func writeScript(path string, urls []string, header ...string) error {
	var b strings.Builder
	b.WriteString("local paths = {\n")
	for _, u := range urls {
		fmt.Fprintf(&b, "  %q,\n", "/api/v1/check?url="+url.QueryEscape(u))
	}
	b.WriteString("}\n")
	if len(header) == 2 {
		fmt.Fprintf(&b, "wrk.headers[%q] = %q\n", header[0], header[1])
	}
	b.WriteString(`local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
`)
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

type wrkResult struct {
	rps, p50, p99 float64 // req/s, ms
	non2xx        int
}

var (
	rpsRe    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	pctRe    = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	non2xxRe = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
)

// wrkOn: the CPUs wrk runs on (-wrk-cpus), "" for anywhere.
var wrkOn string

func runWrk(target, script string, threads, conns int, d time.Duration) wrkResult {
	args := []string{"-t" + strconv.Itoa(threads), "-c" + strconv.Itoa(conns),
		"-d" + strconv.Itoa(max(1, int(d.Seconds()))) + "s", "--latency", "-s", script, target}
	name := "wrk"
	if wrkOn != "" {
		name, args = "taskset", append([]string{"-c", wrkOn, "wrk"}, args...)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		log.Fatalf("wrk: %v\n%s", err, out)
	}
	var r wrkResult
	m := rpsRe.FindSubmatch(out)
	if m == nil {
		log.Fatalf("wrk output without Requests/sec:\n%s", out)
	}
	r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	for _, m := range pctRe.FindAllSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(string(m[2]), 64)
		switch string(m[3]) {
		case "us":
			v /= 1000
		case "s":
			v *= 1000
		}
		if string(m[1]) == "50" {
			r.p50 = v
		} else {
			r.p99 = v
		}
	}
	if m := non2xxRe.FindSubmatch(out); m != nil {
		r.non2xx, _ = strconv.Atoi(string(m[1]))
	}
	return r
}

// median takes each figure's median over the rounds separately.
func median(rs []wrkResult) wrkResult {
	pick := func(f func(wrkResult) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	out := wrkResult{
		rps: pick(func(r wrkResult) float64 { return r.rps }),
		p50: pick(func(r wrkResult) float64 { return r.p50 }),
		p99: pick(func(r wrkResult) float64 { return r.p99 }),
	}
	for _, r := range rs {
		out.non2xx += r.non2xx
	}
	return out
}
