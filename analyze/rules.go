package analyze

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed rules/default.yaml
var defaultPackYAML []byte

// Pack is a rule pack: thresholds, category caps, brand lists and rules. The
// default pack is embedded; `--rules FILE` loads another pack on top of it
// (see Merge).
type Pack struct {
	Version int `yaml:"version"`
	// Thresholds turn a score into a verdict.
	Thresholds Thresholds `yaml:"thresholds"`
	// Categories cap how much one kind of evidence can add, and say which
	// kinds are damped on pages that are about scams (news, advice).
	Categories map[string]Category `yaml:"categories"`
	// Damping multiplies damped categories when the awareness context
	// rule matched (0..1).
	Damping float64 `yaml:"damping"`
	// ContactCap caps the score of a page whose only evidence is what a
	// legitimate contact page has too (a number, a call link, "call
	// support", a brand: rules marked contact). It takes an alarm — a scare
	// claim, a locker, a template, an auto-dial — to make a scam.
	ContactCap float64 `yaml:"contact_cap"`
	// MinCategories is how many distinct evidence categories a scam verdict
	// needs (decisive findings aside): one kind of signal alone never makes
	// a page a scam.
	MinCategories int `yaml:"min_categories"`
	// Brands maps a brand to the terms that name it.
	Brands map[string][]string `yaml:"brands"`
	// Terms are named term lists that rules reference as "@name".
	Terms map[string][]string `yaml:"terms"`
	Rules []Rule              `yaml:"rules"`
}

// Thresholds are the score a page needs for each verdict.
type Thresholds struct {
	Scam       float64 `yaml:"scam"`
	Suspicious float64 `yaml:"suspicious"`
}

// Category configures one evidence category.
type Category struct {
	Cap float64 `yaml:"cap"`
	// Damped categories shrink on awareness pages; behaviour never does.
	Damped bool `yaml:"damped"`
	// Counts says whether the category counts towards MinCategories.
	Counts bool `yaml:"counts"`
}

// Rule is one detection rule. Text rules carry a matcher (phrases, near or
// regex) and are evaluated by the engine over page text; behaviour rules
// have no matcher and are built-in detectors whose ID, weight, message and
// samples the pack supplies.
type Rule struct {
	ID          string   `yaml:"id"`
	Description string   `yaml:"description"`
	Category    string   `yaml:"category"`
	Severity    Severity `yaml:"severity"`
	// Weight is added to the score when the rule matches; PerMatch is added
	// for each further distinct match, up to MaxWeight.
	Weight    float64 `yaml:"weight"`
	PerMatch  float64 `yaml:"per_match,omitempty"`
	MaxWeight float64 `yaml:"max_weight,omitempty"`
	// Decisive findings make a page a scam on their own (an auto-dial seen
	// when the page ran). Only behaviour rules can be decisive.
	Decisive bool `yaml:"decisive,omitempty"`
	Disabled bool `yaml:"disabled,omitempty"`
	// Extend, in an overriding pack, appends this rule's phrases and near
	// terms to the existing rule of the same ID instead of replacing it.
	Extend bool `yaml:"extend,omitempty"`
	// Surfaces are the texts a text rule reads: text (visible text, title,
	// text written by script), dialog (alert/confirm/prompt messages),
	// speech (spoken text), url. Default: text, dialog, speech.
	Surfaces []string `yaml:"surfaces,omitempty"`
	// Phrases: any one of them matches.
	Phrases []string `yaml:"phrases,omitempty"`
	// Near: one term of each list within Window bytes of each other.
	Near *Near `yaml:"near,omitempty"`
	// Regex: an RE2 expression over the normalised (lower-case) text.
	Regex string `yaml:"regex,omitempty"`
	// Keywords, for a regex rule: the regex only runs on text that contains
	// one of them (a cheap prefilter, as in gitleaks).
	Keywords []string `yaml:"keywords,omitempty"`
	// MinMatches is how many occurrences the rule needs in all (default 1).
	MinMatches int `yaml:"min_matches,omitempty"`
	// Scope "claim" marks a rule whose matches assert something about the
	// visitor ("your computer is infected"). A claim only counts where the
	// page asserts it: not in a question, an if-clause, quotation marks,
	// after a negation, or next to advisory words (scam, fake, never ...),
	// the way news, banks and vendors quote scam text.
	Scope string `yaml:"scope,omitempty"`
	// Contact marks evidence legitimate contact pages have too (see
	// Pack.ContactCap).
	Contact bool    `yaml:"contact,omitempty"`
	Message string  `yaml:"message"`
	Samples Samples `yaml:"samples"`

	re *regexp.Regexp
}

// Near matches when one term from every list occurs within Window
// characters of the first list's term.
type Near struct {
	Window int        `yaml:"window"`
	Terms  []TermList `yaml:"terms"`
	// Ordered: each list's term must come after the previous list's.
	Ordered bool `yaml:"ordered,omitempty"`
	// Sentence: the terms must stand in one sentence (no . ! ? 。 between).
	Sentence bool `yaml:"sentence,omitempty"`
}

// TermList is a list of terms; in YAML a single "@name" stands for the
// named list.
type TermList []string

// UnmarshalYAML accepts a scalar as a one-term list.
func (t *TermList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*t = TermList{n.Value}
		return nil
	}
	var l []string
	if err := n.Decode(&l); err != nil {
		return err
	}
	*t = l
	return nil
}

// Samples are pages (HTML) the rule must match (TP) and must not match (FP);
// `go test ./analyze` runs them all.
type Samples struct {
	TP []Sample `yaml:"tp"`
	FP []Sample `yaml:"fp"`
}

// Sample is a page for a rule test: HTML, optionally with the URL it was
// seen at. In YAML it is a string (the HTML) or a map {html, url}.
type Sample struct {
	HTML string `yaml:"html"`
	URL  string `yaml:"url"`
}

// UnmarshalYAML accepts a plain string as a sample's HTML.
func (s *Sample) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		s.HTML = n.Value
		return nil
	}
	type plain Sample
	return n.Decode((*plain)(s))
}

// IsText reports whether the rule is a text rule (has a matcher).
func (r *Rule) IsText() bool { return len(r.Phrases) > 0 || r.Near != nil || r.Regex != "" }

// Negatable reports whether a negation before or inside one of the rule's
// near matches denies it: not for phrases (their own words) nor for a near
// whose terms are negations themselves ("do not close").
func (r *Rule) Negatable() bool {
	return r.Near != nil && !slices.ContainsFunc(r.Near.Terms, func(l TermList) bool { return slices.Contains(l, "@negation") })
}

// DefaultPack returns a fresh copy of the embedded rule pack.
func DefaultPack() (*Pack, error) {
	if generatedPackCurrent() {
		return generatedPack(), nil
	}
	return ParsePack(defaultPackYAML, "default rule pack")
}

// The embedded pack as Go code (pack_gen.go, written by go run
// ./analyze/packgen): decoding the YAML was most of a scan's start-up.
// generatedPack builds what ParsePack makes of the YAML whose SHA-256 is
// generatedPackSum, and is used only while that is the embedded YAML, so
// an edit of the YAML takes effect before the Go form is regenerated (a
// test fails until it is).
var (
	generatedPack    func() *Pack
	generatedPackSum string
)

var generatedPackCurrent = sync.OnceValue(func() bool {
	sum := sha256.Sum256(defaultPackYAML)
	return generatedPack != nil && generatedPackSum == hex.EncodeToString(sum[:])
})

// LoadPack reads a rule pack file.
func LoadPack(path string) (*Pack, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rule pack: %w", err)
	}
	return ParsePack(b, path)
}

// ParsePack parses a YAML rule pack; name is used in error messages. Unknown
// fields are errors so a typo does not silently disable a rule.
func ParsePack(b []byte, name string) (*Pack, error) {
	var p Pack
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &p, nil
}

// Merge lays an overriding pack over p: rules with a new ID are added; a rule
// with an existing ID replaces it (or, with extend: true, adds its phrases
// and near terms to it; disabled: true switches it off); brands and named
// terms are added to; non-zero thresholds, damping and categories replace.
func (p *Pack) Merge(o *Pack) {
	if o.Thresholds.Scam != 0 {
		p.Thresholds.Scam = o.Thresholds.Scam
	}
	if o.Thresholds.Suspicious != 0 {
		p.Thresholds.Suspicious = o.Thresholds.Suspicious
	}
	if o.Damping != 0 {
		p.Damping = o.Damping
	}
	if o.ContactCap != 0 {
		p.ContactCap = o.ContactCap
	}
	if o.MinCategories != 0 {
		p.MinCategories = o.MinCategories
	}
	if p.Categories == nil {
		p.Categories = map[string]Category{}
	}
	for k, v := range o.Categories {
		p.Categories[k] = v
	}
	if p.Brands == nil {
		p.Brands = map[string][]string{}
	}
	for k, v := range o.Brands {
		p.Brands[k] = append(p.Brands[k], v...)
	}
	if p.Terms == nil {
		p.Terms = map[string][]string{}
	}
	for k, v := range o.Terms {
		p.Terms[k] = append(p.Terms[k], v...)
	}
	for _, r := range o.Rules {
		i := p.ruleIndex(r.ID)
		switch {
		case i < 0:
			p.Rules = append(p.Rules, r)
		case r.Extend:
			old := &p.Rules[i]
			old.Phrases = append(old.Phrases, r.Phrases...)
			if r.Near != nil && old.Near != nil {
				for j := range old.Near.Terms {
					if j < len(r.Near.Terms) {
						old.Near.Terms[j] = append(old.Near.Terms[j], r.Near.Terms[j]...)
					}
				}
			}
			old.Samples.TP = append(old.Samples.TP, r.Samples.TP...)
			old.Samples.FP = append(old.Samples.FP, r.Samples.FP...)
			if r.Disabled {
				old.Disabled = true
			}
		case r.Disabled && !r.IsText() && r.Weight == 0:
			p.Rules[i].Disabled = true
		default:
			p.Rules[i] = r
		}
	}
}

func (p *Pack) ruleIndex(id string) int {
	for i := range p.Rules {
		if p.Rules[i].ID == id {
			return i
		}
	}
	return -1
}

// Rule returns the rule with the given ID, or nil.
func (p *Pack) Rule(id string) *Rule {
	if i := p.ruleIndex(id); i >= 0 {
		return &p.Rules[i]
	}
	return nil
}

var ruleIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

var knownSurfaces = map[string]bool{"text": true, "dialog": true, "speech": true, "url": true, "title": true}

// validate checks the pack and compiles regexes; behaviour is the set of
// rule IDs implemented in code.
func (p *Pack) validate(behaviour map[string]bool) error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if p.Thresholds.Scam <= 0 || p.Thresholds.Suspicious <= 0 || p.Thresholds.Suspicious > p.Thresholds.Scam {
		bad("thresholds: want 0 < suspicious <= scam, have suspicious %v, scam %v", p.Thresholds.Suspicious, p.Thresholds.Scam)
	}
	if p.Damping < 0 || p.Damping > 1 {
		bad("damping %v: want a factor between 0 and 1", p.Damping)
	}
	seen := map[string]bool{}
	for i := range p.Rules {
		r := &p.Rules[i]
		if !ruleIDPattern.MatchString(r.ID) {
			bad("rule %q: ID must look like TSS-WORD-WORD (upper case, digits, dashes)", r.ID)
		}
		if seen[r.ID] {
			bad("rule %s: duplicate ID", r.ID)
		}
		seen[r.ID] = true
		if _, ok := p.Categories[r.Category]; !ok {
			bad("rule %s: unknown category %q (known: %s)", r.ID, r.Category, strings.Join(sortedKeys(p.Categories), ", "))
		}
		switch r.Severity {
		case Info, Low, Medium, High, Critical:
		default:
			bad("rule %s: severity %q: want info, low, medium, high or critical", r.ID, r.Severity)
		}
		if r.Message == "" {
			bad("rule %s: message is empty", r.ID)
		}
		if r.IsText() {
			if r.Decisive {
				bad("rule %s: a text rule cannot be decisive", r.ID)
			}
			for _, s := range r.Surfaces {
				if !knownSurfaces[s] {
					bad("rule %s: unknown surface %q", r.ID, s)
				}
			}
			if r.Regex != "" {
				re, err := regexp.Compile(r.Regex)
				if err != nil {
					bad("rule %s: regex: %v", r.ID, err)
				}
				r.re = re
			}
			if r.Scope != "" && r.Scope != "claim" {
				bad("rule %s: scope %q: want claim or nothing", r.ID, r.Scope)
			}
			if r.Near != nil && (len(r.Near.Terms) < 2 || r.Near.Window <= 0) {
				bad("rule %s: near needs at least two term lists and a positive window", r.ID)
			}
		} else if !behaviour[r.ID] {
			bad("rule %s: has no phrases, near or regex, and is not a built-in behaviour rule", r.ID)
		}
		if !r.Disabled && len(r.Samples.TP) == 0 {
			bad("rule %s: needs at least one true-positive sample", r.ID)
		}
	}
	for id := range behaviour {
		if !seen[id] {
			bad("built-in rule %s is missing from the pack (disable it with disabled: true instead of deleting it)", id)
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("invalid rule pack:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// ExpandTerms resolves the "@name" references of a term list (named term
// lists, a brand, @brands for every brand) to their terms, as the rules
// read them; other terms stay as written.
func (p *Pack) ExpandTerms(list []string) []string { return p.expandTerms(list) }

// expandTerms resolves "@name" references to named term lists.
func (p *Pack) expandTerms(list []string) []string {
	var out []string
	for _, t := range list {
		if strings.HasPrefix(t, "@") {
			if named, ok := p.Terms[t[1:]]; ok {
				out = append(out, named...)
				continue
			}
			if brand, ok := p.Brands[t[1:]]; ok {
				out = append(out, brand...)
				continue
			}
			if t == "@brands" {
				for _, k := range sortedKeys(p.Brands) {
					out = append(out, p.Brands[k]...)
				}
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
