// Package reputation is an in-memory index that answers "is this URL,
// domain or phone number bad?" in about a microsecond.
//
// URLs are matched the way Safe Browsing matches them: the URL is
// canonicalised and its host-suffix/path-prefix expressions
// (urlx.Expressions) are looked up. The index keeps only the 32-byte
// SHA-256 hashes of listed URL expressions, never the expression strings,
// and finds them two ways: by a seeded 64-bit hash of the expression's host
// and path, which is what a lookup computes (a SHA-256 only to confirm a
// candidate), and by the 4-byte prefix of the SHA-256 hash, for clients
// that send only that (HashesWithPrefix). Domains are registrable domains
// (urlx.RegistrableDomain); numbers are E.164.
//
// A CheckURL also falls back to the domain entry of the URL's registrable
// domain. An allowlisted registrable domain never matches, by URL or by
// domain, whatever was listed before or is added after.
//
// An Index is safe for concurrent use: lookups share a read lock and
// allocate nothing but the canonical URL (the matched expression they
// return is part of it).
package reputation

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tssguard/tssguard/urlx"
)

// Kind is what an entry lists.
type Kind uint8

// The kinds of entries. The zero Kind is invalid.
const (
	URL    Kind = iota + 1 // a URL expression ("host/path", as urlx.Expressions gives)
	Domain                 // a registrable domain
	Number                 // a phone number in E.164 form ("+18005551234")
)

func (k Kind) String() string {
	switch k {
	case URL:
		return "url"
	case Domain:
		return "domain"
	case Number:
		return "number"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// ParseKind parses "url", "domain" or "number".
func ParseKind(s string) (Kind, error) {
	for _, k := range [...]Kind{URL, Domain, Number} {
		if strings.EqualFold(s, k.String()) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrBadKind, s)
}

// Verdict is how bad a listed entry is. A larger Verdict is more severe.
// The zero Verdict is invalid.
type Verdict uint8

// The verdicts, least severe first.
const (
	Suspicious Verdict = iota + 1
	Scam
)

func (v Verdict) String() string {
	switch v {
	case Scam:
		return "scam"
	case Suspicious:
		return "suspicious"
	}
	return fmt.Sprintf("verdict(%d)", uint8(v))
}

// ParseVerdict parses "scam" or "suspicious".
func ParseVerdict(s string) (Verdict, error) {
	for _, v := range [...]Verdict{Scam, Suspicious} {
		if strings.EqualFold(s, v.String()) {
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w: %q", ErrBadVerdict, s)
}

// DefaultTTL is how long an entry of kind k stays listed unless it is seen
// again, in which case the caller adds it again with a fresh expiry: phone
// numbers rotate within days, domains last weeks.
func DefaultTTL(k Kind) time.Duration {
	switch k {
	case Number:
		return 7 * 24 * time.Hour
	case Domain:
		return 28 * 24 * time.Hour
	case URL:
		return 14 * 24 * time.Hour
	}
	return 0
}

// Entry is one listing.
type Entry struct {
	Kind Kind
	// Value is, for URL, a URL expression ("evil.com/path/", no scheme)
	// or a full URL; either is canonicalised and its exact host/path
	// expression is listed. For Domain it is a host name, listed as its
	// registrable domain. For Number it is an E.164 number.
	Value   string
	Verdict Verdict
	// Source is a short label such as "scan", "report" or "feed:NAME".
	// Sources are interned; an index holds at most 65535 distinct ones.
	Source string
	// Expires is when the entry stops matching, at one-second
	// resolution; the zero time means never.
	Expires time.Time
}

// Match is a live entry that matched a lookup.
type Match struct {
	Kind    Kind
	Verdict Verdict
	// Matched is the URL expression, registrable domain or number that
	// matched.
	Matched string
	Source  string
	Expires time.Time // zero: never
}

// Errors returned by Add.
var (
	ErrAllowlisted    = errors.New("reputation: domain is allowlisted")
	ErrBadKind        = errors.New("reputation: invalid kind")
	ErrBadVerdict     = errors.New("reputation: invalid verdict")
	ErrBadNumber      = errors.New("reputation: not an E.164 number")
	ErrBadDomain      = errors.New("reputation: invalid domain")
	ErrTooManySources = errors.New("reputation: too many distinct sources")
	ErrTooManyURLs    = errors.New("reputation: too many listed URLs")
)

// Index is the reputation index. The zero value is not usable; call New.
type Index struct {
	mu   sync.RWMutex
	seed maphash.Seed

	// URL expressions: fixed-size records, found by the hash of their
	// host and path (exact) or by the prefix of their SHA-256 (byPrefix).
	// efilter tells a lookup which (host, path) pairs may be listed.
	recs     []urlRec
	exact    slotTable
	byPrefix slotTable
	efilter  exprFilter
	hosts    map[uint64]hostRef // expression host → its domain, record count
	// domRefs counts the hosts of each registrable domain (by hash) in
	// hosts, so that Allow walks the hosts only when it has some to drop.
	domRefs map[uint64]int32

	domains map[string]rec
	numbers map[uint64]rec // E.164 digits as a number (no leading zero)
	allowed map[string]struct{}
	// dfilter is over the hashes of the keys of domains and allowed, so
	// that a lookup probes those maps only for host names that may be in
	// them.
	dfilter bitFilter

	sources   []string
	sourceIdx map[string]uint16

	patterns patternSet // URL patterns of abused pages (patterns.go)

	version atomic.Uint64
}

// urlRec is one listed URL expression: 52 bytes.
type urlRec struct {
	hash [32]byte // SHA-256 of the expression
	// The maphash of the expression's host, in two halves so that the
	// record needs no 8-byte alignment, and the low 32 bits of the
	// maphash of its path (with query): together the key of exact.
	hostLo, hostHi uint32
	path           uint32
	expires        uint32 // unix seconds; 0 = never
	source         uint16
	verdict        Verdict
}

func (r *urlRec) host() uint64 { return uint64(r.hostHi)<<32 | uint64(r.hostLo) }

// rec is one listed domain or number.
type rec struct {
	expires uint32
	source  uint16
	verdict Verdict
}

// hostRef is what Allow needs of a host that has listed expressions: the
// hash of its registrable domain and how many records the host has.
type hostRef struct {
	dom uint64
	n   int32
}

// hashes returns the keys of an expression's host and path: the maphash of
// the host and the low 32 bits of the maphash of the path.
func (ix *Index) hashes(host, path string) (uint64, uint32) {
	return maphash.String(ix.seed, host), uint32(maphash.String(ix.seed, path))
}

// exprKey is the key of an expression in exact. The host hash is uniform,
// and the path hash, multiplied by an odd constant, is spread over all 64
// bits: two paths of one host differ in the key as their hashes differ.
func exprKey(host uint64, path uint32) uint64 {
	return host ^ uint64(path)*0x9E3779B97F4A7C15
}

// prefixKey is the key of a hash prefix in byPrefix: the table takes its
// home position from the low bits of the prefix and its tag from the high
// ones.
func prefixKey(p uint32) uint64 { return uint64(p)<<32 | uint64(p) }

func (ix *Index) exactKeyOf(i int32) uint64 {
	r := &ix.recs[i]
	return exprKey(r.host(), r.path)
}

func (ix *Index) prefixKeyOf(i int32) uint64 { return prefixKey(prefix(ix.recs[i].hash)) }

// New returns an empty index.
func New() *Index {
	return &Index{
		seed:      maphash.MakeSeed(),
		hosts:     make(map[uint64]hostRef),
		domRefs:   make(map[uint64]int32),
		domains:   make(map[string]rec),
		numbers:   make(map[uint64]rec),
		allowed:   make(map[string]struct{}),
		sourceIdx: make(map[string]uint16),
	}
}

// Version returns a number that increases with every change to the index.
func (ix *Index) Version() uint64 { return ix.version.Load() }

// Len returns the number of listed entries of each kind, expired or not.
func (ix *Index) Len() (urls, domains, numbers int) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.recs), len(ix.domains), len(ix.numbers)
}

// Add lists an entry, replacing the verdict, source and expiry of an entry
// with the same kind and value. It returns ErrAllowlisted, and changes
// nothing, when the entry's registrable domain is allowlisted.
func (ix *Index) Add(e Entry) error {
	if e.Verdict != Scam && e.Verdict != Suspicious {
		return ErrBadVerdict
	}
	exp := toExpiry(e.Expires)
	switch e.Kind {
	case URL:
		expr, host, err := expression(e.Value)
		if err != nil {
			return err
		}
		dom := domainKey(host)
		h := sha256.Sum256([]byte(expr))
		hh, ph := ix.hashes(host, expr[len(host):])
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if _, ok := ix.allowed[dom]; ok {
			return ErrAllowlisted
		}
		src, err := ix.intern(e.Source)
		if err != nil {
			return err
		}
		if err := ix.addRec(h, hh, ph, maphash.String(ix.seed, dom), exp, src, e.Verdict); err != nil {
			return err
		}
	case Domain:
		dom, err := domainOf(e.Value)
		if err != nil {
			return err
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if _, ok := ix.allowed[dom]; ok {
			return ErrAllowlisted
		}
		src, err := ix.intern(e.Source)
		if err != nil {
			return err
		}
		ix.domains[dom] = rec{expires: exp, source: src, verdict: e.Verdict}
		ix.addDomainKey(dom)
	case Number:
		n, ok := parseE164(e.Value)
		if !ok {
			return fmt.Errorf("%w: %q", ErrBadNumber, e.Value)
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		src, err := ix.intern(e.Source)
		if err != nil {
			return err
		}
		ix.numbers[n] = rec{expires: exp, source: src, verdict: e.Verdict}
	default:
		return ErrBadKind
	}
	ix.version.Add(1)
	return nil
}

// Remove unlists the entry of kind k with the given value, if any.
func (ix *Index) Remove(k Kind, value string) {
	switch k {
	case URL:
		expr, host, err := expression(value)
		if err != nil {
			return
		}
		h := sha256.Sum256([]byte(expr))
		hh, ph := ix.hashes(host, expr[len(host):])
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if i := ix.find(h, hh, ph); i >= 0 {
			ix.removeAt(i)
			ix.version.Add(1)
		}
	case Domain:
		dom, err := domainOf(value)
		if err != nil {
			return
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if _, ok := ix.domains[dom]; ok {
			delete(ix.domains, dom)
			ix.version.Add(1)
		}
	case Number:
		n, ok := parseE164(value)
		if !ok {
			return
		}
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if _, ok := ix.numbers[n]; ok {
			delete(ix.numbers, n)
			ix.version.Add(1)
		}
	}
}

// Allow allowlists the registrable domain of domain: its domain entry and
// every URL entry whose host has that registrable domain are removed, later
// adds for it are refused, and lookups of its hosts never match.
func (ix *Index) Allow(domain string) {
	dom, err := domainOf(domain)
	if err != nil {
		return
	}
	dh := maphash.String(ix.seed, dom)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.allowed[dom] = struct{}{}
	ix.addDomainKey(dom)
	delete(ix.domains, dom)
	var hosts map[uint64]struct{}
	if ix.domRefs[dh] > 0 { // walk the hosts only when some are the domain's
		hosts = make(map[uint64]struct{})
		for h, ref := range ix.hosts {
			if ref.dom == dh {
				hosts[h] = struct{}{}
			}
		}
	}
	if hosts != nil {
		for i := len(ix.recs) - 1; i >= 0; i-- {
			if _, ok := hosts[ix.recs[i].host()]; ok {
				ix.removeAt(i)
			}
		}
		ix.rebuildFilters()
	}
	ix.version.Add(1)
}

// Disallow takes the registrable domain of domain off the allowlist. Entries
// removed by Allow stay removed.
func (ix *Index) Disallow(domain string) {
	dom, err := domainOf(domain)
	if err != nil {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, ok := ix.allowed[dom]; ok {
		delete(ix.allowed, dom)
		ix.version.Add(1)
	}
}

// Sweep removes the entries that have expired at now and returns how many
// it removed.
func (ix *Index) Sweep(now time.Time) int {
	t := now.Unix()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := 0
	for i := len(ix.recs) - 1; i >= 0; i-- {
		if !live(ix.recs[i].expires, t) {
			ix.removeAt(i)
			n++
		}
	}
	if n > 0 {
		ix.rebuildFilters()
	}
	for k, r := range ix.domains {
		if !live(r.expires, t) {
			delete(ix.domains, k)
			n++
		}
	}
	for k, r := range ix.numbers {
		if !live(r.expires, t) {
			delete(ix.numbers, k)
			n++
		}
	}
	n += ix.sweepPatterns(now)
	if n > 0 {
		ix.version.Add(1)
	}
	return n
}

// CheckURL canonicalises raw and looks it up: each of its host-suffix/path-
// prefix expressions by hash, then the registrable domain of its host. Of
// the live entries that match it returns the most severe and, among those,
// the most specific (exact host before its suffixes, longer paths before
// shorter ones, any URL expression before the domain). The error is the
// canonicalisation error of a URL that cannot be looked up.
func (ix *Index) CheckURL(raw string, now time.Time) (Match, bool, error) {
	m, ok, _, err := ix.CheckURLAllowed(raw, now)
	return m, ok, err
}

// CheckURLAllowed is CheckURL that also reports whether the URL's
// registrable domain is allowlisted (then it matches nothing), so that a
// caller who shows "allowlisted" does not parse the URL a second time.
func (ix *Index) CheckURLAllowed(raw string, now time.Time) (m Match, ok, allowed bool, err error) {
	canon, err := urlx.Canonicalize(raw)
	if err != nil {
		return Match{}, false, false, err
	}
	m, ok, allowed = ix.checkCanonical(canon, now)
	return m, ok, allowed, nil
}

// Check is what the check API answers: a live URL pattern the URL matches
// (CheckPattern) first, as an abused page of an allowlisted site is bad
// all the same, then CheckURLAllowed; the URL is canonicalised once.
func (ix *Index) Check(raw string, now time.Time) (m Match, ok, allowed bool, err error) {
	canon, err := urlx.Canonicalize(raw)
	if err != nil {
		return Match{}, false, false, err
	}
	if m, ok := ix.checkPatternCanonical(canon, now); ok {
		return m, true, false, nil
	}
	m, ok, allowed = ix.checkCanonical(canon, now)
	return m, ok, allowed, nil
}

// checkCanonical is CheckURLAllowed of a canonical URL.
func (ix *Index) checkCanonical(canon string, now time.Time) (m Match, ok, allowed bool) {
	host, pq := urlx.Split(canon)
	t := now.Unix()
	var hb [urlx.MaxHosts]string
	hosts := urlx.HostSuffixes(hb[:0], host)

	ix.mu.RLock()
	defer ix.mu.RUnlock()

	// The filter words of the hosts are read in a loop of their own so
	// that their cache misses overlap.
	var hh, words [urlx.MaxHosts]uint64
	for i, h := range hosts {
		hh[i] = maphash.String(ix.seed, h)
	}
	if len(ix.recs) > 0 {
		for i := range hosts {
			words[i] = ix.efilter.word(hh[i])
		}
	}

	// The registrable domain, needed for the allowlist and the domain
	// entries, costs a Public Suffix List lookup. It is the host or one of
	// its suffixes of two labels or more: HostSuffixes has those of up to
	// five labels, longSuffixListed checks the longer ones, and it is
	// computed only when one of them is allowlisted or listed.
	dom := ""
	if len(ix.allowed) > 0 || len(ix.domains) > 0 {
		need := false
		for i, h := range hosts {
			if ix.domainListed(h, hh[i]) {
				need = true
				break
			}
		}
		if !need && strings.Count(host, ".") >= 5 {
			need = ix.longSuffixListed(host)
		}
		if need {
			dom = domainKey(host)
			if _, ok := ix.allowed[dom]; ok {
				return Match{}, false, true
			}
		}
	}

	var (
		best      Match
		found     bool
		bestHost  string
		bestPath  string
		bestFound urlRec
	)
	if len(ix.recs) > 0 {
		var pb [urlx.MaxPaths]string
		var paths []string // built on the first host with listings
		var ph [urlx.MaxPaths]uint32
	hostLoop:
		for i, h := range hosts {
			w := words[i]
			if w == 0 {
				continue
			}
			if paths == nil {
				paths = specificFirst(urlx.PathVariants(pb[:0], pq))
				for k, p := range paths {
					ph[k] = uint32(maphash.String(ix.seed, p))
				}
			}
			for k, p := range paths {
				if b := pathBits(ph[k]); w&b != b {
					continue
				}
				i := ix.lookup(hh[i], ph[k], h, p)
				if i < 0 {
					continue
				}
				r := ix.recs[i]
				if !live(r.expires, t) || (found && r.verdict <= bestFound.verdict) {
					continue
				}
				found, bestFound, bestHost, bestPath = true, r, h, p
				if r.verdict == Scam {
					break hostLoop
				}
			}
		}
	}
	if found {
		best = Match{
			Kind:    URL,
			Verdict: bestFound.verdict,
			Matched: joinExpr(canon, len(canon)-len(pq), bestHost, bestPath),
			Source:  ix.sources[bestFound.source],
			Expires: fromExpiry(bestFound.expires),
		}
	}
	if dom != "" && (!found || best.Verdict < Scam) {
		if r, ok := ix.domains[dom]; ok && live(r.expires, t) && (!found || r.verdict > best.Verdict) {
			best, found = ix.match(Domain, dom, r), true
		}
	}
	return best, found, false
}

// domainListed reports whether host name s, whose maphash is h, is
// allowlisted or listed as a domain. ix.mu is held.
func (ix *Index) domainListed(s string, h uint64) bool {
	if !ix.dfilter.has(h) {
		return false
	}
	_, a := ix.allowed[s]
	_, d := ix.domains[s]
	return a || d
}

// longSuffixListed reports whether a suffix of six labels or more of
// host, other than host itself, is allowlisted or listed as a domain: the
// registrable domain of a long host may be one (a customer of a shared
// suffix of five labels, say), and HostSuffixes stops at five. A host of
// more than 16 labels is answered yes: the Public Suffix List decides.
// ix.mu is held.
func (ix *Index) longSuffixListed(host string) bool {
	labels := strings.Count(host, ".") + 1
	if labels > 16 {
		return true
	}
	s := host
	for n := labels - 1; n >= 6; n-- {
		s = s[strings.IndexByte(s, '.')+1:] // n labels
		if ix.domainListed(s, maphash.String(ix.seed, s)) {
			return true
		}
	}
	return false
}

// joinExpr returns host+path, sliced from canon when it is there (it is
// whenever canon is canonical: every host suffix ends where the path and
// query start, at hostEnd, and every path variant is a prefix of them).
func joinExpr(canon string, hostEnd int, host, path string) string {
	if strings.HasSuffix(canon[:hostEnd], host) && strings.HasPrefix(canon[hostEnd:], path) {
		return canon[hostEnd-len(host) : hostEnd+len(path)]
	}
	return host + path
}

// lookup returns the index of the record of expression host+path, whose
// hashes (Index.hashes) are hh and ph, or -1. ix.mu is held.
//
// Records are found by a seeded hash of host and path, but a record
// matches only when its SHA-256 is the expression's: a candidate's hashes
// may equal a listed expression's, by chance (a path of a listed host with
// k listed paths, about k times in 2^32) or by an attacker's design
// (maphash is not collision-resistant), and that costs a probe, never a
// false match. An empty home slot ends the lookup without a SHA-256 (a
// fifth of the lookups the filter lets through); otherwise the SHA-256 is
// computed before the slots and records are compared, so that the
// processor can overlap it with their reads from memory.
func (ix *Index) lookup(hh uint64, ph uint32, host, path string) int {
	t := &ix.exact
	pos, tag := t.home(exprKey(hh, ph))
	s := t.slots[pos]
	if s == 0 {
		return -1
	}
	sum := exprHash(host, path)
	for ; s != 0; s = t.slots[pos] {
		if t.tagOf(s) == tag {
			i := t.indexOf(s)
			if r := &ix.recs[i]; r.hash == sum {
				return int(i)
			}
		}
		pos = (pos + 1) & t.mask()
	}
	return -1
}

// exprHash is the SHA-256 of host+path.
func exprHash(host, path string) [32]byte {
	var b [256]byte
	if len(host)+len(path) <= len(b) {
		return sha256.Sum256(append(append(b[:0], host...), path...))
	}
	return sha256.Sum256([]byte(host + path))
}

// specificFirst reorders PathVariants output in place from the spec order
// (exact with query, exact, then prefixes from the root) to most specific
// first: the prefixes longest first. Each is a prefix of the first, so the
// second is the exact path without the query just when a '?' follows it
// in the first.
func specificFirst(paths []string) []string {
	k := 1
	if len(paths) > 1 && len(paths[0]) > len(paths[1]) && paths[0][len(paths[1])] == '?' {
		k = 2
	}
	if k > len(paths) {
		return paths
	}
	rest := paths[k:]
	for i, j := 0, len(rest)-1; i < j; i, j = i+1, j-1 {
		rest[i], rest[j] = rest[j], rest[i]
	}
	return paths
}

// CheckDomain looks up the registrable domain of host.
func (ix *Index) CheckDomain(host string, now time.Time) (Match, bool) {
	dom, err := domainOf(host)
	if err != nil {
		return Match{}, false
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if _, ok := ix.allowed[dom]; ok {
		return Match{}, false
	}
	if r, ok := ix.domains[dom]; ok && live(r.expires, now.Unix()) {
		return ix.match(Domain, dom, r), true
	}
	return Match{}, false
}

// CheckNumber looks up an E.164 number.
func (ix *Index) CheckNumber(e164 string, now time.Time) (Match, bool) {
	n, ok := parseE164(e164)
	if !ok {
		return Match{}, false
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if r, ok := ix.numbers[n]; ok && live(r.expires, now.Unix()) {
		return ix.match(Number, e164, r), true
	}
	return Match{}, false
}

func (ix *Index) match(k Kind, matched string, r rec) Match {
	return Match{Kind: k, Verdict: r.verdict, Matched: matched, Source: ix.sources[r.source], Expires: fromExpiry(r.expires)}
}

// intern returns the index of source, adding it if new. ix.mu is held.
func (ix *Index) intern(source string) (uint16, error) {
	if i, ok := ix.sourceIdx[source]; ok {
		return i, nil
	}
	if len(ix.sources) > math.MaxUint16 {
		return 0, ErrTooManySources
	}
	i := uint16(len(ix.sources))
	source = strings.Clone(source)
	ix.sources = append(ix.sources, source)
	ix.sourceIdx[source] = i
	return i, nil
}

// find returns the index of the record with SHA-256 h and hashes hh and
// ph, or -1. ix.mu is held.
func (ix *Index) find(h [32]byte, hh uint64, ph uint32) int {
	t := &ix.exact
	if t.slots == nil {
		return -1
	}
	pos, tag := t.home(exprKey(hh, ph))
	for s := t.slots[pos]; s != 0; s = t.slots[pos] {
		if t.tagOf(s) == tag {
			if i := t.indexOf(s); ix.recs[i].hash == h {
				return int(i)
			}
		}
		pos = (pos + 1) & t.mask()
	}
	return -1
}

// addRec inserts or updates the record of SHA-256 h, host hash hh and
// path hash ph, whose host's registrable domain has hash dom. ix.mu is
// held for writing.
func (ix *Index) addRec(h [32]byte, hh uint64, ph uint32, dom uint64, exp uint32, src uint16, v Verdict) error {
	if i := ix.find(h, hh, ph); i >= 0 {
		r := &ix.recs[i]
		r.expires, r.source, r.verdict = exp, src, v
		return nil
	}
	if len(ix.recs) >= maxRecords {
		return ErrTooManyURLs
	}
	i := int32(len(ix.recs))
	ix.recs = append(ix.recs, urlRec{hash: h, hostLo: uint32(hh), hostHi: uint32(hh >> 32), path: ph, expires: exp, source: src, verdict: v})
	if ix.exact.fits(len(ix.recs)) {
		ix.exact.insert(exprKey(hh, ph), i)
		ix.byPrefix.insert(prefixKey(prefix(h)), i)
	} else {
		ix.rebuildTables()
	}
	ref, ok := ix.hosts[hh]
	if !ok {
		ix.domRefs[dom]++
	}
	ref.dom = dom
	ref.n++
	ix.hosts[hh] = ref
	if !ix.efilter.add(hh, ph) {
		ix.rebuildURLFilter()
	}
	return nil
}

// rebuildTables sizes exact and byPrefix for the records and fills them.
// ix.mu is held for writing.
func (ix *Index) rebuildTables() {
	ix.exact.reset(len(ix.recs))
	ix.byPrefix.reset(len(ix.recs))
	for i := range ix.recs {
		r := &ix.recs[i]
		ix.exact.insert(exprKey(r.host(), r.path), int32(i))
		ix.byPrefix.insert(prefixKey(prefix(r.hash)), int32(i))
	}
}

func (ix *Index) rebuildURLFilter() {
	ix.efilter.reset(len(ix.recs))
	for i := range ix.recs {
		r := &ix.recs[i]
		ix.efilter.add(r.host(), r.path)
	}
}

// rebuildFilters drops the bits of removed keys. ix.mu is held for writing.
func (ix *Index) rebuildFilters() {
	ix.rebuildURLFilter()
	ix.rebuildDomainFilter()
}

// addDomainKey notes a key of domains or allowed in dfilter. ix.mu is
// held for writing.
func (ix *Index) addDomainKey(dom string) {
	if !ix.dfilter.add(maphash.String(ix.seed, dom)) {
		ix.rebuildDomainFilter()
	}
}

func (ix *Index) rebuildDomainFilter() {
	ix.dfilter.reset(2 * (len(ix.domains) + len(ix.allowed)))
	for d := range ix.domains {
		ix.dfilter.add(maphash.String(ix.seed, d))
	}
	for d := range ix.allowed {
		ix.dfilter.add(maphash.String(ix.seed, d))
	}
}

// removeAt removes record i, moving the last record into its place. ix.mu
// is held for writing.
func (ix *Index) removeAt(i int) {
	r := ix.recs[i]
	host := r.host()
	ix.exact.remove(exprKey(host, r.path), int32(i), ix.exactKeyOf)
	ix.byPrefix.remove(prefixKey(prefix(r.hash)), int32(i), ix.prefixKeyOf)
	if ref, ok := ix.hosts[host]; ok {
		if ref.n--; ref.n <= 0 {
			delete(ix.hosts, host)
			if ix.domRefs[ref.dom]--; ix.domRefs[ref.dom] <= 0 {
				delete(ix.domRefs, ref.dom)
			}
		} else {
			ix.hosts[host] = ref
		}
	}
	last := len(ix.recs) - 1
	if i != last {
		moved := ix.recs[last]
		ix.recs[i] = moved
		ix.exact.repoint(exprKey(moved.host(), moved.path), int32(last), int32(i))
		ix.byPrefix.repoint(prefixKey(prefix(moved.hash)), int32(last), int32(i))
	}
	ix.recs[last] = urlRec{}
	ix.recs = ix.recs[:last]
}

func prefix(h [32]byte) uint32 {
	return uint32(h[0])<<24 | uint32(h[1])<<16 | uint32(h[2])<<8 | uint32(h[3])
}

// expression canonicalises a URL or URL expression and returns its exact
// expression (host/path?query, no scheme) and host.
func expression(value string) (expr, host string, err error) {
	c, err := urlx.Canonicalize(value)
	if err != nil {
		return "", "", err
	}
	host, pq := urlx.Split(c)
	return c[len(c)-len(host)-len(pq):], host, nil
}

// domainKey returns the registrable domain of a canonical host, or the host
// itself when it has none (a single label, a public suffix).
func domainKey(host string) string {
	if d, err := urlx.RegistrableDomain(host); err == nil {
		return d
	}
	return host
}

// domainOf is domainKey for any host name as a caller may write it.
func domainOf(host string) (string, error) {
	if d, err := urlx.RegistrableDomain(host); err == nil {
		return d, nil
	}
	h, err := urlx.Host(host)
	if err != nil {
		return "", fmt.Errorf("%w: %q", ErrBadDomain, host)
	}
	return domainKey(h), nil
}

// parseE164 parses "+" and 4 to 15 digits, the first not zero, into the
// number the digits spell.
func parseE164(s string) (uint64, bool) {
	if len(s) < 5 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return 0, false
	}
	var n uint64
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

func toExpiry(t time.Time) uint32 {
	if t.IsZero() {
		return 0
	}
	u := t.Unix()
	switch {
	case u <= 0:
		return 1 // long expired, but not "never"
	case u >= math.MaxUint32:
		return math.MaxUint32
	}
	return uint32(u)
}

func fromExpiry(e uint32) time.Time {
	if e == 0 {
		return time.Time{}
	}
	return time.Unix(int64(e), 0)
}

func live(exp uint32, now int64) bool { return exp == 0 || now < int64(exp) }
