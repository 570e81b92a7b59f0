package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
)

const (
	figBenign = "static scan, benign corpus pages"
	figCorpus = "static scan, whole corpus"
	figEngine = "CLI vs analysis only (fixtures+corpus)"
	figOne    = "static scan, one ~10 KB page (process)"
)

// timing is one command's cost: wall time and the processor time of the
// process (user + system), which on a shared machine is the steadier of
// the two.
type timing struct {
	wall, cpu time.Duration
	stdout    []byte
}

// runCmd runs a command and times it. Exit codes in okCodes besides 0 are
// not failures (tssguard exits 1 when it finds a scam).
func runCmd(ctx context.Context, dir string, extraEnv []string, okCodes []int, name string, args ...string) (timing, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	ownGroup(cmd)
	start := time.Now()
	err := cmd.Run()
	t := timing{wall: time.Since(start), stdout: stdout.Bytes()}
	if cmd.ProcessState != nil {
		t.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		for _, c := range okCodes {
			if exit.ExitCode() == c {
				return t, nil
			}
		}
	}
	if err != nil {
		return t, fmt.Errorf("%s: %v: %s", filepath.Base(name), err, oneLine(stderr.String()))
	}
	return t, nil
}

// ownGroup puts a command in a process group of its own and has a
// cancelled context kill the whole group: the programs bench/run starts
// start servers and browsers of their own, which must not outlive a
// sub-benchmark that ran over its budget.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
}

// best runs a command reps times and keeps the fastest run by processor
// time, and the fastest wall time, each: on a shared machine the minimum
// is the run least disturbed.
func best(ctx context.Context, reps int, run func() (timing, error)) (timing, error) {
	var b timing
	for i := range reps {
		t, err := run()
		if err != nil {
			return t, err
		}
		if i == 0 || t.cpu < b.cpu {
			b.cpu, b.stdout = t.cpu, t.stdout
		}
		if i == 0 || t.wall < b.wall {
			b.wall = t.wall
		}
		if ctx.Err() != nil {
			return b, ctx.Err()
		}
	}
	return b, nil
}

// oneCore prefixes a command with taskset -c 0 (the issue measures on one
// core); on a one-core machine, or without taskset, it runs as is.
func oneCore(name string, args ...string) (string, []string, bool) {
	return onCore("0", name, args...)
}

// onCore prefixes a command with taskset -c core when the machine has
// more than one core and taskset is installed; else it runs as is.
func onCore(core, name string, args ...string) (string, []string, bool) {
	ts := tasksetPath()
	if ts == "" {
		return name, args, false
	}
	return ts, append([]string{"-c", core, name}, args...), true
}

// tasksetPath is taskset's path when commands can be kept to cores apart
// (more than one core, taskset installed), else "".
var tasksetPath = sync.OnceValue(func() string {
	if runtime.NumCPU() < 2 {
		return ""
	}
	ts, _ := exec.LookPath("taskset")
	return ts
})

func pinnedText(pinned bool) string {
	if pinned {
		return "taskset -c 0"
	}
	return "not pinned to a core"
}

func (e *env) reps() int {
	if e.quick {
		return 2
	}
	return 5
}

// buildCLI builds tssguard once for the run.
func (e *env) buildCLI(ctx context.Context) error {
	if e.tssguard != "" {
		return nil
	}
	bin := filepath.Join(e.tmp, "tssguard")
	if _, err := runCmd(ctx, e.root, nil, nil, "go", "build", "-o", bin, "./cmd/tssguard"); err != nil {
		return fmt.Errorf("build tssguard: %w", err)
	}
	e.tssguard = bin
	return nil
}

// rules is the YARA rule file: -yara-rules, else the project's rules at
// bench/yara/tss.yar.
func (e *env) rules() (string, error) {
	if e.yaraRules != "" {
		if _, err := os.Stat(e.yaraRules); err != nil {
			return "", err
		}
		return e.yaraRules, nil
	}
	p := filepath.Join(e.root, "bench", "yara", "tss.yar")
	if _, err := os.Stat(p); err != nil {
		return "", errors.New("no YARA rules (bench/yara/tss.yar)")
	}
	return p, nil
}

// scanCLI runs tssguard scan --format json -j 1 on one core over the
// targets and returns the best timing and the pages it reported on. Exit
// code 2 with reports is a page that could not be read among others: the
// rest still counts, and failed says how many.
func (e *env) scanCLI(ctx context.Context, reps int, flags []string, targets ...string) (t timing, pages, failed int, err error) {
	args := append(append([]string{"scan", "--format", "json", "-j", "1", "--no-progress"}, flags...), targets...)
	name, args, _ := oneCore(e.tssguard, args...)
	t, err = best(ctx, reps, func() (timing, error) { return runCmd(ctx, e.root, nil, []int{1, 2}, name, args...) })
	if err != nil {
		return t, 0, 0, err
	}
	pages, failed = countReports(t.stdout)
	if pages == 0 {
		return t, 0, failed, fmt.Errorf("tssguard reported no page (%d errors)", failed)
	}
	return t, pages, failed, nil
}

// failedText notes pages the CLI could not read.
func failedText(failed int) string {
	if failed == 0 {
		return ""
	}
	return fmt.Sprintf("; %d inputs failed in the CLI", failed)
}

// countReports counts the JSON lines of scan --format json: reports, and
// inputs that failed.
func countReports(out []byte) (reports, failed int) {
	for _, line := range bytes.Split(out, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		if bytes.Contains(line, []byte(`"error":`)) && !bytes.Contains(line, []byte(`"verdict"`)) {
			failed++
			continue
		}
		reports++
	}
	return reports, failed
}

// runScan: tssguard scan vs yara -p 1 -r over the benign pages and over the
// whole corpus, each on one core, in pages per processor-second.
func runScan(ctx context.Context, e *env) ([]Row, error) {
	if err := e.buildCLI(ctx); err != nil {
		return nil, err
	}
	rules, err := e.rules()
	if err != nil {
		return nil, err
	}
	yara, yaraErr := exec.LookPath("yara")
	var rows []Row
	for _, c := range []struct {
		fig    string
		dir    string
		target float64
	}{
		{figBenign, filepath.Join(e.corpus, "benign"), 1.0},
		{figCorpus, e.corpus, 0.5},
	} {
		if _, err := os.Stat(c.dir); err != nil {
			rows = append(rows, naRow("scan", c.fig, "no corpus: "+err.Error()))
			continue
		}
		if yaraErr != nil {
			rows = append(rows, naRow("scan", c.fig, "yara not installed (apt-get install -y yara)"))
			continue
		}
		e.logf("scan: %s", c.dir)
		tss, pages, failed, err := e.scanCLI(ctx, e.reps(), nil, c.dir)
		if err != nil {
			rows = append(rows, naRow("scan", c.fig, err.Error()))
			continue
		}
		name, args, pinned := oneCore(yara, "-w", "-p", "1", "-r", rules, c.dir)
		ref, err := best(ctx, e.reps(), func() (timing, error) { return runCmd(ctx, e.root, nil, nil, name, args...) })
		if err != nil {
			rows = append(rows, naRow("scan", c.fig, err.Error()))
			continue
		}
		r := measured("scan", c.fig, float64(pages)/tss.cpu.Seconds(), float64(pages)/ref.cpu.Seconds(), "pages/s",
			&Target{On: "ratio", Op: ">=", Value: c.target})
		r.Note = fmt.Sprintf("%d pages; processor time, best of %d, %s; wall: tssguard %v, yara %v; rules %s",
			pages, e.reps(), pinnedText(pinned), tss.wall.Round(time.Millisecond), ref.wall.Round(time.Millisecond), relTo(e.root, rules)) + failedText(failed)
		rows = append(rows, r)
		if c.fig == figBenign {
			rows = append(rows, stageRows(tss, ref)...)
			rows = append(rows, e.floorRows(ctx, c.dir, ref)...)
		}
		if c.fig == figCorpus {
			rows = append(rows, detectionRows(c.dir, e.root, tss.stdout, ref.stdout)...)
		}
	}
	if yaraErr == nil {
		rows = append(rows, e.onePage(ctx, yara, rules))
	}
	return rows, nil
}

// onePage is the cost of one process on one small page, start-up
// included (the rule engine and package set-up, issue 15): tssguard scan
// vs yara, in milliseconds of processor time.
func (e *env) onePage(ctx context.Context, yara, rules string) Row {
	page, size, err := pageNear(filepath.Join(e.corpus, "benign"), 10<<10)
	if err != nil {
		return naRow("scan", figOne, err.Error())
	}
	reps := 2 * e.reps()
	tss, _, _, err := e.scanCLI(ctx, reps, nil, page)
	if err != nil {
		return naRow("scan", figOne, err.Error())
	}
	name, args, pinned := oneCore(yara, "-w", "-p", "1", rules, page)
	ref, err := best(ctx, reps, func() (timing, error) { return runCmd(ctx, e.root, nil, nil, name, args...) })
	if err != nil {
		return naRow("scan", figOne, err.Error())
	}
	r := measured("scan", figOne, float64(tss.cpu)/1e6, float64(ref.cpu)/1e6, "ms", nil)
	r.Note = fmt.Sprintf("%s (%d bytes); processor time, best of %d, %s", filepath.Base(page), size, reps, pinnedText(pinned))
	return r
}

// pageNear finds the page under dir whose size is nearest to want bytes.
func pageNear(dir string, want int64) (string, int64, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", 0, err
	}
	best, bestSize := "", int64(0)
	for _, d := range ents {
		info, err := d.Info()
		if err != nil || !info.Mode().IsRegular() || !capture.IsPage(d.Name()) {
			continue
		}
		if best == "" || abs(info.Size()-want) < abs(bestSize-want) {
			best, bestSize = filepath.Join(dir, d.Name()), info.Size()
		}
	}
	if best == "" {
		return "", 0, fmt.Errorf("no page in %s", dir)
	}
	return best, bestSize, nil
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// runEngine: BenchmarkCorpus of ./analyze (analysis alone, pages captured
// beforehand) vs the CLI over the same pages (fixtures and corpus), both
// on one core, in pages per processor-second. The benchmark reports wall
// time only, and its process also captures every page first; so it runs
// twice, for 1 pass and for N, and the difference in processor time is
// what N-1 passes of analysis cost (a b.Loop benchmark runs its setup
// once).
func runEngine(ctx context.Context, e *env) ([]Row, error) {
	if err := e.buildCLI(ctx); err != nil {
		return nil, err
	}
	test := filepath.Join(e.tmp, "analyze.test")
	if _, err := runCmd(ctx, e.root, nil, nil, "go", "test", "-c", "-o", test, "./analyze"); err != nil {
		return nil, fmt.Errorf("build the analyze benchmark: %w", err)
	}
	passes := 3
	if e.quick {
		passes = 2
	}
	var cpu [2]time.Duration
	var wallRate float64
	var pinned bool
	for i, n := range []int{1, passes} {
		e.logf("engine: BenchmarkCorpus -benchtime %dx", n)
		var name string
		var args []string
		name, args, pinned = oneCore(test, "-test.run", "^$", "-test.bench", "^BenchmarkCorpus$", "-test.benchtime", fmt.Sprintf("%dx", n))
		bt, err := runCmd(ctx, filepath.Join(e.root, "analyze"), []string{"TSSGUARD_CORPUS=" + e.corpus}, nil, name, args...)
		if err != nil {
			return nil, err
		}
		if wallRate, err = benchMetric(string(bt.stdout), "BenchmarkCorpus", "pages/s"); err != nil {
			return nil, err
		}
		cpu[i] = bt.cpu
	}
	// The benchmark's engine reads no picture: nor does the CLI here (a
	// fixture's OCR, a tesseract child process, cost the CLI about 15% of
	// this row's processor time).
	e.logf("engine: the CLI over fixtures and corpus")
	cli, pages, failed, err := e.scanCLI(ctx, e.reps(), []string{"--ocr", "never"}, filepath.Join(e.root, "fixtures"), e.corpus)
	if err != nil {
		return nil, err
	}
	analysis := cpu[1] - cpu[0]
	if analysis <= 0 {
		return nil, fmt.Errorf("BenchmarkCorpus: %d passes took no more processor time (%v) than one (%v)", passes, cpu[1], cpu[0])
	}
	r := measured("engine", figEngine, float64(pages)/cli.cpu.Seconds(), float64(pages*(passes-1))/analysis.Seconds(), "pages/s", nil)
	r.Note = fmt.Sprintf("%d pages (the CLI's count; the benchmark loads the same manifests); CLI with --ocr never, as the benchmark's engine; processor time, %s: CLI best of %d, "+
		"analysis = BenchmarkCorpus %dx minus 1x; by wall time: CLI %.1f pages/s, BenchmarkCorpus %.1f pages/s",
		pages, pinnedText(pinned), e.reps(), passes, float64(pages)/cli.wall.Seconds(), wallRate) + failedText(failed)
	return []Row{r}, nil
}

// benchMetric finds a custom metric ("219.4 pages/s") on a benchmark's
// result line.
func benchMetric(out, bench, unit string) (float64, error) {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || !strings.HasPrefix(f[0], bench) {
			continue
		}
		for i := 1; i < len(f); i++ {
			if f[i] == unit {
				return strconv.ParseFloat(f[i-1], 64)
			}
		}
	}
	return 0, fmt.Errorf("no %s in the output of %s: %s", unit, bench, oneLine(out))
}

func relTo(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// figStage names a part of the benign scan's time.
func figStage(part string) string { return "  benign scan, " + part }

// stageRows says where the benign scan's processor time went, each part
// beside YARA's whole scan of the same pages: the analysis steps from the
// timings of the reports of the best run (wall time of each step, which on
// one idle core is its processor time), and what is left of the process's
// processor time (start-up, reading and parsing the pages, writing the
// reports). A part whose ratio alone reaches 1 shows that the scan cannot
// reach YARA's speed while it does that part.
func stageRows(tss, ref timing) []Row {
	var sum analyze.Timings
	n := 0
	for _, line := range bytes.Split(tss.stdout, []byte("\n")) {
		var rep struct {
			Timings *analyze.Timings `json:"timings"`
		}
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &rep) != nil || rep.Timings == nil {
			continue
		}
		t := rep.Timings
		sum.Total += t.Total
		sum.Scripts += t.Scripts
		sum.Emulation += t.Emulation
		sum.OCR += t.OCR
		sum.Rules += t.Rules
		n++
	}
	if n == 0 || ref.cpu <= 0 {
		return []Row{naRow("scan", figStage("by step"), "no timings in the reports")}
	}
	ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
	refMS := ms(ref.cpu)
	rest := tss.cpu - sum.Total
	other := sum.Total - sum.Scripts - sum.Emulation - sum.OCR - sum.Rules
	var rows []Row
	for _, p := range []struct {
		part string
		d    time.Duration
	}{
		{"start-up, reading and parsing pages, writing reports", rest},
		{"script facts and de-obfuscation", sum.Scripts},
		{"rules (every evaluation)", sum.Rules},
		{"emulation", sum.Emulation},
		{"reading pictures (OCR)", sum.OCR},
		{"rest of the analysis", other},
	} {
		if p.d <= 0 {
			continue
		}
		r := measured("scan", figStage(p.part), ms(p.d), refMS, "ms", nil)
		if len(rows) == 0 {
			r.Note = fmt.Sprintf("and the rows under it: processor time of the best run by part; the reference is yara's whole scan of the same pages; the analysis steps are the %d reports' timings, the first row the rest of the process's time", n)
		}
		rows = append(rows, r)
	}
	return rows
}

// figFloor names a step of the least reading of the benign pages.
func figFloor(part string) string { return "  least reading, " + part }

// floorRows: what bench/floor measures over the benign pages (reading the
// files, the HTML's tokens, the inline scripts' tokens and syntax trees,
// no rule), each beside YARA's whole scan, in processor time on one core.
// The sum of the files, the HTML tokens and the script syntax is the
// least any analysis that reads tags and script syntax pays: it says how
// far the scan's own cost is from what the pages themselves demand.
func (e *env) floorRows(ctx context.Context, dir string, ref timing) []Row {
	bin := filepath.Join(e.tmp, "floor")
	if _, err := runCmd(ctx, e.root, nil, nil, "go", "build", "-o", bin, "./bench/floor"); err != nil {
		return []Row{naRow("scan", figFloor("steps"), "build bench/floor: "+err.Error())}
	}
	name, args, pinned := oneCore(bin, "-json", "-n", fmt.Sprint(max(3, e.reps())), dir)
	out, err := runCmd(ctx, e.root, nil, nil, name, args...)
	if err != nil {
		return []Row{naRow("scan", figFloor("steps"), err.Error())}
	}
	refMS := float64(ref.cpu) / 1e6
	var rows []Row
	var least time.Duration
	for _, line := range bytes.Split(out.stdout, []byte("\n")) {
		var st struct {
			Step    string        `json:"step"`
			CPU     time.Duration `json:"cpu_ns"`
			Scripts int           `json:"scripts"`
			Broken  int           `json:"broken"`
		}
		if len(line) == 0 || json.Unmarshal(line, &st) != nil {
			continue
		}
		if st.Step != "script tokens" {
			least += st.CPU // script syntax includes its tokens
		}
		r := measured("scan", figFloor(st.Step), float64(st.CPU)/1e6, refMS, "ms", nil)
		if len(rows) == 0 {
			r.Note = fmt.Sprintf("and the rows under it: bench/floor over the same pages, best of %d, %s; each step alone, the pages in memory after the first; the reference is yara's whole scan", max(3, e.reps()), pinnedText(pinned))
		}
		if st.Scripts > 0 && st.Broken > 0 {
			r.Note = fmt.Sprintf("%d inline scripts, %d of them with a syntax error (the parser stops there)", st.Scripts, st.Broken)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return []Row{naRow("scan", figFloor("steps"), "bench/floor printed no step: "+oneLine(string(out.stdout)))}
	}
	return append(rows, measured("scan", figFloor("files + HTML tokens + script syntax"), float64(least)/1e6, refMS, "ms", nil))
}
