package analyze

import (
	"bytes"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/tssguard/tssguard/capture"
)

// Conversion: support-scam pages without a visible number still need the
// visitor to do something that pays — chat with a "technician", renew a
// fake subscription through an affiliate link, download a "cleaner". And a
// fake scan lists system files no web page can see. These detectors find
// that evidence; on its own (a chat widget, an affiliate link) it is what
// ordinary shops have too, so the rules are marked contact and need an
// alarm beside them.

func init() {
	for _, id := range []string{"TSS-SCAN-SYSTEM-PATHS", "TSS-CONVERT-CHAT-WIDGET", "TSS-CONVERT-AFFILIATE", "TSS-FAKE-PROGRESS"} {
		behaviourRules[id] = true
	}
}

func (a *analysis) detectConversion() {
	a.detectSystemPaths()
	a.detectChatWidget()
	a.detectAffiliateLinks()
	a.detectFakeProgress()
	a.detectVisitorInfo() // visitorinfo.go
}

// detectFakeProgress: a progress bar (in markup, or an element whose width a
// timer grows) beside words saying the visitor's machine is being scanned,
// installed or repaired. A web page can do none of that.
func (a *analysis) detectFakeProgress() {
	var ev *Evidence
	for di := range a.cap.Documents {
		if raw := a.markup(di); !a.docUpperToASCII(di) && !progressCandidate(raw) {
			continue // nor has its lower case: no need to make it
		}
		body := a.lowerDoc(di)
		at := bytes.Index(body, []byte("<progress"))
		if at < 0 {
			if at = bytes.Index(body, []byte("progressbar")); at >= 0 && !bytes.Contains(body[max(at-16, 0):at], []byte("role")) {
				at = -1
			}
		}
		if at >= 0 {
			ev = &Evidence{Source: "html", Location: a.cap.Documents[di].URL, Offset: at, Snippet: clip(string(body[at:min(at+80, len(body))]), 80)}
			break
		}
	}
	if ev == nil {
	scripts:
		for _, u := range a.scripts {
			for _, s := range u.Facts.Assigns {
				if strings.HasSuffix(strings.ToLower(s.Target), "style.width") && repeated(s.Ctx) {
					e := a.scriptEvidence(u, s.Offset, s.Target)
					ev = &e
					break scripts
				}
			}
		}
	}
	if ev == nil {
		return
	}
	words := a.e.pack.Terms[workingList]
	for _, ns := range a.norm["text"] {
		for _, w := range words {
			if i := strings.Index(ns.Norm, w); i >= 0 {
				ev.Snippet = "progress bar beside \"" + snippet(ns.Norm, i, i+len(w), 20, 80) + "\": " + ev.Snippet
				a.add("TSS-FAKE-PROGRESS", *ev, 1)
				return
			}
		}
	}
}

// progressCandidate: b has "<progress" or "progressbar", ASCII case
// ignored. One pass over the 'g's of "progress" (a rarer byte in markup
// than '<' or 'p') rather than one per needle.
func progressCandidate(b []byte) bool {
	const word, g = "progress", 3
	nextLo, nextUp := -1, -1 // where 'g' and 'G' are next, from i on
	for i := g; i+len(word)-g <= len(b); i++ {
		if nextLo < i {
			if nextLo = bytes.IndexByte(b[i:], 'g'); nextLo >= 0 {
				nextLo += i
			} else {
				nextLo = len(b)
			}
		}
		if nextUp < i {
			if nextUp = bytes.IndexByte(b[i:], 'G'); nextUp >= 0 {
				nextUp += i
			} else {
				nextUp = len(b)
			}
		}
		i = min(nextLo, nextUp)
		at := i - g
		if i+len(word)-g > len(b) {
			return false
		}
		if !foldsTo(b[at:at+len(word)], word) {
			continue
		}
		if at > 0 && b[at-1] == '<' || at+len(word)+3 <= len(b) && foldsTo(b[at+len(word):at+len(word)+3], "bar") {
			return true
		}
	}
	return false
}

// systemPath matches file-system and registry paths of the visitor's own
// machine, as fake scans animate them ("C:\Windows\System32\drivers\...").
var systemPath = regexp.MustCompile(`(?i)\b[a-z]:(?:\\{1,2}|/)(?:windows|program files|programdata|users|documents and settings|system32|recovery|boot)[^\s"'<>,;]{0,80}|\bhkey_(?:local_machine|current_user|classes_root)[^\s"'<>,;]{0,80}|\bhk(?:lm|cu)\\{1,2}[^\s"'<>,;]{1,80}|/(?:system/library|library/(?:application support|preferences|launchagents)|private/var|usr/(?:bin|lib|libexec))/[^\s"'<>,;]{0,80}`)

// mayHoldSystemPath is a cheap test before the regular expression: s has
// a drive path, a registry root or a Unix system directory, spelled as
// the regular expression could match it.
func mayHoldSystemPath(s string) bool {
	return pathMarker(s) && systemPathPossible(s)
}

// pathMarker: s has ":\\" or a drive written with a slash ("C:/Users"),
// a registry root in upper or lower case or a Unix system directory.
func pathMarker(s string) bool {
	if strings.Contains(s, ":\\") || driveSlash(s, false) {
		return true
	}
	// Registry roots: all start "HK" or "hk".
	if strings.Contains(s, "HK") || strings.Contains(s, "hk") {
		for _, k := range []string{"HKEY_", "hkey_", "HKLM", "HKCU", "hklm", "hkcu"} {
			if strings.Contains(s, k) {
				return true
			}
		}
	}
	// "/Library/", "/library/", "/System/", "/system/", "/private/var",
	// "/usr/": at each '/', by the byte after it.
	for i := strings.IndexByte(s, '/'); i >= 0 && i+1 < len(s); {
		r := s[i:]
		switch r[1] {
		case 'L', 'l':
			if strings.HasPrefix(r[2:], "ibrary/") {
				return true
			}
		case 'S', 's':
			if strings.HasPrefix(r[2:], "ystem/") {
				return true
			}
		case 'p':
			if strings.HasPrefix(r, "/private/var") {
				return true
			}
		case 'u':
			if strings.HasPrefix(r, "/usr/") {
				return true
			}
		}
		j := strings.IndexByte(r[1:], '/')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// systemPathPossible is what systemPath needs to match anywhere in s: a
// drive path's first letter, a registry root or a Unix system directory,
// ASCII case ignored. Its (?i) also folds U+212A to k and U+017F to s:
// with either in s, anything is possible.
func systemPathPossible(s string) bool {
	if strings.Contains(s, "\u212a") || strings.Contains(s, "\u017f") {
		return true
	}
	for i := 0; ; {
		j := strings.Index(s[i:], ":\\")
		if j < 0 {
			break
		}
		k := i + j + 2
		if k < len(s) && s[k] == '\\' {
			k++ // \\{1,2}
		}
		if k < len(s) && strings.IndexByte("wpudsrbWPUDSRB", s[k]) >= 0 { // windows, program…, users, documents…, system32, recovery, boot
			return true
		}
		i += j + 1
	}
	if driveSlash(s, true) {
		return true
	}
	b := stringBytes(s)
	for _, k := range []string{"hkey_", "hklm\\", "hkcu\\", "/library/", "/private/var/", "/usr/"} { // "/system/library/" holds "/library/"
		if indexFold(b, k) >= 0 {
			return true
		}
	}
	return false
}

// driveSlash: s has a drive letter and a slash ("C:/Users"), not a URL's
// scheme ("https://"); with dirs, before a letter the system path's
// directories start with. A letter is any byte of a longer character too:
// the expression's (?i) takes the Kelvin sign for a k.
func driveSlash(s string, dirs bool) bool {
	for i := strings.Index(s, ":/"); i >= 0; {
		if i >= 1 && (isASCIILetterByte(s[i-1]) || s[i-1] >= utf8.RuneSelf) && (i == 1 || !isAlnum(s[i-2])) &&
			(!dirs || i+2 < len(s) && strings.IndexByte("wpudsrbWPUDSRB", s[i+2]) >= 0) {
			return true
		}
		j := strings.Index(s[i+2:], ":/")
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}

func isASCIILetterByte(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// workingList names the term list of words saying the machine is being
// scanned, installed or repaired.
const workingList = "working"

// Paths a page must show to be pretending to scan the visitor's disk.
const (
	minScriptPaths = 3 // in script strings: the list a fake scan animates
	minTextPaths   = 6 // in visible text: docs quote a few paths, scans many
)

func (a *analysis) detectSystemPaths() {
	seen := map[string]bool{}
	var ev *Evidence
	for _, u := range a.scripts {
		for _, l := range u.Facts.Literals {
			if len(l.Value) < 6 || !mayHoldSystemPath(l.Value) {
				continue
			}
			for _, m := range systemPath.FindAllString(l.Value, 16) {
				if key := strings.ToLower(m); !seen[key] && len(seen) < 64 {
					seen[key] = true
					if ev == nil {
						e := a.scriptEvidence(u, l.Offset, l.Value)
						ev = &e
					}
				}
			}
		}
	}
	if len(seen) >= minScriptPaths {
		ev.Snippet = strconv.Itoa(len(seen)) + " system paths in script strings: " + ev.Snippet
		a.add("TSS-SCAN-SYSTEM-PATHS", *ev, 1)
		return
	}
	for _, d := range a.docs {
		if !mayHoldSystemPath(d.Text) {
			continue
		}
		found := map[string]bool{}
		first := -1
		for _, loc := range systemPath.FindAllStringIndex(d.Text, 64) {
			found[strings.ToLower(d.Text[loc[0]:loc[1]])] = true
			if first < 0 {
				first = loc[0]
			}
		}
		if len(found) >= minTextPaths {
			a.add("TSS-SCAN-SYSTEM-PATHS", Evidence{Source: docSource(d), Location: d.Name, Offset: first,
				Snippet: strconv.Itoa(len(found)) + " system paths in the page text: " + snippet(d.Text, first, first+40, 0, 160)}, 1)
			return
		}
	}
}

// chatHosts serve live-chat widgets. Scam pages with no number route the
// visitor to a "technician" through one of them.
var chatHosts = []string{"tawk.to", "livechatinc.com", "livechat.com", "tidio.co", "jivosite.com", "jivo.ru", "crisp.chat", "zopim.com", "zdassets.com", "intercom.io", "intercomcdn.com", "olark.com", "smartsupp.com", "chatra.io", "userlike.com", "purechat.com", "livehelpnow.net", "comm100.com", "drift.com", "driftt.com", "freshchat.com", "chaport.com", "helpcrunch.com", "livezilla.net", "gist.build"}

var chatHostFinder = newHostFinder(chatHosts)

func chatHost(s string) string {
	if !chatHostFinder.mayName(s) {
		return ""
	}
	s = strings.ToLower(s)
	if !strings.Contains(s, ".") {
		return ""
	}
	for _, h := range chatHosts {
		if i := strings.Index(s, h); i >= 0 && (i == 0 || !isHostChar(s[i-1]) || s[i-1] == '.') {
			return h
		}
	}
	return ""
}

func isHostChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

func (a *analysis) detectChatWidget() {
	for _, d := range a.docs {
		for _, s := range d.Scripts {
			if h := chatHost(s.Src); h != "" {
				a.add("TSS-CONVERT-CHAT-WIDGET", Evidence{Source: docSource(d), Location: d.Name, Offset: s.Offset, Snippet: `<script src="` + s.Src + `"> (` + h + ")"}, 1)
				return
			}
		}
	}
	for _, u := range a.scripts {
		for _, l := range u.Facts.Literals {
			if len(l.Value) < 200 {
				if h := chatHost(l.Value); h != "" {
					a.add("TSS-CONVERT-CHAT-WIDGET", a.scriptEvidence(u, l.Offset, l.Value+" ("+h+")"), 1)
					return
				}
			}
		}
	}
	// Loaded at run time from an address the code builds (an obfuscator's
	// string table hides it from the reading above): the emulator saw the
	// script element inserted, the browser requested the script.
	for _, o := range a.events {
		if o.Kind == capture.EventScript {
			if h := chatHost(o.Detail); h != "" {
				a.add("TSS-CONVERT-CHAT-WIDGET", Evidence{Source: o.Source, Location: o.Frame, Offset: -1, Snippet: `script inserted: <script src="` + clip(o.Detail, 120) + `"> (` + h + ")"}, 1)
				return
			}
		}
	}
	if a.cap.Runtime != nil {
		for _, q := range a.cap.Runtime.Requests {
			if q.Type == "Script" {
				if h := chatHost(q.URL); h != "" {
					a.add("TSS-CONVERT-CHAT-WIDGET", Evidence{Source: "runtime", Offset: -1, Snippet: "script requested: " + clip(q.URL, 120) + " (" + h + ")"}, 1)
					return
				}
			}
		}
	}
}

// affiliateParams are URL parameters affiliate networks use to pay for a
// sale or an install: fake-antivirus pages earn through them.
var affiliateParams = map[string]bool{"affid": true, "aff_id": true, "affiliate": true, "affiliate_id": true, "aff": true, "aff_sub": true, "aff_sub2": true, "affsub": true, "clickid": true, "click_id": true, "subid": true, "sub_id": true, "offer_id": true, "offerid": true, "a_aid": true, "tracking_id": true, "trackingid": true, "partner_id": true}

func affiliateParam(raw string) string {
	q := strings.IndexByte(raw, '?')
	if q < 0 {
		return ""
	}
	query := strings.ReplaceAll(raw[q+1:], "&amp;", "&")
	vals, err := url.ParseQuery(query)
	if err != nil && len(vals) == 0 {
		return ""
	}
	// The first in the URL, so that reports are reproducible.
	for part := range strings.SplitSeq(query, "&") {
		k, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(k); err == nil && vals.Has(k) && affiliateParams[strings.ToLower(k)] {
			return k
		}
	}
	return ""
}

func (a *analysis) detectAffiliateLinks() {
	for di := range a.cap.Documents {
		body, from := a.markup(di), 0
		if a.docUpperToASCII(di) {
			body = a.lowerDoc(di)
		} else {
			if from = affiliateCandidate(body, 0); from < 0 {
				continue // nor has its lower case: no need to make it
			}
			// Where the lower case keeps every rune's offset, the markup
			// is read as it is (affiliateCandidate ignores ASCII case).
			if !lowerKeepsOffsets(body) {
				body, from = a.lowerDoc(di), 0
			}
		}
		// Every '=' whose parameter name, after ? or &, is an affiliate
		// parameter.
		for at := affiliateCandidate(body, from); at >= 0; at = affiliateCandidate(body, at+1) {
			if a.affiliateLink(di, body, at) {
				return
			}
		}
	}
	for _, u := range a.scripts {
		for _, l := range u.Facts.Literals {
			if strings.HasPrefix(l.Value, "http") && len(l.Value) < 2048 {
				if p := affiliateParam(l.Value); p != "" {
					a.add("TSS-CONVERT-AFFILIATE", a.scriptEvidence(u, l.Offset, l.Value), 1)
					return
				}
			}
		}
	}
}

// affiliateLink adds the finding if the link around the '=' at eq in
// document di (body being its markup, or that in lower case) has an
// affiliate parameter.
func (a *analysis) affiliateLink(di int, body []byte, eq int) bool {
	k := eq
	for k > 0 && eq-k < 16 && isParamByte(lowerASCII(body[k-1])) {
		k--
	}
	link := urlAround(a.cap.Documents[di].Body, eq)
	if p := affiliateParam(link); p != "" {
		a.add("TSS-CONVERT-AFFILIATE", Evidence{Source: "html", Location: a.cap.Documents[di].URL, Offset: k, Snippet: "link with affiliate parameter " + p + ": " + clip(link, 160)}, 1)
		return true
	}
	return false
}

func isParamByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' }

// maxMarkupScan bounds how much of a document the markup detectors read.
const maxMarkupScan = 2 << 20

// markup is document i as the markup detectors read it (bounded).
func (a *analysis) markup(i int) []byte {
	b := a.cap.Documents[i].Body
	return b[:min(len(b), maxMarkupScan)]
}

// lowerDoc returns document i in lower case (bounded), made once per
// analysis, and only for a document that may have what a markup detector
// looks for: most have not (upperToASCII, indexFold, affiliateCandidate
// tell without the copy).
func (a *analysis) lowerDoc(i int) []byte {
	if a.lowered == nil {
		a.lowered = make([][]byte, len(a.cap.Documents))
	}
	if a.lowered[i] == nil {
		a.lowered[i] = lowerBytes(a.markup(i))
	}
	return a.lowered[i]
}

// docUpperToASCII is upperToASCII of document i's markup, found once per
// analysis: two detectors ask.
func (a *analysis) docUpperToASCII(i int) bool {
	if len(a.upperToASCII) < len(a.cap.Documents) {
		a.upperToASCII = append(a.upperToASCII, make([]int8, len(a.cap.Documents)-len(a.upperToASCII))...)
	}
	if a.upperToASCII[i] == 0 {
		a.upperToASCII[i] = -1
		if upperToASCII(a.markup(i)) {
			a.upperToASCII[i] = 1
		}
	}
	return a.upperToASCII[i] > 0
}

// upperToASCII says whether b holds one of the two letters whose lower
// case is an ASCII letter (U+0130 → i, U+212A → k). Without them an ASCII
// byte of lowerBytes(b) is an ASCII byte of b in either case, so what an
// ASCII needle finds in the lower case the same needle finds in b
// ignoring ASCII case.
func upperToASCII(b []byte) bool {
	return bytes.Contains(b, []byte("\u0130")) || bytes.Contains(b, []byte("\u212a"))
}

// affiliateCandidate returns where, from from on, b has an '=' that
// detectAffiliateLinks would look at in b's lower case (after an
// affiliate parameter name after ?, & or ;), ASCII case ignored; -1 if
// nowhere.
func affiliateCandidate(b []byte, from int) int {
	var buf [16]byte
	for from < len(b) {
		eq := bytes.IndexByte(b[from:], '=')
		if eq < 0 {
			return -1
		}
		eq += from
		from = eq + 1
		k := eq
		for k > 0 && eq-k < 16 && isParamByte(lowerASCII(b[k-1])) {
			k--
		}
		if k == eq || k == 0 || (b[k-1] != '?' && b[k-1] != '&' && b[k-1] != ';') {
			continue
		}
		name := buf[:0]
		for _, c := range b[k:eq] {
			name = append(name, lowerASCII(c))
		}
		if affiliateParams[string(name)] {
			return eq
		}
	}
	return -1
}

// lowerKeepsOffsets says whether lowerBytes(b) has every rune where b
// has it: b is UTF-8 and no rune's lower case is longer or shorter than
// it. ASCII is passed over eight bytes at a time (nextNonASCII).
func lowerKeepsOffsets(b []byte) bool {
	s := unsafe.String(unsafe.SliceData(b), len(b))
	for i := nextNonASCII(s, 0); i < len(s); i = nextNonASCII(s, i) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false // lowerBytes writes U+FFFD, three bytes
		}
		if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) != size {
			return false
		}
		i += size
	}
	return true
}

// urlAround returns the URL-like run of bytes around at: from the quote,
// space or '=' of an attribute before it to the quote, space or '>' after.
func urlAround(body []byte, at int) string {
	stop := func(c byte) bool {
		return c == '"' || c == '\'' || c == ' ' || c == '>' || c == '<' || c == '\n' || c == '(' || c == ')'
	}
	lo := at
	for lo > 0 && at-lo < 1000 && !stop(body[lo-1]) {
		lo--
	}
	hi := at
	for hi < len(body) && hi-at < 1000 && !stop(body[hi]) {
		hi++
	}
	return string(body[lo:hi])
}

// lowerBytes returns what bytes.ToLower returns, faster on markup that is
// mostly ASCII with some other letters: bytes.ToLower then maps every rune
// through a function. As there, other runes go through unicode.ToLower and
// bytes that are not UTF-8 become U+FFFD.
func lowerBytes(s []byte) []byte {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return bytes.ToLower(s) // its ASCII path
	}
	out := make([]byte, i, len(s)+utf8.UTFMax)
	for j := 0; j < i; j++ {
		out[j] = asciiLower[s[j]]
	}
	for i < len(s) {
		if c := s[i]; c < utf8.RuneSelf {
			out = append(out, asciiLower[c])
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if l := unicode.ToLower(r); l != r || r == utf8.RuneError {
			out = utf8.AppendRune(out, l)
		} else {
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return out
}

var asciiLower = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
		if 'A' <= c && c <= 'Z' {
			t[c] += 'a' - 'A'
		}
	}
	return t
}()

// ConversionRule is what the conversion detectors look for, for the
// extension's rule generator: the device reads the same evidence from the
// page it has in front of it.
type ConversionRule struct {
	ChatHosts       []string // script hosts of live-chat widgets (TSS-CONVERT-CHAT-WIDGET)
	AffiliateParams []string // URL parameters of affiliate links (TSS-CONVERT-AFFILIATE)
	SystemPath      string   // a path of the visitor's own machine (TSS-SCAN-SYSTEM-PATHS), RE2 syntax
	MinScriptPaths  int      // distinct paths in scripts that make a fake scan
	MinTextPaths    int      // distinct paths in the text that make one
	WorkingList     string   // the term list of "scanning, repairing" words beside a progress bar (TSS-FAKE-PROGRESS)
}

// Conversion gives the conversion detectors' evidence.
func Conversion() ConversionRule {
	return ConversionRule{
		ChatHosts:       slices.Clone(chatHosts),
		AffiliateParams: sortedKeys(affiliateParams),
		SystemPath:      systemPath.String(),
		MinScriptPaths:  minScriptPaths,
		MinTextPaths:    minTextPaths,
		WorkingList:     workingList,
	}
}
