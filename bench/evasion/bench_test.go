package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/internal/corpus"
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

// A variant that crashed the browser tab where its page did not is a page
// the mutation broke, not a detection lost; a page that crashes either way
// loses as usual.
func TestBrokenVariantsAreNotLost(t *testing.T) {
	pages := []corpus.Entry{{File: "scam/a.html", Label: "scam"}, {File: "scam/b.html", Label: "scam"}}
	classes := []Mutation{{Name: "obfuscator"}, {Name: "no-text"}}
	results := [][]outcome{
		{
			{class: baseline, verdict: analyze.Scam},
			{class: "obfuscator", verdict: analyze.Clean, crashed: true},
			{class: "no-text", verdict: analyze.Clean},
		},
		{
			{class: baseline, verdict: analyze.Scam, crashed: true},
			{class: "obfuscator", verdict: analyze.Clean, crashed: true},
			{class: "no-text", verdict: analyze.Scam},
		},
	}
	r := summarise("x", 1, pages, classes, results)
	if len(r.Broken) != 1 || r.Broken[0].File != "scam/a.html" || r.Broken[0].Class != "obfuscator" {
		t.Errorf("broken: %+v", r.Broken)
	}
	if len(r.Lost) != 2 || r.Lost[0].Class != "no-text" || r.Lost[1].File != "scam/b.html" {
		t.Errorf("lost: %+v", r.Lost)
	}
}

// An unmeasured variant (text its font could not draw) counts when it is
// detected and is left out, not lost, when it is missed.
func TestUnmeasuredVariants(t *testing.T) {
	pages := []corpus.Entry{{File: "scam/ja.html", Label: "scam"}, {File: "scam/hi.html", Label: "scam"}}
	results := [][]outcome{
		{{class: baseline, verdict: analyze.Scam}, {class: "text-to-image", verdict: analyze.Scam, unmeasured: "font"}},
		{{class: baseline, verdict: analyze.Scam}, {class: "text-to-image", verdict: analyze.Clean, unmeasured: "font"}},
	}
	r := summarise("x", 1, pages, []Mutation{{Name: "text-to-image"}}, results)
	if o := r.Overall["text-to-image"]; o == nil || o.Pages != 1 || o.Detected != 1 {
		t.Errorf("tally %+v", o)
	}
	if len(r.Lost) != 0 || r.Skipped["text-to-image"] != "font" {
		t.Errorf("lost %+v, skipped %v", r.Lost, r.Skipped)
	}
}

// A page whose body a script puts into a frame (srcdoc, a Blob of HTML)
// keeps most of its detections: the frame's document is read as the
// page's, and the emulator runs it. Before it was, recall under this
// class was 0.05.
func TestBodyInFrameRecall(t *testing.T) { testClassRecall(t, "body-in-frame", 9, 0.95) }

// Hidden decoys inside words and numbers are left out of the text, as the
// browser leaves them off the screen. Before they were, recall under this
// class was 0.77.
func TestHiddenDecoysRecall(t *testing.T) { testClassRecall(t, "hidden-decoys", 6, 0.97) }

// Numbers written backwards and shown forwards (bdo, a direction
// override) are read as shown. Before they were, recall under this class
// was 0.895.
func TestReversedNumbersRecall(t *testing.T) { testClassRecall(t, "reversed-numbers", 4, 0.97) }
func TestTextToSVGRecall(t *testing.T)       { testClassRecall(t, "text-to-svg", 5, 0.97) }

// testClassRecall runs one mutation class over the fixtures: at least
// changedTenths tenths of the pages must change, and static recall must
// reach minRecall.
func testClassRecall(t *testing.T, class string, changedTenths int, minRecall float64) {
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), "../../fixtures", engine, Options{Classes: []string{class}, Seed: 1, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	o := r.Overall[class]
	if o == nil || o.Changed < o.Pages*changedTenths/10 {
		t.Fatalf("%s: %+v", class, o)
	}
	if o.Recall < minRecall {
		t.Errorf("%s recall %.3f, want at least %.2f", class, o.Recall, minRecall)
	}
}
