package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	figHTTP    = "GET /api/v1/check req/s, 64 conns"
	figHTTPP99 = "GET /api/v1/check p99, 64 conns"
)

// minimalBody is the reference server's answer: a fixed 60-byte JSON, the
// size of a check answer.
const minimalBody = `{"url":"http://example.test/","verdict":"unknown","ok":true}`

// serveMinimal is the reference of the check API: a minimal net/http
// server answering every request with minimalBody. bench/run starts itself
// with -serve-minimal ADDR for it, so that it runs in a process of its own
// like the real server.
func serveMinimal(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	body := []byte(minimalBody)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		_ = srv.Close()
	}()
	fmt.Fprintf(os.Stderr, "listening on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// runHTTP takes bench/checkhttp's figure lines when it prints them; until
// then it runs bench/checkhttp as a server (the real API over an index of
// synthetic listed URLs) and the minimal server in turn, each on core 0,
// under the same wrk load from core 1.
//
// On a machine with two cores or more, bench/checkhttp runs on core 0 with
// its servers and wrk on core 1 with one thread: a load generator whose
// threads share a core, or share one with the server, adds its own
// waiting for the core to every latency it measures (the minimal server's
// p99 read 6 to 7 ms that way, 2.5 ms with wrk alone on its core).
func runHTTP(ctx context.Context, e *env) ([]Row, error) {
	var args []string
	pinned := tasksetPath() != ""
	if pinned {
		args = []string{"-wrk-cpus", "1", "-t", "1"}
	}
	rows, _, err := e.runProgramOn(ctx, "checkhttp", args, pinned)
	if err == nil || !errors.Is(err, errNoProtocol) {
		return rows, err
	}
	wrk, err := exec.LookPath("wrk")
	if err != nil {
		return nil, errors.New("wrk not installed (apt-get install -y wrk)")
	}
	bin, err := e.buildProgram(ctx, "checkhttp")
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	urls, dur := 1_000_000, "15s"
	if e.quick {
		urls, dur = 100_000, "5s"
	}
	urlsFile := filepath.Join(e.tmp, "check-urls.txt")
	script := filepath.Join(e.tmp, "check.lua")

	e.logf("http: bench/checkhttp with %d URLs, wrk %s", urls, dur)
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	real, err := load(ctx, wrk, dur, addr, script, func() []string {
		return []string{bin, "-urls", strconv.Itoa(urls), "-listen", addr, "-write-urls", urlsFile}
	}, func() error { return writeWrkScript(script, urlsFile) })
	if err != nil {
		return nil, fmt.Errorf("check API: %w", err)
	}
	e.logf("http: the minimal server, wrk %s", dur)
	if addr, err = freeAddr(); err != nil {
		return nil, err
	}
	ref, err := load(ctx, wrk, dur, addr, script, func() []string { return []string{self, "-serve-minimal", addr} }, nil)
	if err != nil {
		return nil, fmt.Errorf("minimal server: %w", err)
	}
	note := fmt.Sprintf("wrk -t1 -c64 -d%s, servers on core 0, wrk on core 1; %d listed URLs; non-2xx: %d of %d (minimal: %d)",
		dur, urls, real.non2xx, real.requests, ref.non2xx)
	rps := measured("http", figHTTP, real.rps, ref.rps, "req/s", &Target{On: "ratio", Op: ">=", Value: 0.8})
	p99 := measured("http", figHTTPP99, real.p99ms, ref.p99ms, "ms", &Target{On: "tssguard", Op: "<", Value: 5, Unit: "ms"})
	rps.Note, p99.Note = note, note
	return []Row{rps, p99}, nil
}

// wrkResult is what bench/run reads from wrk's report.
type wrkResult struct {
	rps, p99ms       float64
	requests, non2xx int64
}

// load starts a server (argv from start, on core 0), waits until it says
// it is listening, runs prepare (which may read files the server wrote),
// loads it with wrk and stops it.
func load(ctx context.Context, wrk, dur, addr, script string, start func() []string, prepare func() error) (wrkResult, error) {
	argv := start()
	name, args, _ := oneCore(argv[0], argv[1:]...)
	srv := exec.Command(name, args...)
	srv.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // stopped with its children, below
	var log syncBuffer
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		return wrkResult{}, err
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer func() {
		_ = syscall.Kill(-srv.Process.Pid, syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-srv.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}()
	for !strings.Contains(log.String(), "listening") {
		select {
		case err := <-exited:
			exited <- err // for the deferred wait
			return wrkResult{}, fmt.Errorf("server exited: %v: %s", err, oneLine(log.String()))
		case <-ctx.Done():
			return wrkResult{}, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	if prepare != nil {
		if err := prepare(); err != nil {
			return wrkResult{}, err
		}
	}
	wname, wargs, _ := onCore("1", wrk, "-t1", "-c64", "-d"+dur, "--latency", "-s", script, "http://"+addr)
	t, err := runCmd(ctx, "", nil, nil, wname, wargs...)
	if err != nil {
		return wrkResult{}, err
	}
	return parseWrk(string(t.stdout))
}

// parseWrk reads Requests/sec, the 99% latency, the request count and the
// non-2xx count from wrk --latency output.
func parseWrk(out string) (wrkResult, error) {
	var r wrkResult
	var haveRPS, haveP99 bool
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return r, fmt.Errorf("wrk Requests/sec: %v", err)
			}
			r.rps, haveRPS = v, true
		case len(f) == 2 && f[0] == "99%":
			d, err := parseWrkDuration(f[1])
			if err != nil {
				return r, err
			}
			r.p99ms, haveP99 = d, true
		case len(f) >= 2 && f[1] == "requests" && len(f) >= 3 && f[2] == "in":
			r.requests, _ = strconv.ParseInt(f[0], 10, 64)
		case strings.HasPrefix(strings.TrimSpace(line), "Non-2xx or 3xx responses:"):
			r.non2xx, _ = strconv.ParseInt(f[len(f)-1], 10, 64)
		}
	}
	if !haveRPS || !haveP99 {
		return r, fmt.Errorf("no Requests/sec or 99%% latency in wrk's output: %s", oneLine(out))
	}
	return r, nil
}

// parseWrkDuration reads wrk's latencies ("220.00us", "8.62ms", "1.02s",
// "2.00m") in milliseconds.
func parseWrkDuration(s string) (float64, error) {
	for _, u := range []struct {
		suffix string
		ms     float64
	}{{"us", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, fmt.Errorf("wrk latency %q: %v", s, err)
			}
			return f * u.ms, nil
		}
	}
	return 0, fmt.Errorf("wrk latency %q: unknown unit", s)
}

// writeWrkScript writes a wrk Lua script that cycles through the URLs
// bench/checkhttp wrote (listed and unlisted), each as a check request.
func writeWrkScript(path, urlsFile string) error {
	lua := fmt.Sprintf(`local urls = {}
for line in io.lines(%q) do
  urls[#urls + 1] = "/api/v1/check?url=" .. line:gsub("([^%%w%%-%%.%%_%%~])", function(c) return string.format("%%%%%%02X", string.byte(c)) end)
end
local i = 0
request = function()
  i = i %% #urls + 1
  return wrk.format("GET", urls[i])
end
`, urlsFile)
	return os.WriteFile(path, []byte(lua), 0o644)
}

// freeAddr picks a free loopback port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// syncBuffer is a bytes.Buffer a child process writes while we read.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
