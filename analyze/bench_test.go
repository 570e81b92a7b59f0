package analyze_test

import (
	"context"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/testdirs"
)

// loadCorpus captures every page of the shared corpus (and the fixtures)
// up front, so the benchmark times analysis alone.
func loadCorpus(b *testing.B) ([]*capture.Capture, int64) {
	var caps []*capture.Capture
	var size int64
	dirs := testdirs.All()
	for _, dir := range dirs {
		entries, err := corpus.ReadManifest(dir)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsPage() {
				continue
			}
			base, root := corpus.Resolve(dir, e)
			c, err := capture.FromFile(context.Background(), filepath.Join(dir, e.File), capture.Options{Policy: capture.DefaultPolicy(), BaseDir: base, Root: root})
			if err != nil {
				continue
			}
			for _, d := range c.Documents {
				size += int64(len(d.Body))
			}
			for _, r := range c.Resources {
				size += int64(len(r.Body))
			}
			caps = append(caps, c)
		}
	}
	if len(caps) == 0 {
		b.Skip("no pages")
	}
	return caps, size
}

// BenchmarkCorpus analyses every corpus and fixture page once per
// iteration on one goroutine, and reports pages/s and the per-page p50 and
// p99 latency (on one core).
func BenchmarkCorpus(b *testing.B) {
	caps, size := loadCorpus(b)
	e, err := analyze.New(analyze.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var lat []time.Duration
	b.SetBytes(size)
	b.ReportAllocs()
	start := time.Now()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		// Every pass with a fresh engine: the engine keeps what it learnt
		// from scripts (scriptcache.go), and a pass over pages it has seen
		// would measure the cache, not what a scan of new pages costs.
		if n > 0 {
			if e, err = analyze.New(analyze.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		for _, c := range caps {
			t := time.Now()
			e.Analyze(ctx, c)
			lat = append(lat, time.Since(t))
		}
		n++
	}
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	slices.Sort(lat)
	b.ReportMetric(float64(n*len(caps))/elapsed.Seconds(), "pages/s")
	// On a shared machine other work stretches wall time; the process's own
	// CPU time (all its threads, GC included; under taskset -c 0 they share
	// one core) is what one core would take when idle.
	b.ReportMetric(float64(n*len(caps))/cpu.Seconds(), "pages/cpu-s")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkNew builds an engine from the default pack: what every process
// that analyses pays once.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := analyze.New(analyze.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
