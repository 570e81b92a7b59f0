package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nulScamPage is a scare page with NUL bytes in its first bytes; Chromium
// renders it as a scam, so tssguard must analyse it.
const nulScamPage = "<!DOCTYPE html>\x00<html><head><title>Windows Defender Security Alert\x00</title></head><body>" +
	"<h1>Your computer has been blocked</h1><p>Trojan virus detected. Do not restart your computer. " +
	`Call Microsoft Support immediately: <a href="tel:+18445550142">+1-844-555-0142</a> (toll free)</p>` +
	`<script>for(var i=0;i<3;i++){alert("Virus` + "\x00" + `detected! Call +1-844-555-0142")}</script></body></html>`

type testJSONReport struct {
	Verdict  string `json:"verdict"`
	Dynamic  bool   `json:"dynamic"`
	Findings []struct {
		Rule     string `json:"rule"`
		Evidence []struct {
			Source   string `json:"source"`
			Location string `json:"location"`
		} `json:"evidence"`
	} `json:"findings"`
}

func decodeReport(t *testing.T, out string) testJSONReport {
	t.Helper()
	var r testJSONReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	return r
}

// TestScanNULPage: one NUL byte must not make a scam page unscannable,
// statically (file, standard input, URL) or dynamically.
func TestScanNULPage(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "alert.html")
	if err := os.WriteFile(page, []byte(nulScamPage), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(nulScamPage))
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name, stdin string
		args        []string
	}{
		{"file", "", []string{page}},
		{"stdin", nulScamPage, []string{"-"}},
		{"url", "", []string{"--allow-private", srv.URL + "/"}},
	} {
		code, out, errs := runCLI(t, tc.stdin, append([]string{"scan", "--format", "json"}, tc.args...)...)
		if code != ExitFlagged {
			t.Errorf("%s: exit %d, stderr %s", tc.name, code, errs)
			continue
		}
		if r := decodeReport(t, out); r.Verdict != "scam" {
			t.Errorf("%s: verdict %s", tc.name, r.Verdict)
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("chromium not installed")
	}
	code, out, errs := runCLI(t, "", "scan", "--dynamic", "--observe", "500ms", "--format", "json", page)
	if code != ExitFlagged {
		t.Fatalf("dynamic: exit %d, stderr %s", code, errs)
	}
	r := decodeReport(t, out)
	// The served bytes are analysed beside the rendered DOM.
	served := false
	for _, f := range r.Findings {
		for _, ev := range f.Evidence {
			served = served || strings.HasPrefix(ev.Location, "file://")
		}
	}
	if r.Verdict != "scam" || !r.Dynamic || !served {
		t.Errorf("dynamic: verdict %s dynamic %v served-bytes evidence %v", r.Verdict, r.Dynamic, served)
	}
}

// TestScanRefusesUserinfo: a URL with a user name or password is refused
// with a clear error, by static and dynamic scans alike, and nothing is
// fetched.
func TestScanRefusesUserinfo(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Write([]byte("<p>page"))
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "://", "://user:s3cret@", 1) + "/"
	runs := [][]string{{"scan", "--allow-private", u}}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		runs = append(runs, []string{"scan", "--dynamic", "--observe", "300ms", "--allow-private", u})
	}
	for _, args := range runs {
		code, _, errs := runCLI(t, "", args...)
		if code != ExitError || !strings.Contains(errs, "user name or password") || strings.Contains(errs, "redirect") || strings.Count(errs, "s3cret") > 1 { // the argument itself is echoed
			t.Errorf("%v: exit %d, stderr %q; want a clear refusal", args, code, errs)
		}
	}
	if hits != 0 {
		t.Errorf("%d requests reached the server", hits)
	}
}
