package analyze

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tssguard/tssguard/internal/lang"
	"github.com/tssguard/tssguard/phone"
)

// segment is one piece of text on a surface, with where it came from.
type segment struct {
	Name   string // location for evidence
	Source string // html, rendered, decoded, written, emulation, runtime, script
	Text   string
	// OneWrite: Text is the whole value of one write into the page
	// (written.go), not prose read from a script's literals.
	OneWrite bool
}

// normSegment is a segment after normalisation, with the positions of
// call/support words (used to tell a hotline from any other number).
type normSegment struct {
	segment
	Norm     string
	CtxPos   []int // call, support and urgency words
	BrandPos []int // brand names
	TollFree []int // words claiming a toll-free number
	Scope    scopePos
}

// textRules is the compiled form of the pack's text rules: one term matcher
// for all phrases, near terms, keywords and brand names.
type textRules struct {
	m      *termMatcher
	refs   [][]termRef // by term ID
	rules  []compiledRule
	brands []string // brand names, in pack order
}

type termRef struct {
	rule     int // index in rules, -1 when none
	set      int // near set index; phraseSet for phrases; keywordSet for regex keywords
	brand    int // index in brands, -1 when none
	ctx      bool
	tollFree bool
	scope    scopeKind // a word that scopes claims (advisory, conditional, negation)
}

const (
	phraseSet  = -1
	keywordSet = -2
)

type compiledRule struct {
	r        *Rule
	surfaces map[string]bool
	nsets    int
	// negatable: a negation inside a match denies the claim. Not for
	// phrases (their own words) or rules whose terms are negations.
	negatable bool
	// started runs the regex only where its matches can start; nil when
	// the regex does not allow that.
	started *startedRegex
}

// findRegex finds the first n matches of the rule's regex in text.
func (cr *compiledRule) findRegex(text string, n int) [][]int {
	if cr.started != nil {
		return cr.started.findAll(text, n)
	}
	return cr.r.re.FindAllStringIndex(text, n)
}

func compileTextRules(p *Pack, forms termForms) (*textRules, error) {
	tr := &textRules{}
	var terms []string
	index := make(map[string]int, packTermsHint)
	term := func(t string, ref termRef) error {
		t = strings.TrimSpace(t)
		prefix := strings.HasSuffix(t, "*")
		n := forms.normalize(strings.TrimSuffix(t, "*"))
		if n == "" {
			return fmt.Errorf("empty term %q", t)
		}
		if prefix {
			n += "*"
		}
		id, ok := index[n]
		if !ok {
			id = len(terms)
			index[n] = id
			terms = append(terms, n)
			tr.refs = append(tr.refs, nil)
		}
		tr.refs[id] = append(tr.refs[id], ref)
		return nil
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		if !r.IsText() || r.Disabled {
			continue
		}
		cr := compiledRule{r: r, surfaces: map[string]bool{}}
		if r.re != nil {
			cr.started = newStartedRegex(r.Regex)
		}
		surfaces := r.Surfaces
		if len(surfaces) == 0 {
			surfaces = []string{"text", "dialog", "speech"}
		}
		for _, s := range surfaces {
			cr.surfaces[s] = true
		}
		ri := len(tr.rules)
		for _, ph := range p.expandTerms(r.Phrases) {
			if err := term(ph, termRef{rule: ri, set: phraseSet, brand: -1}); err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
		}
		if r.Near != nil {
			cr.nsets = len(r.Near.Terms)
			cr.negatable = r.Negatable()
			for si, set := range r.Near.Terms {
				expanded := p.expandTerms(set)
				for _, t := range expanded {
					if strings.HasPrefix(t, "@") {
						return nil, fmt.Errorf("rule %s: unknown term list %s", r.ID, t)
					}
					if err := term(t, termRef{rule: ri, set: si, brand: -1}); err != nil {
						return nil, fmt.Errorf("rule %s: %w", r.ID, err)
					}
				}
			}
		}
		for _, k := range r.Keywords {
			if err := term(strings.TrimSuffix(k, "*")+"*", termRef{rule: ri, set: keywordSet, brand: -1}); err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
		}
		tr.rules = append(tr.rules, cr)
	}
	for _, name := range sortedKeys(p.Brands) {
		bi := len(tr.brands)
		tr.brands = append(tr.brands, name)
		for _, t := range p.Brands[name] {
			if err := term(t, termRef{rule: -1, brand: bi}); err != nil {
				return nil, fmt.Errorf("brand %s: %w", name, err)
			}
		}
	}
	for _, list := range hotlineContextLists {
		for _, t := range p.Terms[list] {
			if err := term(t, termRef{rule: -1, brand: -1, ctx: true}); err != nil {
				return nil, fmt.Errorf("terms %s: %w", list, err)
			}
		}
	}
	for _, t := range p.Terms[tollFreeList] {
		if err := term(t, termRef{rule: -1, brand: -1, tollFree: true}); err != nil {
			return nil, fmt.Errorf("terms tollfree: %w", err)
		}
	}
	for _, list := range sortedKeys(scopeLists) { // in one order: term ids the same from run to run
		kind := scopeLists[list]
		for _, t := range p.Terms[list] {
			if err := term(t, termRef{rule: -1, brand: -1, scope: kind}); err != nil {
				return nil, fmt.Errorf("terms %s: %w", list, err)
			}
		}
	}
	tr.m = newTermMatcher(terms)
	return tr, nil
}

// ruleMatch accumulates one rule's matches over all segments.
type ruleMatch struct {
	hits     int // in the densest segment: a dynamic capture holds the same text several times
	distinct map[string]bool
	evidence []Evidence
}

func (a *analysis) surfaces() map[string][]segment {
	s := map[string][]segment{}
	for _, d := range a.docs {
		if d.Text != "" {
			s["text"] = append(s["text"], segment{Name: d.Name, Source: docSource(d), Text: d.Text})
		}
		if d.Title != "" {
			s["title"] = append(s["title"], segment{Name: d.Name + " <title>", Source: docSource(d), Text: d.Title})
		}
	}
	s["text"] = append(s["text"], a.decodedText...)
	s["dialog"] = a.dialogText
	s["speech"] = a.speechText
	for _, u := range append([]string{a.cap.URL, a.cap.FinalURL}, a.cap.Redirects...) {
		if u != "" {
			s["url"] = append(s["url"], segment{Name: "page URL", Source: "url", Text: u})
		}
	}
	s["url"] = append(s["url"], a.urlText...)
	return s
}

// urlWords turns a URL into words for the url surface: host labels and
// path parts separated by spaces.
func urlWords(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "") {
		return "" // a local file's name says nothing about where it was served
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '-', '_', '/', '?', '=', '&', ':', '%', '+', '#':
			return ' '
		}
		return r
	}, u.Host+" "+u.Path)
}

func (a *analysis) matchText() {
	tr := a.e.text
	matches := make([]*ruleMatch, len(tr.rules))
	brandHits := make([]int, len(tr.brands))
	var brandEv []Evidence
	a.norm = map[string][]normSegment{}
	surfaces := a.surfaces()
	for _, surface := range sortedKeys(surfaces) { // fixed order: reports are reproducible
		for _, seg := range surfaces[surface] {
			text := seg.Text
			if surface == "url" {
				text = urlWords(text)
			}
			ns := normSegment{segment: seg, Norm: normalizeText(text)}
			a.scanSegment(surface, &ns, matches, brandHits, &brandEv)
			a.norm[surface] = append(a.norm[surface], ns)
		}
	}
	for i, m := range matches {
		if m == nil {
			continue
		}
		r := tr.rules[i].r
		if m.hits < r.MinMatches {
			continue
		}
		w := r.Weight + r.PerMatch*float64(len(m.distinct)-1)
		if r.MaxWeight > 0 && w > r.MaxWeight {
			w = r.MaxWeight
		}
		strength := 1.0
		if r.Weight > 0 {
			strength = w / r.Weight
		}
		for _, ev := range m.evidence {
			a.add(r.ID, ev, strength)
		}
	}
	// Brands: the most named first.
	type bc struct {
		name string
		n    int
	}
	var named []bc
	for i, n := range brandHits {
		if n > 0 {
			named = append(named, bc{tr.brands[i], n})
		}
	}
	sort.SliceStable(named, func(i, j int) bool { return named[i].n > named[j].n })
	for _, b := range named {
		a.report.Brands = append(a.report.Brands, b.name)
	}
	for _, ev := range brandEv {
		a.add("TSS-BRAND", ev, 1)
	}
}

// scanSegment runs the term matcher over one normalised segment and
// evaluates every text rule that reads this surface.
func (a *analysis) scanSegment(surface string, ns *normSegment, matches []*ruleMatch, brandHits []int, brandEv *[]Evidence) {
	tr := a.e.text
	const maxHitsPerSet = 256
	type setHits struct{ sets [][]termHit }
	local := map[int]*setHits{}
	phrases := map[int][]termHit{}
	keywords := map[int]bool{}
	text := ns.Norm
	tr.m.find(text, func(h termHit) {
		for _, ref := range tr.refs[h.Term] {
			switch {
			case ref.ctx:
				if surface == "text" || surface == "dialog" || surface == "speech" {
					if len(ns.CtxPos) < 4096 {
						ns.CtxPos = append(ns.CtxPos, h.Start)
					}
				}
			case ref.scope != 0:
				if (surface == "text" || surface == "dialog" || surface == "speech") && !(ref.scope == scopeNegation && notNegation(text, h)) {
					ns.Scope.add(ref.scope, h)
				}
			case ref.tollFree:
				if surface == "text" && len(ns.TollFree) < 1024 {
					ns.TollFree = append(ns.TollFree, h.Start)
				}
			case ref.brand >= 0:
				if surface == "text" && len(ns.BrandPos) < 1024 {
					ns.BrandPos = append(ns.BrandPos, h.Start)
				}
				if surface == "text" || surface == "title" {
					brandHits[ref.brand]++
					if len(*brandEv) < 3 && brandHits[ref.brand] == 1 {
						*brandEv = append(*brandEv, Evidence{Source: ns.Source, Location: ns.Name, Offset: h.Start, Snippet: snippet(text, h.Start, h.End, 30, 120)})
					}
				}
			case ref.rule >= 0:
				if !tr.rules[ref.rule].surfaces[surface] {
					continue
				}
				switch ref.set {
				case phraseSet:
					if len(phrases[ref.rule]) < maxHitsPerSet {
						phrases[ref.rule] = append(phrases[ref.rule], h)
					}
				case keywordSet:
					keywords[ref.rule] = true
				default:
					sh := local[ref.rule]
					if sh == nil {
						sh = &setHits{sets: make([][]termHit, tr.rules[ref.rule].nsets)}
						local[ref.rule] = sh
					}
					if len(sh.sets[ref.set]) < maxHitsPerSet {
						sh.sets[ref.set] = append(sh.sets[ref.set], h)
					}
				}
			}
		}
	})
	segHits := map[int]int{}
	defer func() {
		for ri, n := range segHits {
			if n > matches[ri].hits {
				matches[ri].hits = n
			}
		}
	}()
	record := func(ri int, start, end int, key string, own ...termHit) {
		if r := tr.rules[ri].r; r.Scope == "claim" {
			if why := ns.Scope.claimScoped(text, start, end, tr.rules[ri].negatable, own...); why != "" {
				a.scoped(r.ID, why, ns, start, end)
				return
			}
		}
		m := matches[ri]
		if m == nil {
			m = &ruleMatch{distinct: map[string]bool{}}
			matches[ri] = m
		}
		segHits[ri]++
		if len(m.distinct) < 64 {
			m.distinct[key] = true
		}
		if len(m.evidence) < 3 && !nearEvidence(m.evidence, ns.Name, start) {
			m.evidence = append(m.evidence, Evidence{Source: ns.Source, Location: ns.Name, Offset: start, Snippet: snippet(text, start, end, 40, 200)})
		}
	}
	// Rules in pack order, so that notes (and which of them fit under
	// their cap) are the same on every run.
	for _, ri := range slices.Sorted(maps.Keys(phrases)) {
		for _, h := range phrases[ri] {
			record(ri, h.Start, h.End, text[h.Start:h.End])
		}
	}
	var ownBuf []termHit // the terms of one near match
	for _, ri := range slices.Sorted(maps.Keys(local)) {
		sh := local[ri]
		near := tr.rules[ri].r.Near
		for _, h0 := range sh.sets[0] {
			start, end := h0.Start, h0.End
			prev := h0
			own := append(ownBuf[:0], h0)
			ok := true
			for s := 1; s < len(sh.sets) && ok; s++ {
				ok = false
				for _, h := range sh.sets[s] {
					if overlaps(h, h0) || (near.Ordered && h.Start < prev.End) {
						continue
					}
					if !within(text, h0, h, near.Window) || (near.Sentence && crossesSentence(text, h0, h)) {
						continue
					}
					start, end = min(start, h.Start), max(end, h.End)
					prev, ok = h, true
					own = append(own, h)
					break
				}
			}
			if ok {
				record(ri, start, end, text[h0.Start:h0.End], own...)
			}
			ownBuf = own
		}
	}
	for _, ri := range slices.Sorted(maps.Keys(keywords)) {
		if tr.rules[ri].r.re == nil {
			continue
		}
		for _, loc := range tr.rules[ri].findRegex(text, 8) {
			record(ri, loc[0], loc[1], text[loc[0]:loc[1]])
		}
	}
	// Regex rules without keywords run on every segment of their surfaces.
	for ri := range tr.rules {
		cr := &tr.rules[ri]
		if cr.r.re != nil && len(cr.r.Keywords) == 0 && cr.surfaces[surface] {
			for _, loc := range cr.findRegex(text, 8) {
				record(ri, loc[0], loc[1], text[loc[0]:loc[1]])
			}
		}
	}
}

// nearEvidence: a match within 80 bytes of one already shown adds nothing.
func nearEvidence(list []Evidence, loc string, at int) bool {
	for _, ev := range list {
		if ev.Location == loc && abs(ev.Offset-at) < 80 {
			return true
		}
	}
	return false
}

// within: the two hits are at most window characters apart (bytes are
// counted first; CJK text takes three bytes a character).
func within(text string, a, b termHit, window int) bool {
	lo, hi := min(a.Start, b.Start), max(a.Start, b.Start)
	d := hi - lo
	if d <= window {
		return true
	}
	return d <= 4*window && utf8.RuneCountInString(text[lo:hi]) <= window
}

// crossesSentence: a sentence ends between the two hits.
func crossesSentence(text string, a, b termHit) bool {
	lo, hi := min(a.End, b.End), max(a.Start, b.Start)
	if lo >= hi {
		return false
	}
	seg := text[lo:hi]
	for i := 0; i < len(seg); i++ {
		switch seg[i] {
		case '.', '!', '?':
			if i+1 == len(seg) || seg[i+1] == ' ' || seg[i+1] == '\n' {
				return true
			}
		}
	}
	return strings.ContainsFunc(seg, isWideStop)
}

func overlaps(a, b termHit) bool { return a.Start < b.End && b.Start < a.End }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// hotlineNear is how close (in bytes of normalised text) a number must be to
// a call or support word to count as presented as a support line.
const hotlineNear = 120

// hotlineContextLists are the term lists whose words, near a number, make
// it a support line.
var hotlineContextLists = []string{"call", "support", "urgent"}

// trappingRules are the lockers that keep the visitor on the page (dialog,
// history, print or pop-up floods, keyboard lock): on such a page any
// number is the one it wants called.
var trappingRules = []string{"TSS-LOCK-DIALOG-LOOP", "TSS-LOCK-HISTORY-FLOOD", "TSS-LOCK-PRINT-FLOOD", "TSS-LOCK-POPUP-FLOOD", "TSS-LOCK-KEYBOARD"}

// HotlineRule says when the engine counts a number in a page's text as a
// support line: within near bytes of a word of the term lists (or of a
// brand), or on a page where one of the trapping rules was found. The
// extension's rule generator hands it to the on-device scorer.
func HotlineRule() (lists []string, near int, trapping []string) {
	return slices.Clone(hotlineContextLists), hotlineNear, slices.Clone(trappingRules)
}

type hotlineAcc struct {
	h        *Hotline
	support  bool
	ev       Evidence
	fakeFree *Evidence // labelled toll-free but is not
}

// tollFreeNear is how close a "toll free" label must be to its number;
// tollFreeList names the labels' term list.
const (
	tollFreeNear = 48
	tollFreeList = "tollfree"
)

// TollFreeRule says when the engine finds a number labelled toll-free
// that is not (TSS-HOTLINE-FAKE-TOLLFREE): a word of the term list within
// near bytes of it. The extension's rule generator hands it to the
// on-device scorer, which knows North American toll-free numbers only.
func TollFreeRule() (list string, near int) { return tollFreeList, tollFreeNear }

// writtenAlone: a script put number n into the page on its own, the
// value of one write (written.go) with no words of its own. That is a
// template's number slot, filled by the kit (the same page serves many
// campaigns, each with its number): the number the page presents, whatever
// labels the markup around the slot holds.
func writtenAlone(ns *normSegment, n phone.Number) bool {
	if !ns.OneWrite {
		return false
	}
	rest := ns.Norm[:min(n.Offset, len(ns.Norm))] + ns.Norm[min(n.Offset+len(n.Raw), len(ns.Norm)):]
	return !hasLetters(rest)
}

// foundNumber is a number in the text of a surface.
type foundNumber struct {
	n              phone.Number
	seg            *normSegment
	surface, where string
}

// scanNumbers finds the numbers in the text, dialog and speech surfaces,
// reading those written without a country code in the hinted regions
// (which it keeps in a.regions for the other places numbers are read).
func (a *analysis) scanNumbers(hints []lang.Hint) []foundNumber {
	a.regions = make([]string, 0, len(hints)) // never the engine's own Regions slice
	for _, h := range hints {
		a.regions = append(a.regions, h.Region)
	}
	opts := phone.Options{Regions: a.regions}
	var out []foundNumber
	for _, surface := range []string{"text", "dialog", "speech"} {
		segs := a.norm[surface]
		for i := range segs {
			ns := &segs[i]
			where := surface
			if surface == "text" && scriptMade(ns.Source) {
				where = "script"
			}
			for _, n := range phone.Find(ns.Norm, opts) {
				out = append(out, foundNumber{n: n, seg: ns, surface: surface, where: where})
			}
		}
	}
	return out
}

// inferRegions orders the regions to read national numbers in from what
// the page says about its readers (see lang.Regions); numberRegions are
// the regions of numbers it writes with a country code. The engine's
// Regions option replaces the default, US. text is textLanguage().
func (a *analysis) inferRegions(numberRegions []string, text lang.Guess) []lang.Hint {
	sig := lang.Signals{Default: a.e.opts.Regions, NumberRegions: numberRegions, URLs: []string{a.cap.FinalURL, a.cap.URL}}
	links := map[string]int{}
	var linkOrder []string
	for _, d := range a.docs {
		sig.Declared = append(sig.Declared, d.Declared...)
		for _, r := range d.LinkRegions {
			if links[r] == 0 {
				linkOrder = append(linkOrder, r)
			}
			links[r]++
		}
	}
	sort.SliceStable(linkOrder, func(i, j int) bool { return links[linkOrder[i]] > links[linkOrder[j]] })
	sig.LinkRegions = linkOrder
	sig.Text = text
	a.report.Language = sig.Text.Lang
	return lang.Regions(sig)
}

// textLanguage detects the language of the page's text: the documents'
// text first, then what scripts wrote, dialogs and speech, up to the
// detector's sample size.
func (a *analysis) textLanguage() lang.Guess {
	const sample = 4 * lang.MaxSample // Detect reads its start and middle
	var b strings.Builder
	size := 0
	for _, surface := range []string{"text", "dialog", "speech"} {
		for _, ns := range a.norm[surface] {
			size += len(ns.Norm) + 1
		}
	}
	b.Grow(min(size, sample+1)) // what is written below: one allocation
	for _, surface := range []string{"text", "dialog", "speech"} {
		for _, ns := range a.norm[surface] {
			if b.Len() >= sample {
				break
			}
			b.WriteString(ns.Norm[:min(len(ns.Norm), sample-b.Len())])
			b.WriteByte('\n')
		}
	}
	return lang.Detect(b.String())
}

// writtenRegions returns the regions of numbers written with a country
// code, most frequent first.
func writtenRegions(found []foundNumber) []string {
	count := map[string]int{}
	var out []string
	for _, f := range found {
		r := f.n.Region
		if f.n.Hint != "" || len(r) != 2 { // "001": international services
			continue
		}
		if count[r] == 0 {
			out = append(out, r)
		}
		count[r]++
	}
	sort.SliceStable(out, func(i, j int) bool { return count[out[i]] > count[out[j]] })
	return out
}

// leading reports whether regions are already the first hints, in order.
func leading(hints []lang.Hint, regions []string) bool {
	if len(regions) > len(hints) {
		return false
	}
	for i, r := range regions {
		if hints[i].Region != r {
			return false
		}
	}
	return true
}

// regionSource says how the region of n was decided: its country code, or
// the clue for the hinted region it was read in.
func regionSource(n phone.Number, source map[string]string) string {
	if n.Hint == "" {
		return "country-code"
	}
	if s := source[n.Hint]; s != "" {
		return s
	}
	return lang.FromDefault
}

func (a *analysis) findHotlines() {
	acc := map[string]*hotlineAcc{}
	var order []string
	text := a.textLanguage() // once: the text is the same for both
	hints := a.inferRegions(nil, text)
	found := a.scanNumbers(hints)
	// Numbers written with a country code say where the page's readers
	// are: read the others again when they name a region not yet first.
	if more := writtenRegions(found); len(more) > 0 && !leading(hints, more) {
		hints = a.inferRegions(more, text)
		found = a.scanNumbers(hints)
	}
	a.report.Regions = a.report.Regions[:0]
	source := map[string]string{}
	for _, h := range hints {
		a.report.Regions = append(a.report.Regions, RegionHint(h))
		source[h.Region] = h.Source
	}
	opts := phone.Options{Regions: a.regions}
	// In a language no list covers there are no call words; a number next
	// to a brand name, or on a page that traps the visitor, is still the
	// number the page wants called.
	trapped := a.trapsVisitor()
	addNum := func(n phone.Number, where string, support bool, ev Evidence) {
		if a.sentinel != "" && n.E164 == "+"+a.sentinel {
			// The emulator's own value, put in the URL for the page to
			// write: no hotline of the page, and shared by every template
			// kit it would link them all into one campaign.
			return
		}
		x, ok := acc[n.E164]
		if !ok {
			x = &hotlineAcc{h: &Hotline{E164: n.E164, Raw: strings.TrimSpace(n.Raw), Region: n.Region, RegionSource: regionSource(n, source), Type: string(n.Type)}}
			acc[n.E164] = x
			order = append(order, n.E164)
		}
		if !contains(x.h.Where, where) {
			x.h.Where = append(x.h.Where, where)
		}
		if support && !x.support {
			x.support = true
			x.ev = ev
		}
	}
	for _, f := range found {
		ns, n := f.seg, f.n
		support := f.surface != "text" || nearAny(ns.CtxPos, n.Offset, hotlineNear) || nearAny(ns.BrandPos, n.Offset, hotlineNear) || trapped || writtenAlone(ns, n)
		ev := Evidence{Source: ns.Source, Location: ns.Name, Offset: n.Offset, Snippet: snippet(ns.Norm, n.Offset, n.Offset+len(n.Raw), 50, 200)}
		addNum(n, f.where, support, ev)
		if n.Type != phone.TollFree && nearAny(ns.TollFree, n.Offset, tollFreeNear) {
			if x := acc[n.E164]; x.fakeFree == nil {
				x.fakeFree = &ev
			}
		}
	}
	for _, d := range a.docs {
		for _, an := range d.Anchors {
			if callScheme(an.Href) == "" {
				continue
			}
			if n, err := phone.Parse(an.Href, opts); err == nil {
				addNum(n, "tel-link", true, Evidence{Source: docSource(d), Location: d.Name, Offset: an.Offset, Snippet: `<a href="` + an.Href + `">`})
			}
		}
	}
	for _, d := range a.docs {
		for _, m := range d.Refresh {
			if u := refreshURL(m.Value); callScheme(u) != "" {
				if n, err := phone.Parse(u, opts); err == nil {
					addNum(n, "auto-dial", true, Evidence{Source: docSource(d), Location: d.Name, Offset: m.Offset, Snippet: `<meta http-equiv="refresh" content="` + m.Value + `">`})
				}
			}
		}
		for _, f := range d.Frames {
			if n, err := phone.Parse(f.Value, opts); err == nil {
				addNum(n, "auto-dial", true, Evidence{Source: docSource(d), Location: d.Name, Offset: f.Offset, Snippet: "<" + f.Tag + ` src="` + f.Value + `">`})
			}
		}
	}
	// A number an empty page hands on to its target (gateway.go); a
	// placeholder the server fills in is no number yet.
	if h, ok := a.gatewayHandOff(); ok {
		if n, err := phone.Parse(h.value, opts); err == nil {
			addNum(n, "redirect", true, h.ev)
		}
	}
	for _, o := range a.events {
		if o.Kind == "call-navigation" {
			if n, err := phone.Parse(o.Detail, opts); err == nil {
				addNum(n, "auto-dial", true, Evidence{Source: o.Source, Location: o.Frame, Offset: -1, Snippet: describeEvent(o.Event)})
			}
		}
	}
	for _, t := range a.callTargets {
		if n, err := phone.Parse(t.url, opts); err == nil {
			addNum(n, "script", true, t.ev)
		}
	}
	for _, u := range a.scripts {
		for _, l := range u.Facts.Literals {
			if callScheme(l.Value) != "" {
				if n, err := phone.Parse(l.Value, opts); err == nil {
					addNum(n, "script", true, a.scriptEvidence(u, l.Offset, l.Value))
				}
			}
		}
	}
	read := map[string]bool{}
	for _, p := range a.urlParams() {
		read[p] = true
	}
	for _, raw := range []string{a.cap.URL, a.cap.FinalURL} {
		for _, pn := range phone.FromURL(raw, opts) {
			// A number in a parameter the page never reads is the
			// submitter's, not the page's: it is not a hotline of the page.
			if read[pn.Param] {
				addNum(pn.Number, "url-param", true, Evidence{Source: "url", Location: "page URL", Offset: -1, Snippet: pn.Param + "=" + pn.Number.Raw})
			}
		}
	}
	supported, tollFree := 0, false
	for _, k := range order {
		x := acc[k]
		a.report.Hotlines = append(a.report.Hotlines, *x.h)
		if x.support {
			supported++
			if x.h.Type == string(phone.TollFree) {
				tollFree = true
			}
			x.ev.Snippet = x.h.E164 + " (" + x.h.Type + "): " + x.ev.Snippet
			a.add("TSS-HOTLINE", x.ev, 1)
		}
		if x.fakeFree != nil {
			ev := *x.fakeFree
			ev.Snippet = x.h.E164 + " is " + x.h.Type + ", not toll-free: " + ev.Snippet
			a.add("TSS-HOTLINE-FAKE-TOLLFREE", ev, 1)
		}
	}
	if supported > 0 {
		r := a.e.byID["TSS-HOTLINE"]
		if f := a.findings["TSS-HOTLINE"]; f != nil && r != nil {
			w := r.Weight + r.PerMatch*float64(supported-1)
			if tollFree {
				w += r.PerMatch
			}
			if r.MaxWeight > 0 && w > r.MaxWeight {
				w = r.MaxWeight
			}
			f.Weight = w
		}
	}
}

func nearAny(pos []int, at, window int) bool {
	for _, p := range pos {
		if abs(p-at) <= window {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// numberParam matches URL parameter names scam templates use for numbers.
var numberParam = regexp.MustCompile(`(?i)phon|^(tel|tfn|tf|ph|pn|anph|num|number|nmb|nbr|mob|mobile|cell|n\d*|p\d*|no|nr)$`)

// NumberParamPattern is numberParam's expression, for the extension's
// rule generator: the device reads a page's number from its URL too.
func NumberParamPattern() string { return numberParam.String() }

// isNumberParam says whether a parameter name is one for a phone number,
// spelled plainly or with digits for letters (ph0ne, t3l).
func isNumberParam(p string) bool {
	return numberParam.MatchString(p) || numberParam.MatchString(unleet(p))
}

// unleet reads digits that stand for letters as those letters.
func unleet(s string) string {
	return strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t").Replace(s)
}

// strongNumberParam says whether a parameter name can only mean a phone
// number (phone, tel, tfn, mobile), unlike n or p.
func strongNumberParam(params []string) bool {
	for _, p := range params {
		l := unleet(strings.ToLower(p))
		if strings.Contains(l, "phon") || l == "tel" || l == "tfn" || l == "mobile" || l == "phno" {
			return true
		}
	}
	return false
}

// writeSinks are calls and assignments that put a value into the page.
var writeCalls = map[string]bool{"write": true, "writeln": true, "html": true, "text": true, "append": true, "prepend": true, "insertadjacenthtml": true, "after": true, "before": true, "replacewith": true, "replacechildren": true}
var writeProps = map[string]bool{"innerhtml": true, "outerhtml": true, "innertext": true, "textcontent": true, "href": true, "nodevalue": true}

// pageWrite finds where a script puts text or markup into the page: an
// assignment to innerHTML, textContent, href… if there is one, else a call
// of document.write, .html(), .text()….
func pageWrite(u *scriptUnit) (offset int, what string, ok bool) {
	for _, s := range u.Facts.Assigns {
		t := strings.ToLower(s.Target)
		if writeProps[t[strings.LastIndexByte(t, '.')+1:]] {
			return s.Offset, s.Target, true
		}
	}
	for _, c := range u.Facts.Calls {
		if writeCalls[strings.ToLower(c.Method)] {
			return c.Offset, c.Callee, true
		}
	}
	return 0, "", false
}

func (a *analysis) detectTemplate() {
	var params []string
	numberLike := false
	for _, p := range append(a.urlParams(), a.runtimeParams...) {
		if contains(params, p) {
			continue
		}
		params = append(params, p)
		if isNumberParam(p) {
			numberLike = true
		}
	}
	var placeholders []string
	for _, d := range a.docs {
		for _, t := range d.Templates {
			if isNumberParam(t) {
				placeholders = append(placeholders, t)
			}
		}
	}
	// Template slots left in script strings: var n = '<?=$phone?>'.
	for _, u := range a.scripts {
		for _, l := range u.Facts.Literals {
			if len(placeholders) >= 8 || !strings.Contains(l.Value, "<?") && !strings.Contains(l.Value, "$_") {
				continue
			}
			for _, m := range templateParam.FindAllStringSubmatch(l.Value, 4) {
				if t := m[1] + m[2] + m[3]; isNumberParam(t) && !contains(placeholders, t) {
					placeholders = append(placeholders, t)
				}
			}
		}
	}
	sink := false
	var sinkEv Evidence
	for _, u := range a.scripts {
		if len(a.urlReads(u)) == 0 {
			continue
		}
		if off, what, ok := pageWrite(u); ok {
			sink, sinkEv = true, a.scriptEvidence(u, off, what)
		}
		if !sink {
			// the read and the write may sit in different scripts of the page
			for _, v := range a.scripts {
				for _, c := range v.Facts.Calls {
					m := strings.ToLower(c.Method)
					if (m == "write" || m == "writeln") && !sink {
						sink, sinkEv = true, a.scriptEvidence(v, c.Offset, c.Callee)
					}
				}
			}
		}
		if sink {
			break
		}
	}
	var strength float64
	var ev Evidence
	switch {
	case a.templateConfirmed:
		strength = 1
		ev = Evidence{Source: "emulation", Location: "page URL", Offset: -1, Snippet: fmt.Sprintf("a value put in ?%s= came back out of the page (written or dialled)", strings.Join(params, "=, ?"))}
	case len(placeholders) > 0:
		strength = 0.8
		ev = Evidence{Source: "html", Location: a.docs[0].Name, Offset: -1, Snippet: "server-side template parameter: " + strings.Join(placeholders, ", ")}
		params = append(params, placeholders...)
	case numberLike && sink:
		strength = 0.8
		ev = sinkEv
		ev.Snippet = fmt.Sprintf("reads ?%s= from the URL and writes into the page: %s", strings.Join(params, "=, ?"), ev.Snippet)
	case len(params) > 0 && sink, strongNumberParam(params):
		// A parameter named for a phone number is read even when the
		// write is out of sight (in code we could not follow).
		strength = 0.4
		ev = sinkEv
		ev.Snippet = fmt.Sprintf("reads ?%s= from the URL and writes into the page: %s", strings.Join(params, "=, ?"), ev.Snippet)
	default:
		return
	}
	a.add("TSS-TEMPLATE-NUMBER-PARAM", ev, strength)
	def := false
	for _, h := range a.report.Hotlines {
		for _, w := range h.Where {
			if w != "url-param" {
				def = true
			}
		}
	}
	a.report.Template = &Template{Params: dedupe(params), DefaultNumber: def, Confirmed: a.templateConfirmed}
}

func dedupe(list []string) []string {
	var out []string
	for _, s := range list {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// detectObfuscation: scam evidence that only appeared after decoding.
func (a *analysis) detectObfuscation() {
	// On a page served as next to no text and an obfuscated script, what
	// the browser or the emulator then showed was hidden behind that
	// script as much as what decoding recovered.
	ran := false
	if a.cap.Runtime != nil || a.emulated {
		ran = a.servedObfuscatedOnly()
	}
	for _, id := range a.order {
		f := a.findings[id]
		switch f.Category {
		case "brand", "context", "obfuscation":
			continue
		}
		if id == "TSS-CALL-LINK" {
			continue
		}
		for _, ev := range f.Evidence {
			if ev.Source == "decoded" {
				a.add("TSS-OBFUSCATED", Evidence{Source: "decoded", Location: ev.Location, Offset: ev.Offset, Snippet: f.Rule + " found only after decoding: " + ev.Snippet}, 1)
				break
			}
			if ran && (ev.Source == "rendered" || ev.Source == "runtime" || ev.Source == "emulation") {
				a.add("TSS-OBFUSCATED", Evidence{Source: ev.Source, Location: ev.Location, Offset: ev.Offset, Snippet: f.Rule + " found only after the obfuscated script ran: " + ev.Snippet}, 1)
				break
			}
		}
	}
}

// trapsVisitor: a locker was found that keeps the visitor on the page
// (dialog, history, print or pop-up floods, keyboard lock).
func (a *analysis) trapsVisitor() bool {
	for _, id := range trappingRules {
		if a.findings[id] != nil {
			return true
		}
	}
	return false
}
