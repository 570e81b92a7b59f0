package analyze

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Context scoping: scam pages assert ("your computer is infected, call now");
// news, banks and vendors quote, ask, warn and negate ("if a page says your
// computer is infected, it is a scam"; "we will never call you"). A claim
// rule's match only counts where the page asserts it.

type scopeKind uint8

const (
	scopeAdvisory         scopeKind = iota + 1 // scam, fake, never, pretend ...
	scopeConditional                           // if, when, in case ...
	scopeNegation                              // not, never, nicht ...
	scopeConditionalAfter                      // a conditional marker after its clause (…場合は)
)

// scopeLists maps the pack's named term lists to their scope kind.
var scopeLists = map[string]scopeKind{
	"advisory":    scopeAdvisory,
	"conditional": scopeConditional,
	"negation":    scopeNegation,
	// for languages whose if-clause ends in a marker
	"conditional_after": scopeConditionalAfter,
}

// ScopeLists names the pack's term lists that scope claims, sorted.
func ScopeLists() []string { return sortedKeys(scopeLists) }

// scopePos holds where scoping words stand in one normalised segment.
type scopePos struct {
	advisory, conditional []termHit
	negation              []termHit
	conditionalAfter      []termHit
}

const maxScopeHits = 2048

func (s *scopePos) add(k scopeKind, h termHit) {
	var list *[]termHit
	switch k {
	case scopeAdvisory:
		list = &s.advisory
	case scopeConditional:
		list = &s.conditional
	case scopeNegation:
		list = &s.negation
	case scopeConditionalAfter:
		list = &s.conditionalAfter
	default:
		return
	}
	if len(*list) < maxScopeHits {
		*list = append(*list, h)
	}
}

// How far (bytes) scoping looks around a claim: its sentence, bounded, and
// for advisory words also the sentence before it.
const (
	scopeSentenceMax = 400
	scopeNegationGap = 8
)

// claimScoped says why the claim text[start:end] is not asserted by the
// page ("question", "conditional", "quoted", "negated", "advisory"), or "".
// A negation that is part of one of the claim's own terms (own: "not
// active", which "is not" overlaps) is the claim's wording, not a denial.
func (s *scopePos) claimScoped(text string, start, end int, negatable bool, own ...termHit) string {
	sStart, sEnd, term := sentenceAround(text, start, end)
	if term == '?' {
		return "question"
	}
	for _, h := range s.conditional {
		// the claim sits inside the if-clause: the marker comes before it in
		// its sentence with no clause break between ("if your PC is locked,
		// call IT" — not "if you close this page, your PC will be locked").
		if h.Start >= sStart && h.End <= start && !strings.ContainsAny(text[h.End:start], ",;:") && !strings.Contains(text[h.End:start], " then ") {
			return "conditional"
		}
		// or the marker opens a clause inside the claim that holds its end
		// ("your computer runs better than when it got infected").
		if h.Start > start && h.End <= end && !strings.ContainsAny(text[h.End:end], ",;:") {
			return "conditional"
		}
	}
	if quoted(text[sStart:sEnd], start-sStart) {
		return "quoted"
	}
	if negatable {
		for _, h := range s.negation {
			// a negation right before the claim in its sentence, or inside
			// it ("is not infected"); not the end of the sentence before
			// ("… nicht aus. Rufen Sie sofort den Support an").
			if slices.ContainsFunc(own, func(t termHit) bool { return h.Start < t.End && t.Start < h.End }) {
				continue
			}
			if h.Start > start && h.End <= end || h.Start >= sStart && h.End <= start && start-h.End <= scopeNegationGap {
				return "negated"
			}
		}
	}
	for _, h := range s.conditionalAfter {
		// languages that close the if-clause after it (…の場合は)
		if h.Start >= end && h.End <= sEnd && !strings.ContainsAny(text[end:h.Start], ",;:、") {
			return "conditional"
		}
	}
	pStart, _, _ := sentenceAround(text, max(sStart-2, 0), max(sStart-2, 0))
	if sStart == 0 {
		pStart = 0
	}
	for _, h := range s.advisory {
		if h.Start >= pStart && h.End <= sEnd && !inIdentifier(text, h.Start, h.End) {
			return "advisory"
		}
	}
	return ""
}

// notNegation: the negation h is another language's word of the same
// spelling, told by the word after it: Portuguese "no" (in the) before a
// possessive, "no seu PC" (on your PC), where Spanish and English "no"
// never stand; Dutch "nu" (now) before an article or a possessive, "bel
// nu onze afdeling" (call our department now), where Romanian "nu" (not)
// stands before a verb.
func notNegation(text string, h termHit) bool {
	var next []string
	switch text[h.Start:h.End] {
	case "no":
		next = []string{"seu", "sua", "seus", "suas", "meu", "minha", "teu", "tua", "nosso", "nossa"}
	case "nu":
		next = []string{"onze", "ons", "uw", "je", "jouw", "de", "het", "een"}
	default:
		return false
	}
	rest := strings.TrimLeft(text[h.End:], " ")
	for _, w := range next {
		if strings.HasPrefix(rest, w) && (len(rest) == len(w) || !isAlnum(rest[len(w)])) {
			return true
		}
	}
	return false
}

// inIdentifier: text[start:end] is part of a dotted, slashed or
// underscored name (a malware family such as Win32/Hoax.Renos,
// Trojan.FakeAV, a path, a host), not a word of the sentence: "hoax" in a
// threat name on a fake scan is no advice about hoaxes.
func inIdentifier(text string, start, end int) bool {
	joins := func(c byte) bool { return c == '.' || c == '/' || c == '\\' || c == '_' || c == ':' }
	return start >= 2 && joins(text[start-1]) && isAlnum(text[start-2]) ||
		end+1 < len(text) && joins(text[end]) && isAlnum(text[end+1])
}

// sentenceAround returns the bounds of the sentence holding text[start:end]
// and the character that ends it (0 when none).
func sentenceAround(text string, start, end int) (int, int, rune) {
	lo := max(start-scopeSentenceMax, 0)
	sStart := lo
	for i := start - 1; i >= lo; i-- {
		if c := text[i]; (c == '.' || c == '!' || c == '?') && i+1 < len(text) && (text[i+1] == ' ' || text[i+1] == '\n') {
			sStart = i + 1
			break
		}
		if r, n := utf8.DecodeLastRuneInString(text[:i+1]); n > 1 && isWideStop(r) {
			sStart = i + 1
			break
		}
	}
	hi := min(end+scopeSentenceMax, len(text))
	for i := end; i < hi; {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '.' || r == '!' || r == '?':
			if i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' {
				return sStart, i + 1, r
			}
		case isWideStop(r):
			if r == '？' || r == '؟' {
				r = '?'
			}
			return sStart, i + n, r
		}
		i += n
	}
	return sStart, hi, 0
}

// isWideStop: a full stop, exclamation or question mark that needs no
// space after it, of scripts other than Latin's: CJK's, the Devanagari
// danda (Hindi, Marathi, Nepali), the Arabic question mark, the Urdu
// full stop.
func isWideStop(r rune) bool {
	switch r {
	case '。', '！', '？', '।', '॥', '؟', '۔':
		return true
	}
	return false
}

// quoted: the sentence opens a quotation before at and closes it after.
func quoted(sentence string, at int) bool {
	at = min(at, len(sentence))
	var closer rune
	for _, r := range sentence[:at] {
		if closer != 0 {
			if r == closer {
				closer = 0
			}
			continue
		}
		switch r {
		case '"', '„':
			closer = '"'
		case '«':
			closer = '»'
		case '「':
			closer = '」'
		case '『':
			closer = '』'
		}
	}
	return closer != 0 && strings.ContainsRune(sentence[at:], closer)
}

// scoped records, as a note, a claim the page did not assert.
func (a *analysis) scoped(rule, why string, ns *normSegment, start, end int) {
	if a.scopedNotes == nil {
		a.scopedNotes = map[string]bool{}
	}
	key := rule + why
	if a.scopedNotes[key] || len(a.scopedNotes) > 20 {
		return
	}
	a.scopedNotes[key] = true
	a.note("%s not counted (%s): %s", rule, why, snippet(ns.Norm, start, end, 30, 120))
}
