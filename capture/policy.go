package capture

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// Policy bounds what fetching a scanned page may do. Scanned URLs are chosen
// by attackers, so the defaults refuse private, loopback and link-local
// destinations (server-side request forgery) and cap time and size.
type Policy struct {
	// AllowPrivate permits loopback, private, link-local and other
	// non-public destinations. Off by default; tests and lab setups turn it on.
	AllowPrivate bool
	// Timeout bounds one whole fetch (connect, redirects, body).
	Timeout time.Duration
	// MaxPageBytes caps a document body; MaxResourceBytes each script or style sheet.
	MaxPageBytes     int64
	MaxResourceBytes int64
	// MaxResources caps how many external scripts and style sheets are fetched per page.
	MaxResources int
	// MaxRedirects caps the redirect chain.
	MaxRedirects int
	// UserAgent is sent with every request.
	UserAgent string
	// Referrer, when set, is sent as the Referer of the page itself — the
	// search or ad the victim "came from": cloaking kits show the scam only
	// to such visitors. Subresources name their document as usual.
	Referrer string
	// AcceptLanguage, when set, is sent instead of en-US's (AcceptLanguage
	// of the visitor's language): servers that cloak by it show a kit aimed
	// at one country only to its visitors.
	AcceptLanguage string
	// MapAddr, when set, may replace a host:port about to be dialled with
	// another (tests: a public-looking name mapped to a loopback server).
	// The replacement is still checked against the policy. Set by the
	// program, never from flags or input.
	MapAddr func(hostport string) (string, bool) `json:"-"`
	// Resolver looks names up (default: the system's). Set by the program
	// (tests: a resolver on loopback), never from flags or input.
	Resolver *net.Resolver `json:"-"`
}

// User agents of the victim profiles. Scam pages cloak by user agent, so the
// fetcher looks like a real browser.
var UserAgents = map[string]string{
	"windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"mac":     "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"android": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
	"iphone":  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
}

// UserAgentFor returns the user agent of a profile name. "mobile" means
// android; an unknown name is an error.
func UserAgentFor(profile string) (string, error) {
	if profile == "mobile" {
		profile = "android"
	}
	if ua, ok := UserAgents[profile]; ok {
		return ua, nil
	}
	return "", fmt.Errorf("unknown user agent profile %q (want windows, mac, android, iphone or mobile)", profile)
}

// Visiting is p for a visitor who speaks lang (a language tag: their
// Accept-Language) and arrives from referrer (the page's Referer); either
// empty leaves p's.
func (p Policy) Visiting(lang, referrer string) Policy {
	if lang != "" {
		p.AcceptLanguage = AcceptLanguage(lang)
	}
	if referrer != "" {
		p.Referrer = referrer
	}
	return p
}

// ProfileOf names the victim profile a browser's User-Agent belongs to:
// iphone, android, mac or windows; "" for anything else (a script, a
// crawler, a desktop Linux). It lets a scan arrive as the device of a
// visitor who reported the page.
func ProfileOf(userAgent string) string {
	switch {
	case strings.Contains(userAgent, "iPhone") || strings.Contains(userAgent, "iPod"):
		return "iphone"
	case strings.Contains(userAgent, "Android"):
		return "android"
	case strings.Contains(userAgent, "Macintosh"):
		return "mac"
	case strings.Contains(userAgent, "Windows NT"):
		return "windows"
	}
	return ""
}

// DefaultPolicy is the policy used unless flags say otherwise.
func DefaultPolicy() Policy {
	return Policy{
		Timeout:          20 * time.Second,
		MaxPageBytes:     8 << 20,
		MaxResourceBytes: 2 << 20,
		MaxResources:     256, // was 64: 64 empty scripts before a kit's payload hid it; the page's Timeout bounds the fetches
		MaxRedirects:     10,
		UserAgent:        UserAgents["windows"],
	}
}

// ErrForbiddenAddress is returned when a destination is not allowed by the policy.
var ErrForbiddenAddress = errors.New("destination address not allowed")

// CheckAddr reports whether the policy allows connecting to ip.
func (p Policy) CheckAddr(ip netip.Addr) error {
	if p.AllowPrivate {
		return nil
	}
	if !IsPublic(ip) {
		return fmt.Errorf("%w: %s is not a public address (use --allow-private to permit it)", ErrForbiddenAddress, ip)
	}
	return nil
}

// IsPublic reports whether ip is a globally routable unicast address: not
// loopback, private, link-local, CGNAT, multicast, unspecified, documentation,
// benchmarking or otherwise reserved.
func IsPublic(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() ||
		ip.IsUnspecified() {
		return false
	}
	if ip.Is6() {
		// NAT64's well-known prefix carries an IPv4 address, which a
		// translator would reach: it must be public itself.
		if nat64Prefix.Contains(ip) {
			b := ip.As16()
			return IsPublic(netip.AddrFrom4([4]byte(b[12:])))
		}
		// Only global unicast (2000::/3) is routable; the rest (IPv4-
		// compatible ::a.b.c.d, reserved ranges) is not.
		if !globalUnicast.Contains(ip) {
			return false
		}
	}
	for _, p := range reservedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

var (
	nat64Prefix   = netip.MustParsePrefix("64:ff9b::/96")
	globalUnicast = netip.MustParsePrefix("2000::/3")
)

// reservedPrefixes are special-purpose ranges (IANA registries) that the
// netip predicates above do not cover.
var reservedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",       // "this network"
		"100.64.0.0/10",   // shared address space (CGNAT)
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation
		"203.0.113.0/24",  // documentation
		"240.0.0.0/4",     // reserved, and broadcast
		"64:ff9b:1::/48",  // local-use IPv4/IPv6 translation
		"100::/64",        // discard-only
		"2001::/23",       // IETF protocol assignments
		"2001:db8::/32",   // documentation
		"2002::/16",       // 6to4 can embed any IPv4 address
		"fc00::/7",        // unique local
		"fec0::/10",       // deprecated site-local
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// DialContext connects like net.Dialer.DialContext but only to addresses the
// policy allows. The check runs on the resolved address right before the
// connection is made, so DNS rebinding cannot slip a private address past it.
func (p Policy) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d := &net.Dialer{
		Timeout: 10 * time.Second,
		Control: func(_, addr string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(addr)
			if err != nil {
				return fmt.Errorf("%w: unparseable address %q", ErrForbiddenAddress, addr)
			}
			return p.CheckAddr(ap.Addr())
		},
	}
	if p.MapAddr != nil {
		if to, ok := p.MapAddr(address); ok {
			address = to
		}
	}
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return d.DialContext(ctx, network, address)
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return d.DialContext(ctx, network, address)
	}
	// Resolve apart from connecting, under a shorter limit: a slow
	// resolver must not hold a fetch for the whole dial timeout.
	r := p.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	rctx, cancel := context.WithTimeout(ctx, dnsTimeout)
	addrs, err := r.LookupNetIP(rctx, "ip", host)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	var firstErr error
	tried := 0
	for _, ip := range addrs {
		ip = ip.Unmap()
		if (network == "tcp4" && !ip.Is4()) || (network == "tcp6" && !ip.Is6()) {
			continue
		}
		if tried++; tried > maxDialAddrs {
			break
		}
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("resolve %s: no %s address", host, network)
	}
	return nil, firstErr
}

const (
	// dnsTimeout bounds one name lookup (the dial timeout bounds connecting).
	dnsTimeout = 4 * time.Second
	// maxDialAddrs is how many of a name's addresses are tried in turn.
	maxDialAddrs = 4
)
