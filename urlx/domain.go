package urlx

import (
	"errors"
	"strings"
	"sync"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// SharedHostingSuffixes lists the free- and shared-hosting suffixes under
// which every subdomain belongs to a different customer, so that
// RegistrableDomain keeps them apart: for a host under one of these suffixes
// the registrable domain is the suffix and the one label directly under it
// ("scam1.pages.dev", "foo.z13.web.core.windows.net").
//
// A label "*" matches any one label; a label ending in "*" matches any label
// with that prefix ("s3-website*" matches "s3-website-us-east-1"). The last
// two labels of every entry must be literal.
//
// Many of these are in the private section of the Public Suffix List, but
// not all (glitch.me, weebly.com, 000webhostapp.com, surge.sh, wordpress.com
// are not), and some are listed one level too high for this purpose
// (web.core.windows.net, where the label under it is an Azure zone such as
// "z13", not a customer). The list is explicit so that the behaviour does
// not depend on the list compiled into golang.org/x/net/publicsuffix.
//
// The list is read once, on first use; treat it as read-only.
var SharedHostingSuffixes = []string{
	// Cloudflare.
	"pages.dev", "workers.dev", "r2.dev", "trycloudflare.com",
	// Microsoft Azure.
	"*.web.core.windows.net", "blob.core.windows.net", "azurewebsites.net",
	"azurestaticapps.net", "*.azurestaticapps.net", "azureedge.net",
	"*.cloudapp.azure.com", "cloudapp.net", "azurefd.net", "trafficmanager.net",
	// Amazon Web Services.
	"s3.amazonaws.com", "s3.*.amazonaws.com", "s3-*.amazonaws.com",
	"s3-website*.amazonaws.com", "s3-website.*.amazonaws.com",
	"s3.dualstack.*.amazonaws.com", "cloudfront.net", "amplifyapp.com",
	"elasticbeanstalk.com", "*.elasticbeanstalk.com", "awsapps.com",
	// Google.
	"appspot.com", "*.r.appspot.com", "firebaseapp.com", "web.app",
	"blogspot.com", "run.app", "translate.goog",
	// Git forges and static hosts.
	"github.io", "gitlab.io", "bitbucket.io", "codeberg.page",
	"netlify.app", "netlify.com", "vercel.app", "now.sh", "surge.sh",
	"onrender.com", "herokuapp.com", "fly.dev", "up.railway.app",
	"ondigitalocean.app", "pythonanywhere.com", "glitch.me", "repl.co",
	"replit.app", "replit.dev", "neocities.org", "tiiny.site",
	// Tunnels.
	"ngrok-free.app", "ngrok-free.dev", "ngrok.io", "ngrok.app", "loca.lt",
	"serveo.net",
	// Site builders and blogs.
	"weebly.com", "wixsite.com", "wixstudio.io", "editorx.io",
	"000webhostapp.com", "wordpress.com", "godaddysites.com",
	"mystrikingly.com", "jimdosite.com", "yolasite.com", "webflow.io",
	"framer.app", "framer.website", "carrd.co", "square.site",
	"myshopify.com", "business.site", "site123.me", "tilda.ws",
	"webnode.page", "ucoz.net", "blogspot.co.uk",
	// Dynamic DNS.
	"duckdns.org", "ddns.net", "no-ip.org", "hopto.org", "zapto.org",
	"sytes.net",
}

// ErrNoDomain is returned by RegistrableDomain for a host that has no
// registrable domain: an empty host, a public suffix itself, or a single
// label such as "localhost".
var ErrNoDomain = errors.New("urlx: host has no registrable domain")

type sharedPattern struct {
	labels []string // reversed: TLD first
}

var sharedIndex struct {
	once sync.Once
	m    map[string][]sharedPattern // by the last two labels
}

func sharedPatterns(key string) []sharedPattern {
	sharedIndex.once.Do(func() {
		m := make(map[string][]sharedPattern)
		for _, s := range SharedHostingSuffixes {
			l := strings.Split(strings.ToLower(strings.Trim(s, ".")), ".")
			if len(l) < 2 {
				continue
			}
			rev := make([]string, len(l))
			for i := range l {
				rev[len(l)-1-i] = l[i]
			}
			k := l[len(l)-2] + "." + l[len(l)-1]
			m[k] = append(m[k], sharedPattern{labels: rev})
		}
		sharedIndex.m = m
	})
	return sharedIndex.m[key]
}

// sharedDomain returns the shared-hosting registrable domain of a clean
// host: the longest matching suffix and the one label under it (or the
// suffix itself when host is the suffix).
func sharedDomain(host string) (string, bool) {
	i := strings.LastIndexByte(host, '.')
	if i <= 0 {
		return "", false
	}
	j := strings.LastIndexByte(host[:i], '.')
	pats := sharedPatterns(host[j+1:])
	if len(pats) == 0 {
		return "", false
	}
	best := -1
	bestLen := 0
	for pi, p := range pats {
		if len(p.labels) > bestLen && matchSuffix(host, p.labels) {
			best, bestLen = pi, len(p.labels)
		}
	}
	if best < 0 {
		return "", false
	}
	// Keep bestLen+1 labels (or the whole host).
	n := 0
	for k := len(host) - 1; k >= 0; k-- {
		if host[k] == '.' {
			n++
			if n == bestLen+1 {
				return host[k+1:], true
			}
		}
	}
	return host, true
}

// matchSuffix reports whether the labels of host end with the reversed
// pattern labels.
func matchSuffix(host string, rev []string) bool {
	h := host
	for _, pl := range rev {
		if h == "" {
			return false
		}
		var l string
		if k := strings.LastIndexByte(h, '.'); k >= 0 {
			l, h = h[k+1:], h[:k]
		} else {
			l, h = h, ""
		}
		switch {
		case pl == "*":
			if l == "" {
				return false
			}
		case strings.HasSuffix(pl, "*"):
			if !strings.HasPrefix(l, pl[:len(pl)-1]) {
				return false
			}
		case pl != l:
			return false
		}
	}
	return true
}

// RegistrableDomain returns the registrable domain of a host name: the
// effective top-level domain plus one label (eTLD+1, from the Public Suffix
// List), except under SharedHostingSuffixes, where it is the shared suffix
// plus one label. An IP address is its own registrable domain.
//
// The host is lowercased, and a port, surrounding dots and user
// information are removed; an internationalised name is converted to
// Punycode first.
func RegistrableDomain(host string) (string, error) {
	h, err := cleanHost(host)
	if err != nil {
		return "", err
	}
	if IsIP(h) {
		return h, nil
	}
	if ip, ok := parseIPv4(h); ok {
		return string(appendIPv4(nil, ip)), nil
	}
	if d, ok := sharedDomain(h); ok {
		return d, nil
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		// A host that is itself a suffix of the private section (a
		// wildcard entry such as *.compute-1.amazonaws.com) names one
		// customer: it is its own registrable domain.
		if ps, icann := publicsuffix.PublicSuffix(h); !icann && ps == h && strings.IndexByte(h, '.') > 0 {
			return h, nil
		}
		return "", ErrNoDomain
	}
	return d, nil
}

// cleanHost lowercases host and removes user information, a port and
// leading and trailing dots, converting an internationalised name to
// Punycode. It does not allocate when host is already clean ASCII.
func cleanHost(host string) (string, error) {
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i >= 0 {
			return strings.ToLower(host[:i+1]), nil
		}
		return "", ErrNoDomain
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	host = strings.Trim(host, ".")
	ascii, lower := true, true
	for i := 0; i < len(host); i++ {
		b := host[i]
		if b >= 0x80 {
			ascii = false
		} else if 'A' <= b && b <= 'Z' {
			lower = false
		}
	}
	if !ascii {
		a, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", err
		}
		host, lower = strings.Trim(a, "."), false
	}
	if !lower {
		host = strings.ToLower(host)
	}
	if host == "" {
		return "", ErrNoDomain
	}
	return host, nil
}

// Host canonicalises rawURL (see Canonicalize) and returns its host.
func Host(rawURL string) (string, error) {
	c, err := Canonicalize(rawURL)
	if err != nil {
		return "", err
	}
	h, _ := Split(c)
	return h, nil
}
