package analyze

import (
	"math"
	"slices"
	"unicode"
	"unicode/utf8"
)

// termMatcher finds many terms in one pass over a text (Aho-Corasick, as a
// DFA over byte classes). Every phrase of every text rule goes into one
// matcher, so a page's text is scanned once however many rules there are.
//
// A term written with a trailing '*' matches as a prefix ("infect*" matches
// "infected"); otherwise a term that starts or ends with a letter of a
// script that separates words with spaces (Latin, Cyrillic, Greek) or a
// digit must not touch another such letter or digit on that side, so "pc"
// does not match inside "epc" while "ウイルス" (Japanese, no spaces) and
// "컴퓨터" (Korean, particles attached) match anywhere.
type termMatcher struct {
	class   [256]uint16
	nclass  int
	delta   []int32  // state*nclass + class -> next state; nil when small holds it
	small   []uint16 // delta, when every state fits in 16 bits: half the memory, and the walk is bound by memory
	out     [][]int32
	emits   []uint64 // bit per state: out is not empty (a small table the walk reads instead of out)
	terms   []matcherTerm
	maxTerm int
}

type matcherTerm struct {
	text       string
	prefix     bool // trailing '*': no right boundary check
	leftBound  bool
	rightBound bool
}

// termHit is one occurrence of a term: [Start, End) in the text.
type termHit struct {
	Term       int
	Start, End int
}

func newTermMatcher(terms []string) *termMatcher {
	m := &termMatcher{}
	// Byte classes: every byte used by some term gets its own class; all
	// other bytes share class 0, which always leads back to the root.
	for _, t := range terms {
		for i := 0; i < len(t); i++ {
			if m.class[t[i]] == 0 {
				m.nclass++
				m.class[t[i]] = uint16(m.nclass)
			}
		}
	}
	m.nclass++ // plus class 0
	// A line break (a block boundary in page text) matches a space: the
	// words of a phrase may sit in neighbouring blocks.
	m.class['\n'] = m.class[' ']

	for _, raw := range terms {
		t := matcherTerm{text: raw}
		if l := len(raw); l > 1 && raw[l-1] == '*' {
			t.text, t.prefix = raw[:l-1], true
		}
		if t.text != "" {
			first, _ := utf8.DecodeRuneInString(t.text)
			last, _ := utf8.DecodeLastRuneInString(t.text)
			t.leftBound = isWordRune(first)
			t.rightBound = !t.prefix && isWordRune(last)
			m.maxTerm = max(m.maxTerm, len(t.text))
		}
		m.terms = append(m.terms, t)
	}
	// States are 16 bits wide when they fit: the table is half the size,
	// and a walk over a page is bound by the memory it touches.
	if nodes := trieNodes(terms); nodes <= math.MaxUint16+1 {
		m.small = buildTable[uint16](m, nodes)
	} else {
		m.delta = buildTable[int32](m, nodes)
	}
	return m
}

// buildTable builds the transition table of m's terms, at most nodes
// states, and sets m.out.
//
// The trie is built straight into the transition table (0: no edge; the
// root is never a child), then the breadth-first pass fills the missing
// edges from the failure links. A map per node cost most of New.
func buildTable[T uint16 | int32](m *termMatcher, nodes int) []T {
	n := m.nclass
	delta := make([]T, n, n*nodes)
	outs := make([][]int32, 1, nodes)
	// The trie's edges, also as a list per node (first, then sibling), so
	// that the breadth-first pass copies each row whole and puts them back.
	first := make([]int32, 1, nodes)
	first[0] = -1
	sibling := make([]int32, 0, nodes)
	edgeClass := make([]int32, 0, nodes)
	for id, t := range m.terms {
		s := T(0)
		for i := 0; i < len(t.text); i++ {
			c := int(m.class[t.text[i]])
			nx := delta[int(s)*n+c]
			if nx == 0 {
				nx = T(len(outs))
				outs = append(outs, nil)
				delta = delta[:len(delta)+n] // zeroed by make
				delta[int(s)*n+c] = nx
				// Edge number nx-1 leads to node nx.
				sibling = append(sibling, first[s])
				edgeClass = append(edgeClass, int32(c))
				first[s] = int32(nx - 1)
				first = append(first, -1)
			}
			s = nx
		}
		if t.text != "" {
			outs[s] = append(outs[s], int32(id))
		}
	}

	// Breadth-first: failure links, then the full transition table: a
	// node's row is its failure's row, but for its own edges.
	fail := make([]T, len(outs))
	m.out = make([][]int32, len(outs))
	m.out[0] = outs[0]
	queue := make([]T, 0, len(outs))
	for e := first[0]; e >= 0; e = sibling[e] {
		queue = append(queue, T(e+1))
	}
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		f := fail[s]
		if len(outs[s]) == 0 {
			m.out[s] = m.out[f] // read only: states may share it
		} else {
			m.out[s] = append(append([]int32(nil), outs[s]...), m.out[f]...)
		}
		row, frow := delta[int(s)*n:int(s+1)*n], delta[int(f)*n:int(f+1)*n]
		copy(row, frow)
		for e := first[s]; e >= 0; e = sibling[e] {
			c, nx := edgeClass[e], T(e+1)
			row[c] = nx
			fail[nx] = frow[c]
			queue = append(queue, nx)
		}
	}
	m.emits = make([]uint64, (len(m.out)+63)/64)
	for s, o := range m.out {
		if len(o) > 0 {
			m.emits[s/64] |= 1 << (s % 64)
		}
	}
	return delta
}

// emitting says whether state st ends some term.
func (m *termMatcher) emitting(st int32) bool {
	return m.emits[st>>6]&(1<<(st&63)) != 0
}

// trieNodes is how many nodes the trie of terms has at most: each term
// adds the bytes it does not share with its neighbour in sorted order.
func trieNodes(terms []string) int {
	sorted := slices.Clone(terms)
	slices.Sort(sorted)
	nodes, prev := 1, ""
	for _, t := range sorted {
		common := 0
		for common < len(t) && common < len(prev) && t[common] == prev[common] {
			common++
		}
		nodes += len(t) - common
		prev = t
	}
	return nodes
}

// next is the state after st on a byte of class c.
func (m *termMatcher) next(st int32, c uint16) int32 {
	if m.small != nil {
		return int32(m.small[int(st)*m.nclass+int(c)])
	}
	return m.delta[int(st)*m.nclass+int(c)]
}

// find calls hit for every occurrence of every term in text that passes the
// boundary checks, in order of end position.
func (m *termMatcher) find(text string, hit func(termHit)) {
	if len(m.terms) == 0 {
		return
	}
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = m.next(s, m.class[text[i]])
		if !m.emitting(s) {
			continue
		}
		for _, id := range m.out[s] {
			t := &m.terms[id]
			end := i + 1
			start := end - len(t.text)
			if t.leftBound && start > 0 {
				r, _ := utf8.DecodeLastRuneInString(text[:start])
				if isWordRune(r) {
					continue
				}
			}
			if t.rightBound && end < len(text) {
				r, _ := utf8.DecodeRuneInString(text[end:])
				if isWordRune(r) {
					continue
				}
			}
			hit(termHit{Term: int(id), Start: start, End: end})
		}
	}
}

// isWordRune: a digit or a letter of a script whose words stand between
// spaces, so a term's edge must fall on a word's edge.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek)
}
