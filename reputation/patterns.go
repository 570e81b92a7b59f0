package reputation

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/tssguard/tssguard/urlx"
)

// A URL pattern names one page of a site that shows whatever phone number
// its URL carries: "support.brand.com/help/contact?phone=". Scammers send
// victims to the real brand's page with their own number in the parameter,
// so the page is only bad with that parameter set. Patterns are listed
// apart from URLs and domains, and the allowlist does not remove them: the
// site stays trusted, the abused page with a number in it does not.
type patternSet struct {
	mu sync.RWMutex
	m  map[string][]pattern // canonical host+path → patterns on it
}

type pattern struct {
	text    string
	params  []string
	verdict Verdict
	source  string
	expires time.Time
}

// AddPattern lists a URL pattern, "host/path?param=&other=": a URL on that
// host and path with any of those parameters set matches it. Adding the
// same pattern again replaces its verdict and expiry.
func (ix *Index) AddPattern(value string, v Verdict, source string, expires time.Time) error {
	if v != Scam && v != Suspicious {
		return ErrBadVerdict
	}
	raw, query, ok := strings.Cut(value, "?")
	if !ok {
		return fmt.Errorf("reputation: pattern %q has no parameters", value)
	}
	key, _, err := patternKey("http://" + raw)
	if err != nil {
		return err
	}
	q, err := url.ParseQuery(query)
	if err != nil || len(q) == 0 {
		return fmt.Errorf("reputation: pattern %q: bad parameters", value)
	}
	p := pattern{text: value, verdict: v, source: strings.Clone(source), expires: expires}
	for name := range q {
		p.params = append(p.params, name)
	}
	ps := &ix.patterns
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.m == nil {
		ps.m = map[string][]pattern{}
	}
	list := ps.m[key]
	for i := range list {
		if list[i].text == value {
			list[i] = p
			return nil
		}
	}
	ps.m[key] = append(list, p)
	ix.version.Add(1)
	return nil
}

// CheckPattern reports whether a URL matches a live pattern: its host and
// path are a pattern's, and it carries one of the pattern's parameters
// with a value.
func (ix *Index) CheckPattern(raw string, now time.Time) (Match, bool, error) {
	ps := &ix.patterns
	ps.mu.RLock()
	empty := len(ps.m) == 0
	ps.mu.RUnlock()
	if empty {
		return Match{}, false, nil
	}
	canon, err := urlx.Canonicalize(raw)
	if err != nil {
		return Match{}, false, err
	}
	m, ok := ix.checkPatternCanonical(canon, now)
	return m, ok, nil
}

// checkPatternCanonical is CheckPattern of a canonical URL.
func (ix *Index) checkPatternCanonical(canon string, now time.Time) (Match, bool) {
	ps := &ix.patterns
	ps.mu.RLock()
	empty := len(ps.m) == 0
	ps.mu.RUnlock()
	if empty {
		return Match{}, false
	}
	host, pathQuery := urlx.Split(canon)
	p, query, _ := strings.Cut(pathQuery, "?")
	key := host + p
	ps.mu.RLock()
	list := ps.m[key]
	ps.mu.RUnlock()
	if len(list) == 0 {
		return Match{}, false
	}
	q, _ := url.ParseQuery(query)
	var best Match
	found := false
	for _, p := range list {
		if !p.expires.IsZero() && !p.expires.After(now) {
			continue
		}
		for _, name := range p.params {
			if q.Get(name) != "" && (!found || p.verdict > best.Verdict) {
				best = Match{Kind: URL, Verdict: p.verdict, Matched: p.text, Source: p.source, Expires: p.expires}
				found = true
			}
		}
	}
	return best, found
}

// patternKey is a URL's canonical host and path, and its query.
func patternKey(raw string) (key, query string, err error) {
	canon, err := urlx.Canonicalize(raw)
	if err != nil {
		return "", "", err
	}
	host, pathQuery := urlx.Split(canon)
	p, q, _ := strings.Cut(pathQuery, "?")
	return host + p, q, nil
}

// sweepPatterns drops expired patterns and says how many.
func (ix *Index) sweepPatterns(now time.Time) int {
	ps := &ix.patterns
	ps.mu.Lock()
	defer ps.mu.Unlock()
	n := 0
	for k, list := range ps.m {
		kept := list[:0]
		for _, p := range list {
			if p.expires.IsZero() || p.expires.After(now) {
				kept = append(kept, p)
			} else {
				n++
			}
		}
		if len(kept) == 0 {
			delete(ps.m, k)
		} else {
			ps.m[k] = kept
		}
	}
	return n
}
