package main

import (
	"bytes"
	"encoding/json"
	"os"
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
