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
	"sync"
	"time"

	"github.com/tssguard/tssguard/analyze/js"
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
	// AlwaysEmulate runs the emulator on every page worth it. By default it
	// runs only when the static evidence does not already make the page a
	// scam: emulation costs milliseconds, and a page that is plainly a scam
	// needs no more proof.
	AlwaysEmulate bool
	// EmulationBudget bounds emulation per page (default 35ms).
	EmulationBudget time.Duration
	// MaxDecodeDepth bounds how many layers of encoding are peeled (default 4).
	MaxDecodeDepth int
	// NoFastPath runs the full analysis on every page, also on pages the
	// keyword prefilter finds nothing in (prefilter.go).
	NoFastPath bool
	// Regions are phone-number region hints used when the page gives none
	// (default: from the page's lang attribute, then US).
	Regions []string
	// OCR reads the text of a PNG picture (the sandbox's tesseract runner:
	// sandbox.ReadText). When set, pictures embedded in a page that shows
	// little text and already raises some alarm are read (images.go); nil
	// leaves them unread.
	OCR func(ctx context.Context, png []byte, lang string) (string, error)
	// OCRAvailable, when set with OCR, says whether OCR can run at all
	// (sandbox.OCRAvailable, which runs tesseract to list its languages:
	// some 16 ms of processor time). It is asked once, when a page first
	// embeds pictures, so that a process that meets none never pays for it.
	OCRAvailable func() bool
	// OCRInstalled, when set with OCR, is a cheap and cautious answer to
	// the same question (sandbox.OCRInstalled: the command is on the
	// path). The fast path asks it instead: a page with pictures must take
	// the full pipeline whenever OCR might run, and there OCRAvailable is
	// asked only if the page's pictures are worth reading.
	OCRInstalled func() bool
}

// Engine analyses captures. Build one with New and reuse it.
type Engine struct {
	opts  Options
	pack  *Pack
	text  *textRules
	byID  map[string]*Rule
	cache *scriptCache
	pre   *prefilter  // nil with NoFastPath
	ocr   func() bool // pictures are read: OCR is set and available
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
	forms := make(termForms, packTermsHint)
	tr, err := compileTextRules(p, forms)
	if err != nil {
		return nil, err
	}
	if opts.EmulationBudget <= 0 {
		opts.EmulationBudget = 35 * time.Millisecond
	}
	if opts.MaxDecodeDepth <= 0 {
		opts.MaxDecodeDepth = 4
	}
	e := &Engine{opts: opts, pack: p, text: tr, byID: map[string]*Rule{}, cache: newScriptCache()}
	for i := range p.Rules {
		e.byID[p.Rules[i].ID] = &p.Rules[i]
	}
	e.ocr = func() bool { return opts.OCR != nil }
	if opts.OCR != nil && opts.OCRAvailable != nil {
		e.ocr = sync.OnceValue(opts.OCRAvailable)
	}
	if !opts.NoFastPath {
		e.pre = newPrefilter(p, forms)
		e.pre.pictures = e.ocr
		if opts.OCR != nil && opts.OCRInstalled != nil {
			e.pre.pictures = sync.OnceValue(opts.OCRInstalled)
		}
	}
	return e, nil
}

// Pack returns the engine's rule pack (do not modify it).
func (e *Engine) Pack() *Pack { return e.pack }

// Analyze turns a capture into a report. It never panics on hostile input:
// a failure inside one analysis step becomes a note and the rest goes on.
func (e *Engine) Analyze(ctx context.Context, c *capture.Capture) *Report {
	start := time.Now()
	if e.pre != nil {
		if ok, why := e.pre.fastClean(c); ok {
			r := fastReport(c, why)
			r.Timings.Total = time.Since(start)
			return r
		}
	}
	r := &Report{Schema: SchemaVersion, URL: c.URL, FinalURL: c.FinalURL, Redirects: c.Redirects, Findings: []Finding{}, Hotlines: []Hotline{}}
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
	frameDocs         []frameDoc    // documents scripts gave frames as markup (srcdoc, a Blob)
	scripts           []*scriptUnit // every script with its facts
	findings          map[string]*Finding
	switchedOff       map[string]bool // disabled rules whose detector found their behaviour (detected)
	ownFloods         map[string]bool // locker kinds of floods the code starts outside a gesture (addFlood)
	order             []string        // finding IDs in the order first seen
	regions           []string
	decodedBytes      int
	writtenBytes      int                      // what scripts write into the page, read so far (written.go)
	writtenSeen       map[string]bool          // values read already
	inPlace           *inPlaceRun              // text the scripts read so far wrote in place, not read yet (written.go)
	decodedText       []segment                // plain text recovered by decoding, emulation or the browser
	dialogText        []segment                // alert/confirm/prompt messages
	speechText        []segment                // text the page speaks
	urlText           []segment                // navigation targets
	callTargets       []callTarget             // call-scheme URLs scripts navigate to or link
	invoked           map[string]js.Context    // functions the current document's handler attributes call
	globals           *pageGlobals             // the current document's global variables, as its scripts so far set them
	norm              map[string][]normSegment // normalised surfaces, by surface name
	events            []observed               // behaviours seen in emulation or at run time
	emulated          bool
	sentinel          string   // value put in URL parameters for emulation
	templateConfirmed bool     // the sentinel came back out of the page
	runtimeParams     []string // number parameters the page asked the emulator for by name
	deviceCloak       string   // where the page sent a PC and where a phone, when they differ (emulateAsPhone)
	scopedNotes       map[string]bool
	lowered           [][]byte       // documents in lower case, for markup detectors
	upperToASCII      []int8         // per document: 0 not known yet, 1 has U+0130 or U+212A, -1 has not
	scriptsDropped    int            // scripts past maxScripts
	urlHelpers        map[string]int // getParam-style helpers the scripts define, with their document
	helpersFor        int            // len(scripts) when urlHelpers was gathered
}

func (a *analysis) run() {
	t0 := time.Now()
	a.step("html", a.readDocuments)
	a.report.Timings.HTML = time.Since(t0)

	t1 := time.Now()
	a.step("scripts", a.readScripts)
	a.step("runtime", a.readRuntime)
	a.step("hidden text", a.readHiddenText) // hiddentext.go: CSS content, canvas prose
	a.report.Timings.Scripts = time.Since(t1)

	t2 := time.Now()
	a.evaluate()
	rules := time.Since(t2)

	// Escalate to emulation when the static pass is not conclusive (or
	// always, when asked), then evaluate again with what the scripts did.
	maybeEmulate := func() {
		if !a.emulated && !a.e.opts.NoEmulation && a.worthEmulating() && (a.e.opts.AlwaysEmulate || a.tally().verdict != Scam) {
			t3 := time.Now()
			a.step("emulation", a.emulate)
			a.report.Timings.Emulation += time.Since(t3)
			t4 := time.Now()
			a.resetDerived()
			a.evaluate()
			rules += time.Since(t4)
		}
	}
	maybeEmulate()
	if a.tally().verdict != Scam && a.imagesWorthReading() {
		if a.e.opts.OCR != nil && a.e.ocr() {
			t6 := time.Now()
			a.step("images", a.readImages) // images.go: evaluates again as it reads
			a.report.Timings.OCR = time.Since(t6)
			// Words read from the pictures are evidence the static pass
			// lacked: the page may be worth running now (its warning
			// drawn, its auto-dial in a script).
			maybeEmulate()
		} else {
			// A page whose words are in its pictures reads clean here:
			// say so, rather than let the verdict look complete.
			a.note("embedded pictures not read (%d): OCR is off or tesseract is not installed", len(a.docs[0].Images))
		}
	}
	t5 := time.Now()
	a.noteTruncated()
	a.report.Fingerprint = a.fingerprint()
	a.score()
	a.report.Timings.Rules = rules + time.Since(t5)
}

// evaluate runs every rule over what is known so far.
func (a *analysis) evaluate() {
	a.step("behaviour", a.detectBehaviour)
	a.step("text", a.matchText)
	a.step("conversion", a.detectConversion)
	a.step("hotlines", a.findHotlines)
	a.step("template", a.detectTemplate)
	a.step("lockers", a.detectUngesturedLockers) // lockers.go: needs the hotlines and the template
	a.step("gateway", a.detectGateway)
	a.step("obfuscation", a.detectObfuscation)
}

// resetDerived forgets what evaluate derived, before evaluating again.
func (a *analysis) resetDerived() {
	a.findings = map[string]*Finding{}
	a.switchedOff, a.ownFloods = nil, nil
	a.order = nil
	a.dialogText, a.speechText, a.urlText, a.callTargets, a.norm = nil, nil, nil, nil, nil
	a.report.Hotlines = []Hotline{}
	a.report.Brands = nil
	a.report.Template = nil
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
	if rule == nil {
		return
	}
	if rule.Disabled {
		if a.switchedOff == nil {
			a.switchedOff = map[string]bool{}
		}
		a.switchedOff[id] = true
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

// detected says whether a behaviour rule's detector found its behaviour,
// whether or not a pack switched the rule off: switching a rule off stops
// it scoring, not the detectors that count it among others (lockers.go).
func (a *analysis) detected(id string) bool {
	return a.findings[id] != nil || a.switchedOff[id]
}

func hasEvidence(list []Evidence, ev Evidence) bool {
	for _, x := range list {
		if x.Source == ev.Source && x.Snippet == ev.Snippet {
			return true
		}
	}
	return false
}

// tallied is the outcome of the findings so far.
type tallied struct {
	score    float64
	verdict  Verdict
	reason   string
	weights  map[string]float64 // finding weight after damping
	counted  []string           // categories that count towards the minimum
	decisive string
	aware    bool
}

// tally applies damping and category caps and decides the verdict, without
// changing the findings.
func (a *analysis) tally() tallied {
	p := a.e.pack
	t := tallied{weights: map[string]float64{}}
	t.aware = a.findings["TSS-CONTEXT-AWARENESS"] != nil
	perCat := map[string]float64{}
	contactOnly := len(a.order) > 0
	for _, id := range a.order {
		f := a.findings[id]
		if r := a.e.byID[id]; !r.Contact && f.Weight > 0 {
			contactOnly = false
		}
		w := f.Weight
		if t.aware && p.Categories[f.Category].Damped {
			w *= p.Damping
		}
		t.weights[id] = w
		perCat[f.Category] += w
		if a.e.byID[id].Decisive && decisiveEvidence(f) {
			t.decisive = id
		}
	}
	for name, sum := range perCat {
		cat := p.Categories[name]
		if sum > cat.Cap {
			sum = cat.Cap
		}
		t.score += sum
		if cat.Counts && sum > 0 {
			t.counted = append(t.counted, name)
		}
	}
	sort.Strings(t.counted)
	contactCapped := contactOnly && p.ContactCap > 0 && t.score > p.ContactCap
	if contactCapped {
		t.score = p.ContactCap
	}
	t.score = float64(int(t.score*100+0.5)) / 100
	switch {
	case t.decisive != "":
		t.verdict = Scam
		t.reason = fmt.Sprintf("%s seen when the page ran (decisive)", a.e.byID[t.decisive].Message)
	case t.score >= p.Thresholds.Scam && len(t.counted) >= p.MinCategories:
		t.verdict = Scam
		t.reason = fmt.Sprintf("score %.1f ≥ %.0f from %d kinds of evidence: %s", t.score, p.Thresholds.Scam, len(t.counted), strings.Join(t.counted, ", "))
	case t.score >= p.Thresholds.Suspicious:
		t.verdict = Suspicious
		if t.score >= p.Thresholds.Scam {
			t.reason = fmt.Sprintf("score %.1f but only one kind of evidence (%s); a scam verdict needs %d", t.score, strings.Join(t.counted, ", "), p.MinCategories)
		} else {
			t.reason = fmt.Sprintf("score %.1f ≥ %.0f (suspicious) but < %.0f (scam)", t.score, p.Thresholds.Suspicious, p.Thresholds.Scam)
		}
	default:
		t.verdict = Clean
		t.reason = fmt.Sprintf("score %.1f < %.0f", t.score, p.Thresholds.Suspicious)
	}
	if contactCapped {
		t.reason += "; only contact evidence (a number to call), no alarm, so the score is capped"
	}
	if t.aware {
		t.reason += "; page discusses scams, so quoted content was damped"
	}
	return t
}

// score writes the tally and the findings, strongest first, into the report.
func (a *analysis) score() {
	t := a.tally()
	r := a.report
	r.Score, r.Verdict, r.Reason = t.score, t.verdict, t.reason
	for _, id := range a.order {
		f := *a.findings[id]
		f.Weight = float64(int(t.weights[id]*100+0.5)) / 100
		r.Findings = append(r.Findings, f)
	}
	sort.SliceStable(r.Findings, func(i, j int) bool { return r.Findings[i].Weight > r.Findings[j].Weight })
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
