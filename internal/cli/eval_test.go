package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// smallCollection has a scam-only family and a benign-only one.
func smallCollection(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"scam/a.html":   `<a id=c href="tel:+18445550142"></a><p>Your computer is blocked. Call support immediately.</p><script>document.getElementById('c').click()</script>`,
		"benign/b.html": `<p>Opening hours: 9 to 5. Call us on 020 7946 0000.</p>`,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest := "file\tlabel\tfamily\n" +
		"scam/a.html\tscam\tautodial\n" +
		"benign/b.html\tbenign\tshop\n"
	if err := os.WriteFile(filepath.Join(dir, "MANIFEST.tsv"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A rate with nothing to measure is shown as "—" and null, not as a
// perfect 1.000 (issue 10, item 17): recall and precision of a family
// without scam pages, the false-positive rate of one without benign pages.
func TestEvalUndefinedRates(t *testing.T) {
	dir := smallCollection(t)
	code, out, errs := runCLI(t, "", "eval", "--no-progress", dir)
	if code != ExitClean {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	rows := map[string]string{}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) == 10 {
			rows[f[0]] = strings.Join(f[7:], " ")
		}
	}
	for fam, want := range map[string]string{"autodial": "1.000 1.000 —", "shop": "— — 0.000", "all": "1.000 1.000 0.000"} {
		if rows[fam] != want {
			t.Errorf("%s: precision recall FPR %q, want %q\n%s", fam, rows[fam], want, out)
		}
	}
	if !regexp.MustCompile(`precision 1\.0000  recall 1\.0000  false-positive rate 0\.0000`).MatchString(out) {
		t.Errorf("overall line:\n%s", out)
	}

	code, out, errs = runCLI(t, "", "eval", "--json", dir)
	if code != ExitClean {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Families map[string]map[string]any `json:"families"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	check := func(fam, key string, want any) {
		v, ok := r.Families[fam][key]
		if !ok || v != want {
			t.Errorf("%s.%s = %v (present %v), want %v", fam, key, v, ok, want)
		}
	}
	check("shop", "precision", nil)
	check("shop", "recall", nil)
	check("shop", "false_positive_rate", 0.0)
	check("autodial", "precision", 1.0)
	check("autodial", "recall", 1.0)
	check("autodial", "false_positive_rate", nil)
}
