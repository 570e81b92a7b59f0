package analyze

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// startedRegex finds what re.FindAllStringIndex finds, trying the regex
// only where a match can start: every match of re begins with one of a
// few literals, read from the regex's syntax. The literals are found by a
// byte search and each try of the anchored regex stops as soon as it
// fails, instead of the regex engine stepping through every byte of a
// large page's text (a third of the time on pages of 1 MB or more).
type startedRegex struct {
	anchored *regexp.Regexp // ^(?:re)
	starts   []string       // every match starts with one of them
}

// maxStarts bounds the literals a started regex searches for: each is
// looked for once over the text, then again only past its last
// occurrence (the error-code rule names "error" in 30 languages, 22
// literals once the parser has factored their common prefixes).
const maxStarts = 24

// newStartedRegex returns nil when re does not allow it: when some match
// could start otherwise than with a literal (a class, an assertion, an
// optional first part, case folding).
func newStartedRegex(expr string) *startedRegex {
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	starts, ok := startLiterals(tree)
	if !ok || len(starts) == 0 || len(starts) > maxStarts {
		return nil
	}
	anchored, err := regexp.Compile(`^(?:` + expr + `)`)
	if err != nil {
		return nil
	}
	return &startedRegex{anchored: anchored, starts: starts}
}

// startLiterals returns non-empty literals one of which begins every match
// of r, and whether there are such.
func startLiterals(r *syntax.Regexp) ([]string, bool) {
	switch r.Op {
	case syntax.OpLiteral:
		if r.Flags&syntax.FoldCase != 0 || len(r.Rune) == 0 {
			return nil, false
		}
		return []string{string(r.Rune)}, true
	case syntax.OpConcat, syntax.OpCapture, syntax.OpPlus:
		if len(r.Sub) == 0 {
			return nil, false
		}
		return startLiterals(r.Sub[0])
	case syntax.OpRepeat:
		if r.Min < 1 {
			return nil, false
		}
		return startLiterals(r.Sub[0])
	case syntax.OpAlternate:
		var all []string
		for _, sub := range r.Sub {
			s, ok := startLiterals(sub)
			if !ok {
				return nil, false
			}
			all = append(all, s...)
		}
		return all, true
	}
	return nil, false
}

// findAll is re.FindAllStringIndex(text, n) for the re s was built from.
// Matches are leftmost-first and do not overlap: the next search starts
// where the last match ended. The leftmost match starts at the first
// place a start literal occurs where the anchored regex matches, and is
// the match the anchored regex prefers there. No assertion sits before the
// first literal, so what precedes the start cannot change a match.
func (s *startedRegex) findAll(text string, n int) [][]int {
	var out [][]int
	next := make([]int, len(s.starts)) // next occurrence of each literal at or after pos; -1 none
	for i := range next {
		next[i] = -2 // not searched yet
	}
	pos := 0
	for n < 0 || len(out) < n {
		at := -1
		for i, lit := range s.starts {
			if next[i] == -1 {
				continue
			}
			if next[i] < pos {
				j := strings.Index(text[pos:], lit)
				if j < 0 {
					next[i] = -1
					continue
				}
				next[i] = pos + j
			}
			if at < 0 || next[i] < at {
				at = next[i]
			}
		}
		if at < 0 {
			break
		}
		if loc := s.anchored.FindStringIndex(text[at:]); loc != nil {
			out = append(out, []int{at, at + loc[1]})
			pos = at + loc[1]
		} else {
			pos = at + 1
		}
	}
	return out
}
