package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// decodeLines decodes one JSON object per line.
func decodeLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		rows = append(rows, m)
	}
	return rows
}

// Every input yields one JSON line, in input order, naming the input: a
// report, or {"input", "error"} for an input that failed. A missing file
// and an unreachable URL are alike: neither stops the batch, and the exit
// code is 2 at the end (issue 10, item 15).
func TestScanJSONEveryInputOneLine(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<p>hello</p>")
	}))
	defer srv.Close()
	missing := filepath.Join(t.TempDir(), "no-such-page.html")
	inputs := []string{
		fixture("scam/alert-loop-only.html"),
		missing,
		srv.URL + "/", // refused: loopback without --allow-private
		"example.com/landing",
		fixture("benign/confirm-delete.html"),
	}
	code, out, errs := runCLI(t, "", append([]string{"scan", "--format", "json", "--no-progress"}, inputs...)...)
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	rows := decodeLines(t, out)
	if len(rows) != len(inputs) {
		t.Fatalf("%d JSON lines for %d inputs:\n%s", len(rows), len(inputs), out)
	}
	for i, in := range inputs {
		if rows[i]["input"] != in {
			t.Errorf("line %d: input %v, want %q", i+1, rows[i]["input"], in)
		}
	}
	if rows[0]["verdict"] != "scam" || rows[4]["verdict"] != "clean" {
		t.Errorf("verdicts %v, %v: want scam, clean", rows[0]["verdict"], rows[4]["verdict"])
	}
	for i, want := range map[int]string{1: "no such file", 2: "not a public address", 3: "https://example.com/landing"} {
		msg, _ := rows[i]["error"].(string)
		if !strings.Contains(msg, want) || rows[i]["verdict"] != nil {
			t.Errorf("line %d: %v, want an error object saying %q", i+1, rows[i], want)
		}
		if !strings.Contains(errs, msg) {
			t.Errorf("stderr lacks %q:\n%s", msg, errs)
		}
	}
}

// In text format too a missing file is reported and the batch goes on.
func TestScanTextMissingFileGoesOn(t *testing.T) {
	code, out, errs := runCLI(t, "", "scan", "--no-progress", "no-such-page.html", fixture("scam/alert-loop-only.html"))
	if code != ExitError {
		t.Errorf("exit %d, want %d", code, ExitError)
	}
	if !strings.Contains(out, "SCAM") || !strings.Contains(out, "1 errors") {
		t.Errorf("the batch stopped at the missing file:\n%s", out)
	}
	if !strings.Contains(errs, "no-such-page.html") {
		t.Errorf("stderr %q does not name the missing file", errs)
	}
}

// A dynamic report names its input too: its url is where the browser
// loaded it from, not the path given.
func TestScanDynamicJSONNamesInput(t *testing.T) {
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium not installed")
	}
	page := fixture("scam/alert-loop-only.html")
	code, out, errs := runCLI(t, "", "scan", "--dynamic", "--observe", "300ms", "--format", "json", page)
	if code != ExitFlagged {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows := decodeLines(t, out)
	if len(rows) != 1 || rows[0]["input"] != page || rows[0]["dynamic"] != true {
		t.Errorf("want one dynamic report with input %q:\n%s", page, out)
	}
}
