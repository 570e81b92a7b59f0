package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tssguard/tssguard/analyze"
)

// TestRulesCurrent keeps extension/rules.json in step with the built-in
// rule pack: run `go run ./extension/gen` after changing the pack.
func TestRulesCurrent(t *testing.T) {
	p, err := analyze.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	want, err := Build(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(defaultOut())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("extension/rules.json is out of date: run go run ./extension/gen")
	}
	var r Rules
	if err := json.Unmarshal(got, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Text) < 10 || r.Scam <= 0 || len(r.Brands) == 0 || r.Behaviour["TSS-LOCK-DIALOG-LOOP"].W <= 0 {
		t.Errorf("rules.json lacks text rules, thresholds, brands or behaviour weights: %d text rules, scam %v", len(r.Text), r.Scam)
	}
}

// TestScorerKeepsRuleSamples runs every text rule's own samples (the
// pages `go test ./analyze` holds the server's rule to) through the
// on-device scorer under node: what the server must find, the device
// finds, and what it must not, the device does not.
func TestScorerKeepsRuleSamples(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	p, err := analyze.DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	type sample struct {
		Rule string `json:"rule"`
		HTML string `json:"html"`
		URL  string `json:"url"`
		TP   bool   `json:"tp"`
	}
	var samples []sample
	ids := map[string]bool{}
	for _, r := range p.Rules {
		if r.Disabled || !r.IsText() {
			continue
		}
		ids[r.ID] = true
		for _, s := range r.Samples.TP {
			samples = append(samples, sample{r.ID, s.HTML, s.URL, true})
		}
		for _, s := range r.Samples.FP {
			samples = append(samples, sample{r.ID, s.HTML, s.URL, false})
		}
	}
	if len(ids) < 10 || len(samples) < 50 {
		t.Fatalf("only %d text rules with %d samples", len(ids), len(samples))
	}
	in, err := json.Marshal(samples)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(defaultOut())
	cmd := exec.Command(node, "-e", scoreSamplesJS, filepath.Join(dir, "lib", "scorer.js"), defaultOut())
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var found []bool
	if err := json.Unmarshal(out, &found); err != nil || len(found) != len(samples) {
		t.Fatalf("node answered %d results for %d samples (%v): %.200s", len(found), len(samples), err, out)
	}
	for i, s := range samples {
		if found[i] != s.TP {
			want := "find"
			if !s.TP {
				want = "not find"
			}
			t.Errorf("%s: the scorer should %s it in %q", s.Rule, want, s.HTML)
		}
	}
}

// scoreSamplesJS reads the samples from standard input and prints, for
// each, whether the scorer's findings hold its rule. Text as the tests'
// textOf gives it: no scripts, styles or tags.
const scoreSamplesJS = `
const fs = require('fs');
const [scorerFile, rulesFile] = process.argv.slice(1);
const scorer = require(scorerFile);
const rules = JSON.parse(fs.readFileSync(rulesFile, 'utf8'));
const samples = JSON.parse(fs.readFileSync(0, 'utf8'));
const textOf = (h) => h.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
  .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');
const titleOf = (h) => { const m = /<title>([\s\S]*?)<\/title>/i.exec(h); return m ? m[1] : ''; };
process.stdout.write(JSON.stringify(samples.map((s) => {
  const r = scorer.score(rules, {text: textOf(s.html), title: titleOf(s.html), url: s.url || ''}, []);
  return r.findings.some((f) => f.id === s.rule);
})));
`
