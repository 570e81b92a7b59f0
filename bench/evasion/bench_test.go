package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/analyze"
)

func TestBenchFixtures(t *testing.T) {
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	classes := []string{"split-numbers", "homoglyphs", "no-text"}
	r, err := Run(context.Background(), "../../fixtures", engine, Options{Classes: classes, Seed: 1, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	base := r.Overall[baseline]
	if base == nil || base.Pages < 10 || base.Detected == 0 {
		t.Fatalf("baseline: %+v", base)
	}
	for _, c := range classes {
		o := r.Overall[c]
		if o == nil || o.Pages != base.Pages || o.Changed == 0 || o.Recall < 0 || o.Recall > 1 {
			t.Fatalf("%s: %+v", c, o)
		}
	}
	if len(r.Families) == 0 || len(r.Kits) == 0 {
		t.Fatal("no per-family or per-kit rows")
	}
	var out bytes.Buffer
	printResult(&out, r)
	if !strings.Contains(out.String(), "recall per kit") || !strings.Contains(out.String(), "homoglyphs") {
		t.Fatalf("table:\n%s", out.String())
	}
}

func TestRunJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-json", "-classes", "entities", "../../fixtures"}, &out); err != nil {
		t.Fatal(err)
	}
	var r Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Overall["entities"] == nil || r.Overall["entities"].Pages == 0 {
		t.Fatalf("%s", out.String())
	}
	if err := run([]string{"-classes", "nope", "../../fixtures"}, &out); err == nil {
		t.Fatal("unknown class accepted")
	}
}
