package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/sandbox"
)

// dynamicFlags are the flags of analysis in headless Chromium.
type dynamicFlags struct {
	enabled    bool
	click      bool
	observe    time.Duration
	screenshot string
	har        string
	chromium   string
	tabs       int
	browsers   int

	mu    sync.Mutex
	saved int
}

func (d *dynamicFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&d.enabled, "dynamic", false, "also load the page in headless Chromium and analyse what it does")
	fl.BoolVar(&d.click, "click", false, "dynamic: click the page once after load (reveals 'click anywhere, then lock' pages)")
	fl.DurationVar(&d.observe, "observe", 2*time.Second, "dynamic: how long to watch the page after load")
	fl.StringVar(&d.screenshot, "screenshot", "", "dynamic: write a PNG screenshot to `PATH` (a directory when scanning several pages)")
	fl.StringVar(&d.har, "har", "", "dynamic: write the page's requests as a HAR file to `PATH` (a directory when scanning several pages)")
	fl.StringVar(&d.chromium, "chromium", "", "dynamic: Chromium binary (default: chromium on PATH)")
	fl.IntVar(&d.tabs, "tabs", 4, "dynamic: pages loaded at once per browser")
	fl.IntVar(&d.browsers, "browsers", 1, "dynamic: browsers in the pool")
}

func (d *dynamicFlags) concurrency() int { return max(1, d.tabs*d.browsers) }

// capturer returns how targets become captures: statically, or in the
// sandbox when --dynamic is set. The closer releases the browsers.
func (e *env) capturer(ctx context.Context, f *scanFlags, policy capture.Policy) (func(context.Context, target) (*capture.Capture, error), func(), error) {
	static := e.staticCapturer(f, policy)
	if !f.dyn.enabled {
		if f.dyn.click || f.dyn.screenshot != "" || f.dyn.har != "" {
			return nil, nil, fmt.Errorf("%w: --click, --screenshot and --har need --dynamic", errUsage)
		}
		return static, func() {}, nil
	}
	pool, err := sandbox.New(ctx, sandbox.Options{
		ChromiumPath:   f.dyn.chromium,
		Browsers:       f.dyn.browsers,
		TabsPerBrowser: f.dyn.tabs,
		Policy:         policy,
	})
	if err != nil {
		return nil, nil, err
	}
	po := sandbox.PageOptions{Profile: profileName(f.ua), Click: f.dyn.click, Observe: f.dyn.observe, Screenshot: f.dyn.screenshot != ""}
	return func(ctx context.Context, t target) (*capture.Capture, error) {
		var st sandbox.Target
		switch {
		case t.url != "":
			st.URL = t.url
		case t.stdin:
			return nil, fmt.Errorf("--dynamic cannot load standard input; save the page to a file and scan the file")
		default:
			st = localTarget(t, f.pageURL)
		}
		c, err := pool.Capture(ctx, st, po)
		if err != nil {
			return nil, err
		}
		// The served bytes are analysed too: static evidence and runtime
		// evidence go through the same engine.
		if s, serr := static(ctx, t); serr == nil {
			c.AddServed(s)
		}
		return c, nil
	}, func() { pool.Close() }, nil
}

// localTarget serves a local page from its resolution root so that its
// relative scripts load as they would on the scam host.
func localTarget(t target, pageURL string) sandbox.Target {
	root := t.root
	if root == "" {
		root = filepath.Dir(t.path)
	}
	rel, err := filepath.Rel(root, filepath.Join(t.base, filepath.Base(t.path)))
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(t.path)
	}
	st := sandbox.Target{Root: root, File: filepath.ToSlash(rel), Page: t.path, Alias: t.alias}
	if pageURL != "" {
		if i := strings.IndexByte(pageURL, '?'); i >= 0 {
			st.Query = pageURL[i+1:]
		}
	}
	return st
}

func profileName(ua string) string {
	if ua == "mobile" {
		return "android"
	}
	return ua
}

// save writes the screenshot and HAR a capture carries, if asked.
func (d *dynamicFlags) save(c *capture.Capture, t target, stderr io.Writer) {
	if c.Runtime == nil {
		return
	}
	d.mu.Lock()
	d.saved++
	n := d.saved
	d.mu.Unlock()
	if d.screenshot != "" && len(c.Runtime.Screenshot) > 0 {
		if err := os.WriteFile(outPath(d.screenshot, t, n, ".png"), c.Runtime.Screenshot, 0o644); err != nil {
			fmt.Fprintf(stderr, "tssguard: screenshot: %v\n", err)
		}
	}
	if d.har != "" {
		b, err := json.MarshalIndent(harOf(c), "", "  ")
		if err == nil {
			err = os.WriteFile(outPath(d.har, t, n, ".har"), b, 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "tssguard: har: %v\n", err)
		}
	}
}

// outPath is PATH itself, or PATH/<n>-<name><ext> when PATH is a directory.
func outPath(p string, t target, n int, ext string) string {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		name := strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r == ':' || r == '?' || r == '&' || r == '=' {
				return '_'
			}
			return r
		}, t.name)
		if len(name) > 80 {
			name = name[len(name)-80:]
		}
		return filepath.Join(p, fmt.Sprintf("%03d-%s%s", n, name, ext))
	}
	return p
}

// harOf is a minimal HAR 1.2 log of the page's requests; blocked requests
// carry status 0 and the reason in a comment.
func harOf(c *capture.Capture) map[string]any {
	var entries []map[string]any
	for _, r := range c.Runtime.Requests {
		method := r.Method
		if method == "" {
			method = "GET"
		}
		entry := map[string]any{
			"startedDateTime": time.Time{}.Format(time.RFC3339),
			"time":            0,
			"request":         map[string]any{"method": method, "url": r.URL, "httpVersion": "", "headers": []any{}, "queryString": []any{}, "cookies": []any{}, "headersSize": -1, "bodySize": -1},
			"response":        map[string]any{"status": r.Status, "statusText": "", "httpVersion": "", "headers": []any{}, "cookies": []any{}, "content": map[string]any{"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
			"cache":           map[string]any{},
			"timings":         map[string]any{"send": 0, "wait": 0, "receive": 0},
			"_resourceType":   r.Type,
		}
		if r.Blocked {
			entry["comment"] = "blocked by tssguard containment: " + r.Reason
		}
		entries = append(entries, entry)
	}
	return map[string]any{"log": map[string]any{
		"version": "1.2",
		"creator": map[string]any{"name": "tssguard", "version": Version},
		"pages":   []any{map[string]any{"id": "page_1", "title": c.FinalURL, "startedDateTime": time.Time{}.Format(time.RFC3339), "pageTimings": map[string]any{}}},
		"entries": entries,
	}}
}
