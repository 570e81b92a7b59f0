package main

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseFigureLines(t *testing.T) {
	out := strings.Join([]string{
		"building an index of 100000 URLs…", // prose is ignored
		"CheckURL p50\t1.9\t1.0\t1.9x\tµs",
		"service static scans\t900\t1000\t-\tscans/min",
		"GET /api/v1/check p99\t6.5\t2\t3.25\tms",
		"pool vs service\tn/a (no chromium)\t-\t-\ts/page",
		"growth 1M pages fingerprint\t1.7\t-\t-\tms/page",
		"custom\t10\t5\t2\tpages/s\t>=3x",
		"a\tb\tc", // too few fields
		"words\tnot\ta\tnumber\there",
	}, "\n")
	rows := parseFigureLines("x", strings.NewReader(out))
	if len(rows) != 6 {
		t.Fatalf("got %d rows, want 6: %+v", len(rows), rows)
	}
	check := func(i int, fig string, ratio float64, ok *bool) {
		t.Helper()
		r := rows[i]
		if r.Figure != fig || r.Source != "x" {
			t.Errorf("row %d: figure %q source %q", i, r.Figure, r.Source)
		}
		if ratio >= 0 && (r.Ratio == nil || *r.Ratio < ratio-1e-9 || *r.Ratio > ratio+1e-9) {
			t.Errorf("row %d (%s): ratio %v, want %v", i, fig, r.Ratio, ratio)
		}
		if (ok == nil) != (r.OK == nil) || ok != nil && *ok != *r.OK {
			t.Errorf("row %d (%s): ok %v, want %v", i, fig, r.OK, ok)
		}
	}
	yes, no := true, false
	check(0, "CheckURL p50", 1.9, &yes)              // <= 2x by its name
	check(1, "service static scans", 0.9, &yes)      // ratio computed, >= 0.8x
	check(2, "GET /api/v1/check p99", 3.25, &no)     // tssguard < 5 ms fails
	check(4, "growth 1M pages fingerprint", -1, nil) // no reference, no target
	check(5, "custom", 2, &no)                       // its own target, >= 3x
	if rows[3].NA != "no chromium" || rows[3].TSS != nil {
		t.Errorf("n/a row: %+v", rows[3])
	}
	if rows[4].Ref != nil || rows[4].Ratio != nil {
		t.Errorf("row without reference: %+v", rows[4])
	}
}

func TestTargetUnits(t *testing.T) {
	p99 := Target{On: "tssguard", Op: "<", Value: 5, Unit: "ms"}
	for _, c := range []struct {
		v    float64
		unit string
		want bool
	}{{4.9, "ms", true}, {5, "ms", false}, {4900, "µs", true}, {0.006, "s", false}, {3, "req/s", false}} {
		if got := p99.Met(Row{TSS: num(c.v), Unit: c.unit}); got != c.want {
			t.Errorf("%v %s < 5 ms: got %v", c.v, c.unit, got)
		}
	}
	if (Target{On: "ratio", Op: ">=", Value: 1}).Met(Row{}) {
		t.Error("a row without a ratio meets a ratio target")
	}
	for in, want := range map[string]string{">=0.8x": ">= 0.8x", "<5 ms": "< 5 ms", "<= 2x": "<= 2x"} {
		got, err := parseTarget(in)
		if err != nil || got.String() != want {
			t.Errorf("parseTarget(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if _, err := parseTarget("0.8x"); err == nil {
		t.Error("a target without an operator parsed")
	}
}

func TestWriteTable(t *testing.T) {
	rows := []Row{
		measured("scan", "static scan, benign corpus pages", 80, 900, "pages/s", &Target{On: "ratio", Op: ">=", Value: 1}),
		measured("checkurl", "CheckURL", 1.5, 1, "µs", &Target{On: "ratio", Op: "<=", Value: 2}),
		naRow("service", "service vs CLI", "bench/service is not there\non this branch"),
	}
	var b strings.Builder
	writeTable(&b, rows)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("got %d lines:\n%s", len(lines), b.String())
	}
	for _, want := range []string{"figure", "tssguard", "reference", "ratio", "target", "ok?"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header lacks %q: %s", want, lines[0])
		}
	}
	// Columns line up: every value starts where its header does.
	col := strings.Index(lines[0], "reference")
	from := func(s string) string { return string([]rune(s)[col:]) } // "µ" is two bytes
	if !strings.HasPrefix(from(lines[2]), "900.0 pages/s") || !strings.HasPrefix(from(lines[3]), "1.00 µs") {
		t.Errorf("reference column not aligned:\n%s", b.String())
	}
	if !strings.Contains(lines[2], "0.09x") || !strings.HasSuffix(lines[2], "NO") || !strings.HasSuffix(lines[3], "yes") {
		t.Errorf("ratios or verdicts wrong:\n%s", b.String())
	}
	if !strings.HasSuffix(lines[4], "n/a (on this branch)") || !strings.HasPrefix(lines[4], "service vs CLI") {
		t.Errorf("n/a row: %q", lines[4])
	}
}

func TestRunOneNeverAborts(t *testing.T) {
	e := &env{logf: func(string, ...any) {}}
	figs := []string{"one", "two"}
	for name, run := range map[string]func(context.Context, *env) ([]Row, error){
		"error": func(context.Context, *env) ([]Row, error) { return nil, errors.New("yara: exit status 2\nno rules") },
		"panic": func(context.Context, *env) ([]Row, error) { panic("boom") },
		"empty": func(context.Context, *env) ([]Row, error) { return nil, nil },
		"slow": func(ctx context.Context, _ *env) ([]Row, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
	} {
		rows := runOne(context.Background(), bench{name: name, figures: figs, run: run}, e, 50*time.Millisecond)
		if len(rows) != 2 || rows[0].NA == "" || rows[1].Figure != "two" || rows[0].OK != nil {
			t.Errorf("%s: %+v", name, rows)
		}
		if name == "error" && rows[0].NA != "no rules" {
			t.Errorf("error reason: %q", rows[0].NA)
		}
		if name == "slow" && !strings.Contains(rows[0].NA, "budget") {
			t.Errorf("timeout reason: %q", rows[0].NA)
		}
	}
	// Rows already measured are kept when a later step fails.
	part := runOne(context.Background(), bench{name: "part", figures: figs, run: func(context.Context, *env) ([]Row, error) {
		return []Row{measured("part", "one", 1, 2, "x/s", nil)}, errors.New("late")
	}}, e, time.Second)
	if len(part) != 1 || part[0].NA != "" {
		t.Errorf("partial: %+v", part)
	}
}

func TestSelectBenches(t *testing.T) {
	got, err := selectBenches(benches(), "http, scan")
	if err != nil || len(got) != 2 || got[0].name != "scan" || got[1].name != "http" {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := selectBenches(benches(), "scan,nope"); err == nil {
		t.Error("an unknown name was accepted")
	}
}

func TestParseOutputs(t *testing.T) {
	wrk := `Running 5s test @ http://127.0.0.1:1
  Latency Distribution
     50%  220.00us
     75%  500.00us
     90%    1.20ms
     99%    8.62ms
  283000 requests in 5.00s, 40.00MB read
  Non-2xx or 3xx responses: 12
Requests/sec:  56586.78
Transfer/sec:      8.00MB
`
	r, err := parseWrk(wrk)
	if err != nil || r.rps != 56586.78 || r.p99ms != 8.62 || r.requests != 283000 || r.non2xx != 12 {
		t.Errorf("parseWrk: %+v, %v", r, err)
	}
	if _, err := parseWrk("connection refused"); err == nil {
		t.Error("parseWrk accepted output without figures")
	}
	if ms, err := parseWrkDuration("1.02s"); err != nil || ms != 1020 {
		t.Errorf("1.02s = %v ms, %v", ms, err)
	}

	p50, err := parseCheckURLp50("listed 1000 …\nCheckURL over 100000 lookups (58% hits): mean 1.803µs p50 1.758µs p90 2.6µs p99 4.01µs\n")
	if err != nil || p50 != 1758*time.Nanosecond {
		t.Errorf("p50 %v, %v", p50, err)
	}
	v, err := benchMetric("goos: linux\nBenchmarkCorpus-2  3  1171087274 ns/op  23.25 MB/s  1.736 p50-ms  219.4 pages/s\nPASS\n", "BenchmarkCorpus", "pages/s")
	if err != nil || v != 219.4 {
		t.Errorf("benchMetric %v, %v", v, err)
	}
	if _, err := benchMetric("--- FAIL: BenchmarkCorpus\n", "BenchmarkCorpus", "pages/s"); err == nil {
		t.Error("benchMetric found a metric in a failure")
	}
	n, failed := countReports([]byte(`{"schema":1,"input":"a.html","verdict":"clean"}` + "\n" + `{"schema":1,"input":"b.html","error":"open b.html: no such file"}` + "\n"))
	if n != 1 || failed != 1 {
		t.Errorf("countReports: %d reports, %d failed", n, failed)
	}
	if !hasQuickFlag("Usage of x:\n  -quick\n    \tsmall sizes\n  -urls int\n") || hasQuickFlag("Usage of x:\n  -urls int\n    \tfor a quick look\n") {
		t.Error("hasQuickFlag")
	}
	if got := parseCPUModel("processor\t: 0\nmodel name\t: Intel(R)  Xeon(R) Processor\n"); got != "Intel(R) Xeon(R) Processor" {
		t.Errorf("cpu model %q", got)
	}
	if len(minimalBody) != 60 {
		t.Errorf("the minimal server's answer is %d bytes, want 60", len(minimalBody))
	}
	if got := spread([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 3); len(got) != 3 || got[0] != 0 || got[1] != 3 || got[2] != 6 {
		t.Errorf("spread: %v", got)
	}
}

func TestParseMarkdownRows(t *testing.T) {
	out := `static, CLI (one scan process): 3690 scans/min

| figure                                  |   tssguard |  reference | reference is    | ratio |
|-----------------------------------------|------------|------------|-----------------|-------|
| static scans/min, API, SQLite, 2 workers |      777.0 |     3690.0 | one CLI process |  0.21 |
| dynamic scans/min, API, 4 tabs          |       20.0 |       22.0 | browser pool    |  0.91 |
`
	rows := parseMarkdownRows("service", strings.NewReader(out))
	if len(rows) != 2 {
		t.Fatalf("got %d rows: %+v", len(rows), rows)
	}
	r := rows[0]
	if r.Figure != "static scans/min, API, SQLite, 2 workers" || *r.TSS != 777 || *r.Ref != 3690 || *r.Ratio != 0.21 || r.Unit != "scans/min" {
		t.Errorf("row: %+v", r)
	}
	if r.OK == nil || *r.OK || rows[1].OK == nil || !*rows[1].OK {
		t.Errorf("service target (>= 0.8x) not applied: %v %v", r.OK, rows[1].OK)
	}
}

func TestTargetFor(t *testing.T) {
	for _, c := range []struct{ figure, unit, want string }{
		{"CheckURL p50 vs Canonicalize+map", "ns", "<= 2x"},
		{"CheckURL p99 vs Canonicalize+map", "ns", ""},
		{"CheckURL p50 vs map lookup alone", "ns", ""},
		{"GET /api/v1/check p99, 64 conns", "ms", "< 5 ms"},
		{"check API req/s", "req/s", ">= 0.8x"},
		{"growth fingerprint CPU per page", "µs/page", ""},
	} {
		got := ""
		if tg := targetFor(c.figure, c.unit); tg != nil {
			got = tg.String()
		}
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.figure, got, c.want)
		}
	}
}

// A sub-benchmark over its budget takes the processes its command started
// with it.
func TestRunCmdKillsTheGroup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	tm, err := runCmd(ctx, "", nil, nil, "sh", "-c", "sleep 30 & echo $!; wait")
	if err == nil {
		t.Fatal("a command over its budget did not fail")
	}
	pid := strings.TrimSpace(string(tm.stdout))
	if pid == "" {
		t.Fatal("no child pid")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return // gone, or a zombie waiting for init
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %s still running: %s", pid, stat)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestStageRows(t *testing.T) {
	out := []byte("not a report\n" +
		`{"input":"a.html","verdict":"clean","timings":{"total_ns":30000000,"html_ns":0,"scripts_ns":10000000,"emulation_ns":12000000,"rules_ns":5000000}}` + "\n" +
		`{"input":"b.html","verdict":"clean","timings":{"total_ns":10000000,"html_ns":0,"scripts_ns":4000000,"emulation_ns":0,"rules_ns":4000000}}` + "\n")
	rows := stageRows(timing{cpu: 100 * time.Millisecond, stdout: out}, timing{cpu: 50 * time.Millisecond})
	want := map[string]float64{
		figStage("start-up, reading and parsing pages, writing reports"): 60,
		figStage("script facts and de-obfuscation"):                      14,
		figStage("rules (every evaluation)"):                             9,
		figStage("emulation"):                                            12,
		figStage("rest of the analysis"):                                 5,
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(rows), len(want), rows)
	}
	for _, r := range rows {
		w, ok := want[r.Figure]
		if !ok || r.TSS == nil || *r.TSS != w || *r.Ref != 50 || *r.Ratio != w/50 || r.Unit != "ms" {
			t.Errorf("%q: %v ms (ratio %v), want %v ms of 50", r.Figure, deref(r.TSS), deref(r.Ratio), w)
		}
	}
	if rows := stageRows(timing{cpu: time.Second, stdout: []byte("{}\n")}, timing{cpu: time.Second}); len(rows) != 1 || rows[0].NA == "" {
		t.Errorf("reports without timings: %+v", rows)
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return -1
	}
	return *p
}

// TestMachineHeader: a run of some sub-benchmarks says so in its first
// line, so that a pasted table is not taken for a full run.
func TestMachineHeader(t *testing.T) {
	var b strings.Builder
	m := machine{CPU: "cpu", Cores: 2, Go: "go", Commit: "abc", Took: "1s", Only: "scan"}
	m.write(&b)
	if first, _, _ := strings.Cut(b.String(), "\n"); !strings.Contains(first, "(full, only scan)") {
		t.Errorf("header %q does not say which sub-benchmarks ran", first)
	}
	b.Reset()
	m.Only, m.Quick = "", true
	m.write(&b)
	if !strings.HasPrefix(b.String(), "bench/run (quick) ") {
		t.Errorf("quick header: %q", b.String())
	}
}
