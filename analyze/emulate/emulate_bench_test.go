package emulate

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// benchPages are the benign pages the emulator spends most on in a corpus
// scan: large documents with many inline scripts.
var benchPages = []string{
	"readability__test_test-pages_pixnet_source.html",
	"readability__test_test-pages_youth_source.html",
	"postlight__fixtures_www.tmz.com.html",
}

// BenchmarkEmulate runs each page to the end (a budget it never reaches),
// so every iteration does the same work whatever the machine's speed.
func BenchmarkEmulate(b *testing.B) {
	dir, ok := testdirs.Corpus()
	if !ok {
		b.Skip("no shared corpus")
	}
	// Inline scripts of a JavaScript type, as the pipeline passes them.
	script := regexp.MustCompile(`(?is)<script([^>]*)>(.*?)</script>`)
	jsType := regexp.MustCompile(`(?i)\btype\s*=\s*["']?([^"'\s>]*)`)
	for _, name := range benchPages {
		html, err := os.ReadFile(filepath.Join(dir, "benign", name))
		if err != nil {
			b.Skip(err)
		}
		page := Page{URL: "https://page.test/", HTML: html}
		for _, m := range script.FindAllSubmatch(html, -1) {
			if t := jsType.FindSubmatch(m[1]); t != nil && len(t[1]) > 0 && !regexp.MustCompile(`(?i)javascript|ecmascript|^module$|jscript`).Match(t[1]) {
				continue
			}
			page.Scripts = append(page.Scripts, Script{Name: "inline", Source: m[2]})
		}
		b.Run(name[:min(len(name), 40)], func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU()
			for b.Loop() {
				res := Emulate(context.Background(), page, Options{Budget: 10 * time.Second, Click: true})
				if res.Interrupted {
					b.Fatal("interrupted")
				}
			}
			// CPU time, the garbage collector's included: on a shared
			// machine it varies much less than wall time.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}

// processCPU is the user and system time the process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
