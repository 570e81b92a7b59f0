package export

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// synthetic yields n indicators made up on the fly, holding none: 90%
// domains, 5% URLs, 5% numbers, 2% expired, 1% duplicates.
type synthetic struct {
	n      int
	sample func() // called every 16,384 indicators, if set
}

func (s synthetic) Indicators(ctx context.Context, fn func(Indicator) error) error {
	live := gen.Add(30 * 24 * time.Hour)
	past := gen.Add(-time.Hour)
	buf := make([]byte, 0, 128)
	for i := 0; i < s.n; i++ {
		if i&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if s.sample != nil && i&16383 == 0 {
			s.sample()
		}
		it := Indicator{
			Verdict:   "scam",
			FirstSeen: gen.Add(-time.Duration(i%1000) * time.Hour),
			LastSeen:  gen.Add(-time.Duration(i%97) * time.Minute),
			Expires:   live,
			Sightings: i % 1013,
			Campaign:  "camp-" + strconv.Itoa(i%500),
			Brand:     "Microsoft",
			Evidence:  "fake virus alert with a support number",
		}
		if i%50 == 7 {
			it.Expires = past
		}
		j := i
		if i%100 == 3 {
			j = i - 1 // a duplicate of the previous indicator
		}
		buf = buf[:0]
		switch j % 20 {
		case 0:
			it.Kind = Number
			buf = append(buf, "+1800"...)
			buf = strconv.AppendInt(buf, int64(1000000+j%9000000), 10)
			it.NumberType, it.Region = "toll_free", "US"
		case 1:
			it.Kind = URL
			buf = append(buf, "https://site-"...)
			buf = strconv.AppendInt(buf, int64(j), 10)
			buf = append(buf, ".example-hosting.net/support/"...)
			buf = strconv.AppendInt(buf, int64(j%1000), 10)
			buf = append(buf, "?phone="...)
		default:
			it.Kind = Domain
			buf = append(buf, "windows-defender-alert-"...)
			buf = strconv.AppendInt(buf, int64(j), 10)
			buf = append(buf, ".support-help.com"...)
		}
		it.Value = string(buf)
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

func (synthetic) Campaigns(context.Context, func(Campaign) error) error { return nil }

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

// BenchmarkExport1M streams 1,000,000 synthetic indicators through each
// format to io.Discard, and reports throughput (output MB/s, input
// indicators/s) and the peak heap in use above the baseline, sampled as
// the source runs.
//
//	go test ./export -run '^$' -bench Export1M -benchtime 1x
func BenchmarkExport1M(b *testing.B) {
	const n = 1_000_000
	for _, f := range Formats() {
		b.Run(f.Name, func(b *testing.B) {
			var peak uint64
			var ms runtime.MemStats
			var out int64
			runtime.GC()
			runtime.ReadMemStats(&ms)
			base := ms.HeapInuse
			sample := func() {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak {
					peak = ms.HeapInuse
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w := &countWriter{}
				if err := f.Write(context.Background(), w, synthetic{n: n, sample: sample}, testMeta()); err != nil {
					b.Fatal(err)
				}
				sample()
				out += w.n
			}
			b.StopTimer()
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(out)/1e6/sec, "MB/s")
			b.ReportMetric(float64(n*b.N)/sec, "ind/s")
			b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(out)/float64(b.N)/1e6, "out-MB")
		})
	}
}

// TestPeakHeapBounded checks the memory bound on a smaller run: the heap
// grows with the de-duplication sets (8-byte hashes), not with the
// indicators' text.
func TestPeakHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const n = 200_000
	for _, f := range Formats() {
		// The live heap, collected before each look: what is in use but
		// no longer reachable depends on when the collector last ran, and
		// made the test fail now and then by a few per cent.
		var peak uint64
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base := ms.HeapAlloc
		sample := func() {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		if err := f.Write(context.Background(), io.Discard, synthetic{n: n, sample: sample}, testMeta()); err != nil {
			t.Fatal(err)
		}
		grew := int64(peak) - int64(base)
		// Holding the indicators would take over 350 bytes each (the
		// struct and its strings); the hash sets take 20 to 40 bytes an
		// entry (two entries for hosts, a SID slot too for suricata).
		if limit := int64(n*128) + 16<<20; grew > limit {
			t.Errorf("%s: heap grew %d bytes for %d indicators (limit %d)", f.Name, grew, n, limit)
		}
		t.Logf("%s: heap grew %s", f.Name, fmt.Sprintf("%.1f MiB", float64(grew)/(1<<20)))
	}
}
