package js

import (
	"strings"
	"syscall"
	"time"

	"github.com/tdewolff/parse/v2"
	tjs "github.com/tdewolff/parse/v2/js"
	"testing"
)

// BenchmarkAnalyze runs Analyze over every script of the corpus (kit
// files, inline scripts and handler attributes of scam and benign pages).
func BenchmarkAnalyze(b *testing.B) {
	scripts := corpusScripts(b)
	total := 0
	for _, s := range scripts {
		total += len(s.src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, s := range scripts {
			Analyze(s.src, Options{Handler: s.handler})
		}
	}
}

// BenchmarkDeobfuscate runs Deobfuscate over the corpus scripts that
// LooksObfuscated flags.
func BenchmarkDeobfuscate(b *testing.B) {
	var flagged [][]byte
	total := 0
	for _, s := range corpusScripts(b) {
		if s.handler == "" && LooksObfuscated(s.src) {
			flagged = append(flagged, s.src)
			total += len(s.src)
		}
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, s := range flagged {
			Deobfuscate(s, DeobfuscateOptions{})
		}
	}
}

// BenchmarkAnalyzeDeobfuscate: the facts and decodings of the corpus
// scripts LooksObfuscated flags, as the engine gets them: "two" with
// Analyze and Deobfuscate sharing a parse, "one" with one walk for both
// (AnalyzeDeobfuscate).
func BenchmarkAnalyzeDeobfuscate(b *testing.B) {
	var flagged [][]byte
	total := 0
	for _, s := range corpusScripts(b) {
		if s.handler == "" && LooksObfuscated(s.src) && len(s.src) <= 128<<10 {
			flagged = append(flagged, s.src)
			total += len(s.src)
		}
	}
	run := func(name string, each func(src []byte)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(total))
			b.ReportAllocs()
			defer cpuMeter(b, total)()
			for b.Loop() {
				for _, s := range flagged {
					each(s)
				}
			}
		})
	}
	run("two", func(s []byte) {
		p := Parse(s)
		Analyze(s, Options{MaxBytes: 128 << 10, Parsed: p})
		Deobfuscate(s, DeobfuscateOptions{Parsed: p})
	})
	run("one", func(s []byte) {
		AnalyzeDeobfuscate(s, Options{MaxBytes: 128 << 10}, DeobfuscateOptions{})
	})
}

// BenchmarkLooksObfuscated measures the prefilter over all scripts.
func BenchmarkLooksObfuscated(b *testing.B) {
	scripts := corpusScripts(b)
	total := 0
	for _, s := range scripts {
		total += len(s.src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, s := range scripts {
			LooksObfuscated(s.src)
		}
	}
}

// BenchmarkParseOnly is the baseline: tdewolff's parser alone over the same
// scripts, handler attributes wrapped as Analyze wraps them (Analyze parses
// once and walks twice; scripts that do not parse are then tokenized).
func BenchmarkParseOnly(b *testing.B) {
	scripts := corpusScripts(b)
	total := 0
	for _, s := range scripts {
		total += len(s.src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, s := range scripts {
			var buf []byte
			if s.handler != "" {
				buf = append(append(append(make([]byte, 0, len(s.src)+32), wrapPrefix...), s.src...), wrapSuffix...)
			} else {
				buf = make([]byte, len(s.src), len(s.src)+1)
				copy(buf, s.src)
			}
			_, _ = tjsParse(buf)
		}
	}
}

func tjsParse(buf []byte) (*tjs.AST, error) {
	return tjs.Parse(parse.NewInputBytes(buf), tjs.Options{})
}

// parseable returns the corpus scripts the parser accepts (handler
// attributes wrapped): the typical case, without the token fallback.
func parseable(b *testing.B) []corpusScript {
	var out []corpusScript
	for _, s := range corpusScripts(b) {
		if Analyze(s.src, Options{Handler: s.handler}).ParseError == "" {
			out = append(out, s)
		}
	}
	return out
}

// BenchmarkAnalyzeParsed is BenchmarkAnalyze over the scripts that parse.
func BenchmarkAnalyzeParsed(b *testing.B) {
	scripts := parseable(b)
	total := 0
	for _, s := range scripts {
		total += len(s.src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, s := range scripts {
			Analyze(s.src, Options{Handler: s.handler})
		}
	}
}

// BenchmarkParseOnlyParsed is the parser alone over the same scripts.
func BenchmarkParseOnlyParsed(b *testing.B) {
	scripts := parseable(b)
	total := 0
	for _, s := range scripts {
		total += len(s.src)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, s := range scripts {
			buf := make([]byte, 0, len(s.src)+32)
			if s.handler != "" {
				buf = append(append(append(buf, wrapPrefix...), s.src...), wrapSuffix...)
			} else {
				buf = append(buf, s.src...)
			}
			_, _ = tjsParse(buf)
		}
	}
}

// cpuMeter reports MB per second of process CPU time (user and system, GC
// included) next to the wall-clock figure: on a shared, loaded machine it
// is the steadier number.
func cpuMeter(b *testing.B, bytesPerOp int) func() {
	var r0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	return func() {
		var r1 syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
		cpu := time.Duration(r1.Utime.Nano() + r1.Stime.Nano() - r0.Utime.Nano() - r0.Stime.Nano())
		if cpu > 0 {
			b.ReportMetric(float64(bytesPerOp)*float64(b.N)/cpu.Seconds()/1e6, "cpuMB/s")
		}
	}
}

// pageScriptsBench are the benign pages whose inline scripts cost the
// most in a scan (200 KB to 1.3 MB of script each, some not parseable).
var pageScriptsBench = []string{
	"www.vulture.com--content-test.html", "test-pages_qq_source.html", "test-pages_yahoo-3_source.html",
	"test-pages_nytimes-4_source.html", "test-pages_bbc-1_source.html", "test-pages_buzzfeed-1_source.html",
	"test-pages_msn_source.html",
}

// BenchmarkAnalyzePages runs Analyze over the scripts and handler
// attributes of those pages with the engine's size limit (larger scripts
// yield their literals only).
func BenchmarkAnalyzePages(b *testing.B) {
	var scripts []corpusScript
	total := 0
	for _, s := range corpusScripts(b) {
		for _, p := range pageScriptsBench {
			if strings.Contains(s.name, p) {
				scripts = append(scripts, s)
				total += len(s.src)
				break
			}
		}
	}
	if len(scripts) == 0 {
		b.Skip("pages not in the corpus")
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	defer cpuMeter(b, total)()
	for b.Loop() {
		for _, s := range scripts {
			Analyze(s.src, Options{Handler: s.handler, MaxBytes: 128 << 10})
		}
	}
}
