package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp/syntax"
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
// is left out. Rule IDs run from 1. At most DNRMaxRules rules are written;
// what does not fit is left out (with 1,000 domains a rule that is 29
// million domains).
//
// The extension needs the declarativeNetRequestWithHostAccess permission
// and host permissions for redirects, and the ruleset listed under
// declarative_net_request.rule_resources in its manifest.
var DNR = Format{
	Name:        "dnr",
	Description: "MV3 declarativeNetRequest static ruleset JSON (redirect to a warning page)",
	ContentType: "application/json",
	Ext:         "json",
	Write:       writeDNR,
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

func writeDNR(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	action, err := dnrAction(meta)
	if err != nil {
		return err
	}
	s := newSink(w)
	var st stats
	seen := hashSet{}
	id, regexes := 0, 0
	group := make([]string, 0, DNRDomainsPerRule)
	rule := func() {
		id++
		if id > 1 {
			s.str(",\n")
		}
		s.str(`{"id":`)
		s.str(strconv.Itoa(id))
		s.str(`,"priority":1,"action":`)
		s.str(action)
		s.str(`,"condition":{`)
	}
	flush := func() {
		if len(group) == 0 {
			return
		}
		rule()
		s.str(`"requestDomains":[`)
		for i, d := range group {
			if i > 0 {
				s.byte(',')
			}
			jsonString(s, d)
		}
		s.str(`],"resourceTypes":["main_frame"]}}`)
		group = group[:0]
	}
	// room reports whether one more rule fits, counting the pending group.
	room := func() bool {
		pending := 0
		if len(group) > 0 {
			pending = 1
		}
		return id+pending < DNRMaxRules
	}
	s.str("[\n")
	err = targets(ctx, src, meta, &st, seen, nil, func(v string, it Indicator) error {
		if it.Kind == Domain {
			if len(group) == DNRDomainsPerRule {
				flush()
			}
			if len(group) == 0 && !room() {
				st.other++ // over the rule limit
				return nil
			}
			group = append(group, v)
		} else {
			if !room() {
				st.other++
				return nil
			}
			re := ""
			hostPath, params, isPattern := urlPattern(v)
			if isPattern {
				re = patternRegex(hostPath, params)
			} else {
				re = urlRegex(v)
			}
			fits := regexes < DNRMaxRegexRules && dnrRegexFits(re)
			switch {
			case fits:
				regexes++
				rule()
				s.str(`"regexFilter":`)
				jsonString(s, re)
			case isPattern:
				// A pattern has no urlFilter form that means it.
				st.other++
				return nil
			default:
				rule()
				s.str(`"urlFilter":`)
				jsonString(s, filterPattern(v))
			}
			s.str(`,"resourceTypes":["main_frame"]}}`)
		}
		st.written++
		return s.err
	})
	if err != nil {
		return err
	}
	flush()
	s.str("\n]\n")
	return s.flush()
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
