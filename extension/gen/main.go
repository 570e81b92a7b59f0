// Command gen writes extension/rules.json, the on-device analyser's rule
// file, from the built-in rule pack (analyze/rules/default.yaml): the text
// rules (phrases, near-terms, regular expressions) with named lists
// expanded, the brands, the category caps, the thresholds and the weights
// of the behaviour rules the extension observes itself.
//
//	go run ./extension/gen            # writes extension/rules.json
//	go run ./extension/gen -o FILE
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/tssguard/tssguard/analyze"
)

// Rules is the JSON the extension's scorer (lib/scorer.js) reads.
type Rules struct {
	Version    int                  `json:"version"`
	Source     string               `json:"source"`
	Scam       float64              `json:"scam"`
	Suspicious float64              `json:"suspicious"`
	Damping    float64              `json:"damping"`
	MinCats    int                  `json:"min_categories"`
	Caps       map[string]float64   `json:"caps"`
	Damped     []string             `json:"damped"`
	Brands     map[string][]string  `json:"brands"`
	Text       []TextRule           `json:"text"`
	Behaviour  map[string]Behaviour `json:"behaviour"`
	// Scopes are the words that scope a claim (advisory, conditional,
	// conditional_after, negation): a claim rule's match inside an
	// if-clause, a question, a quotation, after a negation or beside an
	// advisory word is not counted, as on the server (analyze/scope.go).
	Scopes map[string][]string `json:"scopes"`
	// Hotline says when a number in the text is a support line, as the
	// server decides (analyze.HotlineRule).
	Hotline HotlineRule `json:"hotline"`
	// NumberParam matches the names of URL parameters that carry a phone
	// number (analyze.NumberParamPattern, without its case flag): a page
	// that shows the number its URL hands it is a template.
	NumberParam string `json:"number_param"`
	// Conversion is the evidence of the conversion detectors
	// (analyze.Conversion).
	Conversion ConversionRule `json:"conversion"`
	// Fold is how the server's normalizeText folds look-alike letters and
	// drops invisible characters (analyze.Lookalikes, InvisibleRanges).
	Fold FoldRule `json:"fold"`
}

// FoldRule: Lookalikes maps Cyrillic, Greek and Armenian letters to the
// Latin letter they are drawn like, in words that mix them with Latin
// letters; Invisible is a regular expression character class (without its
// brackets) of the characters dropped from words.
type FoldRule struct {
	Lookalikes map[string]string `json:"lookalikes"`
	Invisible  string            `json:"invisible"`
}

// ConversionRule: a live-chat widget's script host, an affiliate link's
// parameter, paths of the visitor's machine in the text (MinTextPaths
// distinct) or in inline scripts (MinScriptPaths), and Working words
// beside a progress bar.
type ConversionRule struct {
	ChatHosts       []string `json:"chat_hosts"`
	AffiliateParams []string `json:"affiliate_params"`
	SystemPath      string   `json:"system_path"`
	MinScriptPaths  int      `json:"min_script_paths"`
	MinTextPaths    int      `json:"min_text_paths"`
	Working         []string `json:"working"`
}

// HotlineRule: a number within Near characters of a Context word or a
// brand name, or any number on a page where a Trapping behaviour was
// seen, is presented as a support line.
type HotlineRule struct {
	Context  []string `json:"context"`
	Near     int      `json:"near"`
	Trapping []string `json:"trapping"`
	// TollFree labels within TollFreeNear characters of a number that is
	// not toll-free make TSS-HOTLINE-FAKE-TOLLFREE.
	TollFree     []string `json:"tollfree"`
	TollFreeNear int      `json:"tollfree_near"`
}

// TextRule is one text rule: Phrases, Near and Regex, any of them.
type TextRule struct {
	ID       string    `json:"id"`
	Cat      string    `json:"cat"`
	W        float64   `json:"w"`
	Per      float64   `json:"per,omitempty"`
	Max      float64   `json:"max,omitempty"`
	Phrases  []string  `json:"phrases,omitempty"`
	Near     *NearRule `json:"near,omitempty"`
	Regex    string    `json:"regex,omitempty"`
	Surfaces []string  `json:"surfaces,omitempty"`
	Keywords []string  `json:"keywords,omitempty"`
	// Claim: the rule's matches are claims, scoped by Rules.Scopes;
	// Negatable: a negation before or inside one denies it (near rules
	// whose terms are not negations themselves).
	Claim     bool `json:"claim,omitempty"`
	Negatable bool `json:"negatable,omitempty"`
}

// NearRule needs one term of each list within Window characters.
type NearRule struct {
	Window   int        `json:"window"`
	Terms    [][]string `json:"terms"`
	Ordered  bool       `json:"ordered,omitempty"`
	Sentence bool       `json:"sentence,omitempty"`
}

// Behaviour is a behaviour rule's category and weight (and, for a rule
// that counts its matches, the weight each further one adds and the most
// it may weigh).
type Behaviour struct {
	Cat string  `json:"cat"`
	W   float64 `json:"w"`
	Per float64 `json:"per,omitempty"`
	Max float64 `json:"max,omitempty"`
}

// observed are the behaviour rules the extension sees for itself.
var observed = []string{
	"TSS-CALL-AUTODIAL", "TSS-CALL-ON-PAGE-CLICK", "TSS-LOCK-DIALOG-LOOP", "TSS-LOCK-BEFOREUNLOAD",
	"TSS-LOCK-HISTORY-FLOOD", "TSS-LOCK-FULLSCREEN", "TSS-LOCK-KEYBOARD", "TSS-LOCK-POINTER",
	"TSS-LOCK-PRINT-FLOOD", "TSS-LOCK-WORKER-FLOOD", "TSS-LOCK-DOWNLOAD-FLOOD", "TSS-LOCK-POPUP-FLOOD", "TSS-LOCK-INPUT-BLOCK", "TSS-LOCK-CURSOR-HIDDEN", "TSS-LOCK-HOSTAGE", "TSS-MEDIA-AUTOPLAY", "TSS-MEDIA-SPEECH", "TSS-HOTLINE", "TSS-HOTLINE-FAKE-TOLLFREE", "TSS-BRAND", "TSS-CALL-LINK", "TSS-TEMPLATE-NUMBER-PARAM",
	"TSS-SCAN-SYSTEM-PATHS", "TSS-CONVERT-CHAT-WIDGET", "TSS-CONVERT-AFFILIATE", "TSS-FAKE-PROGRESS", "TSS-OBFUSCATED",
}

func main() {
	out := flag.String("o", defaultOut(), "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func defaultOut() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "rules.json")
}

func run(out string) error {
	p, err := analyze.DefaultPack()
	if err != nil {
		return err
	}
	b, err := Build(p)
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// Build converts a rule pack into the extension's rule file.
func Build(p *analyze.Pack) ([]byte, error) {
	r := Rules{Version: 1, Source: "analyze/rules/default.yaml", Scam: p.Thresholds.Scam, Suspicious: p.Thresholds.Suspicious,
		Damping: p.Damping, MinCats: p.MinCategories, Caps: map[string]float64{}, Brands: p.Brands, Behaviour: map[string]Behaviour{},
		Scopes: map[string][]string{}}
	for _, name := range analyze.ScopeLists() {
		r.Scopes[name] = lower(p.Terms[name])
	}
	for name, c := range p.Categories {
		r.Caps[name] = c.Cap
		if c.Damped {
			r.Damped = append(r.Damped, name)
		}
	}
	sort.Strings(r.Damped)
	for _, id := range observed {
		if rule := p.Rule(id); rule != nil && !rule.Disabled {
			r.Behaviour[id] = Behaviour{Cat: rule.Category, W: rule.Weight, Per: rule.PerMatch, Max: rule.MaxWeight}
		}
	}
	r.NumberParam = strings.TrimPrefix(analyze.NumberParamPattern(), "(?i)")
	conv := analyze.Conversion()
	r.Conversion = ConversionRule{ChatHosts: conv.ChatHosts, AffiliateParams: conv.AffiliateParams,
		SystemPath: strings.TrimPrefix(conv.SystemPath, "(?i)"), MinScriptPaths: conv.MinScriptPaths,
		MinTextPaths: conv.MinTextPaths, Working: lower(p.Terms[conv.WorkingList])}
	r.Fold = FoldRule{Lookalikes: map[string]string{}}
	for k, v := range analyze.Lookalikes() {
		r.Fold.Lookalikes[string(k)] = string(v)
	}
	for _, rg := range analyze.InvisibleRanges() {
		r.Fold.Invisible += jsEscape(rg[0])
		if rg[1] != rg[0] {
			r.Fold.Invisible += "-" + jsEscape(rg[1])
		}
	}
	lists, near, trapping := analyze.HotlineRule()
	tfList, tfNear := analyze.TollFreeRule()
	r.Hotline = HotlineRule{Near: near, Trapping: trapping, TollFree: lower(p.Terms[tfList]), TollFreeNear: tfNear}
	for _, name := range lists {
		r.Hotline.Context = append(r.Hotline.Context, lower(p.Terms[name])...)
	}
	for _, rule := range p.Rules {
		if rule.Disabled || (len(rule.Phrases) == 0 && rule.Near == nil && rule.Regex == "") {
			continue
		}
		t := TextRule{ID: rule.ID, Cat: rule.Category, W: rule.Weight, Per: rule.PerMatch, Max: rule.MaxWeight,
			Surfaces: rule.Surfaces, Keywords: rule.Keywords, Claim: rule.Scope == "claim"}
		t.Negatable = t.Claim && rule.Negatable()
		// A rule may have phrases, a near and a regex at once (the verb-first
		// languages' phrases beside a near of the others): the server
		// counts each, and so does the scorer.
		if len(rule.Phrases) > 0 {
			t.Phrases = expand(p, rule.Phrases)
		}
		if rule.Near != nil {
			n := &NearRule{Window: rule.Near.Window, Ordered: rule.Near.Ordered, Sentence: rule.Near.Sentence}
			for _, l := range rule.Near.Terms {
				n.Terms = append(n.Terms, expand(p, l))
			}
			t.Near = n
		}
		t.Regex = rule.Regex
		r.Text = append(r.Text, t)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// expand resolves "@name" references to term lists and brands, lower-cased.
func expand(p *analyze.Pack, list []string) []string {
	var out []string
	for _, t := range list {
		if name, ok := strings.CutPrefix(t, "@"); ok {
			if l, ok := p.Terms[name]; ok {
				out = append(out, lower(l)...)
				continue
			}
			if l, ok := p.Brands[name]; ok {
				out = append(out, lower(l)...)
				continue
			}
			if name == "brands" {
				keys := make([]string, 0, len(p.Brands))
				for k := range p.Brands {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					out = append(out, lower(p.Brands[k])...)
				}
				continue
			}
		}
		out = append(out, strings.ToLower(t))
	}
	return out
}

func lower(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i] = strings.ToLower(s)
	}
	return out
}

// jsEscape writes a code point as a JavaScript regular expression escape
// (\u{…}, for a pattern compiled with the u flag).
func jsEscape(r rune) string { return fmt.Sprintf("\\u{%x}", r) }
