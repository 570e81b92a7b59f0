package extension_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// benchPage is one page of a collection, served at /p/<n>/<name>.
type benchPage struct {
	label, name string
	file        string // the page
	base, root  string // where its references resolve, and the folder they stay in
	alias       func(string) (string, bool)
}

// collect lists the pages of a collection (MANIFEST.tsv).
func collect(t *testing.T, dir string) []benchPage {
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []benchPage
	for _, e := range entries {
		if !e.IsPage() {
			continue
		}
		base, root := corpus.Resolve(dir, e)
		name := filepath.Base(e.Path)
		if e.Path == "" {
			name = filepath.Base(e.File)
		}
		out = append(out, benchPage{label: e.Label, name: filepath.Base(e.File), file: filepath.Join(dir, e.File),
			base: base, root: root, alias: corpus.Alias(dir, e)})
		out[len(out)-1].name = name
	}
	return out
}

// pageHandler serves page n at /p/<n>/<its name> and its files beside it,
// never outside its collection's folder.
func pageHandler(pages []benchPage) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/p/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		num, rel, _ := strings.Cut(rest, "/")
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || n >= len(pages) {
			http.NotFound(w, r)
			return
		}
		p := pages[n]
		file := p.file
		if rel != p.name {
			file = filepath.Join(p.base, filepath.FromSlash(rel))
			if r, err := filepath.Rel(p.root, file); err != nil || strings.HasPrefix(r, "..") {
				http.NotFound(w, nil)
				return
			}
			if _, err := os.Stat(file); err != nil && p.alias != nil {
				if a, ok := p.alias(file); ok {
					file = a
				}
			}
		}
		http.ServeFile(w, r, file)
	})
}

type benchResult struct {
	load   time.Duration // navigation to load event
	acted  bool          // a prompt or the warning is shown
	calls  int           // call-scheme navigations
	heapMB float64       // JS heap used by the page
}

// TestBenchPages is the extension's benchmark (bench/extension/run.sh):
// every page of the fixtures and the shared corpus, with and without the
// extension. It runs only with TSSGUARD_EXT_BENCH=1.
func TestBenchPages(t *testing.T) {
	if os.Getenv("TSSGUARD_EXT_BENCH") == "" {
		t.Skip("benchmark: set TSSGUARD_EXT_BENCH=1 (bench/extension/run.sh)")
	}
	pages := collect(t, testdirs.Fixtures())
	if dir, ok := testdirs.Corpus(); ok {
		pages = append(pages, collect(t, dir)...)
	}
	base := serve(t, pageHandler(pages))
	results := map[bool][]benchResult{}
	for _, ext := range []bool{false, true} {
		b := startBrowser(t, ext)
		res := make([]benchResult, len(pages))
		const parallel = 4
		sem := make(chan struct{}, parallel)
		var wg sync.WaitGroup
		for i, p := range pages {
			wg.Add(1)
			sem <- struct{}{}
			go func(i int, p benchPage) {
				defer wg.Done()
				defer func() { <-sem }()
				res[i] = b.measure(t, fmt.Sprintf("%s/p/%d/%s", base, i, p.name))
			}(i, p)
		}
		wg.Wait()
		results[ext] = res
		b.cancel()
	}
	report(t, pages, results)
}

// measure loads one page in a fresh tab and observes it for a second.
func (b *browser) measure(t *testing.T, url string) benchResult {
	v := &visit{}
	loaded := make(chan struct{})
	dialogs := make(chan struct{}, 64)
	var once sync.Once
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(func(ev any) {
		v.listen(ev)
		switch ev.(type) {
		case *page.EventLoadEventFired:
			once.Do(func() { close(loaded) })
		case *page.EventJavascriptDialogOpening:
			select {
			case dialogs <- struct{}{}:
			default:
			}
		}
	}))
	defer cancel()
	go func() {
		for {
			select {
			case <-dialogs:
				dctx, c := context.WithTimeout(ctx, time.Second)
				chromedp.Call(dctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
				c()
			case <-ctx.Done():
				return
			}
		}
	}()
	var r benchResult
	if err := chromedp.Do(ctx); err != nil {
		return r
	}
	start := time.Now()
	chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: url})
	select {
	case <-loaded:
	case <-time.After(8 * time.Second):
	}
	r.load = time.Since(start)
	time.Sleep(time.Second)
	ectx, ecancel := context.WithTimeout(ctx, 2*time.Second)
	defer ecancel()
	if v, err := chromedp.Run(ectx, chromedp.Evaluate[bool](`!!document.querySelector('tssguard-overlay')`)); err == nil {
		r.acted = v
	}
	chromedp.Call(ectx, performance.Enable, performance.EnableParams{})
	if m, err := chromedp.Call(ectx, performance.GetMetrics, cdp.Empty{}); err == nil {
		for _, x := range m.Metrics {
			if x.Name == "JSHeapUsedSize" {
				r.heapMB = x.Value / (1 << 20)
			}
		}
	}
	// A frame in the page's HTML asks for its call scheme before any
	// script runs; the extension's frame CSP makes the browser refuse it
	// (logged, as TestAutoDialStopped counts): that is no call.
	r.calls = max(len(v.Calls())-v.Refused(), 0)
	return r
}

func report(t *testing.T, pages []benchPage, results map[bool][]benchResult) {
	var scams, benign, acted, falseAlarms, callsWithout, callsWith int
	var alarms, through []string
	for i, p := range pages {
		e := results[true][i]
		callsWithout += results[false][i].calls
		callsWith += e.calls
		if e.calls > 0 {
			through = append(through, p.file)
		}
		if p.label == "scam" {
			scams++
			if e.acted || results[false][i].calls > e.calls {
				acted++
			}
		} else {
			benign++
			if e.acted || e.calls > 0 {
				falseAlarms++
				alarms = append(alarms, p.file)
			}
		}
	}
	stats := func(ext bool) (median, p95 time.Duration, heap float64) {
		var d []time.Duration
		var h []float64
		for _, r := range results[ext] {
			d = append(d, r.load)
			h = append(h, r.heapMB)
		}
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		sort.Float64s(h)
		return d[len(d)/2], d[len(d)*95/100], h[len(h)/2]
	}
	m0, p0, h0 := stats(false)
	m1, p1, h1 := stats(true)
	files, zipped := packageSize(t)
	fmt.Printf("pages: %d (%d scam, %d benign)\n", len(pages), scams, benign)
	fmt.Printf("scam pages acted on (prompt, warning or call stopped): %d of %d\n", acted, scams)
	fmt.Printf("call-scheme navigations: %d without, %d with the extension %v\n", callsWithout, callsWith, through)
	fmt.Printf("false alarms on benign pages: %d of %d %v\n", falseAlarms, benign, alarms)
	fmt.Printf("load event: median %v / p95 %v without; median %v / p95 %v with (added: median %v)\n",
		m0.Round(time.Millisecond), p0.Round(time.Millisecond), m1.Round(time.Millisecond), p1.Round(time.Millisecond), (m1 - m0).Round(time.Millisecond))
	fmt.Printf("JS heap per page (median): %.2f MB without, %.2f MB with\n", h0, h1)
	fmt.Printf("package: %d bytes in files, %d bytes zipped\n", files, zipped)
}

// packageSize is the size of what would ship: the extension's files
// without its tests and generator, raw and zipped.
func packageSize(t *testing.T) (raw, zipped int64) {
	dir := copyExtension(t, t.TempDir())
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		raw += int64(len(b))
		rel, _ := filepath.Rel(dir, path)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	zw.Close()
	return raw, int64(buf.Len())
}
