package intel

import (
	"net/url"
	"slices"
	"strings"

	"github.com/tssguard/tssguard/urlx"
)

// ReflectedPattern returns the indicator to publish when a page on a
// trusted domain displays a number it takes from its URL (an open
// "reflection": scammers send victims to the real support site with their
// own number in ?phone=). Blocking the domain would block the real site;
// the pattern is the page's canonical host and path (Safe Browsing
// canonicalisation, so the port goes) with the parameter names the page
// reads, sorted, each with an empty value:
//
//	https://Support.Brand.com:443/help/./contact?phone=%2B1888&x=1#top, [phone]
//	→ support.brand.com/help/contact?phone=
//
// ok is false when the URL is not http(s), has no host, or no parameter
// name is given.
func ReflectedPattern(pageURL string, paramNames []string) (pattern string, ok bool) {
	pageURL = strings.TrimSpace(pageURL)
	if low := strings.ToLower(pageURL); !strings.HasPrefix(low, "http://") && !strings.HasPrefix(low, "https://") {
		return "", false
	}
	canon, err := urlx.Canonicalize(pageURL)
	if err != nil {
		return "", false
	}
	host, pathQuery := urlx.Split(canon)
	if host == "" {
		return "", false
	}
	p, _, _ := strings.Cut(pathQuery, "?")
	var names []string
	for _, n := range paramNames {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, url.QueryEscape(n))
		}
	}
	if len(names) == 0 {
		return "", false
	}
	slices.Sort(names)
	names = slices.Compact(names)
	return host + p + "?" + strings.Join(names, "=&") + "=", true
}
