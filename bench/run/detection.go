package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tssguard/tssguard/internal/corpus"
)

const (
	figFound   = "  corpus scam pages found"
	figFlagged = "  corpus benign pages flagged"
)

// detectionRows says what each tool's scan of the whole corpus found, from
// the same runs the speed row times: the share of the manifest's scam
// pages flagged (tssguard: verdict scam; YARA: any rule matched) and the
// benign pages flagged. Speed alone would compare a detector with a
// keyword matcher; these rows say what the speed buys. Pages the manifest
// marks dynamic-only are left out (no static scan can see them).
func detectionRows(dir, root string, tssOut, yaraOut []byte) []Row {
	entries, err := corpus.ReadManifest(dir)
	if err != nil {
		return []Row{naRow("scan", figFound, "no manifest: "+err.Error())}
	}
	label := map[string]string{}
	for _, e := range entries {
		if e.IsPage() && !e.DynamicOnly() {
			label[filepath.ToSlash(e.File)] = e.Label
		}
	}
	rel := func(p string) string {
		p = strings.TrimPrefix(p, "file://")
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		r, err := filepath.Rel(dir, p)
		if err != nil {
			return ""
		}
		return filepath.ToSlash(r)
	}
	tssFlagged := map[string]bool{}
	tssSeen := 0
	for _, line := range bytes.Split(tssOut, []byte("\n")) {
		var rep struct {
			Input   string `json:"input"`
			Verdict string `json:"verdict"`
		}
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &rep) != nil || rep.Verdict == "" {
			continue
		}
		f := rel(rep.Input)
		if _, ok := label[f]; !ok {
			continue
		}
		tssSeen++
		if rep.Verdict == "scam" {
			tssFlagged[f] = true
		}
	}
	yaraFlagged := map[string]bool{}
	for _, line := range strings.Split(string(yaraOut), "\n") {
		// yara prints "RULE PATH" for each rule a file matches.
		_, path, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		if f := rel(path); label[f] != "" {
			yaraFlagged[f] = true
		}
	}
	if tssSeen == 0 {
		return []Row{naRow("scan", figFound, "no report of a manifest page in tssguard's output")}
	}
	// Per label: its pages, and those each tool flagged.
	type tally struct{ pages, tss, yara int }
	by := map[string]*tally{"scam": {}, "benign": {}}
	for f, l := range label {
		if c := by[l]; c != nil {
			c.pages++
			if tssFlagged[f] {
				c.tss++
			}
			if yaraFlagged[f] {
				c.yara++
			}
		}
	}
	scam, benign := by["scam"], by["benign"]
	if scam.pages == 0 || benign.pages == 0 {
		return []Row{naRow("scan", figFound, fmt.Sprintf("the manifest has %d scam and %d benign pages", scam.pages, benign.pages))}
	}
	found := measured("scan", figFound, 100*float64(scam.tss)/float64(scam.pages), 100*float64(scam.yara)/float64(scam.pages), "%", nil)
	found.Note = fmt.Sprintf("of %d scam pages (the manifest's, but dynamic-only ones): tssguard %d (verdict scam), yara %d (any rule matched); from the runs timed above", scam.pages, scam.tss, scam.yara)
	flagged := measured("scan", figFlagged, float64(benign.tss), float64(benign.yara), "pages", nil)
	flagged.Ratio = nil // a count of false alarms: a ratio of two small counts says nothing
	flagged.Note = fmt.Sprintf("of %d benign pages", benign.pages)
	return []Row{found, flagged}
}
