package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/kittest"
	"github.com/tssguard/tssguard/internal/testdirs"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// runCLI runs the CLI in-process and returns its exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, false)
	return code, out.String(), errb.String()
}

func fixture(p string) string { return filepath.Join(testdirs.Fixtures(), p) }

// normalise makes a JSON report reproducible: no timings, no machine paths.
func normalise(t *testing.T, line string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, line)
	}
	delete(m, "timings")
	b, _ := json.MarshalIndent(m, "", "  ")
	root, _ := filepath.Abs(testdirs.Fixtures())
	s := strings.ReplaceAll(string(b), "file://"+filepath.ToSlash(root), "file://$FIXTURES")
	return strings.ReplaceAll(s, root, "$FIXTURES") + "\n"
}

// TestScanGolden: the JSON report of a few pages, end to end.
func TestScanGolden(t *testing.T) {
	pages := []string{
		"scam/autodial-click-hidden-anchor.html",
		"scam/template-param-no-default.html",
		"scam/obf-packer.html",
		"benign/vendor-support-microsoft-style.html",
		"benign/pizza-mobile-click-to-call.html",
	}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			code, out, errs := runCLI(t, "", "scan", "--format", "json", fixture(p))
			if code == ExitError {
				t.Fatalf("exit %d: %s", code, errs)
			}
			got := normalise(t, strings.TrimSpace(out))
			golden := filepath.Join("testdata", "golden", strings.NewReplacer("/", "_", ".html", ".json").Replace(p))
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/cli -update)", err)
			}
			if got != string(want) {
				t.Errorf("report differs from %s (go test ./internal/cli -update to accept):\n%s", golden, diff(string(want), got))
			}
		})
	}
}

func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y))
		}
		if len(out) > 8 {
			break
		}
	}
	return strings.Join(out, "\n")
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"scam", []string{"scan", fixture("scam/alert-loop-only.html")}, ExitFlagged},
		{"clean", []string{"scan", fixture("benign/confirm-delete.html")}, ExitClean},
		{"missing", []string{"scan", "no-such-file.html"}, ExitError},
		{"bad format", []string{"scan", "--format", "xml", fixture("benign/confirm-delete.html")}, ExitError},
		{"bad ua", []string{"scan", "--ua", "fridge", fixture("benign/confirm-delete.html")}, ExitError},
		{"no args", []string{"scan"}, ExitError},
		{"unknown command", []string{"frobnicate"}, ExitError},
		{"click without dynamic", []string{"scan", "--click", fixture("benign/confirm-delete.html")}, ExitError},
		{"bad ocr", []string{"scan", "--ocr", "sometimes", fixture("benign/confirm-delete.html")}, ExitError},
		{"version", []string{"version"}, ExitClean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if tt.code == ExitError && errs == "" {
				t.Error("error exit without a message")
			}
		})
	}
}

// TestScanOCRNever: with --ocr never a page whose words are in its
// pictures is not read by OCR, and its report says so.
func TestScanOCRNever(t *testing.T) {
	_, out, errs := runCLI(t, "", "scan", "--format", "json", "--ocr", "never", fixture("scam/image-datauri-alert.html"))
	var rep struct {
		Notes   []string `json:"notes"`
		Timings struct {
			OCR int64 `json:"ocr_ns"`
		} `json:"timings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s %s", err, out, errs)
	}
	if rep.Timings.OCR != 0 {
		t.Errorf("OCR ran for %d ns", rep.Timings.OCR)
	}
	if !slices.ContainsFunc(rep.Notes, func(n string) bool { return strings.HasPrefix(n, "embedded pictures not read (1)") }) {
		t.Errorf("no note of the unread pictures: %q", rep.Notes)
	}
}

func TestScanHostWithoutScheme(t *testing.T) {
	code, _, errs := runCLI(t, "", "scan", "example.com/landing")
	if code != ExitError || !strings.Contains(errs, "https://example.com/landing") {
		t.Errorf("exit %d, stderr %q: want a hint to give the full URL", code, errs)
	}
}

func TestScanTextReport(t *testing.T) {
	code, out, _ := runCLI(t, "", "scan", fixture("scam/speech-alert.html"))
	if code != ExitFlagged {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"SCAM", "why:", "TSS-MEDIA-SPEECH", "+18555550119", "toll-free"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestScanDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.html"), []byte("<p>hello</p>"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.html"), []byte(`<a id=c href="tel:+18445550142"></a><p>Your computer is blocked. Call support immediately.</p><script>document.getElementById('c').click()</script>`), 0o644)
	os.WriteFile(filepath.Join(dir, "c.png"), []byte("\x89PNG"), 0o644)
	code, out, _ := runCLI(t, "", "scan", "--format", "json", dir)
	if code != ExitFlagged {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON line per page (2), got %d:\n%s", len(lines), out)
	}
	var a, b map[string]any
	json.Unmarshal([]byte(lines[0]), &a)
	json.Unmarshal([]byte(lines[1]), &b)
	if a["verdict"] != "clean" || b["verdict"] != "scam" {
		t.Errorf("verdicts %v %v, want clean then scam (input order)", a["verdict"], b["verdict"])
	}
}

func TestScanStdin(t *testing.T) {
	code, out, errs := runCLI(t, `<title>Security Alert</title><p>Access to this PC has been blocked. Do not restart your computer. Call Windows Support immediately: 1-844-555-0142</p><script>while(true){alert("blocked")}</script>`, "scan", "-")
	if code != ExitFlagged || !strings.Contains(out, "SCAM") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func TestScanURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/kit.js":
			fmt.Fprint(w, `document.addEventListener('DOMContentLoaded', function(){ document.getElementById('c').click() })`)
		default:
			fmt.Fprint(w, `<html><head><script src="/kit.js"></script></head><body><a id="c" href="tel:+18445550142">Call</a><p>Your iPhone is infected. Call Apple Support now.</p></body></html>`)
		}
	}))
	defer srv.Close()
	// Refused without --allow-private: the server is on loopback.
	code, _, errs := runCLI(t, "", "scan", srv.URL+"/")
	if code != ExitError || !strings.Contains(errs, "not a public address") {
		t.Errorf("loopback fetched without --allow-private: exit %d %q", code, errs)
	}
	code, out, errs := runCLI(t, "", "scan", "--allow-private", "--ua", "iphone", "--format", "json", srv.URL+"/?phone=18445550142")
	if code != ExitFlagged {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "TSS-CALL-AUTODIAL") {
		t.Errorf("auto-dial in the external script not found:\n%s", out)
	}
}

// A cloaking kit shows its alert only to visitors who arrive from a search
// or an ad; --referrer makes the scan arrive that way.
func TestScanReferrerCloaking(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Referer(), "search.example") {
			fmt.Fprint(w, `<html><body><h1>Garden furniture</h1><p>Teak benches and chairs, made to order.</p></body></html>`)
			return
		}
		fmt.Fprint(w, `<html><head><title>Security Alert</title></head><body><p>Access to this PC has been blocked. Do not restart your computer. Call Windows Support immediately: 1-844-555-0142</p><script>setInterval(function(){ alert("blocked") }, 100)</script></body></html>`)
	}))
	defer srv.Close()
	code, out, errs := runCLI(t, "", "scan", "--allow-private", srv.URL+"/")
	if code != ExitClean {
		t.Fatalf("direct visit: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "scan", "--allow-private", "--referrer", "https://search.example/results?q=printer+driver", srv.URL+"/")
	if code != ExitFlagged || !strings.Contains(out, "SCAM") {
		t.Errorf("visit from a search: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "scan", "--referrer", "ftp://x", srv.URL+"/"); code != ExitError || !strings.Contains(errs, "--referrer") {
		t.Errorf("a bad --referrer: exit %d %q", code, errs)
	}
}

func TestEvalJSON(t *testing.T) {
	code, out, errs := runCLI(t, "", "eval", "--json", testdirs.Fixtures())
	if code != ExitClean {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Pages     int                        `json:"pages"`
		Precision float64                    `json:"precision"`
		Recall    float64                    `json:"recall"`
		FPR       float64                    `json:"false_positive_rate"`
		Families  map[string]json.RawMessage `json:"families"`
		Misses    []json.RawMessage          `json:"misses"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Pages < 64 || len(r.Families) < 10 || r.Recall < 0.9 {
		t.Errorf("eval: %d pages, %d families, recall %v", r.Pages, len(r.Families), r.Recall)
	}
}

func TestEvalText(t *testing.T) {
	code, out, _ := runCLI(t, "", "eval", testdirs.Fixtures())
	if code != ExitClean || !regexp.MustCompile(`precision \d\.\d{4}  recall \d\.\d{4}  false-positive rate \d\.\d{4}`).MatchString(out) {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, _, errs := runCLI(t, "", "eval", t.TempDir())
	if code != ExitError || !strings.Contains(errs, "MANIFEST.tsv") {
		t.Errorf("eval of a folder without a manifest: exit %d %q", code, errs)
	}
}

func TestRules(t *testing.T) {
	code, out, _ := runCLI(t, "", "rules", "--check")
	if code != ExitClean || !strings.Contains(out, "samples of") {
		t.Errorf("rules --check: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "rules")
	if code != ExitClean || !strings.Contains(out, "TSS-CALL-AUTODIAL") {
		t.Errorf("rules: exit %d", code)
	}
	// One rule in full, named without its prefix: its lists, window and samples.
	code, out, _ = runCLI(t, "", "rules", "text-threat-found")
	for _, want := range []string{"TSS-TEXT-THREAT-FOUND", "within 80 characters", "@unnamed-threat", "@found", "a claim:", "does not match:"} {
		if code != ExitClean || !strings.Contains(out, want) {
			t.Errorf("rules text-threat-found: exit %d, no %q in\n%s", code, want, out)
		}
	}
	if strings.Contains(out, "TSS-CALL-AUTODIAL") {
		t.Errorf("rules text-threat-found shows other rules:\n%s", out)
	}
	// A part of an ID shows every rule it names; a detector says so.
	code, out, _ = runCLI(t, "", "rules", "autodial", "ungestured")
	if code != ExitClean || !strings.Contains(out, "TSS-CALL-AUTODIAL") || !strings.Contains(out, "TSS-LOCK-UNGESTURED") || !strings.Contains(out, "decisive") || !strings.Contains(out, "not by words") {
		t.Errorf("rules autodial ungestured: exit %d\n%s", code, out)
	}
	code, _, errs := runCLI(t, "", "rules", "no-such-rule")
	if code != ExitError || !strings.Contains(errs, "no rule ID") {
		t.Errorf("rules no-such-rule: exit %d %q", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("rules:\n  - id: TSS-X-Y\n    category: content\n    severity: low\n    weight: 1\n    message: m\n    regex: \"(\"\n    samples: {tp: [x]}\n"), 0o644)
	code, _, errs = runCLI(t, "", "scan", "--rules", bad, fixture("benign/confirm-delete.html"))
	if code != ExitError || !strings.Contains(errs, "regex") {
		t.Errorf("a bad rule pack: exit %d %q", code, errs)
	}
}

func TestDynamicScan(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium not installed")
	}
	dir := t.TempDir()
	png, har := filepath.Join(dir, "shot.png"), filepath.Join(dir, "page.har")
	code, out, errs := runCLI(t, "", "scan", "--dynamic", "--click", "--observe", "700ms", "--screenshot", png, "--har", har, "--format", "json", fixture("scam/click-then-lock-ja.html"))
	if code != ExitFlagged {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Verdict  string `json:"verdict"`
		Dynamic  bool   `json:"dynamic"`
		Findings []struct {
			Rule     string `json:"rule"`
			Evidence []struct {
				Source string `json:"source"`
			} `json:"evidence"`
		} `json:"findings"`
		Requests []json.RawMessage `json:"requests"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// The page locks the keyboard in answer to the --click: gesture-gated,
	// that is no runtime locker evidence; what the click opened (its alert)
	// is runtime evidence.
	runtimeEvidence, runtimeKeyboard := false, false
	for _, f := range r.Findings {
		for _, ev := range f.Evidence {
			runtimeEvidence = runtimeEvidence || ev.Source == "runtime"
			runtimeKeyboard = runtimeKeyboard || (f.Rule == "TSS-LOCK-KEYBOARD" && ev.Source == "runtime")
		}
	}
	if r.Verdict != "scam" || !r.Dynamic || !runtimeEvidence || runtimeKeyboard || len(r.Requests) == 0 {
		t.Errorf("verdict %s dynamic %v runtime evidence %v gestured keyboard lock as runtime evidence %v requests %d", r.Verdict, r.Dynamic, runtimeEvidence, runtimeKeyboard, len(r.Requests))
	}
	if b, err := os.ReadFile(png); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("screenshot: %v", err)
	}
	var h struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if b, err := os.ReadFile(har); err != nil || json.Unmarshal(b, &h) != nil || len(h.Log.Entries) == 0 {
		t.Errorf("HAR: %v, %d entries", err, len(h.Log.Entries))
	}
}

// A kit aimed at one country is served, and runs its payload, only for
// visitors in its language: --lang makes the scan one, on the wire
// (Accept-Language) and in the emulator (navigator.language).
func TestScanLanguageCloaking(t *testing.T) {
	srv := httptest.NewServer(kittest.AimedAtJapan(false))
	defer srv.Close()
	code, out, errs := runCLI(t, "", "scan", "--allow-private", srv.URL+"/")
	if code != ExitClean {
		t.Fatalf("a visitor in English: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI(t, "", "scan", "--allow-private", "--lang", "ja", "--format", "json", srv.URL+"/")
	if code != ExitFlagged || !strings.Contains(out, "TSS-CALL-AUTODIAL") {
		t.Errorf("a visitor in Japanese: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "scan", "--lang", "ja\r\nX-Evil: 1", srv.URL+"/"); code != ExitError || !strings.Contains(errs, "--lang") {
		t.Errorf("a bad --lang: exit %d %q", code, errs)
	}
}

// TestProfileFlags: the developer flags leave profiles pprof can read.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	code, _, errs := runCLI(t, "", "scan", "--format", "json", "--ocr", "never", "--cpuprofile", cpu, "--memprofile", mem, fixture("scam/obf-packer.html"))
	if code == ExitError {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, p := range []string{cpu, mem} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// pprof's profiles are gzipped protocol buffers.
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s is no profile (%d bytes)", filepath.Base(p), len(b))
		}
	}
	if code, _, errs := runCLI(t, "", "version", "--memprofile", filepath.Join(dir, "no", "such", "dir", "m.prof")); code != ExitClean || !strings.Contains(errs, "--memprofile") {
		t.Errorf("an unwritable --memprofile: exit %d, stderr %q; want exit 0 and a message", code, errs)
	}
}
