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
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/sandbox"
)

const figDynamic = "dynamic: 1 pool tab vs cold chromium --dump-dom"

// dynPage is a page for the dynamic comparison, laid out as the pool
// serves it.
type dynPage struct {
	name   string
	target sandbox.Target
}

// benignPages picks k benign pages spread evenly over the corpus and the
// fixtures. Only benign pages: the reference runs Chromium outside the
// pool's containment proxy (with every host but loopback unreachable),
// and scam pages are live attack code that runs only in the sandbox.
func benignPages(dirs []string, k int) []dynPage {
	var all []dynPage
	for _, dir := range dirs {
		entries, err := corpus.ReadManifest(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsPage() || e.Label != "benign" || e.DynamicOnly() {
				continue
			}
			s := corpus.Serve(dir, e)
			all = append(all, dynPage{name: e.File, target: sandbox.Target{Root: s.Root, File: s.File, Page: s.Path, Alias: s.Alias}})
		}
	}
	return spread(all, k)
}

// spread keeps k items at even steps through s (all of them if fewer).
func spread[T any](s []T, k int) []T {
	if k <= 0 || len(s) <= k {
		return s
	}
	out := make([]T, 0, k)
	for i := range k {
		out = append(out, s[i*len(s)/k])
	}
	return out
}

// runDynamic loads each page in one tab of a warm pool (capture and
// analysis, default options: what a dynamic scan costs) and then in a cold
// chromium --headless --dump-dom from a loopback server, and compares the
// medians per page.
func runDynamic(ctx context.Context, e *env) ([]Row, error) {
	k := 12
	if e.quick {
		k = 3
	}
	pages := benignPages([]string{e.corpus, filepath.Join(e.root, "fixtures")}, k+1)
	if len(pages) < 2 {
		return nil, errors.New("no benign pages (corpus and fixtures)")
	}
	chromium, err := e.chromiumBinary()
	if err != nil {
		return nil, err
	}
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		return nil, err
	}
	pool, err := sandbox.New(ctx, sandbox.Options{TabsPerBrowser: 1, ChromiumPath: e.chromium})
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	// The pool's browser is long-lived: start it on the first page, untimed.
	if _, err := pool.Capture(ctx, pages[0].target, sandbox.PageOptions{}); err != nil {
		return nil, fmt.Errorf("pool warm-up: %w", err)
	}
	pages = pages[1:]
	var poolT, chromeT []time.Duration
	var failures []string
	for i, p := range pages {
		if ctx.Err() != nil {
			break
		}
		e.logf("dynamic: %s", p.name)
		start := time.Now()
		c, err := pool.Capture(ctx, p.target, sandbox.PageOptions{})
		if err != nil {
			failures = append(failures, fmt.Sprintf("pool %s: %v", p.name, err))
			continue
		}
		engine.Analyze(ctx, c)
		pt := time.Since(start)
		ct, err := dumpDOM(ctx, chromium, filepath.Join(e.tmp, fmt.Sprintf("chromium-%d", i)), p.target)
		if err != nil {
			failures = append(failures, fmt.Sprintf("chromium %s: %v", p.name, err))
			continue
		}
		poolT, chromeT = append(poolT, pt), append(chromeT, ct)
	}
	if len(poolT) == 0 {
		return nil, fmt.Errorf("no page measured: %s", strings.Join(failures, "; "))
	}
	r := measured("dynamic", figDynamic, median(poolT).Seconds(), median(chromeT).Seconds(), "s/page", nil)
	r.Note = fmt.Sprintf("median of %d benign pages (pool: capture with the default 2 s watch + analysis, warm browser; chromium: new process and profile each page, no pinning)", len(poolT))
	if len(failures) > 0 {
		r.Note += "; not measured: " + strings.Join(failures, "; ")
	}
	return []Row{r}, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// chromiumBinary is -chromium, else the real binary behind Debian's
// wrapper script (as the pool picks it), else chromium on PATH.
func (e *env) chromiumBinary() (string, error) {
	if e.chromium != "" {
		return e.chromium, nil
	}
	for _, p := range []string{"/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", errors.New("chromium not installed")
}

// dumpDOM serves the page's folder on loopback and times one cold
// chromium --headless --dump-dom of it: a new process with a new profile,
// every other host unreachable (a proxy nobody listens on; loopback
// bypasses it), and an empty PATH so no protocol handler can start.
func dumpDOM(ctx context.Context, chromium, profile string, t sandbox.Target) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	srv := &http.Server{Handler: pageServer(t), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	bin := filepath.Join(profile, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return 0, err
	}
	args := []string{"--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
		"--user-data-dir=" + filepath.Join(profile, "data"), "--proxy-server=http://127.0.0.1:9",
		"--disable-background-networking", "--disable-component-update", "--disable-extensions",
		"--disable-sync", "--mute-audio", "--disable-dev-shm-usage"}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox") // Chromium refuses its sandbox as root
	}
	args = append(args, "--dump-dom", "http://"+ln.Addr().String()+"/"+t.File)
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(cctx, chromium, args...)
	cmd.Env = []string{"PATH=" + bin, "HOME=" + profile, "TMPDIR=" + profile, "LANG=en_US.UTF-8"}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	ownGroup(cmd)
	start := time.Now()
	err = cmd.Run()
	el := time.Since(start)
	_ = os.RemoveAll(profile)
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, oneLine(errb.String()))
	}
	if !bytes.Contains(bytes.ToLower(out.Bytes()), []byte("<html")) {
		return 0, errors.New("dumped no document")
	}
	return el, nil
}

// pageServer serves t.Root as the pool does for a local page: t.Page at
// t.File, a missing file through t.Alias, nothing outside Root.
func pageServer(t sandbox.Target) http.Handler {
	files := http.FileServer(http.Dir(t.Root))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if t.Page != "" && p == t.File {
			http.ServeFile(w, r, t.Page)
			return
		}
		full := filepath.Join(t.Root, filepath.FromSlash(p))
		if _, err := os.Stat(full); err != nil && t.Alias != nil {
			if alt, ok := t.Alias(full); ok {
				http.ServeFile(w, r, alt)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}
