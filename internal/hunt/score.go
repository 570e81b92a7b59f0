// Package hunt finds scam pages before anyone reports them: it reads
// candidate URLs from sources (URL lists, Certificate Transparency logs,
// TAXII collections and MISP feeds of other organisations, urlscan-style
// searches), scores each by how much it looks like a tech support scam
// lure — before spending a scan on it — and queues the best, once each,
// at a bounded rate per source.
package hunt

import (
	"net/url"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/net/idna"

	"github.com/tssguard/tssguard/urlx"
)

// Candidate is a URL a source suggests scanning.
type Candidate struct {
	URL    string `json:"url"`
	Host   string `json:"host"`
	Source string `json:"source"`
}

// NewCandidate makes a candidate of a URL or a bare host name; false when
// it names no host.
func NewCandidate(raw, source string) (Candidate, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2048 {
		return Candidate{}, false
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + strings.TrimPrefix(raw, "*.")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return Candidate{}, false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" || !strings.Contains(host, ".") {
		return Candidate{}, false
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return Candidate{URL: u.String(), Host: host, Source: source}, true
}

// Score is a candidate's score and the reasons for it.
type Score struct {
	Value   float64  `json:"score"`
	Reasons []string `json:"reasons,omitempty"`
}

func (s *Score) add(w float64, why string) {
	s.Value += w
	s.Reasons = append(s.Reasons, why)
}

// Scorer scores candidates. The zero value is not usable: NewScorer.
type Scorer struct {
	brands  map[string]bool
	lures   map[string]bool
	kitPath []string
	// listed are the labels of listed domains, to find their neighbours;
	// listedDomains the registrable domains themselves.
	listed        map[string]bool
	listedDomains map[string]bool
	// brandOwned: the brands' own domains, never lures.
	brandOwned map[string]bool
}

// Brands whose names TSS lures borrow.
var Brands = []string{"microsoft", "windows", "apple", "icloud", "macos", "norton", "mcafee", "avast", "defender", "paypal",
	"amazon", "google", "chrome", "facebook", "geeksquad", "outlook", "office", "netflix", "kaspersky", "bitdefender",
	"malwarebytes", "avg", "epson", "canon", "hp", "dell", "lenovo", "coinbase", "binance", "iphone", "android", "samsung", "msft", "ms"}

// Lure words: support, alarm and fix.
var Lures = []string{"support", "help", "helpdesk", "helpline", "alert", "alerts", "error", "errors", "erros", "warning", "security", "secure",
	"virus", "infected", "infection", "locked", "blocked", "block", "call", "tech", "technician", "fix", "repair", "scan", "scanner", "firewall",
	"update", "critical", "system", "device", "pc", "computer", "protection", "protect", "threat", "threats", "detected", "hacked", "spyware",
	"trojan", "malware", "customer", "care", "service", "services", "desk", "toll", "free", "tollfree", "contact", "number", "hotline",
	"official", "verify", "antivirus", "popup", "fullscreen", "bsod", "locker", "windowsdefender", "account", "suspended", "billing", "refund", "renew", "subscription", "license", "activation", "activate", "winsupport", "safety", "safe"}

// Kit paths seen in TSS deployments: folder and file names of lure kits.
var KitPaths = []string{"/win", "/defender", "/alert", "/error", "/ms/", "/microsoft", "/support", "/security", "/virus", "/helpdesk",
	"/call", "/bsod", "/lock", "/warning", "/apple", "/norton", "/mcafee", "/scan", "/fix", "/index.php?ph", "/index.html?ph", "/?phone", "/?ph"}

// brandOwned are the brands' own registrable domains.
var brandOwned = []string{"microsoft.com", "windows.com", "apple.com", "icloud.com", "norton.com", "mcafee.com", "avast.com", "paypal.com",
	"amazon.com", "google.com", "facebook.com", "office.com", "outlook.com", "live.com", "netflix.com", "kaspersky.com", "bitdefender.com",
	"malwarebytes.com", "avg.com", "epson.com", "canon.com", "hp.com", "dell.com", "lenovo.com", "coinbase.com", "binance.com",
	"samsung.com", "android.com", "googleblog.com", "microsoftonline.com", "windowsupdate.com", "bestbuy.com", "msn.com", "bing.com", "azure.com", "youtube.com"}

// risky top-level domains: cheap and common among lure hosts.
var riskyTLDs = map[string]bool{"xyz": true, "top": true, "online": true, "site": true, "live": true, "click": true, "shop": true,
	"info": true, "buzz": true, "icu": true, "cyou": true, "cfd": true, "sbs": true, "rest": true, "monster": true, "store": true, "space": true, "fun": true, "website": true, "tech": true}

// numberParams are URL parameters that carry the hotline number.
var numberParams = map[string]bool{"ph": true, "phone": true, "number": true, "num": true, "tel": true, "call": true, "bcda": true,
	"ph0ne": true, "pn": true, "tfn": true, "mobile": true, "cell": true, "hotline": true, "n": true, "p": true}

// NewScorer builds a scorer; listed are registrable domains already on
// the block lists (hosts close to them score higher).
func NewScorer(listed []string) *Scorer {
	s := &Scorer{brands: set(Brands), lures: set(Lures), kitPath: KitPaths, listed: map[string]bool{}, listedDomains: map[string]bool{}, brandOwned: set(brandOwned)}
	for _, d := range listed {
		s.AddListed(d)
	}
	return s
}

// AddListed adds a listed domain. Not safe during Score.
func (s *Scorer) AddListed(domain string) {
	domain = strings.ToLower(domain)
	s.listedDomains[domain] = true
	if l := firstLabel(domain); len(l) >= 6 {
		s.listed[l] = true
	}
}

func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, x := range list {
		m[x] = true
	}
	return m
}

func firstLabel(host string) string {
	if i := strings.IndexByte(host, '.'); i >= 0 {
		return host[:i]
	}
	return host
}

// Score scores a candidate: lure words and brands in its host name,
// brand typos and look-alikes, free-hosting tenants with throwaway names,
// number-shaped paths and parameters, kit paths, and closeness to domains
// already listed. The brands' own sites score zero.
func (s *Scorer) Score(c Candidate) Score {
	var sc Score
	host := c.Host
	if strings.HasPrefix(host, "xn--") || strings.Contains(host, ".xn--") {
		if u, err := idna.ToUnicode(host); err == nil {
			host = u
		}
	}
	dom, err := urlx.RegistrableDomain(c.Host)
	if err != nil {
		dom = c.Host
	}
	if s.brandOwned[dom] || s.brandOwned[publicParent(dom)] {
		return Score{}
	}
	tenant := dom != publicParent(dom) && isShared(dom)
	if s.listedDomains[dom] {
		sc.add(4, "on a listed domain")
	}
	// The part the owner chose: labels below the public suffix, or the
	// tenant name for free hosting.
	name := strings.TrimSuffix(host, "."+publicParent(dom))
	tokens := tokenize(name)
	brand, typo, lures := "", "", 0
	seenLure := map[string]bool{}
	for _, t := range tokens {
		folded := fold(t.text)
		switch {
		case s.brands[t.text] && (len(t.text) > 2 || t.whole):
			brand = t.text
		case s.brands[folded] && folded != t.text:
			typo = folded
		case len(t.text) >= 6:
			if b := s.nearBrand(folded); b != "" {
				typo = b
			} else if s.nearListed(folded) {
				sc.add(2, "name close to a listed domain")
			}
		}
		if s.lures[t.text] || s.lures[folded] {
			if !seenLure[folded] {
				lures++
				seenLure[folded] = true
			}
		}
		// Compounds without separators: "microsoftsupport", "winsupport".
		if !t.whole || len(t.text) < 8 {
			continue
		}
		for b := range s.brands {
			if len(b) >= 5 && strings.Contains(folded, b) && brand == "" && typo == "" {
				brand = b
			}
		}
		for l := range s.lures {
			if len(l) >= 5 && strings.Contains(folded, l) && !seenLure[l] {
				seenLure[l] = true
				lures++
			}
		}
	}
	if typo != "" {
		sc.add(4, "look-alike of "+typo)
	} else if brand != "" {
		sc.add(2.5, "brand "+brand)
	}
	if lures > 0 {
		sc.add(1.5*float64(min(lures, 3)), "lure words")
	}
	if (brand != "" || typo != "") && lures > 0 {
		sc.add(1.5, "brand with lure words")
	}
	if tenant {
		sc.add(1, "free-hosting tenant")
		if throwaway(firstLabel(name)) {
			sc.add(1.5, "throwaway tenant name")
		}
	}
	if digitRun(name) >= 3 {
		sc.add(1, "number run in the name")
	}
	if i := strings.LastIndexByte(dom, '.'); i >= 0 && riskyTLDs[dom[i+1:]] {
		sc.add(0.5, "cheap top-level domain")
	}
	s.scoreURL(c.URL, &sc)
	s.scorePath(c.URL, tenant, &sc)
	return sc
}

// scorePath: brands and lure words in the first path segments, where kits
// on free hosting keep them ("/Antivirus-Win-Def-1/", "/micro-soft/").
func (s *Scorer) scorePath(raw string, tenant bool, sc *Score) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	segs := strings.Split(strings.Trim(strings.ToLower(u.Path), "/"), "/")
	if len(segs) > 3 {
		segs = segs[:3]
	}
	brand, lures := false, 0
	for _, seg := range segs {
		var parts []string
		for _, t := range tokenize(seg) {
			parts = append(parts, fold(t.text))
		}
		// Joined neighbours: "micro-soft", "win-def".
		for i, n := 0, len(parts); i+1 < n; i++ {
			parts = append(parts, parts[i]+parts[i+1])
		}
		for _, p := range parts {
			switch {
			case len(p) > 3 && s.brands[p]:
				brand = true
			case s.lures[p] && len(p) > 3:
				lures++
			case len(p) >= 8:
				for l := range s.lures {
					if len(l) >= 5 && strings.Contains(p, l) {
						lures++
						break
					}
				}
			}
		}
	}
	if brand {
		sc.add(2, "brand in the path")
	}
	if lures > 0 {
		sc.add(float64(min(lures, 2)), "lure words in the path")
	}
	if tenant && (brand || lures > 0) {
		sc.add(1, "lure path on free hosting")
	}
}

// scoreURL: number-shaped parameters and paths, kit paths.
func (s *Scorer) scoreURL(raw string, sc *Score) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	for k, vs := range u.Query() {
		k = strings.ToLower(k)
		for _, v := range vs {
			if phoneShaped(v) {
				sc.add(3, "number in parameter "+k)
				return
			}
		}
		if numberParams[k] && k != "n" && k != "p" {
			sc.add(1.5, "number parameter "+k)
			return
		}
	}
	p := strings.ToLower(u.EscapedPath())
	if phoneShaped(strings.Trim(p, "/")) {
		sc.add(3, "number in path")
		return
	}
	full := p
	if u.RawQuery != "" {
		full += "?" + strings.ToLower(u.RawQuery)
	}
	for _, k := range s.kitPath {
		if strings.HasPrefix(full, k) || strings.Contains(full, k+"/") || strings.Contains(full, k+".") {
			sc.add(1.5, "kit path")
			return
		}
	}
}

// phoneShaped: 10 to 13 digits, alone or with separators.
func phoneShaped(v string) bool {
	digits, other := 0, 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.':
		default:
			other++
		}
	}
	return digits >= 10 && digits <= 13 && other == 0
}

type token struct {
	text  string
	whole bool // a whole label-part between separators, not a split of one
}

// tokenize splits a name on dots, hyphens and digit/letter boundaries,
// keeping the whole parts too ("micr0s0ft" stays one part for folding).
func tokenize(name string) []token {
	var out []token
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '.' || r == '-' || r == '_' }) {
		out = append(out, token{text: part, whole: true})
		if !strings.ContainsAny(part, "0123456789") {
			continue
		}
		for _, sub := range strings.FieldsFunc(part, unicode.IsDigit) {
			if sub != part && len(sub) > 1 {
				out = append(out, token{text: sub})
			}
		}
	}
	return out
}

// fold undoes the usual look-alike tricks: digits for letters, "rn" for
// "m", "vv" for "w", and Cyrillic or Greek letters that look Latin.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '0':
			r = 'o'
		case '1':
			r = 'l'
		case '3':
			r = 'e'
		case '4':
			r = 'a'
		case '5':
			r = 's'
		case '7':
			r = 't'
		case '8':
			r = 'b'
		case 'а':
			r = 'a'
		case 'е':
			r = 'e'
		case 'о', 'ο':
			r = 'o'
		case 'р':
			r = 'p'
		case 'с':
			r = 'c'
		case 'х':
			r = 'x'
		case 'і':
			r = 'i'
		case 'ѕ':
			r = 's'
		case 'ԁ':
			r = 'd'
		case 'ɡ':
			r = 'g'
		}
		b.WriteRune(r)
	}
	out := b.String()
	out = strings.ReplaceAll(out, "rn", "m")
	out = strings.ReplaceAll(out, "vv", "w")
	return out
}

// nearBrand is the brand one or two edits from s (long brands only: short
// names have too many innocent neighbours).
func (s *Scorer) nearBrand(t string) string {
	for b := range s.brands {
		if len(b) < 6 || t == b {
			continue
		}
		limit := 1
		if len(b) >= 8 {
			limit = 2
		}
		if abs(len(t)-len(b)) <= limit && editDistance(t, b, limit) <= limit {
			return b
		}
	}
	// "microsoftt", "lmicrosoft": a brand with a letter or two around it.
	return ""
}

func (s *Scorer) nearListed(t string) bool {
	if s.listed[t] {
		return true
	}
	for l := range s.listed {
		if abs(len(t)-len(l)) <= 1 && editDistance(t, l, 1) <= 1 {
			return true
		}
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the Levenshtein distance, or limit+1 once it is past limit.
func editDistance(a, b string, limit int) int {
	if a == b {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// throwaway: a tenant name that looks generated — long, with digits mixed
// in, or few vowels.
func throwaway(label string) bool {
	if len(label) < 8 {
		return false
	}
	digits, vowels, letters := 0, 0, 0
	for _, r := range label {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("aeiou", r):
			vowels++
			letters++
		case r >= 'a' && r <= 'z':
			letters++
		}
	}
	return (digits >= 3 && letters >= 3) || (letters >= 8 && float64(vowels) < 0.25*float64(letters))
}

func digitRun(s string) int {
	best, run := 0, 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// publicParent drops the first label.
func publicParent(dom string) string {
	if i := strings.IndexByte(dom, '.'); i >= 0 {
		return dom[i+1:]
	}
	return dom
}

// isShared reports whether a registrable domain is a free-hosting tenant.
func isShared(dom string) bool {
	parent := publicParent(dom)
	labels := strings.Split(parent, ".")
	if len(labels) < 2 {
		return false
	}
	for _, p := range sharedByTail()[strings.Join(labels[len(labels)-2:], ".")] {
		if matchLabels(labels, p) {
			return true
		}
	}
	return false
}

// sharedByTail indexes urlx.SharedHostingSuffixes by their last two
// labels, which are always literal.
var sharedByTail = sync.OnceValue(func() map[string][][]string {
	m := map[string][][]string{}
	for _, p := range urlx.SharedHostingSuffixes {
		l := strings.Split(p, ".")
		if len(l) < 2 {
			continue
		}
		tail := strings.Join(l[len(l)-2:], ".")
		m[tail] = append(m[tail], l)
	}
	return m
})

func matchLabels(hl, pl []string) bool {
	if len(hl) != len(pl) {
		return false
	}
	for i := range pl {
		switch {
		case pl[i] == "*":
		case strings.HasSuffix(pl[i], "*"):
			if !strings.HasPrefix(hl[i], strings.TrimSuffix(pl[i], "*")) {
				return false
			}
		case pl[i] != hl[i]:
			return false
		}
	}
	return true
}
