package store

import (
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/tssguard/tssguard/urlx"
)

// AllowlistDomain checks what someone asks to allowlist and returns the
// registrable domain to keep: a host name or registrable domain
// ("www.example.com" keeps example.com; "tenant.pages.dev" keeps itself),
// or an IP address. A public suffix is refused, from either section of the
// Public Suffix List or urlx.SharedHostingSuffixes ("pages.dev" would
// allowlist every tenant), and so is anything that is not a host name: a
// URL, a port, user information, a wildcard, spaces.
func AllowlistDomain(raw string) (string, error) {
	bad := func(reason string) (string, error) { return "", &InvalidError{"domain", reason} }
	if err := CheckText("domain", raw, 253); err != nil {
		return "", err
	}
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(raw)), ".")
	if h == "" {
		return bad("is empty: give a domain name, like example.com")
	}
	if ip, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil && ip.Zone() == "" {
		if ip.Is4() || ip.Is4In6() {
			return ip.Unmap().String(), nil
		}
		return "[" + ip.String() + "]", nil
	}
	ascii, err := idna.Lookup.ToASCII(h)
	if err != nil {
		return bad("is not a host name (" + h + "): give a domain name, like example.com")
	}
	labels := strings.Split(ascii, ".")
	if len(labels) < 2 {
		return bad("is not a domain name (" + h + "): give a domain name, like example.com")
	}
	for _, l := range labels {
		if !hostLabel(l) {
			return bad("is not a host name (" + h + "): letters, digits and hyphens, like example.com; no scheme, path, port or wildcard")
		}
	}
	// A suffix is a name under which every name is its own registrable
	// domain: a name one label below it registers as itself.
	if ps, _ := publicsuffix.PublicSuffix(ascii); ps == ascii {
		return bad(h + " is a public suffix: allowlisting it would allowlist every site under it; give the site's own domain")
	}
	if d, err := urlx.RegistrableDomain("x." + ascii); err == nil && d == "x."+ascii {
		return bad(h + " is a shared hosting suffix: allowlisting it would allowlist every tenant; give the tenant's own domain, like site." + h)
	}
	dom, err := urlx.RegistrableDomain(ascii)
	if err != nil {
		return bad("has no registrable domain (" + h + ")")
	}
	return dom, nil
}

// hostLabel: 1 to 63 letters, digits, hyphens (not first or last) and
// underscores.
func hostLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
