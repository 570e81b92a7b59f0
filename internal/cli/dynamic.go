package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/scanjob"
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

	// targets is how many pages the command scans: with more than one,
	// --screenshot and --har name directories.
	targets int
}

func (d *dynamicFlags) register(fl *pflag.FlagSet) {
	fl.BoolVar(&d.enabled, "dynamic", false, "also load the page in headless Chromium and analyse what it does")
	fl.BoolVar(&d.click, "click", false, "dynamic: move the mouse over the page, out through its top edge and back, and click it once after load (reveals 'click anywhere, then lock' pages and those that start on a mousemove or when the visitor leaves)")
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
	for _, p := range []string{f.dyn.screenshot, f.dyn.har} {
		if p != "" && f.dyn.isDir(p) {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return nil, nil, fmt.Errorf("%w: %v", errUsage, err)
			}
		}
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
	po := sandbox.PageOptions{Profile: profileName(f.ua), Click: f.dyn.click, Observe: f.dyn.observe, Screenshot: f.dyn.screenshot != "", HAR: f.dyn.har != "", Referrer: f.referrer, Language: f.lang, NoOCR: f.ocr == "never"}
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
		return withServed(ctx, pool, st, po, func() (*capture.Capture, error) { return static(ctx, t) })
	}, func() { pool.Close() }, nil
}

// withServed loads a page in the sandbox after reading it as served
// (static), as the service does (scanjob.Rendered).
func withServed(ctx context.Context, pool *sandbox.Pool, st sandbox.Target, po sandbox.PageOptions, static func() (*capture.Capture, error)) (*capture.Capture, error) {
	s, err := static()
	if err != nil {
		s = nil // the browser's capture alone
	}
	return scanjob.Rendered(ctx, pool, st, po, s)
}

// localTarget serves a local page from its resolution root so that its
// relative scripts load as they would on the scam host.
func localTarget(t target, pageURL string) sandbox.Target {
	root := t.root
	if root == "" {
		root = filepath.Dir(t.path)
	}
	st := sandbox.Target{Root: root, File: corpus.ServedFile(t.base, root, t.path), Page: t.path, Alias: t.alias}
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

// save writes the screenshot and HAR a capture carries, if asked; i is
// the target's place on the command line.
func (d *dynamicFlags) save(c *capture.Capture, t target, i int, stderr io.Writer) {
	if c.Runtime == nil {
		return
	}
	if d.screenshot != "" && len(c.Runtime.Screenshot) > 0 {
		if err := os.WriteFile(d.outPath(d.screenshot, t, i, ".png"), c.Runtime.Screenshot, 0o644); err != nil {
			fmt.Fprintf(stderr, "tssguard: screenshot: %v\n", err)
		}
	}
	if d.har != "" && len(c.Runtime.HAR) > 0 {
		if err := os.WriteFile(d.outPath(d.har, t, i, ".har"), c.Runtime.HAR, 0o644); err != nil {
			fmt.Fprintf(stderr, "tssguard: har: %v\n", err)
		}
	}
}

// isDir reports whether an output path names a directory: always with a
// trailing slash or when it is one, and with several pages to scan (one
// file each).
func (d *dynamicFlags) isDir(p string) bool {
	if strings.HasSuffix(p, "/") || strings.HasSuffix(p, string(filepath.Separator)) || d.targets > 1 {
		return true
	}
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// outPath is PATH itself, or PATH/<n>-<name><ext> when PATH is a directory.
func (d *dynamicFlags) outPath(p string, t target, i int, ext string) string {
	if !d.isDir(p) {
		return p
	}
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == '?' || r == '&' || r == '=' || r == '*' || r < ' ' {
			return '_'
		}
		return r
	}, t.name)
	if len(name) > 80 {
		name = name[len(name)-80:]
	}
	return filepath.Join(p, fmt.Sprintf("%03d-%s%s", i+1, name, ext))
}
