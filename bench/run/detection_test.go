package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetectionRows(t *testing.T) {
	dir := t.TempDir()
	manifest := "file\tlabel\tfamily/kind\tsource repository\tpath in repository\tcommit\tlicense\tnotes\tkit\n" +
		"scam/a.html\tscam\tfam\tr\ta.html\tc\t\t\tkit-01\n" +
		"scam/b.html\tscam\tfam\tr\tb.html\tc\t\t\tkit-01\n" +
		"scam/c.html\tscam\tfam\tr\tc.html\tc\t\t[dynamic-only]\tkit-02\n" +
		"scam/assets/a/x.js\tscam\tasset-of:scam/a.html\tr\tx.js\tc\t\t\tkit-01\n" +
		"benign/d.html\tbenign\tnews\tr\td.html\tc\t\t\t\n" +
		"benign/e.html\tbenign\tnews\tr\te.html\tc\t\t\t\n"
	if err := os.WriteFile(filepath.Join(dir, "MANIFEST.tsv"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	abs := func(f string) string { return filepath.Join(dir, f) }
	tss := strings.Join([]string{
		`{"input":"` + abs("scam/a.html") + `","verdict":"scam"}`,
		`{"input":"` + abs("scam/b.html") + `","verdict":"suspicious"}`,
		`{"input":"` + abs("benign/d.html") + `","verdict":"clean"}`,
		`{"input":"` + abs("benign/e.html") + `","verdict":"scam"}`,
		`{"input":"` + abs("scam/c.html") + `","verdict":"scam"}`, // dynamic-only: left out
	}, "\n")
	yara := strings.Join([]string{
		"tss_scare_text_with_hotline " + abs("scam/a.html"),
		"tss_locker_apis " + abs("scam/a.html"), // two rules, one page
		"tss_locker_apis " + abs("scam/b.html"),
		"tss_locker_apis " + abs("scam/assets/a/x.js"), // a kit file is no page
		"tss_scare_text_with_hotline " + abs("benign/d.html"),
		"tss_scare_text_with_hotline " + abs("benign/e.html"),
	}, "\n")
	rows := detectionRows(dir, "/", []byte(tss), []byte(yara))
	if len(rows) != 2 || rows[0].NA != "" {
		t.Fatalf("rows %+v", rows)
	}
	found, flagged := rows[0], rows[1]
	if *found.TSS != 50 || *found.Ref != 100 {
		t.Errorf("found: tssguard %v%%, yara %v%%; want 50 and 100 (of 2 scam pages)", *found.TSS, *found.Ref)
	}
	if *flagged.TSS != 1 || *flagged.Ref != 2 {
		t.Errorf("flagged: tssguard %v, yara %v; want 1 and 2", *flagged.TSS, *flagged.Ref)
	}
	if rows := detectionRows(dir, "/", nil, []byte(yara)); len(rows) != 1 || rows[0].NA == "" {
		t.Errorf("no tssguard report: want one row saying so, got %+v", rows)
	}
}
