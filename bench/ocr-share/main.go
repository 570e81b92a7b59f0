// Command ocr-share measures how often the sandbox reads a page's
// screenshot with OCR, why, and what that adds to a page: it loads every
// page of a labelled collection (MANIFEST.tsv) in the browser pool and
// prints the share of pages OCR ran on, its reasons, and the median, p95 and
// maximum OCR time (screenshot and tesseract).
//
//	go run ./bench/ocr-share [-tabs 2] DIR...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/corpus"
	"github.com/tssguard/tssguard/internal/workpool"
	"github.com/tssguard/tssguard/sandbox"
)

func main() {
	tabs := flag.Int("tabs", 2, "pages loaded at once")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: ocr-share [-tabs N] DIR...")
		os.Exit(2)
	}
	pool, err := sandbox.New(context.Background(), sandbox.Options{TabsPerBrowser: *tabs})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer pool.Close()
	for _, dir := range flag.Args() {
		if err := measure(pool, dir, *tabs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

type result struct {
	file, label, reason string
	took, ocr, cpu      time.Duration
	note                string
}

func measure(pool *sandbox.Pool, dir string, tabs int) error {
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		return err
	}
	var pages []corpus.Entry
	for _, e := range entries {
		if e.IsPage() {
			pages = append(pages, e)
		}
	}
	results := make([]result, len(pages))
	workpool.Run(context.Background(), len(pages), tabs, func(i int) {
		results[i] = load(pool, dir, pages[i])
	})

	var ocr, cpu []time.Duration
	reasons := map[string]int{}
	byLabel := map[string]int{}
	var skipped []string
	for _, r := range results {
		if r.reason == "" {
			continue
		}
		byLabel[r.label]++
		reasons[reasonKind(r.reason)]++
		if r.ocr > 0 {
			ocr = append(ocr, r.ocr)
			cpu = append(cpu, r.cpu)
		}
		if r.note != "" {
			skipped = append(skipped, r.file+": "+r.note)
		}
	}
	n := byLabel["scam"] + byLabel["benign"]
	fmt.Printf("%s: %d pages, OCR on %d (%.1f%%: %d scam, %d benign), %d of them not read\n", dir, len(pages), n, 100*float64(n)/float64(len(pages)), byLabel["scam"], byLabel["benign"], len(skipped))
	for _, k := range sortedKeys(reasons) {
		fmt.Printf("  %4d  %s\n", reasons[k], k)
	}
	if len(ocr) > 0 {
		fmt.Printf("  OCR wall time per page it ran on (screenshot, wait, tesseract): %s\n", quantiles(ocr))
		fmt.Printf("  tesseract processor time per page:                            %s\n", quantiles(cpu))
	}
	for _, s := range skipped {
		fmt.Println("  not read:", s)
	}
	return nil
}

func load(pool *sandbox.Pool, dir string, e corpus.Entry) result {
	s := corpus.Serve(dir, e)
	start := time.Now()
	c, err := pool.Capture(context.Background(), sandbox.Target{Root: s.Root, File: s.File, Page: s.Path, Alias: s.Alias}, sandbox.PageOptions{})
	r := result{file: e.File, label: e.Label, took: time.Since(start)}
	if err != nil || c.Runtime == nil {
		return r
	}
	r.reason, r.ocr, r.cpu = c.Runtime.OCR, c.Runtime.OCRTook, c.Runtime.OCRCPU
	r.note = ocrNote(c)
	return r
}

func ocrNote(c *capture.Capture) string {
	for _, n := range c.Notes {
		if strings.HasPrefix(n, "OCR ") {
			return n
		}
	}
	return ""
}

func quantiles(d []time.Duration) string {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) time.Duration { return d[min(len(d)-1, int(q*float64(len(d))))].Round(time.Millisecond) }
	return fmt.Sprintf("median %v, p95 %v, max %v", at(0.5), at(0.95), d[len(d)-1].Round(time.Millisecond))
}

// reasonKind drops the figures from a reason, to count reasons by kind.
func reasonKind(s string) string {
	if i := strings.IndexAny(s, "(0123456789"); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func sortedKeys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
