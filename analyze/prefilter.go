package analyze

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tssguard/tssguard/analyze/js"
	"github.com/tssguard/tssguard/capture"
)

// The fast path (gitleaks' keyword prefilter, made to fit a scoring
// engine). Most pages handed to tssguard are benign, and most benign pages
// hold nothing any rule could use. One pass over the page and its kit files
// finds every keyword a rule or detector needs; from the rules those
// keywords make possible, and from how the engine scores (weights, category
// caps, the contact cap, the suspicious threshold), an upper bound on the
// page's score follows. A page whose bound stays under the suspicious
// threshold, with no decisive rule possible, is clean whatever the full
// pipeline would find: it gets that verdict at once.
//
// The keywords are derived from the rule pack (phrases, near lists, regex
// keywords, brands, named terms) when the engine is built, so they follow
// the rules; the built-in detectors' keywords are in detectorKeywords (and
// the counts the locker detectors need in detectorMinimums), which tests
// keep complete and in step with every rule's own samples.
//
// Most pages are out of the fast path's reach (a phone-number shape, a
// brand and a locker API in some script are enough), so the cost that
// matters is how soon that is known: a glance at the raw bytes first
// (glance), then the scan proper stops as soon as what it has seen puts
// the page out of reach (over). Neither can make a page clean: only the
// whole scan's bound does.
//
// What the scan reads is the page as a browser or the engine would see
// its words: HTML entities, \x / \u / % escapes and base64 or hex blobs
// decoded, look-alike letters, full-width forms and invisible characters
// folded as normalizeText does, white space removed (so words split by
// spaces, lines or tags still meet), tags removed from a second view
// ("vi<b></b>rus"), and string literals joined across '+' ("vi" + "rus").
// Code that builds its strings at run time (eval, Function,
// String.fromCharCode, obfuscator string tables) cannot be read this way:
// such a page always takes the full pipeline.

// prefilter is the compiled fast path of an engine.
type prefilter struct {
	m          *termMatcher
	termGroups [][]pfRef // term -> groups it belongs to
	groups     []pfGroup
	nears      []pfNear
	rules      []pfRule
	cats       []string // the rules' categories
	pack       *Pack
	pictures   func() bool // the engine reads embedded pictures with OCR: pages with any are not fast-pathed
	markers    int         // terms [0, markers) are opaque-code markers
	rawClass   [256]uint16 // the matcher's byte classes for raw bytes (glance)
	scans      sync.Pool
	// eagerObfuscation: the glance tests for obfuscation before it asks
	// whether the keywords put the page out of reach (tests compare).
	eagerObfuscation bool
}

// pfRef puts a keyword in a group. Keywords of the pack are words, as in
// the engine's matcher (whole words unless a prefix); detector keywords are
// names in code, found anywhere.
type pfRef struct {
	group int32
	word  bool
}

// pfGroup is a set of keywords of which one must be present.
type pfGroup struct {
	name  string
	phone bool // a phone-number shape also satisfies it
	code  bool // only keywords in code and markup count
	near  bool // its hits' positions are kept for near rules
}

// pfNear is a near matcher of a text rule: a term of every group within
// window characters of the first group's term.
type pfNear struct {
	groups  []int32
	window  int
	urlOnly bool // the rule reads only URLs: prose cannot satisfy it
}

// pfRule is what a rule needs to be possible at all: any one alternative,
// each alternative all of its groups. No alternatives: always possible.
type pfRule struct {
	id       string
	category string
	weight   float64 // the most the rule can add
	cat      int     // index into prefilter.cats
	contact  bool
	decisive bool
	always   bool
	gateway  bool // needs a page with next to no text (gatewayRules)
	alts     [][]int32
	nears    []int // indexes into prefilter.nears
	atLeast  []pfMin
}

// pfMin asks, beside a rule's alternatives, that at least min of alts
// hold (each alternative all of its groups).
type pfMin struct {
	min  int
	alts [][]int32
}

// fastPathMaxBytes: a page (with its kit files) larger than this is not
// prefiltered. The scan costs about as much per byte as the pipeline's
// first steps, and larger pages nearly always name some locker API in
// their scripts (open, print, alert). On the shared corpus the full
// analysis of a benign page of 50–65 KiB took 0.5–1.3 ms and its fast
// path 1.6–3.5 ms, and the pages over 32 KiB that the fast path could not
// take paid 43 ms in all for the attempt (BenchmarkPrefilter: 48 → 4.4 ms).
const fastPathMaxBytes = 32 << 10

// phoneToken in a detector keyword list stands for a phone-number shape.
const phoneToken = "#phone"

// opaqueMarkers are signs of code that builds its strings at run time.
// Lower case, without white space, as the scan's views are.
var opaqueMarkers = []string{
	"eval(", "eval`", "fromcharcode", "fromcodepoint", "_0x", "reverse()",
	"[\"constructor\"]", "['constructor']", ".constructor(",
	"!![]", "['shift']()", "[\"shift\"]()", // the string-array obfuscator renamed (js.LooksObfuscated)
}

// callTokens are the call schemes and the selectors that pick call links.
func callTokens() []string {
	out := append([]string(nil), callSchemes...)
	return append(out, `href^="tel`, `href^='tel`, "href*=tel", "href^=tel", "href*=\"tel", "href*='tel")
}

// autoplayTokens are what sound that plays on its own needs: an autoplay
// attribute, a play() call, or a sound file a frame, an embed or an
// object plays (audioPath).
var autoplayTokens = []string{`\bautoplay`, `\bplay`, `\b.mp3`, `\b.wav`, `\b.ogg`, `\b.oga`, `\b.m4a`, `\b.aac`, `\b.opus`, `\b.weba`, `\b.flac`, `\b.mid`, `\b.midi`}

// navTokens name ways a page sends the browser on.
var navTokens = []string{`\blocation`, `\brefresh`, `\bopen`, `\bnavigate`, `\bhref`}

// A detector keyword written "\\bname" must stand as a whole identifier:
// code calls an API by its name (alert, window.open, w["print"]), and
// "fingerprint", "isOpen" or "alerts" name something else.

// pfNeed is one way a detector can fire: one keyword of every list.
// Code keywords count only where code and markup are (scripts, styles, tags,
// kit files), not in the page's prose: an article saying "print" or "open"
// calls no API.
type pfNeed struct {
	code  bool
	lists [][]string
}

// detectorKeywords lists, for each behaviour rule, what its detector
// cannot work without: alternatives (any one), each of keyword lists (all
// of them, one keyword of each). "@name" expands a named term list of the
// pack, "@brands" every brand, phoneToken a phone-number shape.
func detectorKeywords() map[string][]pfNeed {
	chat := append(append([]string(nil), chatHosts...), chatWidgets...)
	var affiliate []string
	for p := range affiliateParams {
		affiliate = append(affiliate, p)
	}
	sort.Strings(affiliate)
	code := func(lists ...[]string) []pfNeed { return []pfNeed{{code: true, lists: lists}} }
	any := func(lists ...[]string) []pfNeed { return []pfNeed{{lists: lists}} }
	fullscreen := []string{"requestfullscreen", "enterfullscreen"}
	pointer := []string{"requestpointerlock"}
	keyboard := [][]string{{`\bkeyboard`}, {`\block`}}
	// Lockers.go counts these as taking over the browser.
	takeovers, _ := lockerKinds()
	return map[string][]pfNeed{
		"TSS-CALL-AUTODIAL":         code(callTokens()),
		"TSS-CALL-ON-PAGE-CLICK":    code(callTokens()),
		"TSS-CALL-LINK":             code(callTokens()),
		"TSS-LOCK-DIALOG-LOOP":      code([]string{`\balert`, `\bconfirm`, `\bprompt`}),
		"TSS-LOCK-DIALOG-CALL":      code([]string{`\balert`, `\bconfirm`, `\bprompt`}, []string{phoneToken}),
		"TSS-LOCK-BEFOREUNLOAD":     code([]string{"beforeunload"}),
		"TSS-LOCK-HISTORY-FLOOD":    code([]string{"pushstate", "replacestate"}),
		"TSS-LOCK-FULLSCREEN":       code(fullscreen),
		"TSS-LOCK-KEYBOARD":         {{code: true, lists: keyboard}, {code: true, lists: [][]string{{"fullscreenchange"}, fullscreen}}}, // or full screen taken again when left
		"TSS-LOCK-POINTER":          code(pointer),
		"TSS-LOCK-PRINT-FLOOD":      code([]string{`\bprint`}),
		"TSS-LOCK-POPUP-FLOOD":      code([]string{`\bopen`}),
		"TSS-LOCK-DOWNLOAD-FLOOD":   code([]string{`\bdownload`}),
		"TSS-LOCK-WORKER-FLOOD":     code([]string{"worker"}),
		"TSS-LOCK-CURSOR-HIDDEN":    code([]string{"cursor"}, []string{"none"}),
		"TSS-LOCK-INPUT-BLOCK":      code([]string{"contextmenu", "==123", "==122", "== 123", "== 122", "f12", "f11"}),
		"TSS-LOCK-UNGESTURED":       append(takeovers, pfNeed{code: true, lists: [][]string{{"beforeunload"}}}), // with no takeover, a leave prompt among four
		"TSS-LOCK-HOSTAGE":          takeovers,
		"TSS-MEDIA-AUTOPLAY":        code(autoplayTokens),
		"TSS-MEDIA-SPEECH":          code([]string{"speechsynthesis"}),
		"TSS-HOTLINE":               any([]string{phoneToken}),
		"TSS-HOTLINE-FAKE-TOLLFREE": any([]string{phoneToken}, []string{"@tollfree"}),
		"TSS-BRAND":                 any([]string{"@brands"}),
		"TSS-TEMPLATE-NUMBER-PARAM": {
			{code: true, lists: [][]string{append([]string{`\blocation`, `\burlsearchparams`, "document.url", `\bdocumenturi`}, urlGetterPrefixes...)}},
			{lists: [][]string{{"$_get", "$_request", "$_post", "{{", "<?=", "<?php"}}},
		},
		"TSS-CLOAK-UA-REDIRECT": code([]string{"useragent", "appversion", "navigator.vendor", "navigator.platform"}, navTokens),
		"TSS-GATEWAY-REDIRECT":  code(navTokens),
		// The number handed on is a number, or a server's placeholder for
		// one (numberInTarget): <?=$num?>, {{phone}}, $_GET[…], or a value
		// %num% (after '=', or a string of its own added on).
		"TSS-GATEWAY-NUMBER-TARGET": code(navTokens, append([]string{phoneToken, "<?", "{{", "$_", "=%", `"%`, "'%", "`%"}, callTokens()...)),
		"TSS-GATEWAY-LURE-TARGET":   code(navTokens),
		"TSS-GATEWAY-CLOAKED":       code([]string{"useragent", "appversion", "navigator.vendor", "navigator.platform"}, navTokens),
		// A chat host named in the code, or a script element the code
		// inserts (its address may be built at run time: the emulator
		// reports the element).
		"TSS-CONVERT-CHAT-WIDGET": append(code(chat), pfNeed{code: true, lists: [][]string{{"createelement"}, {`\bscript`}}}),
		"TSS-CONVERT-AFFILIATE":   code(affiliate),
		"TSS-SCARE-VISITOR-IP":    code(ipInfoHosts),
		"TSS-FAKE-PROGRESS":       any([]string{"@working"}),
		"TSS-SCAN-SYSTEM-PATHS":   any([]string{":\\", ":/windows", ":/program", ":/users", ":/documents", ":/system32", ":/recovery", ":/boot", "hkey_", "hklm", "hkcu", "/library/", "/system/", "/private/var", "/usr/"}),
		// TSS-OBFUSCATED repeats another finding seen after decoding: it is
		// possible when something was decoded and another rule is possible.
		"TSS-OBFUSCATED": nil,
	}
}

// pfAtLeast is a count a detector needs: at least min of needs hold.
type pfAtLeast struct {
	min   int
	needs []pfNeed
}

// lockerKinds are the keywords of each locker behaviour lockers.go counts
// (ungesturedLocker): the hard kinds, which take over the browser, first.
func lockerKinds() (hard, all []pfNeed) {
	hard = []pfNeed{
		{code: true, lists: [][]string{{"requestfullscreen", "enterfullscreen"}}},
		{code: true, lists: [][]string{{"requestpointerlock"}}},
		{code: true, lists: [][]string{{`\bkeyboard`}, {`\block`}}},
		{code: true, lists: [][]string{{`\balert`, `\bconfirm`, `\bprompt`}}},
		{code: true, lists: [][]string{{"pushstate", "replacestate"}}},
		{code: true, lists: [][]string{{`\bprint`}}},
		{code: true, lists: [][]string{{"moveto"}, {"resizeto"}}}, // the window stretched over the screen
		{code: true, lists: [][]string{{`\bopen`}}},
		{code: true, lists: [][]string{{`\bdownload`}}},
		{code: true, lists: [][]string{{"worker"}}},
	}
	all = append(append([]pfNeed(nil), hard...),
		pfNeed{code: true, lists: [][]string{{"beforeunload"}}},
		pfNeed{code: true, lists: [][]string{autoplayTokens}})
	return hard, all
}

// detectorMinimums are counts the locker detectors need on top of their
// keywords (detectUngesturedLockers): TSS-LOCK-UNGESTURED three behaviours,
// counting blocked input and a hidden cursor (it takes two hard kinds among
// three, one among four with those, or none among four with a leave
// prompt); TSS-LOCK-HOSTAGE two hard kinds among three behaviours (it
// takes two among four, or three).
func detectorMinimums() map[string][]pfAtLeast {
	hard, all := lockerKinds()
	dk := detectorKeywords()
	held := append(append(append([]pfNeed(nil), all...), dk["TSS-LOCK-INPUT-BLOCK"]...), dk["TSS-LOCK-CURSOR-HIDDEN"]...)
	return map[string][]pfAtLeast{
		"TSS-LOCK-UNGESTURED": {{min: 3, needs: held}},
		"TSS-LOCK-HOSTAGE":    {{min: 2, needs: hard}, {min: 3, needs: all}},
	}
}

// gatewayRules need a page with next to no text of its own (looksEmpty).
var gatewayRules = map[string]bool{"TSS-GATEWAY-REDIRECT": true, "TSS-GATEWAY-NUMBER-TARGET": true, "TSS-GATEWAY-LURE-TARGET": true, "TSS-GATEWAY-CLOAKED": true}

// pfKey is a keyword as the scan sees it: normalised as page text is
// (lower case, one space for white space), with its trailing '*' (a prefix
// term) kept for the matcher.
func pfKey(t string, forms termForms) string {
	t = strings.TrimSpace(t)
	prefix := strings.HasSuffix(t, "*")
	n := strings.ReplaceAll(forms.normalize(strings.TrimSuffix(t, "*")), "\n", " ")
	if prefix && n != "" {
		n += "*"
	}
	return n
}

func newPrefilter(p *Pack, forms termForms) *prefilter {
	pf := &prefilter{pack: p}
	var terms []string
	index := make(map[string]int, packTermsHint)
	addTerm := func(t string, group int32, word bool) {
		k := pfKey(t, forms)
		if !word {
			k = strings.TrimSuffix(k, "*") + "*" // no word boundary on either side: see match
		}
		if k == "" {
			return
		}
		id, ok := index[k]
		if !ok {
			id = len(terms)
			index[k] = id
			terms = append(terms, k)
			pf.termGroups = append(pf.termGroups, nil)
		}
		if group >= 0 {
			pf.termGroups[id] = append(pf.termGroups[id], pfRef{group, word})
		}
	}
	for _, t := range opaqueMarkers {
		addTerm(t, -1, false)
	}
	pf.markers = len(terms)
	newGroup := func(name string, code bool, list []string) int32 {
		g := int32(len(pf.groups))
		pf.groups = append(pf.groups, pfGroup{name: name, code: code})
		for _, t := range list {
			switch {
			case t == phoneToken:
				pf.groups[g].phone = true
			case strings.HasPrefix(t, "@"):
				for _, x := range p.expandTerms([]string{t}) {
					if x != t {
						addTerm(x, g, true)
					}
				}
			case strings.HasPrefix(t, `\b`):
				addTerm(t[2:], g, true)
			default:
				addTerm(t, g, !code)
			}
		}
		return g
	}
	detectors, minimums := detectorKeywords(), detectorMinimums()
	for i := range p.Rules {
		r := &p.Rules[i]
		if r.Disabled || (r.Weight <= 0 && r.MaxWeight <= 0 && !r.Decisive) {
			continue
		}
		pr := pfRule{id: r.ID, category: r.Category, weight: r.Weight, contact: r.Contact, decisive: r.Decisive, gateway: gatewayRules[r.ID]}
		pr.cat = slices.Index(pf.cats, r.Category)
		if pr.cat < 0 {
			pr.cat = len(pf.cats)
			pf.cats = append(pf.cats, r.Category)
		}
		if r.MaxWeight > pr.weight {
			pr.weight = r.MaxWeight
		}
		if r.PerMatch > 0 && r.MaxWeight <= 0 {
			pr.weight = p.Categories[r.Category].Cap // grows with every match
		}
		switch {
		case r.IsText():
			if len(r.Phrases) > 0 {
				pr.alts = append(pr.alts, []int32{newGroup(r.ID+" phrases", false, p.expandTerms(r.Phrases))})
			}
			if r.Near != nil {
				nr := pfNear{window: r.Near.Window, urlOnly: len(r.Surfaces) > 0}
				for _, sf := range r.Surfaces {
					if sf != "url" {
						nr.urlOnly = false
					}
				}
				for j, list := range r.Near.Terms {
					g := newGroup(fmt.Sprintf("%s near #%d", r.ID, j+1), false, p.expandTerms(list))
					pf.groups[g].near = true
					nr.groups = append(nr.groups, g)
				}
				pr.nears = append(pr.nears, len(pf.nears))
				pf.nears = append(pf.nears, nr)
			}
			if r.Regex != "" {
				if len(r.Keywords) == 0 {
					pr.always = true
				} else {
					// Keywords are prefixes, as the engine reads them.
					var kw []string
					for _, k := range p.expandTerms(r.Keywords) {
						kw = append(kw, strings.TrimSuffix(k, "*")+"*")
					}
					pr.alts = append(pr.alts, []int32{newGroup(r.ID+" keywords", false, kw)})
				}
			}
		default:
			alts, ok := detectors[r.ID]
			if !ok || alts == nil {
				pr.always = true // a detector the fast path does not know: assume it fires
				break
			}
			need := func(n pfNeed, name string) []int32 {
				var alt []int32
				for j, list := range n.lists {
					alt = append(alt, newGroup(fmt.Sprintf("%s #%d", name, j+1), n.code, list))
				}
				return alt
			}
			for _, n := range alts {
				pr.alts = append(pr.alts, need(n, r.ID))
			}
			for k, m := range minimums[r.ID] {
				pm := pfMin{min: m.min}
				for _, n := range m.needs {
					pm.alts = append(pm.alts, need(n, fmt.Sprintf("%s count %d", r.ID, k+1)))
				}
				pr.atLeast = append(pr.atLeast, pm)
			}
		}
		pf.rules = append(pf.rules, pr)
	}
	pf.m = newTermMatcher(terms)
	// The glance reads raw bytes: upper-case letters and white space fall
	// into the classes of what the views make of them.
	for b := range 256 {
		c := byte(b)
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			c = ' '
		}
		pf.rawClass[b] = pf.m.class[c]
	}
	return pf
}

// pfScan is the state of one prefilter pass over a capture.
type pfScan struct {
	pf      *prefilter
	hit     []bool    // by group
	pos     [][]int32 // by near group: where its terms start in the view being matched
	nearOK  []bool    // by near matcher
	phone   bool
	decoded bool   // the engine may de-obfuscate something: TSS-OBFUSCATED possible
	opaque  string // the first marker of run-time string building
	decoys  bool   // an inline element that may hide a decoy: the words the engine reads may not be the views'
	// classDecoy: an inline element with a class inside a word, which a
	// style sheet may hide.
	classDecoy bool
	bidi       bool // text shown reversed (bidi.go)
	prose      int  // characters of the documents' own text (see views)
	dec        []byte
	markup     []byte
	text       []byte
	proseV     []byte
	extra      [][]byte   // decoded blobs, scanned in turn
	mask       []bool     // possibleMask's result
	perCat     []float64  // most's sums
	spans      [][2]int32 // glanceAt's script elements
	stop       bool       // over: the fast path is out of reach, scan no further
	early      bool       // stop once over
	glanced    bool       // the glance stopped it
	// obfPending: the glance stopped the scan without the obfuscation
	// test of the raw bodies (decoded not known yet); see glance.
	obfPending bool
	scanned    int
	maxExtra   int
}

// What a scanned body is.
const (
	pfDocument = iota // HTML: prose, tags, scripts, styles
	pfCode            // a script, a style sheet, a URL, a decoded blob: all code
)

// fastClean reports whether c is certainly clean by the fast path, and why
// (or why not).
func (pf *prefilter) fastClean(c *capture.Capture) (bool, string) {
	if c.Runtime != nil {
		return false, "dynamic capture"
	}
	if len(c.Documents) == 0 {
		return false, "no document"
	}
	size := 0
	for _, d := range c.Documents {
		size += len(d.Body)
	}
	for i := range c.Resources {
		size += len(c.Resources[i].Body)
	}
	if size > fastPathMaxBytes {
		return false, "too large to be worth the prefilter"
	}
	if embedsPictures(c) && pf.pictures() {
		return false, "embedded pictures may hold text (OCR)"
	}
	s := pf.scan(c, true)
	defer pf.scans.Put(s)
	if s.opaque != "" {
		return false, fmt.Sprintf("code builds strings at run time (%s)", s.opaque)
	}
	if s.bidi {
		return false, "text shown reversed (a direction override)"
	}
	if s.decoys || s.classDecoy {
		return false, "an element inside the text may be hidden (decoys in words)"
	}
	ok, why := pf.bound(s)
	if ok && s.obfPending {
		// The glance left the obfuscation test out; it can only raise
		// the bound, so it is needed only now. (A glance that stops puts
		// the bound out of reach already, partway being the lesser
		// reading: this is a safeguard.)
		pf.glanceObfuscation(c, s)
		ok, why = pf.bound(s)
	}
	if s.glanced {
		why = "at a glance: " + why
	}
	return ok, why
}

// scan reads the capture's URLs, documents and kit files once; early, it
// stops as soon as the fast path is out of reach (over).
func (pf *prefilter) scan(c *capture.Capture, early bool) *pfScan {
	s, _ := pf.scans.Get().(*pfScan)
	if s == nil {
		s = &pfScan{pf: pf, hit: make([]bool, len(pf.groups)), pos: make([][]int32, len(pf.groups)), nearOK: make([]bool, len(pf.nears))}
	}
	// The view buffers are kept from page to page; the findings are not.
	clear(s.hit)
	clear(s.nearOK)
	for g := range s.pos {
		s.pos[g] = s.pos[g][:0]
	}
	s.phone, s.decoded, s.opaque, s.prose, s.extra, s.scanned, s.maxExtra, s.stop, s.early, s.glanced = false, false, "", 0, nil, 0, 4<<20, false, early, false
	s.obfPending, s.decoys, s.classDecoy, s.bidi = false, false, false, false
	if early && pf.glance(c, s) {
		s.stop, s.glanced = true, true
		return s
	}
	for _, u := range append([]string{c.URL, c.FinalURL}, c.Redirects...) {
		if u != "" {
			s.body([]byte(u), pfCode, 0)
		}
	}
	for _, d := range c.Documents {
		if s.opaque != "" || s.stop {
			break
		}
		s.body(d.Body, pfDocument, 0)
	}
	for i := range c.Resources {
		if s.opaque != "" || s.stop {
			break
		}
		s.body(c.Resources[i].Body, pfCode, 0)
	}
	return s
}

// possible lists the rules whose keywords the scan found (by ID, and in
// pack order).
func (pf *prefilter) possible(s *pfScan) (map[string]bool, []string) {
	mask := pf.possibleMask(s, false)
	possible := map[string]bool{}
	var ids []string
	for i, r := range pf.rules {
		if mask[i] {
			possible[r.id] = true
			ids = append(ids, r.id)
		}
	}
	return possible, ids
}

// possibleMask says, by index into pf.rules, which rules the scan so far
// makes possible. Partway through a capture (partial) the gateway rules
// count as impossible: more prose may yet rule them out, and what is left
// only grows as the scan reads on.
func (pf *prefilter) possibleMask(s *pfScan, partial bool) []bool {
	groupOK := func(g int32) bool { return s.hit[g] || (pf.groups[g].phone && s.phone) }
	altOK := func(alt []int32) bool {
		for _, g := range alt {
			if !groupOK(g) {
				return false
			}
		}
		return true
	}
	mask := s.mask[:0]
	for _, r := range pf.rules {
		ok := r.always
		for _, k := range r.nears {
			ok = ok || s.nearOK[k]
		}
		for _, alt := range r.alts {
			if ok {
				break
			}
			ok = altOK(alt)
		}
		for _, m := range r.atLeast {
			if !ok {
				break
			}
			n := 0
			for _, alt := range m.alts {
				if altOK(alt) {
					n++
				}
			}
			ok = n >= m.min
		}
		if ok && r.gateway && (partial || s.prose > blankText) {
			ok = false // the page has text of its own: not a gateway
		}
		mask = append(mask, ok)
	}
	s.mask = mask
	return mask
}

// most adds up the most the possible rules could score: the score, or
// the decisive rule that is possible ("" if none).
func (pf *prefilter) most(s *pfScan, partial bool) (score float64, decisive string) {
	p := pf.pack
	possible := pf.possibleMask(s, partial)
	perCat := s.perCat[:0]
	for range pf.cats {
		perCat = append(perCat, 0)
	}
	s.perCat = perCat
	contactOnly := true
	others := false
	obf := -1
	for i, r := range pf.rules {
		if !possible[i] {
			continue
		}
		if r.id == "TSS-OBFUSCATED" {
			obf = i
			continue
		}
		if r.decisive {
			return 0, r.id
		}
		if !r.contact {
			contactOnly = false
		}
		switch r.category {
		case "brand", "context", "obfuscation":
		default:
			if r.id != "TSS-CALL-LINK" {
				others = true
			}
		}
		perCat[r.cat] += r.weight
	}
	if obf >= 0 && others && s.decoded {
		r := pf.rules[obf]
		perCat[r.cat] += r.weight
		contactOnly = contactOnly && r.contact
	}
	for c, sum := range perCat {
		score += min(sum, p.Categories[pf.cats[c]].Cap)
	}
	if contactOnly && p.ContactCap > 0 && score > p.ContactCap {
		score = p.ContactCap
	}
	return score, ""
}

// over says whether the capture certainly cannot take the fast path by
// what the scan has seen so far: some decisive rule is possible, or the
// possible score already reaches the suspicious threshold. The scan stops
// there.
func (pf *prefilter) over(s *pfScan) bool {
	score, decisive := pf.most(s, true)
	return decisive != "" || score >= pf.pack.Thresholds.Suspicious
}

// bound decides from the whole scan.
func (pf *prefilter) bound(s *pfScan) (bool, string) {
	p := pf.pack
	score, decisive := pf.most(s, false)
	if decisive != "" {
		return false, decisive + " possible (decisive)"
	}
	_, ids := pf.possible(s)
	if score >= p.Thresholds.Suspicious {
		return false, fmt.Sprintf("possible score %.1f ≥ %.0f from %s", score, p.Thresholds.Suspicious, strings.Join(ids, ", "))
	}
	if len(ids) == 0 {
		return true, "no keyword any rule needs"
	}
	return true, fmt.Sprintf("at most %.1f < %.0f even if %s all matched", score, p.Thresholds.Suspicious, strings.Join(ids, ", "))
}

// glance is a first, cheap look at a capture: the keywords in its raw
// bytes (ASCII case folded; nothing decoded, no views, all of it counted
// as code and markup). It says whether what it saw already puts the fast
// path out of reach (over), which decides most pages at a fraction of the
// scan's cost. It can only rule the fast path out, never in, so the views'
// finer reading decides every page the fast path takes: a page it does not
// rule out is scanned afresh.
//
// Whether a raw body looks obfuscated (decoded) can only add to what is
// possible (TSS-OBFUSCATED's weight), so a page the keywords alone put out
// of reach stops without that test, and fastClean makes it only if the
// bound without it would take the fast path.
func (pf *prefilter) glance(c *capture.Capture, s *pfScan) bool {
	for _, d := range c.Documents {
		s.glanceAt(d.Body, false)
	}
	for i := range c.Resources {
		s.glanceAt(c.Resources[i].Body, true)
	}
	if pf.eagerObfuscation {
		pf.glanceObfuscation(c, s)
	}
	if pf.over(s) {
		s.obfPending = !pf.eagerObfuscation
		return true // the hits stay: bound names the rules they make possible
	}
	pf.glanceObfuscation(c, s)
	if pf.over(s) {
		return true
	}
	// What the glance saw is forgotten, but for an obfuscated body: the
	// scan would find the same (body) and need not look again.
	clear(s.hit)
	s.phone = false
	return false
}

// glanceAt marks the groups of the keywords in raw bytes b; code says b
// is all code (a script or style sheet). In a document, prose cannot be
// told from code at a glance: keywords only code satisfies count inside
// its script elements (a guess that errs towards seeing less, which only
// leaves more pages to the scan).
func (s *pfScan) glanceAt(b []byte, code bool) {
	scripts := s.spans[:0]
	if !code {
		scripts = scriptSpans(b, scripts)
		s.spans = scripts
	}
	s.find(b, &s.pf.rawClass, false, func(g, start int32) {
		if code || !s.pf.groups[g].code {
			s.hit[g] = true
			return
		}
		i := sort.Search(len(scripts), func(i int) bool { return scripts[i][1] > start })
		if i < len(scripts) && scripts[i][0] <= start {
			s.hit[g] = true
		}
	})
	if !s.phone {
		s.phone = phoneShape(b)
	}
}

// glanceObfuscation sets decoded as body would find it over the raw
// documents and kit files.
func (pf *prefilter) glanceObfuscation(c *capture.Capture, s *pfScan) {
	for _, d := range c.Documents {
		if s.decoded {
			return
		}
		s.decoded = js.LooksObfuscated(d.Body)
	}
	for i := range c.Resources {
		if s.decoded {
			return
		}
		s.decoded = js.LooksObfuscated(c.Resources[i].Body)
	}
}

// scriptSpans appends the byte ranges of b's script elements (from the
// start tag to the end tag) to spans.
func scriptSpans(b []byte, spans [][2]int32) [][2]int32 {
	for i := 0; i < len(b) && len(b) <= math.MaxInt32; {
		j := indexFold(b[i:], "<script")
		if j < 0 {
			break
		}
		start := i + j
		end := len(b)
		if k := indexFold(b[start+7:], "</script"); k >= 0 {
			end = start + 7 + k
		}
		spans = append(spans, [2]int32{int32(start), int32(end)})
		i = end
	}
	return spans
}

// indexFold is bytes.Index for an ASCII lower-case needle, ignoring the
// ASCII case of b.
func indexFold(b []byte, needle string) int {
	if needle == "" {
		return 0
	}
	lo, up := needle[0], upperASCII(needle[0])
	nextLo, nextUp := -1, -1 // where each case of the first byte is next, from i on
	for i := 0; i+len(needle) <= len(b); {
		if nextLo < i {
			if nextLo = bytes.IndexByte(b[i:], lo); nextLo >= 0 {
				nextLo += i
			} else {
				nextLo = len(b)
			}
		}
		if nextUp < i {
			if nextUp = bytes.IndexByte(b[i:], up); nextUp >= 0 && up != lo {
				nextUp += i
			} else {
				nextUp = len(b)
			}
		}
		i = min(nextLo, nextUp)
		if i+len(needle) > len(b) {
			return -1
		}
		if foldsTo(b[i:i+len(needle)], needle) {
			return i
		}
		i++
	}
	return -1
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// foldsTo: b is lower, an ASCII lower-case string, ignoring ASCII case.
func foldsTo(b []byte, lower string) bool {
	for i := range len(lower) {
		if lowerASCII(b[i]) != lower[i] {
			return false
		}
	}
	return true
}

// body scans one document, file or decoded blob.
func (s *pfScan) body(b []byte, kind, depth int) {
	s.dec = s.decode(s.dec[:0], b, depth)
	// The engine de-obfuscates only scripts that look obfuscated: its own
	// test, over the whole body, says whether any could.
	if !s.decoded && js.LooksObfuscated(b) {
		s.decoded = true
	}
	if s.opaque == "" && functionConstructor(s.dec) {
		s.opaque = "Function("
	}
	// Text the engine reads reversed, as it is shown (bidi.go): the views
	// read it as written.
	if !s.bidi && (bytes.Contains(s.dec, []byte(rlo)) || indexFold(s.dec, "<bdo") >= 0 || indexFold(s.dec, "bidi-override") >= 0) {
		s.bidi = true
	}
	s.views(s.dec, kind == pfDocument && depth == 0)
	if !s.phone {
		s.phone = phoneShape(s.markup) || phoneShape(s.text)
	}
	// Code and markup first: they hold what makes most pages possible
	// scams (a locker API, a call link), and the scan stops once it is
	// sure the page is beyond the fast path.
	for _, v := range []struct {
		view        []byte
		code, prose bool
	}{{s.markup, true, false}, {s.text, false, false}, {s.proseV, false, true}} {
		s.match(v.view, v.code, v.prose)
		if s.stop = s.early && s.opaque == "" && s.pf.over(s); s.stop {
			return
		}
	}
	// Blobs found while decoding this body, then theirs (depth-bounded).
	extra := s.extra
	s.extra = nil
	for _, x := range extra {
		if s.opaque != "" || s.stop {
			return
		}
		s.body(x, pfCode, depth+1)
	}
}

// match marks the groups of the keywords in v; code says v is code and
// markup (all groups count), else prose (code groups do not).
func (s *pfScan) match(v []byte, code, prose bool) {
	s.find(v, &s.pf.m.class, code, func(g, start int32) {
		if code || !s.pf.groups[g].code {
			s.hit[g] = true
		}
		if s.pf.groups[g].near && len(s.pos[g]) < 4096 {
			s.pos[g] = append(s.pos[g], start)
		}
	})
	s.matchNear(v, prose)
}

// find calls hit with the group of every keyword found in v (bytes mapped
// to the matcher's classes by class) and where it starts. Opaque-code
// markers are not reported; with markers, the first is noted (s.opaque).
func (s *pfScan) find(v []byte, class *[256]uint16, markers bool, hit func(g, start int32)) {
	m := s.pf.m
	st := int32(0)
	for i := 0; i < len(v); i++ {
		st = m.next(st, class[v[i]])
		if !m.emitting(st) {
			continue
		}
		for _, id := range m.outs(st) {
			if int(id) < s.pf.markers {
				if markers && s.opaque == "" {
					s.opaque = m.terms[id].text
				}
				continue
			}
			t := &m.terms[id]
			start := i + 1 - len(t.text)
			word := true
			if t.leftBound && start > 0 {
				r, _ := utf8.DecodeLastRune(v[:start])
				word = !isWordRune(r)
			}
			if word && t.rightBound && i+1 < len(v) {
				r, _ := utf8.DecodeRune(v[i+1:])
				word = !isWordRune(r)
			}
			for _, ref := range s.pf.termGroups[id] {
				if ref.word && !word {
					continue
				}
				hit(ref.group, int32(start))
			}
		}
	}
}

// nearSlack widens near windows: text a script writes in pieces sits
// closer together in the page than in the script.
const nearSlack = 16

// matchNear checks the near matchers on the positions found in view v,
// then forgets them.
func (s *pfScan) matchNear(v []byte, prose bool) {
	for k, nr := range s.pf.nears {
		if s.nearOK[k] || (prose && nr.urlOnly) {
			continue
		}
		first := s.pos[nr.groups[0]]
		for _, p0 := range first {
			all := true
			for _, g := range nr.groups[1:] {
				if !closeTo(v, s.pos[g], p0, nr.window+nearSlack) {
					all = false
					break
				}
			}
			if all {
				s.nearOK[k] = true
				break
			}
		}
	}
	for g := range s.pos {
		s.pos[g] = s.pos[g][:0]
	}
}

// closeTo: some position in list (ascending) is within window characters
// of p, as the engine's within measures it.
func closeTo(v []byte, list []int32, p int32, window int) bool {
	near := func(q int32) (ok, stop bool) {
		lo, hi := min(q, p), max(q, p)
		d := int(hi - lo)
		switch {
		case d <= window:
			return true, true
		case d > 4*window:
			return false, true
		}
		return utf8.RuneCount(v[lo:hi]) <= window, false
	}
	i := sort.Search(len(list), func(i int) bool { return list[i] >= p })
	for j := i; j < len(list); j++ {
		if ok, stop := near(list[j]); ok || stop {
			if ok {
				return true
			}
			break
		}
	}
	for j := i - 1; j >= 0; j-- {
		if ok, stop := near(list[j]); ok || stop {
			return ok
		}
	}
	return false
}

var hexVal = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = int8(c - '0')
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = int8(c - 'a' + 10)
		t[c-'a'+'A'] = int8(c - 'a' + 10)
	}
	return
}()

func hexN(b []byte, i, n int) (rune, bool) {
	if i+n > len(b) {
		return 0, false
	}
	var r rune
	for k := 0; k < n; k++ {
		v := hexVal[b[i+k]]
		if v < 0 {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// isB64 marks the bytes of base64 (standard and URL-safe) runs.
var isB64 = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['+'], t['/'], t['-'], t['_'] = true, true, true, true
	return
}()

// decode appends b to dst with entities and escapes decoded, and queues
// base64 and hex runs that decode to text for scanning.
func (s *pfScan) decode(dst, b []byte, depth int) []byte {
	run := 0
	for i := 0; i < len(b); i++ {
		c := b[i]
		if isB64[c] {
			run++
		} else {
			if run >= 16 {
				s.blob(b[i-run:i], depth)
			}
			run = 0
		}
		switch c {
		case '&':
			j := i + 1
			for j < len(b) && j-i < 34 && (b[j] == '#' || isAlnum(b[j])) {
				j++
			}
			end := j
			if j < len(b) && b[j] == ';' {
				end = j + 1
			}
			if r, n := numericEntity(b[i:end]); n > 0 {
				dst = utf8.AppendRune(dst, r)
				i += n - 1
				continue
			}
			if end-i > 1 {
				if u := html.UnescapeString(string(b[i:end])); u != string(b[i:end]) {
					dst = append(dst, u...)
					i = end - 1
					continue
				}
			}
		case '\\':
			if i+1 < len(b) {
				switch b[i+1] {
				case 'x', 'X':
					if r, ok := hexN(b, i+2, 2); ok {
						dst = utf8.AppendRune(dst, r)
						i += 3
						continue
					}
				case 'u', 'U':
					if i+2 < len(b) && b[i+2] == '{' {
						j := i + 3
						for j < len(b) && j-i < 12 && hexVal[b[j]] >= 0 {
							j++
						}
						if j < len(b) && b[j] == '}' && j > i+3 {
							r, _ := hexN(b, i+3, j-i-3)
							dst = utf8.AppendRune(dst, r)
							i = j
							continue
						}
					}
					if r, ok := hexN(b, i+2, 4); ok {
						i += 5
						if utf16IsHigh(r) && i+6 < len(b) && b[i+1] == '\\' && (b[i+2] == 'u' || b[i+2] == 'U') {
							if lo, ok := hexN(b, i+3, 4); ok && lo >= 0xdc00 && lo <= 0xdfff {
								r = (r-0xd800)<<10 + (lo - 0xdc00) + 0x10000
								i += 6
							}
						}
						dst = utf8.AppendRune(dst, r)
						continue
					}
				case '0', '1', '2', '3':
					if i+3 < len(b) && isOctal(b[i+2]) && isOctal(b[i+3]) {
						dst = append(dst, (b[i+1]-'0')<<6|(b[i+2]-'0')<<3|(b[i+3]-'0'))
						i += 3
						continue
					}
				}
			}
		case '%':
			if i+2 < len(b) && (b[i+1] == 'u' || b[i+1] == 'U') {
				if r, ok := hexN(b, i+2, 4); ok {
					dst = utf8.AppendRune(dst, r)
					i += 5
					continue
				}
			}
			if r, ok := hexN(b, i+1, 2); ok {
				dst = append(dst, byte(r))
				i += 2
				continue
			}
		}
		dst = append(dst, c)
	}
	if run >= 16 {
		s.blob(b[len(b)-run:], depth)
	}
	return dst
}

func utf16IsHigh(r rune) bool { return r >= 0xd800 && r <= 0xdbff }
func isOctal(c byte) bool     { return c >= '0' && c <= '7' }
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// blob queues a base64 or hex run that decodes to text, as the engine's
// de-obfuscation would find it.
func (s *pfScan) blob(run []byte, depth int) {
	if depth >= 2 || s.scanned+len(run) > s.maxExtra {
		return
	}
	if !(len(run)%2 == 0 && allHex(run)) && !base64Mix(run) {
		return // a word, a path or an identifier, not a blob
	}
	var out []byte
	if len(run)%2 == 0 && allHex(run) {
		out = make([]byte, 0, len(run)/2)
		for i := 0; i+1 < len(run); i += 2 {
			out = append(out, byte(hexVal[run[i]]<<4|hexVal[run[i+1]]))
		}
	} else if b, ok := decodeBase64Loose(string(run)); ok {
		out = b
	} else if len(run) > 4 {
		// a run cut short of its padding or continuing past the blob
		if b, ok := decodeBase64Loose(string(run[:len(run)/4*4])); ok {
			out = b
		}
	}
	if len(out) < 4 || !mostlyText(out) {
		return
	}
	s.scanned += len(run)
	s.decoded = true
	s.extra = append(s.extra, out)
}

// base64Mix: the mix of cases and digits real base64 has (js.base64ish
// asks the same of literals it decodes), and no path separators runs.
func base64Mix(b []byte) bool {
	upper, lower, digit := 0, 0, 0
	for _, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c >= '0' && c <= '9':
			digit++
		}
	}
	return upper > 0 && lower > 0 && digit > 0 && upper+digit >= len(b)/8
}

// numericEntity decodes &#NNN; and &#xHH; (with or without ';') at the
// start of b, without allocating; n is how many bytes it took, 0 if none.
func numericEntity(b []byte) (r rune, n int) {
	if len(b) < 3 || b[1] != '#' {
		return 0, 0
	}
	i := 2
	hex := i < len(b) && (b[i] == 'x' || b[i] == 'X')
	if hex {
		i++
	}
	start := i
	for i < len(b) && i-start < 8 {
		c := b[i]
		switch {
		case c >= '0' && c <= '9' && hex:
			r = r*16 + rune(c-'0')
		case c >= '0' && c <= '9':
			r = r*10 + rune(c-'0')
		case hex && hexVal[c] >= 0:
			r = r*16 + rune(hexVal[c])
		default:
			goto done
		}
		i++
	}
done:
	if i == start {
		return 0, 0
	}
	if i < len(b) && b[i] == ';' {
		i++
	}
	if r >= 0x80 && r <= 0x9f {
		return 0, 0 // windows-1252 replacements: html.UnescapeString knows them
	}
	if r == 0 || r > utf8.MaxRune {
		r = utf8.RuneError
	}
	return r, i
}

func allHex(b []byte) bool {
	for _, c := range b {
		if hexVal[c] < 0 {
			return false
		}
	}
	return true
}

// mostlyText: decoded bytes that read as text, not an image or a font.
func mostlyText(b []byte) bool {
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			bad++
		}
	}
	return bad*10 <= len(b) && utf8.Valid(b[:min(len(b), 256)]) || bad == 0
}

// views builds the three texts the keywords are matched in, lower case,
// white space as one space, words holding non-ASCII letters normalised as
// normalizeText does, and string literals joined across '+': prose (the
// document's own text: outside tags, scripts, styles), text (every byte
// outside tags: prose, and what scripts hold) and markup (tags, scripts
// and styles: everything but prose). Where the engine's text has a line
// break (a block element's edge) prose and text have a space; other tags
// leave nothing ("bl<b></b>ocked" is one word). For a document it also
// counts its prose characters (outside tags, scripts, styles and the
// title), at most what the engine counts as its text.
func (s *pfScan) views(b []byte, document bool) {
	v := [3][]byte{s.proseV[:0], s.text[:0], s.markup[:0]}
	const prose, text, markup = 0, 1, 2
	inTag, inComment := false, false
	raw := "" // inside <script>, <style> or <title>: until its end tag
	if !document {
		raw = "-" // all code: never ends
	}
	wordIn := 0       // where the current word starts in b
	var wordAt [3]int // and in the views
	// into says which views take the byte at hand.
	into := func() (p, t, m bool) {
		return !inTag && raw == "" && document, !inTag, inTag || raw != ""
	}
	space := func(x []byte) []byte {
		if len(x) > 0 && x[len(x)-1] != ' ' {
			x = append(x, ' ')
		}
		return x
	}
	resetWord := true // the byte at hand starts a word, if it is a letter
	for i := 0; i < len(b); i++ {
		if resetWord {
			wordIn, wordAt, resetWord = i, [3]int{len(v[0]), len(v[1]), len(v[2])}, false
		}
		c := b[i]
		// Most bytes are plain letters, digits and punctuation: straight
		// into the views that take them.
		if pfPlain[c] != 0 {
			c = pfPlain[c]
			switch {
			case inComment || inTag:
				v[markup] = append(v[markup], c)
			default:
				if raw == "" {
					if document {
						v[prose] = append(v[prose], c)
						s.prose++
					}
				} else {
					v[markup] = append(v[markup], c)
				}
				v[text] = append(v[text], c)
			}
			if !isAlnum(c) {
				resetWord = true
			}
			continue
		}
		p, t, m := into()
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRune(b[i:])
			j := i + size
			if unicode.IsSpace(r) {
				for k, on := range [3]bool{p, t, m} {
					if on {
						v[k] = space(v[k])
					}
				}
				i = j - 1
				resetWord = true
				continue
			}
			start, at := i, [3]int{len(v[0]), len(v[1]), len(v[2])}
			if wordRune(r) {
				// The whole word, from its start, normalised at once.
				for j < len(b) {
					if b[j] < utf8.RuneSelf {
						if !isAlnum(b[j]) {
							break
						}
						j++
						continue
					}
					r, size := utf8.DecodeRune(b[j:])
					if !wordRune(r) {
						break
					}
					j += size
				}
				start, at = wordIn, wordAt
			}
			n := strings.ReplaceAll(normalizeText(string(b[start:j])), "\n", " ")
			for k, on := range [3]bool{p, t, m} {
				if on {
					v[k] = append(v[k][:at[k]], n...)
				}
			}
			if p {
				s.prose += utf8.RuneCount(b[i:j])
			}
			i = j - 1
			resetWord = true
			continue
		}
		if !isAlnum(c) {
			resetWord = true
		}
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			for k, on := range [3]bool{p, t, m} {
				if on {
					v[k] = space(v[k])
				}
			}
			continue
		case '"', '\'', '`':
			// "vi" + "rus": skip the quote, the plus and the next quote.
			j := skipSpaceBytes(b, i+1)
			if j < len(b) && b[j] == '+' {
				j = skipSpaceBytes(b, j+1)
				if j < len(b) && (b[j] == '"' || b[j] == '\'' || b[j] == '`') {
					i = j
					continue
				}
			}
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		switch {
		case inComment:
			v[markup] = append(v[markup], c)
			if c == '>' && i >= 2 && b[i-1] == '-' && b[i-2] == '-' {
				inComment, inTag = false, false
			}
		case inTag:
			if c == '=' && raw == "" && namesNothing(b[:i]) {
				// class="…" and id="…" name the element for style sheets:
				// their words ("print-button", "modal-open") call nothing.
				i = skipAttrValue(b, i+1) - 1
				continue
			}
			v[markup] = append(v[markup], c)
			if c == '>' {
				inTag = false
			}
		case c == '<' && i+1 < len(b) && (isAlnum(b[i+1]) || b[i+1] == '/' || b[i+1] == '!' || b[i+1] == '?'):
			name := tagName(b[i+1:])
			if !s.decoys && b[i+1] != '/' && decoyTags[name] && wordBefore(v[text]) {
				// The engine may leave a hidden decoy out of this word
				// (decoys.go): by the tag's own attributes, or by a class
				// a style sheet hides (a style may be written by a script,
				// its words escaped: any class counts).
				hides, class := rawTagHides(b[i:])
				s.decoys = hides
				s.classDecoy = s.classDecoy || class
			}
			if raw != "" && raw != "-" && b[i+1] == '/' && name == raw {
				raw = ""
			} else if raw == "" && document && (name == "script" || name == "style" || name == "title") {
				raw = name
			}
			if blockTags[name] {
				v[prose], v[text] = space(v[prose]), space(v[text])
			}
			if raw != "" {
				v[markup] = append(v[markup], c)
			} else {
				v[markup] = append(space(v[markup]), c)
			}
			inTag = true
			inComment = i+3 < len(b) && b[i+1] == '!' && b[i+2] == '-' && b[i+3] == '-'
		default:
			if p {
				v[prose] = append(v[prose], c)
				s.prose++
			}
			v[text] = append(v[text], c)
			if m {
				v[markup] = append(v[markup], c)
			}
		}
	}
	s.proseV, s.text, s.markup = v[prose], v[text], v[markup]
}

// namesNothing: the attribute whose '=' ends b is class or id.
func namesNothing(b []byte) bool {
	i := len(b)
	for i > 0 && (b[i-1] == ' ' || b[i-1] == '\t' || b[i-1] == '\n' || b[i-1] == '\r') {
		i--
	}
	j := i
	for j > 0 && isAlnum(b[j-1]) {
		j--
	}
	if j == 0 || !(b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\n' || b[j-1] == '\r' || b[j-1] == '"' || b[j-1] == '\'') {
		return false
	}
	name := string(b[j:i])
	return strings.EqualFold(name, "class") || strings.EqualFold(name, "id")
}

// skipAttrValue returns where the attribute value starting at i ends.
func skipAttrValue(b []byte, i int) int {
	i = skipSpaceBytes(b, i)
	if i < len(b) && (b[i] == '"' || b[i] == '\'') {
		if k := bytes.IndexByte(b[i+1:], b[i]); k >= 0 && k < 4096 {
			return i + 1 + k + 1
		}
		return i + 1
	}
	for i < len(b) && b[i] != '>' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// pfPlain maps the bytes views copies as they are (lower-cased) to
// themselves; 0 for bytes that need a closer look: white space, quotes,
// tag and entity syntax, '=' (attribute values), '-' (comment ends) and
// non-ASCII.
var pfPlain = func() (t [256]byte) {
	for c := 0x21; c < 0x7f; c++ {
		switch c {
		case '<', '>', '"', '\'', '`', '=', '-':
			continue
		}
		t[c] = byte(c)
		if c >= 'A' && c <= 'Z' {
			t[c] = byte(c) + 'a' - 'A'
		}
	}
	return
}()

// tagName is the lower-case name of the tag b starts with (after '<').
func tagName(b []byte) string {
	i := 0
	if i < len(b) && b[i] == '/' {
		i++
	}
	j := i
	for j < len(b) && j-i < 16 && isAlnum(b[j]) {
		j++
	}
	return strings.ToLower(string(b[i:j]))
}

// wordRune: a character normalizeText may fold together with its word's
// other letters (look-alikes, marks, full-width forms, invisibles).
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || invisible(r) || r == utf8.RuneError
}

// functionConstructor finds Function( and new Function, which run a string
// as code (case matters: "function(" is an ordinary function).
func functionConstructor(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("Function"))
		if j < 0 {
			return false
		}
		k := skipSpaceBytes(b, i+j+len("Function"))
		if k < len(b) && (b[k] == '(' || b[k] == '`') && (i+j == 0 || !isIdentByte(b[i+j-1])) {
			return true
		}
		i += j + 1
	}
}

func skipSpaceBytes(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// phoneShape: seven digits or more with nothing but a few separators
// between them, the least any phone number has. White space is already
// gone from v.
func phoneShape(v []byte) bool {
	digits, gap := 0, 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			gap = 0
			if digits >= 7 {
				return true
			}
			continue
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(v[i:])
			i += size - 1
			if unicode.IsDigit(r) {
				digits++
				gap = 0
				if digits >= 7 {
					return true
				}
				continue
			}
			if unicode.IsLetter(r) {
				digits, gap = 0, 0
				continue
			}
		case c >= 'a' && c <= 'z':
			digits, gap = 0, 0
			continue
		}
		if digits > 0 {
			gap++
			if gap > 3 {
				digits, gap = 0, 0
			}
		}
	}
	return false
}

// fastReport is the report of a page the fast path found clean.
func fastReport(c *capture.Capture, why string) *Report {
	r := &Report{Schema: SchemaVersion, URL: c.URL, FinalURL: c.FinalURL, Redirects: c.Redirects,
		Verdict: Clean, Findings: []Finding{}, Hotlines: []Hotline{}, FastPath: true,
		Reason: "fast path: " + why}
	r.Notes = append(r.Notes, c.Notes...)
	r.Notes = append(r.Notes, "decided by the fast path (--no-fast-path runs every rule): "+why)
	return r
}

// embedsPictures says whether a document embeds a picture as a data: URL,
// which OCR may read words out of (images.go).
func embedsPictures(c *capture.Capture) bool {
	for _, d := range c.Documents {
		b := d.Body
		for off := 0; ; {
			i := bytes.IndexByte(b[off:], ':')
			if i < 0 {
				break
			}
			i += off
			if i >= 4 && len(b) >= i+7 && bytes.EqualFold(b[i-4:i], []byte("data")) && bytes.EqualFold(b[i+1:i+7], []byte("image/")) {
				return true
			}
			off = i + 1
		}
	}
	return false
}
