package stix

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/tssguard/tssguard/export"
)

// synthetic yields n indicators made up on the fly (a third each of
// domains, URLs and numbers, spread over 100 campaigns), never held.
type synthetic struct{ n int }

func (s synthetic) Indicators(ctx context.Context, fn func(export.Indicator) error) error {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range s.n {
		it := export.Indicator{
			Verdict:   "scam",
			FirstSeen: base.Add(time.Duration(i) * time.Second),
			LastSeen:  base.Add(time.Duration(i)*time.Second + time.Hour),
			Expires:   base.AddDate(1, 0, 0),
			Sightings: 3,
			Campaign:  fmt.Sprintf("camp-%d", i%100),
			Brand:     "Microsoft",
			Evidence:  "fake security alert with a hotline and a full-screen lock",
		}
		switch i % 3 {
		case 0:
			it.Kind, it.Value = export.Domain, fmt.Sprintf("scam-%d.example", i)
		case 1:
			it.Kind, it.Value = export.URL, fmt.Sprintf("https://host-%d.example/alert?id=%d", i, i)
		default:
			it.Kind, it.Value = export.Number, fmt.Sprintf("+1800%07d", i)
			it.NumberType, it.Region = "toll_free", "US"
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

func (s synthetic) Campaigns(ctx context.Context, fn func(export.Campaign) error) error {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		if err := fn(export.Campaign{ID: fmt.Sprintf("camp-%d", i), Name: fmt.Sprintf("Campaign %d", i), Brand: "Microsoft", FirstSeen: base, LastSeen: base.AddDate(0, 1, 0), Pages: 10}); err != nil {
			return err
		}
	}
	return nil
}

// peakWriter counts bytes and samples HeapInuse every 4 MiB written.
type peakWriter struct {
	n, next int64
	peak    uint64
}

func (w *peakWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	if w.n >= w.next {
		w.next = w.n + 4<<20
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		w.peak = max(w.peak, ms.HeapInuse)
	}
	return io.Discard.Write(p)
}

// BenchmarkWriteBundle1M streams 1,000,000 indicators (about 2.3 million
// STIX objects) to io.Discard and reports the peak HeapInuse seen while
// writing. Run it with -benchtime=1x.
func BenchmarkWriteBundle1M(b *testing.B) {
	meta := export.Meta{Title: "bench", Generated: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), TLP: "clear"}
	for b.Loop() {
		runtime.GC()
		w := &peakWriter{}
		if err := WriteBundle(context.Background(), w, synthetic{n: 1_000_000}, meta); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(w.peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(w.n)/(1<<20), "bundle-MiB")
	}
}
