package export

import "strings"

// A URL pattern, "host/path?param=&other=", names a page of a trusted site
// that shows whatever phone number its URL carries (see
// reputation.AddPattern): a URL matches it when its host and path are the
// pattern's and one of the parameters is set, with a value, anywhere in the
// query. The index, the "check" API and the URLBlocklist policy
// ("param=*") match it that way; a plain filter pattern cannot, since
// "||host/path?phone=" needs the parameter first and no port. So the
// filter formats write a pattern as a regular expression.

// urlPattern splits a normalised URL into the part before the query and
// the parameter names, when it is a pattern: a query whose tokens are all
// "name=" with no value.
func urlPattern(u string) (hostPath string, params []string, ok bool) {
	hostPath, query, found := strings.Cut(u, "?")
	if !found || query == "" {
		return "", nil, false
	}
	for _, tok := range strings.Split(query, "&") {
		name, ok := strings.CutSuffix(tok, "=")
		if !ok || name == "" || strings.Contains(name, "=") {
			return "", nil, false
		}
		params = append(params, name)
	}
	return hostPath, params, true
}

// patternRegex is the regular expression for a URL pattern, in the syntax
// JavaScript (filter lists) and RE2 (declarativeNetRequest) share: http or
// https, exactly the host, any port, exactly the path, then one of the
// parameters with a non-empty value at any place in the query. '/' is
// escaped so the expression can sit between the slashes of a filter.
func patternRegex(hostPath string, params []string) string {
	host, path, _ := strings.Cut(hostPath, "/")
	var b strings.Builder
	b.WriteString(`^https?:\/\/`)
	regexQuote(&b, host)
	b.WriteString(`(?::[0-9]+)?\/`)
	regexQuote(&b, path)
	b.WriteString(`\?(?:[^#]*&)?(?:`)
	for i, p := range params {
		if i > 0 {
			b.WriteByte('|')
		}
		regexQuote(&b, p)
	}
	b.WriteString(`)=[^&#]`)
	return b.String()
}

// urlRegex is the regular expression for a plain URL indicator, with the
// meaning of the filter "||host/path^" and of the index's host-suffix ×
// path lookup, at any port: http or https, the host or a subdomain, any
// port, the path, then the end of the URL or a separator ('^': anything
// but a letter, a digit or "_-.%") unless the path ends where filterPattern
// means a prefix ('/', '?', '=', '&').
func urlRegex(u string) string {
	host, path, _ := strings.Cut(u, "/")
	var b strings.Builder
	b.WriteString(`^https?:\/\/(?:[^\/?#]*\.)?`)
	regexQuote(&b, host)
	b.WriteString(`(?::[0-9]+)?\/`)
	regexQuote(&b, path)
	if path == "" || strings.IndexByte("/?=&", path[len(path)-1]) < 0 {
		b.WriteString(`(?:[^A-Za-z0-9_.%-]|$)`)
	}
	return b.String()
}

// regexQuote writes s with every character that has a meaning in a regular
// expression, or ends a filter's regex ('/'), escaped. Normalised URLs hold
// only letters, digits and "-._~/?=&:@,+!*()%".
func regexQuote(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(`\.+*?()|[]{}^$/`, c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}
