// Command floor measures the least that any reading of a directory's pages
// costs, step by step: reading the files, cutting the HTML into tokens,
// cutting the inline scripts into tokens, and building their syntax trees.
// No rule runs. It is the floor under any analysis that tells a page that
// calls window.open from a button from one that calls it on load, which
// needs at least the page's tags and its scripts' syntax.
//
// Each step is timed alone, in processor time (user + system, garbage
// collection included), best of -n passes, over pages already in memory
// (but the first step). Run it on one core to compare with another tool:
//
//	taskset -c 0 go run ./bench/floor ../shared/corpus/benign
//
// bench/run runs it beside yara and tssguard scan over the same pages.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	jsparse "github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/js"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/analyze/htmltok"
	"github.com/tssguard/tssguard/capture"
)

// Step is one step's cost over every page.
type Step struct {
	Name  string        `json:"step"`
	CPU   time.Duration `json:"cpu_ns"`
	Pages int           `json:"pages"`
	Bytes int           `json:"bytes"` // of the pages, or of their inline scripts
	// Scripts: the inline scripts read; Broken: those with a syntax error.
	Scripts int `json:"scripts,omitempty"`
	Broken  int `json:"broken,omitempty"`
}

func main() {
	n := flag.Int("n", 5, "passes of each step; the best counts")
	asJSON := flag.Bool("json", false, "one JSON object per step")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: floor [-n 5] [-json] DIR\n\nThe least that reading DIR's pages costs, step by step, in processor time.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	steps, err := measure(flag.Arg(0), *n)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	for _, s := range steps {
		if *asJSON {
			b, _ := json.Marshal(s)
			fmt.Println(string(b))
			continue
		}
		what := fmt.Sprintf("%d pages, %d bytes", s.Pages, s.Bytes)
		if s.Scripts > 0 {
			what = fmt.Sprintf("%d inline scripts, %d bytes", s.Scripts, s.Bytes)
		}
		if s.Broken > 0 {
			what += fmt.Sprintf(", %d with a syntax error", s.Broken)
		}
		fmt.Printf("%-14s %8.2f ms  (%s)\n", s.Name, float64(s.CPU)/1e6, what)
	}
}

// measure times each step over the pages under dir.
func measure(dir string, n int) ([]Step, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && capture.IsPage(d.Name()) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no page under %s", dir)
	}
	var pages [][]byte
	read := func() error {
		pages = pages[:0]
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			pages = append(pages, b)
		}
		return nil
	}
	var scripts [][]byte
	broken := 0
	htmlTokens := func() error {
		scripts = scripts[:0]
		for _, b := range pages {
			scripts = inlineScripts(b, scripts)
		}
		return nil
	}
	scriptTokens := func() error {
		for _, s := range scripts {
			l := js.NewLexer(jsparse.NewInputBytes(s))
			for {
				if tt, _ := l.Next(); tt == js.ErrorToken {
					break
				}
			}
		}
		return nil
	}
	scriptSyntax := func() error {
		broken = 0
		for _, s := range scripts {
			if _, err := js.Parse(jsparse.NewInputBytes(s), js.Options{}); err != nil {
				broken++ // the parser stops at the first error: less work than a whole tree
			}
		}
		return nil
	}
	var steps []Step
	for _, s := range []struct {
		name string
		run  func() error
	}{
		{"read files", read},
		{"HTML tokens", htmlTokens},
		{"script tokens", scriptTokens},
		{"script syntax", scriptSyntax},
	} {
		var bestCPU time.Duration
		for i := range n {
			before := cpuTime()
			if err := s.run(); err != nil {
				return nil, err
			}
			if d := cpuTime() - before; i == 0 || d < bestCPU {
				bestCPU = d
			}
		}
		st := Step{Name: s.name, CPU: bestCPU, Pages: len(pages)}
		for _, b := range pages {
			st.Bytes += len(b)
		}
		if s.name == "script tokens" || s.name == "script syntax" {
			st.Bytes, st.Scripts = 0, len(scripts)
			for _, b := range scripts {
				st.Bytes += len(b)
			}
		}
		if s.name == "script syntax" {
			st.Broken = broken
		}
		steps = append(steps, st)
	}
	return steps, nil
}

// inlineScripts appends the text of b's inline script elements.
func inlineScripts(b []byte, out [][]byte) [][]byte {
	z := htmltok.New(b)
	inScript := false
	for {
		switch z.Next() {
		case htmltok.ErrorToken:
			return out
		case htmltok.StartTagToken:
			name, more := z.TagName()
			inScript = bytes.Equal(name, []byte("script"))
			for inScript && more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if string(k) == "type" && !analyze.IsJSType(string(v)) {
					inScript = false // data or a template: not run
				}
			}
		case htmltok.TextToken:
			if inScript {
				out = append(out, bytes.Clone(z.Text()))
			}
			inScript = false
		default:
			inScript = false
		}
	}
}

// cpuTime is the processor time (user + system) of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
