// Package analyze decides whether a captured page is a tech support scam
// page, and says why.
//
// One Engine serves static captures (bytes), and dynamic captures (what the
// page did in headless Chromium): the same rules read HTML, scripts,
// de-obfuscated strings, a bounded emulation of the page's scripts, and
// runtime events, and every finding carries its evidence.
//
// An Engine is safe for concurrent use.
package analyze

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tssguard/tssguard/capture"
)

// SchemaVersion is the version of the Report JSON schema.
const SchemaVersion = 1

// Options configure an Engine.
type Options struct {
	// Pack is the rule pack; nil means the embedded default.
	Pack *Pack
	// NoEmulation turns off running page scripts in the bounded emulator.
	NoEmulation bool
	// EmulationBudget bounds emulation per page (default 150ms).
	EmulationBudget time.Duration
	// MaxDecodeDepth bounds how many layers of encoding are peeled (default 4).
	MaxDecodeDepth int
	// Regions are phone-number region hints used when the page gives none
	// (default: from the page's lang attribute, then US).
	Regions []string
}

// Engine analyses captures. Build one with New and reuse it.
type Engine struct {
	opts  Options
	pack  *Pack
	text  *textRules
	byID  map[string]*Rule
	cache *factsCache
}

// New compiles the rule pack and returns an Engine.
func New(opts Options) (*Engine, error) {
	p := opts.Pack
	if p == nil {
		var err error
		if p, err = DefaultPack(); err != nil {
			return nil, err
		}
	}
	if err := p.validate(behaviourRules); err != nil {
		return nil, err
	}
	tr, err := compileTextRules(p)
	if err != nil {
		return nil, err
	}
	if opts.EmulationBudget <= 0 {
		opts.EmulationBudget = 150 * time.Millisecond
	}
	if opts.MaxDecodeDepth <= 0 {
		opts.MaxDecodeDepth = 4
	}
	e := &Engine{opts: opts, pack: p, text: tr, byID: map[string]*Rule{}, cache: newFactsCache(256)}
	for i := range p.Rules {
		e.byID[p.Rules[i].ID] = &p.Rules[i]
	}
	return e, nil
}

// Pack returns the engine's rule pack (do not modify it).
func (e *Engine) Pack() *Pack { return e.pack }

// Analyze turns a capture into a report. It never panics on hostile input:
// a failure inside one analysis step becomes a note and the rest goes on.
func (e *Engine) Analyze(ctx context.Context, c *capture.Capture) *Report {
	start := time.Now()
	r := &Report{Schema: SchemaVersion, URL: c.URL, FinalURL: c.FinalURL, Findings: []Finding{}, Hotlines: []Hotline{}}
	r.Notes = append(r.Notes, c.Notes...)
	a := &analysis{e: e, ctx: ctx, cap: c, report: r, findings: map[string]*Finding{}}
	a.run()
	r.Timings.Total = time.Since(start)
	return r
}

// analysis is the state of one Analyze call.
type analysis struct {
	e      *Engine
	ctx    context.Context
	cap    *capture.Capture
	report *Report

	docs              []*docFacts   // documents: captured, then decoded and written ones
	scripts           []*scriptUnit // every script with its facts
	findings          map[string]*Finding
	order             []string // finding IDs in the order first seen
	regions           []string
	decodedBytes      int
	decodedText       []segment                // plain text recovered by decoding, emulation or the browser
	dialogText        []segment                // alert/confirm/prompt messages
	speechText        []segment                // text the page speaks
	urlText           []segment                // navigation targets
	norm              map[string][]normSegment // normalised surfaces, by surface name
	events            []observed               // behaviours seen in emulation or at run time
	emulated          bool
	sentinel          string // value put in URL parameters for emulation
	templateConfirmed bool   // the sentinel came back out of the page
}

func (a *analysis) run() {
	t0 := time.Now()
	a.step("html", a.readDocuments)
	a.report.Timings.HTML = time.Since(t0)

	t1 := time.Now()
	a.step("scripts", a.readScripts)
	a.report.Timings.Scripts = time.Since(t1)

	t2 := time.Now()
	if !a.e.opts.NoEmulation && a.worthEmulating() {
		a.step("emulation", a.emulate)
	}
	a.report.Timings.Emulation = time.Since(t2)

	t3 := time.Now()
	a.step("runtime", a.readRuntime)
	a.step("behaviour", a.detectBehaviour)
	a.step("text", a.matchText)
	a.step("hotlines", a.findHotlines)
	a.step("template", a.detectTemplate)
	a.step("obfuscation", a.detectObfuscation)
	a.report.Fingerprint = a.fingerprint()
	a.score()
	a.report.Timings.Rules = time.Since(t3)
}

// step runs one analysis step; a panic in it (a bug met by hostile input)
// becomes a note instead of taking the process down.
func (a *analysis) step(name string, f func()) {
	if a.ctx.Err() != nil {
		a.note("%s skipped: %v", name, a.ctx.Err())
		return
	}
	defer func() {
		if p := recover(); p != nil {
			a.note("internal error in %s analysis (please report): %v", name, p)
		}
	}()
	f()
}

func (a *analysis) note(format string, args ...any) {
	if len(a.report.Notes) < 100 {
		a.report.Notes = append(a.report.Notes, fmt.Sprintf(format, args...))
	}
}

// add records evidence for rule id; repeated calls for one rule add evidence
// to the same finding. strength scales the rule weight (0..1] for weaker
// variants of the evidence.
func (a *analysis) add(id string, ev Evidence, strength float64) {
	rule := a.e.byID[id]
	if rule == nil || rule.Disabled {
		return
	}
	f, ok := a.findings[id]
	if !ok {
		f = &Finding{Rule: id, Category: rule.Category, Severity: rule.Severity, Message: rule.Message}
		a.findings[id] = f
		a.order = append(a.order, id)
	}
	if w := rule.Weight * strength; w > f.Weight {
		f.Weight = w
	}
	if len(f.Evidence) < 5 && !hasEvidence(f.Evidence, ev) {
		ev.Snippet = clip(ev.Snippet, 240)
		f.Evidence = append(f.Evidence, ev)
	}
}

func hasEvidence(list []Evidence, ev Evidence) bool {
	for _, x := range list {
		if x.Source == ev.Source && x.Snippet == ev.Snippet {
			return true
		}
	}
	return false
}

// score applies category caps and damping and sets the verdict.
func (a *analysis) score() {
	p := a.e.pack
	aware := a.findings["TSS-CONTEXT-AWARENESS"] != nil
	perCat := map[string]float64{}
	decisive := ""
	for _, id := range a.order {
		f := a.findings[id]
		cat := p.Categories[f.Category]
		if aware && cat.Damped {
			f.Weight *= p.Damping
		}
		perCat[f.Category] += f.Weight
		if a.e.byID[id].Decisive && decisiveEvidence(f) {
			decisive = id
		}
	}
	var score float64
	var counted []string
	for name, sum := range perCat {
		cat := p.Categories[name]
		if sum > cat.Cap {
			sum = cat.Cap
		}
		score += sum
		if cat.Counts && sum > 0 {
			counted = append(counted, name)
		}
	}
	sort.Strings(counted)
	score = float64(int(score*100+0.5)) / 100
	r := a.report
	r.Score = score
	for _, id := range a.order {
		f := a.findings[id]
		f.Weight = float64(int(f.Weight*100+0.5)) / 100
		r.Findings = append(r.Findings, *f)
	}
	sort.SliceStable(r.Findings, func(i, j int) bool { return r.Findings[i].Weight > r.Findings[j].Weight })
	switch {
	case decisive != "":
		r.Verdict = Scam
		r.Reason = fmt.Sprintf("%s seen when the page ran (decisive)", a.e.byID[decisive].Message)
	case score >= p.Thresholds.Scam && len(counted) >= p.MinCategories:
		r.Verdict = Scam
		r.Reason = fmt.Sprintf("score %.1f ≥ %.0f from %d kinds of evidence: %s", score, p.Thresholds.Scam, len(counted), strings.Join(counted, ", "))
	case score >= p.Thresholds.Suspicious:
		r.Verdict = Suspicious
		if score >= p.Thresholds.Scam {
			r.Reason = fmt.Sprintf("score %.1f but only one kind of evidence (%s); a scam verdict needs %d", score, strings.Join(counted, ", "), p.MinCategories)
		} else {
			r.Reason = fmt.Sprintf("score %.1f ≥ %.0f (suspicious) but < %.0f (scam)", score, p.Thresholds.Suspicious, p.Thresholds.Scam)
		}
	default:
		r.Verdict = Clean
		r.Reason = fmt.Sprintf("score %.1f < %.0f", score, p.Thresholds.Suspicious)
	}
	if aware {
		r.Reason += "; page discusses scams, so quoted content was damped"
	}
}

// decisiveEvidence: only what the page was seen doing (in the browser or the
// emulator) is decisive; static evidence adds weight.
func decisiveEvidence(f *Finding) bool {
	for _, ev := range f.Evidence {
		if ev.Source == "runtime" || ev.Source == "emulation" {
			return true
		}
	}
	return false
}

// fingerprint hashes the main document's tag structure and its title with
// digits removed, so pages of one kit with other numbers share it.
func (a *analysis) fingerprint() string {
	if len(a.docs) == 0 {
		return ""
	}
	d := a.docs[0]
	h := sha256.New()
	h.Write(d.Shape)
	h.Write([]byte{0})
	h.Write([]byte(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, normalizeText(d.Title))))
	return hex.EncodeToString(h.Sum(nil)[:8])
}
