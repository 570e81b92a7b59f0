package export

import (
	"container/heap"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp/syntax"
	"sort"
	"strconv"
)

const (
	// DNRDomainsPerRule is how many domains share one rule's
	// condition.requestDomains.
	DNRDomainsPerRule = 1000
	// DNRMaxRules is the number of static rules Chrome guarantees an
	// extension (GUARANTEED_MINIMUM_STATIC_RULES); the writer stops
	// adding rules there.
	DNRMaxRules = 30000
	// DNRMaxRegexRules is how many regexFilter rules Chrome takes from an
	// extension's static rulesets (MAX_NUMBER_OF_REGEX_RULES); a ruleset
	// with more is not loaded.
	DNRMaxRegexRules = 1000
	// dnrRegexMaxInsts bounds a regexFilter's size, counted as
	// instructions of Go's compiled program. Chrome compiles each with a
	// 2 KB memory limit and ignores a rule over it; measured in Chromium
	// 156, the limit fell between 101 and 102 instructions for a URL's
	// expression and between 111 and 116 for a pattern's, so 90 leaves a
	// margin for both. A host and path of about 65 characters fit.
	dnrRegexMaxInsts = 90
	// DNRWarningPath is the extension page blocked pages are redirected to
	// when Meta.WarningURL is empty.
	DNRWarningPath = "/warning.html"
)

// DNR is a Manifest V3 declarativeNetRequest static ruleset: a JSON array
// of rules that redirect top-level navigations (resourceTypes
// ["main_frame"]) to Meta.WarningURL, or to the extension's own
// /warning.html when it is empty. Domains are grouped, up to 1,000 in one
// rule's requestDomains (which also matches their subdomains, at any
// port). Each URL indicator is a rule of its own with a regexFilter that
// means what the index means by it at any port: "host/path" the host or a
// subdomain and that path; a URL pattern "host/path?phone=" that host and
// path with the parameter set anywhere in the query (see urlRegex,
// patternRegex). Chrome takes DNRMaxRegexRules of those, each of limited
// size; past the count, or for a URL too long for a regexFilter, a plain
// URL becomes urlFilter "||host/path^" (default ports only) and a pattern
// is left out.
//
// The most recently seen listings come first and are the ones kept: when
// more listings are live than DNRMaxRules rules hold, the oldest (by
// Indicator.LastSeen) are left out, and the regexFilter slots go to the
// newest URLs. Rule IDs run from 1 in that order, so a consumer that must
// cut the list further keeps the newest by cutting from the end. WriteDNR
// takes smaller limits (a browser's dynamic-rule limits).
//
// The extension needs the declarativeNetRequestWithHostAccess permission
// and host permissions for redirects, and the ruleset listed under
// declarative_net_request.rule_resources in its manifest.
var DNR = Format{
	Name:        "dnr",
	Description: "MV3 declarativeNetRequest static ruleset JSON (redirect to a warning page), newest listings first",
	ContentType: "application/json",
	Ext:         "json",
	Write: func(ctx context.Context, w io.Writer, src Source, meta Meta) error {
		return WriteDNR(ctx, w, src, meta, DNRLimits{})
	},
}

// DNRLimits bounds a DNR ruleset to what a browser takes. A zero field
// means the static-ruleset default (DNRMaxRules, DNRMaxRegexRules).
//
// Browsers: Chrome takes 30,000 static rules (1,000 of them regexFilter)
// and, for dynamic rules, 30,000 of which 5,000 "unsafe" (a redirect is
// unsafe, so every rule here counts against the 5,000) and 1,000
// regexFilter; Firefox takes 5,000 dynamic rules and 1,000 regexFilter.
type DNRLimits struct {
	Rules      int // at most this many rules
	RegexRules int // at most this many regexFilter rules; negative: none
}

func (l DNRLimits) rules() int {
	if l.Rules <= 0 || l.Rules > DNRMaxRules {
		return DNRMaxRules
	}
	return l.Rules
}

func (l DNRLimits) regexRules() int {
	switch {
	case l.RegexRules < 0:
		return 0
	case l.RegexRules == 0 || l.RegexRules > DNRMaxRegexRules:
		return DNRMaxRegexRules
	}
	return l.RegexRules
}

// dnrAction is the JSON action shared by every rule.
func dnrAction(meta Meta) (string, error) {
	if meta.WarningURL == "" {
		return `{"type":"redirect","redirect":{"extensionPath":"` + DNRWarningPath + `"}}`, nil
	}
	u, err := url.Parse(meta.WarningURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || hostile(meta.WarningURL) {
		return "", fmt.Errorf("export: invalid WarningURL %q", meta.WarningURL)
	}
	q, err := json.Marshal(u.String())
	if err != nil {
		return "", err
	}
	return `{"type":"redirect","redirect":{"url":` + string(q) + `}}`, nil
}

// WriteDNR writes the dnr format (see DNR) within lim: the newest
// listings that fit in lim.Rules rules, the newest URLs of them as
// regexFilter rules up to lim.RegexRules.
//
// Memory is bounded by the limits, not by the source: the writer keeps
// only the listings that still fit (at most lim.Rules URLs and
// DNRDomainsPerRule domains per rule), dropping the oldest as newer ones
// arrive. A URL pattern counts as a rule while it is chosen; when more
// URLs than lim.RegexRules are newer, it gets no regexFilter and its rule
// stays empty (patterns are few: reflected numbers on trusted sites).
func WriteDNR(ctx context.Context, w io.Writer, src Source, meta Meta, lim DNRLimits) error {
	action, err := dnrAction(meta)
	if err != nil {
		return err
	}
	var st stats
	pick := newDNRPick(lim.rules())
	maxRegexes := lim.regexRules()
	err = each(ctx, src, meta, &st, domainsURLs, func(it Indicator) error {
		e := &dnrEntry{last: it.LastSeen.UnixMicro(), url: it.Kind == URL}
		if e.url {
			v, err := NormalizeURL(it.Value)
			if err != nil {
				st.invalid++
				return nil
			}
			e.value = v
			// A pattern has no urlFilter form that means it: without a
			// regexFilter it is left out. A plain URL's regexFilter is
			// checked when written, for the newest only.
			if re, pattern := dnrRegex(v); pattern {
				if maxRegexes == 0 || !dnrRegexFits(re) {
					st.other++
					return nil
				}
				e.pattern = true
			}
		} else {
			d, err := NormalizeDomain(it.Value)
			if err != nil {
				st.invalid++
				return nil
			}
			e.value = d
		}
		pick.add(e)
		return nil
	})
	if err != nil {
		return err
	}

	// Newest first; a domain group stands where its newest domain does.
	kept := pick.sorted()
	type rule struct {
		url     *dnrEntry
		domains []string
	}
	var rules []*rule
	var group *rule
	for _, e := range kept {
		if e.url {
			rules = append(rules, &rule{url: e})
			continue
		}
		if group == nil || len(group.domains) == DNRDomainsPerRule {
			group = &rule{domains: make([]string, 0, min(DNRDomainsPerRule, pick.domains))}
			rules = append(rules, group)
		}
		group.domains = append(group.domains, e.value)
	}

	s := newSink(w)
	s.str("[\n")
	id, regexes := 0, 0
	for _, r := range rules {
		if err := ctx.Err(); err != nil {
			return err
		}
		cond, re := "", ""
		if r.url != nil && regexes < maxRegexes {
			re, _ = dnrRegex(r.url.value)
		}
		switch {
		case r.url == nil:
			cond = "requestDomains"
		case regexes < maxRegexes && (r.url.pattern || dnrRegexFits(re)):
			regexes++
			cond = "regexFilter"
		case r.url.pattern:
			st.other++ // past the regexFilter limit; no urlFilter form
			continue
		default:
			cond = "urlFilter"
		}
		id++
		if id > 1 {
			s.str(",\n")
		}
		s.str(`{"id":`)
		s.str(strconv.Itoa(id))
		s.str(`,"priority":1,"action":`)
		s.str(action)
		s.str(`,"condition":{"` + cond + `":`)
		switch cond {
		case "requestDomains":
			s.byte('[')
			for i, d := range r.domains {
				if i > 0 {
					s.byte(',')
				}
				jsonString(s, d)
			}
			s.byte(']')
		case "regexFilter":
			jsonString(s, re)
		default:
			jsonString(s, filterPattern(r.url.value))
		}
		s.str(`,"resourceTypes":["main_frame"]}}`)
		if s.err != nil {
			return s.err
		}
	}
	s.str("\n]\n")
	return s.flush()
}

// dnrRegex is a URL's regexFilter, and whether the URL is a pattern.
func dnrRegex(v string) (string, bool) {
	if hostPath, params, ok := urlPattern(v); ok {
		return patternRegex(hostPath, params), true
	}
	return urlRegex(v), false
}

// dnrEntry is one listing a DNR ruleset may carry. It is kept small: the
// writer holds one for every listing that fits.
type dnrEntry struct {
	value   string // normalised domain or URL
	last    int64  // last seen, unix microseconds
	index   int32  // in dnrPick.heap
	url     bool
	pattern bool // a URL pattern (host/path?param=), whose regexFilter fits
}

// newer orders entries as the ruleset does: most recently seen first, then
// domains before URLs, then by value, so the output does not depend on the
// source's order.
func (a *dnrEntry) newer(b *dnrEntry) bool {
	if a.last != b.last {
		return a.last > b.last
	}
	if a.url != b.url {
		return !a.url
	}
	return a.value < b.value
}

// dnrPick keeps the newest entries that fit in a number of rules (each URL
// a rule, each DNRDomainsPerRule domains a rule): the longest run of the
// entries seen, newest first, that fits, whatever order they came in. It
// is a heap with the oldest entry on top, an index by value for
// duplicates (a duplicate keeps its most recent time), and the newest
// entry dropped so far: nothing older may come in after it, even where it
// would fit, or the result would depend on the source's order.
type dnrPick struct {
	maxRules      int
	heap          []*dnrEntry
	byValue       map[uint64]*dnrEntry // by FNV-1a hash, as hashSet
	urls, domains int
	cut           *dnrEntry // the newest entry dropped; nil while none was
}

func newDNRPick(maxRules int) *dnrPick {
	return &dnrPick{maxRules: maxRules, byValue: map[uint64]*dnrEntry{}}
}

func (p *dnrPick) rules() int {
	return p.urls + (p.domains+DNRDomainsPerRule-1)/DNRDomainsPerRule
}

// key names an entry for de-duplication in 8 bytes (see hashSet for what a
// collision does: it drops a value, never writes a wrong one).
func (p *dnrPick) key(e *dnrEntry) uint64 {
	if e.url {
		return fnv64(e.value) ^ 0x9e3779b97f4a7c15
	}
	return fnv64(e.value)
}

func (p *dnrPick) add(e *dnrEntry) {
	k := p.key(e)
	if old, ok := p.byValue[k]; ok {
		if e.last > old.last {
			old.last = e.last
			heap.Fix((*dnrHeap)(p), int(old.index))
		}
		return
	}
	if p.cut != nil && !e.newer(p.cut) {
		return
	}
	p.byValue[k] = e
	heap.Push((*dnrHeap)(p), e)
	if e.url {
		p.urls++
	} else {
		p.domains++
	}
	for p.rules() > p.maxRules {
		old := heap.Pop((*dnrHeap)(p)).(*dnrEntry)
		delete(p.byValue, p.key(old))
		if old.url {
			p.urls--
		} else {
			p.domains--
		}
		if p.cut == nil || old.newer(p.cut) {
			p.cut = old
		}
	}
}

// sorted returns the kept entries, newest first.
func (p *dnrPick) sorted() []*dnrEntry {
	out := append([]*dnrEntry(nil), p.heap...)
	sort.Slice(out, func(i, j int) bool { return out[i].newer(out[j]) })
	return out
}

// dnrHeap is dnrPick's heap.Interface: the oldest entry at the top.
type dnrHeap dnrPick

func (h *dnrHeap) Len() int           { return len(h.heap) }
func (h *dnrHeap) Less(i, j int) bool { return h.heap[j].newer(h.heap[i]) }
func (h *dnrHeap) Swap(i, j int) {
	h.heap[i], h.heap[j] = h.heap[j], h.heap[i]
	h.heap[i].index, h.heap[j].index = int32(i), int32(j)
}
func (h *dnrHeap) Push(x any) {
	e := x.(*dnrEntry)
	e.index = int32(len(h.heap))
	h.heap = append(h.heap, e)
}
func (h *dnrHeap) Pop() any {
	e := h.heap[len(h.heap)-1]
	h.heap[len(h.heap)-1] = nil
	h.heap = h.heap[:len(h.heap)-1]
	return e
}

// dnrRegexFits reports whether Chrome will compile re as a regexFilter:
// small enough (dnrRegexMaxInsts).
func dnrRegexFits(re string) bool {
	r, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return false
	}
	p, err := syntax.Compile(r.Simplify())
	return err == nil && len(p.Inst) <= dnrRegexMaxInsts
}
