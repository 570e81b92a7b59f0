package analyze

import (
	"context"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/testdirs"
)

func TestStartedPatternAllowed(t *testing.T) {
	for expr, want := range map[string]bool{
		`(?:error|erreur|エラー)[^\n]{0,14}?0x[0-9a-f]{4}`: true,
		`foo\d+`:         true,
		`(x|yz)+w`:       true,
		`(?:ab){2,}c`:    true,
		`(?i)error \d+`:  false, // case folding
		`\berror \d+`:    false, // an assertion before the literal
		`a?b`:            false, // optional first part
		`[ab]c`:          false, // a class
		`(?:err|\d)or`:   false, // one branch starts with a class
		`(?:ab){0,2}c`:   false,
		`^error`:         false,
		`(?m)^err`:       false,
		`.*error`:        false,
		`error|(?:x*)y`:  false,
		`(?:)error`:      false, // an empty first part: not worth the case
		`código de erro`: true,
	} {
		if got := newStartedRegex(expr) != nil; got != want {
			t.Errorf("%q: allowed = %v, want %v", expr, got, want)
		}
	}
}

// On random texts over the regexes' own letters, the started search finds
// exactly what the regex finds over the whole text.
func TestStartedPatternSameMatchesRandom(t *testing.T) {
	exprs := []string{
		`(?:error|erreur|fehler|errore|código de error|エラー)[^\n<]{0,14}?(?:0x[0-9a-f]{4,8}|#\s?[0-9a-z]{4,10}\b|[:：]\s?[0-9a-z]*[0-9][0-9a-z]*[a-z][0-9a-z]*\b)`,
		`(?:ab|a)c*`,
		`(?:err|error)or\d?`,
		`x+y\b`,
		`(?:aa){1,3}b?`,
		`ab(?:$|c)`,
	}
	exprs = append(exprs, defaultPackRegexes(t)...)
	pieces := []string{"a", "b", "c", "x", "y", "aa", "ab", "err", "error", "erreur", "or", "0x", "1a2b", "#", " ", "\n", "<", ":", "ab12", "エラー", "código de error", "fehler", "é", "9", "z"}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, expr := range exprs {
		re := regexp.MustCompile(expr)
		s := newStartedRegex(expr)
		if s == nil {
			t.Fatalf("%q: not allowed", expr)
		}
		for range 3000 {
			var sb strings.Builder
			for range rng.IntN(40) {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			}
			text := sb.String()
			for _, n := range []int{-1, 1, 8} {
				want, got := re.FindAllStringIndex(text, n), s.findAll(text, n)
				if !reflect.DeepEqual(want, got) {
					t.Fatalf("%q over %q (n=%d): started %v, whole text %v", expr, text, n, got, want)
				}
			}
		}
	}
}

// defaultPackRegexes are the regexes of the default pack's text rules.
func defaultPackRegexes(t *testing.T) []string {
	var out []string
	for _, r := range engine(t).Pack().Rules {
		if r.Regex != "" {
			out = append(out, r.Regex)
		}
	}
	return out
}

// Over every segment of text of every fixture and corpus page (as the
// analysis normalises it), every regex rule that runs started finds the
// same matches as over the whole text.
func TestStartedPatternSameMatchesOnPages(t *testing.T) {
	e := engine(t)
	dirs := testdirs.All()
	var started []*compiledRule
	for i := range e.text.rules {
		if e.text.rules[i].started != nil {
			started = append(started, &e.text.rules[i])
		}
	}
	if len(started) == 0 {
		t.Skip("no regex rule runs started")
	}
	pages, segments, matches := 0, 0, 0
	for _, p := range corpusPages(t, dirs...) {
		c, err := capture.FromFile(context.Background(), p.Path, p.Opts)
		if err != nil {
			continue
		}
		pages++
		a := &analysis{e: e, ctx: context.Background(), cap: c, report: &Report{}, findings: map[string]*Finding{}}
		a.run()
		for _, segs := range a.norm {
			for _, ns := range segs {
				segments++
				for _, cr := range started {
					want, got := cr.r.re.FindAllStringIndex(ns.Norm, -1), cr.findRegex(ns.Norm, -1)
					if !reflect.DeepEqual(want, got) {
						t.Errorf("%s, %s, rule %s: started %v, whole text %v", p.Entry.File, ns.Name, cr.r.ID, got, want)
					}
					matches += len(want)
				}
			}
		}
	}
	t.Logf("%d pages, %d segments, %d matches compared", pages, segments, matches)
	if matches == 0 {
		t.Fatal("no match to compare")
	}
}
