package analyze

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/tssguard/tssguard/phone"
)

// Gateways: a page that shows nothing and sends the visitor on (by script
// or meta refresh, often chosen by user agent) is judged by where it sends
// them. Statically that is the target URL: a phone number handed on in its
// parameters (the scam template on the other side writes it), or a lure
// host. The browser (--dynamic) follows the redirect and judges the target
// page itself.

func init() {
	for _, id := range []string{"TSS-GATEWAY-REDIRECT", "TSS-GATEWAY-NUMBER-TARGET", "TSS-GATEWAY-LURE-TARGET", "TSS-GATEWAY-CLOAKED"} {
		behaviourRules[id] = true
	}
}

// blankText is how much visible text (characters, titles aside) a page
// may show and still count as blank: a gateway, or a page that is only an
// obfuscated script.
const blankText = 200

// gatewayTargets are where an empty page sends its visitors (call links
// and javascript: URLs aside); none when the page shows content.
func (a *analysis) gatewayTargets() []segment {
	var targets []segment
	for _, s := range a.urlText {
		if callScheme(s.Text) == "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(s.Text)), "javascript:") {
			targets = append(targets, s)
		}
	}
	if len(targets) == 0 || !a.looksEmpty() {
		return nil
	}
	return targets
}

// handOff is a phone number (or a placeholder for one) an empty page hands
// on to where it sends the visitor.
type handOff struct {
	param, value string
	ev           Evidence
}

// gatewayHandOff finds the first number an empty page hands on; ok is
// false when there is none. findHotlines reads the number from it, and
// detectGateway what it means for the page.
func (a *analysis) gatewayHandOff() (h handOff, ok bool) {
	for _, t := range a.gatewayTargets() {
		if p, v := numberInTarget(t.Text, a.regions); p != "" {
			return handOff{p, v, Evidence{Source: t.Source, Location: t.Name, Offset: -1, Snippet: "hands ?" + p + "=" + clip(v, 40) + " on to " + clip(t.Text, 160)}}, true
		}
	}
	return handOff{}, false
}

func (a *analysis) detectGateway() {
	targets := a.gatewayTargets()
	if len(targets) == 0 {
		return
	}
	t0 := targets[0]
	a.add("TSS-GATEWAY-REDIRECT", Evidence{Source: t0.Source, Location: t0.Name, Offset: -1, Snippet: "a page with no content of its own sends visitors to " + clip(t0.Text, 160)}, 1)
	if h, ok := a.gatewayHandOff(); ok {
		a.add("TSS-GATEWAY-NUMBER-TARGET", h.ev, 1)
		// The page takes part in a number template: the target writes
		// the parameter. (The number itself is a hotline: findHotlines.)
		a.add("TSS-TEMPLATE-NUMBER-PARAM", h.ev, 0.8)
		if a.report.Template == nil {
			a.report.Template = &Template{Params: []string{h.param}}
		} else if !contains(a.report.Template.Params, h.param) {
			a.report.Template.Params = append(a.report.Template.Params, h.param)
		}
	}
	if f := a.findings["TSS-URL-LURE"]; f != nil {
		for _, ev := range f.Evidence {
			if strings.HasPrefix(ev.Location, "navigation target") {
				a.add("TSS-GATEWAY-LURE-TARGET", Evidence{Source: ev.Source, Location: ev.Location, Offset: -1, Snippet: "redirects to a lure URL: " + ev.Snippet}, 1)
				break
			}
		}
	}
	// Choosing the target by the visitor's browser or system, when the
	// target is a lure or gets the number, is the gateway's whole job.
	if a.findings["TSS-CLOAK-UA-REDIRECT"] != nil {
		for _, id := range []string{"TSS-GATEWAY-NUMBER-TARGET", "TSS-GATEWAY-LURE-TARGET"} {
			if f := a.findings[id]; f != nil && len(f.Evidence) > 0 {
				a.add("TSS-GATEWAY-CLOAKED", Evidence{Source: f.Evidence[0].Source, Location: f.Evidence[0].Location, Offset: -1, Snippet: "picks its redirect by the visitor's browser or system; " + f.Evidence[0].Snippet}, 1)
				break
			}
		}
	}
}

// looksEmpty: the served documents show (almost) no text of their own.
func (a *analysis) looksEmpty() bool { return a.ownText() <= blankText }

// ownText counts the characters of text the served documents show, their
// titles aside (decoded and emulated documents are the page's code, not
// what it shows as served). A blank page, an obfuscation-only page and a
// page of pictures are told by it.
func (a *analysis) ownText() int {
	n := 0
	for _, d := range a.docs {
		if d.scriptMade() {
			continue
		}
		n += d.ownText()
	}
	return n
}

// ownText counts the characters of text the document shows, its title
// aside.
func (d *docFacts) ownText() int {
	return utf8.RuneCountInString(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(d.Text), strings.TrimSpace(d.Title))))
}

// numberInTarget finds a phone number handed on in a redirect target's
// query: a parameter named like a number whose value is a number or a
// server-side placeholder for one, or any parameter whose value parses as
// a phone number.
func numberInTarget(raw string, regions []string) (param, value string) {
	q := strings.IndexByte(raw, '?')
	if q < 0 {
		return "", ""
	}
	for _, kv := range strings.Split(raw[q+1:], "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k == "" {
			continue
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		placeholder := strings.Contains(v, "<?") || strings.Contains(v, "{{") || strings.Contains(v, "$_") || strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%")
		if isNumberParam(k) && (placeholder || looksLikeNumber(v)) {
			return k, v
		}
		if looksLikeNumber(v) {
			if _, err := phone.Parse(v, phone.Options{Regions: regions}); err == nil {
				return k, v
			}
		}
	}
	return "", ""
}

// looksLikeNumber: 7 to 15 digits, with only the separators numbers use.
func looksLikeNumber(v string) bool {
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}
