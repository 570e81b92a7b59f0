package analyze

import (
	"time"
)

// Verdict is the outcome of analysing one page.
type Verdict string

const (
	Scam       Verdict = "scam"       // confident: block it
	Suspicious Verdict = "suspicious" // worth a look; not enough to block on
	Clean      Verdict = "clean"
)

// Severity grades a finding for people reading a report; the score uses weights.
type Severity string

const (
	Info     Severity = "info"
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// Report is what analysis says about one page. Its JSON form is the
// `tssguard scan --format json` schema (see docs/report.md); fields are only
// added, never renamed, within a schema version.
type Report struct {
	Schema   int    `json:"schema"`
	URL      string `json:"url"`
	FinalURL string `json:"final_url,omitempty"`
	// Redirects is the redirect chain, URL first and FinalURL last: HTTP
	// redirects and, from the sandbox, pages that sent the browser on.
	Redirects []string `json:"redirects,omitempty"`
	// Verdict and Score: Score is the sum of the findings' weights after
	// category caps and context damping; thresholds are in the rule pack.
	Verdict Verdict `json:"verdict"`
	Score   float64 `json:"score"`
	// Reason says in one sentence why the verdict is what it is.
	Reason   string    `json:"reason"`
	Findings []Finding `json:"findings"`
	Hotlines []Hotline `json:"hotlines"`
	// Language is the language of the page's text as detected ("fr",
	// "ja", "zh-Hant"); empty when unsure.
	Language string `json:"language,omitempty"`
	// Regions are the regions numbers written without a country code were
	// read in, most likely first, each with its strongest clue.
	Regions []RegionHint `json:"regions,omitempty"`
	// Brands impersonated or named, most mentioned first.
	Brands []string `json:"brands,omitempty"`
	// Template is set when the page takes its number from the URL.
	Template *Template `json:"template,omitempty"`
	// Fingerprint identifies the page's template: equal for pages of one kit
	// that differ only in numbers, digits and URL parameters.
	Fingerprint string `json:"fingerprint"`
	// FastPath is set when the keyword prefilter found nothing any rule
	// could build a suspicious score from, so the page was called clean
	// without the full analysis (no findings, no fingerprint).
	FastPath bool `json:"fast_path,omitempty"`
	// Dynamic is set when runtime evidence from the sandbox was analysed.
	Dynamic bool `json:"dynamic"`
	// Requests made at run time (dynamic captures only), including blocked ones.
	Requests []Request `json:"requests,omitempty"`
	// Notes are capture and analysis problems: missing scripts, truncation,
	// emulation cut off, rules skipped for budget.
	Notes []string `json:"notes,omitempty"`
	// Truncated is set when budgets left part of the page unread: the
	// verdict is then about the part that was read.
	Truncated *Truncated `json:"truncated,omitempty"`
	Timings   Timings    `json:"timings"`
}

// Truncated says how much of a page analysis left out for budget.
type Truncated struct {
	// TextBytes is how many bytes of visible text were past a document's
	// text limit (2 MiB) and not analysed.
	TextBytes int `json:"text_bytes,omitempty"`
	// Scripts is how many scripts (script elements, event-handler
	// attributes, decoded scripts) were past the limits (2,048 a page,
	// 4,096 script elements or handlers a document) and not analysed.
	Scripts int `json:"scripts,omitempty"`
}

// Request is one request the page made in the sandbox.
type Request struct {
	URL     string `json:"url"`
	Type    string `json:"type,omitempty"`
	Status  int    `json:"status,omitempty"`
	Blocked bool   `json:"blocked,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// Finding is one rule that matched, with the evidence for it.
type Finding struct {
	Rule     string   `json:"rule"`
	Category string   `json:"category"`
	Severity Severity `json:"severity"`
	// Weight is what the finding added to the score (after damping).
	Weight   float64    `json:"weight"`
	Message  string     `json:"message"`
	Evidence []Evidence `json:"evidence"`
}

// Evidence points at what made a rule match.
type Evidence struct {
	// Source is where it was seen: html, text, script, handler, style, url,
	// decoded (recovered from obfuscation), written (what a script writes
	// into the page, read without running it), emulation (bounded script run),
	// runtime (real browser).
	Source string `json:"source"`
	// Location is the file, script URL, "inline script #N" or frame.
	Location string `json:"location,omitempty"`
	// Offset is the byte offset in Location's text, -1 when not applicable.
	Offset  int    `json:"offset"`
	Snippet string `json:"snippet"`
}

// Hotline is a phone number the page presents.
type Hotline struct {
	E164   string `json:"e164"`
	Raw    string `json:"raw"`
	Region string `json:"region,omitempty"`
	// RegionSource says how the number's region was decided:
	// country-code when it is written with one, otherwise the clue for the
	// region it was read in (see RegionHint.Source).
	RegionSource string `json:"region_source,omitempty"`
	Type         string `json:"type"`
	// Where lists the places it was found: text, tel-link, url-param (a
	// URL parameter the page's scripts read), script, speech, dialog,
	// runtime, redirect (handed on by a gateway to its target).
	Where []string `json:"where"`
}

// RegionHint is a region numbers without a country code were read in, and
// the strongest clue for it: lang-attr (the page's lang attribute,
// Content-Language or og:locale), text-language (the language its text is
// in), tld (its URL's country domain), nearby-prefix (numbers on it written
// with that region's country code), brand-site (links to a brand's site
// for that region, "…/fr-fr/…"), default (nothing else said).
type RegionHint struct {
	Region string `json:"region"`
	Source string `json:"source"`
}

// Template describes a page that writes a number taken from its URL.
type Template struct {
	// Params are the URL parameter names the page reads.
	Params []string `json:"params"`
	// DefaultNumber is set when the page carries a number of its own to show
	// when the parameter is missing.
	DefaultNumber bool `json:"default_number"`
	// Confirmed is set when emulation saw the parameter's value written into
	// the page or dialled.
	Confirmed bool `json:"confirmed"`
}

// Timings breaks down where analysis spent its time.
type Timings struct {
	Total     time.Duration `json:"total_ns"`
	HTML      time.Duration `json:"html_ns"`
	Scripts   time.Duration `json:"scripts_ns"`
	Emulation time.Duration `json:"emulation_ns"`
	OCR       time.Duration `json:"ocr_ns,omitempty"` // reading embedded pictures (Options.OCR)
	Rules     time.Duration `json:"rules_ns"`
}

// Flagged reports whether the verdict is scam or suspicious.
func (r *Report) Flagged() bool { return r.Verdict == Scam || r.Verdict == Suspicious }

// Finding returns the finding with rule ID id, or nil.
func (r *Report) Finding(id string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].Rule == id {
			return &r.Findings[i]
		}
	}
	return nil
}
