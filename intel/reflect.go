package intel

import (
	"net"
	"net/url"
	"path"
	"slices"
	"strings"
)

// ReflectedPattern returns the indicator to publish when a page on a
// trusted domain displays a number it takes from its URL (an open
// "reflection": scammers send victims to the real support site with their
// own number in ?phone=). Blocking the domain would block the real site;
// the pattern is the page's host and path with the parameter names the
// page reads, sorted, each with an empty value:
//
//	https://Support.Brand.com:443/help/./contact?phone=%2B1888&x=1#top, [phone]
//	→ support.brand.com/help/contact?phone=
//
// ok is false when the URL is not http(s), has no host, or no parameter
// name is given.
func ReflectedPattern(pageURL string, paramNames []string) (pattern string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" || strings.ContainsAny(host, "/\\@ ") {
		return "", false
	}
	if p := u.Port(); p != "" && !(u.Scheme == "http" && p == "80" || u.Scheme == "https" && p == "443") {
		host = net.JoinHostPort(host, p)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	clean := path.Clean(p)
	if strings.HasSuffix(p, "/") && clean != "/" {
		clean += "/"
	}
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
	var b strings.Builder
	b.WriteString(host)
	b.WriteString(clean)
	for i, n := range names {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(n)
		b.WriteByte('=')
	}
	return b.String(), true
}
