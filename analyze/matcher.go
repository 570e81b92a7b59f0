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
// "infected"), one with a leading '*' as the end of a word ("*abteilung"
// matches German compounds such as "Rückerstattungsabteilung"); otherwise a term that starts or ends with a letter of a
// script that separates words with spaces (Latin, Cyrillic, Greek) or a
// digit must not touch another such letter or digit on that side, so "pc"
// does not match inside "epc" while "ウイルス" (Japanese, no spaces) and
// "컴퓨터" (Korean, particles attached) match anywhere.
type termMatcher struct {
	class  [256]uint16
	nclass int
	// States [0, ndense) have a full row in the table: the states near the
	// root, and those where the trie branches. The others (nearly nine in
	// ten: the rest of a term) are sparse: at most one edge of their own, every
	// other byte goes where their failure state goes. Rows for every state
	// made tables of megabytes, and filling them (memory touched page by
	// page) was most of an engine's start-up; the rows kept are those a
	// walk over text reads most (it seldom gets four bytes into a term).
	ndense int32
	small  []uint16      // dense state*nclass + class -> next state, when every state fits in 16 bits
	delta  []int32       // the same, when they do not; nil when small holds it
	nsmall int32         // ndense with small, else 0: the states next reads inline
	sparse []sparseState // state ndense+i
	// The terms each state ends, longest first: outList[outAt[st].lo:
	// outAt[st].hi] (one array, nothing for the collector to scan).
	outAt   []outSpan
	outList []int32
	emits   []uint64 // bit per state: it ends some term (a small table the walk reads instead of outAt)
	terms   []matcherTerm
	maxTerm int
}

type outSpan struct{ lo, hi int32 }

// sparseState is a state with at most one edge of its own.
type sparseState struct {
	class uint16 // of the edge; noEdge when there is none
	next  int32
	fail  int32
}

const noEdge = math.MaxUint16 // no class: there are at most 256

// denseDepth: trie nodes this near the root get a full row. A walk over
// the corpus's pages spends 98 bytes in 100 within three bytes of the
// root; with rows only where the trie branches it was a fifth slower, with
// rows down to depth 3 it is as fast as with a row for every state.
const denseDepth = 3

type matcherTerm struct {
	text       string
	prefix     bool // trailing '*': no right boundary check
	suffix     bool // leading '*': no left boundary check
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
		if len(t.text) > 1 && t.text[0] == '*' {
			t.text, t.suffix = t.text[1:], true
		}
		if t.text != "" {
			first, _ := utf8.DecodeRuneInString(t.text)
			last, _ := utf8.DecodeLastRuneInString(t.text)
			t.leftBound = !t.suffix && isWordRune(first)
			t.rightBound = !t.prefix && isWordRune(last)
			m.maxTerm = max(m.maxTerm, len(t.text))
		}
		m.terms = append(m.terms, t)
	}
	tr := m.trie()
	// States are 16 bits wide when they fit: the table is half the size,
	// and a walk over a page is bound by the memory it touches.
	if len(tr.nodes) <= math.MaxUint16+1 {
		m.small = buildTable[uint16](m, tr)
		m.nsmall = m.ndense
	} else {
		m.delta = buildTable[int32](m, tr)
	}
	return m
}

// trie is the trie of a matcher's terms; node 0 is the root.
type trie struct {
	nodes    []trieNode
	termNext []int32 // by term: the next term that ends at the same node, -1 after the last
}

type trieNode struct {
	child   int32 // first child; 0 for none (the root is nobody's child)
	sibling int32 // next child of the same parent
	class   int32 // of the byte that leads here
	kids    int32
	depth   int32 // bytes from the root
	term    int32 // first term that ends here, -1 for none
}

// dense says whether trie node s gets a full row.
func (tr *trie) dense(s int32) bool {
	return tr.nodes[s].depth <= denseDepth || tr.nodes[s].kids >= 2
}

func (m *termMatcher) trie() *trie {
	size := 1
	for _, t := range m.terms {
		size += len(t.text)
	}
	tr := &trie{nodes: make([]trieNode, 1, size), termNext: make([]int32, len(m.terms))}
	tr.nodes[0].term = -1
	root := make([]int32, m.nclass) // the root's children by class, for a quick look-up: it has dozens
	ends := make([]int32, len(m.terms))
	for id, t := range m.terms {
		s := int32(0)
		for i := 0; i < len(t.text); i++ {
			c := int32(m.class[t.text[i]])
			nx := int32(0)
			if s == 0 {
				nx = root[c]
			} else {
				for k := tr.nodes[s].child; k != 0; k = tr.nodes[k].sibling {
					if tr.nodes[k].class == c {
						nx = k
						break
					}
				}
			}
			if nx == 0 {
				nx = int32(len(tr.nodes))
				tr.nodes = append(tr.nodes, trieNode{sibling: tr.nodes[s].child, class: c, depth: int32(i + 1), term: -1})
				tr.nodes[s].child = nx
				tr.nodes[s].kids++
				if s == 0 {
					root[c] = nx
				}
			}
			s = nx
		}
		ends[id] = s
		if t.text == "" {
			ends[id] = -1
		}
	}
	// Each node's terms as a list in the order given.
	for id := len(m.terms) - 1; id >= 0; id-- {
		tr.termNext[id] = -1
		if s := ends[id]; s >= 0 {
			tr.termNext[id] = tr.nodes[s].term
			tr.nodes[s].term = int32(id)
		}
	}
	return tr
}

// buildTable numbers the states of trie tr, dense ones first, builds the
// sparse states and the terms they end, and returns the dense rows. Failure links
// come breadth-first: a dense row is its failure state's transitions, but
// for its own edges.
func buildTable[T uint16 | int32](m *termMatcher, tr *trie) []T {
	nodes := int32(len(tr.nodes))
	id := make([]int32, nodes) // trie node -> state
	for s := range nodes {
		if tr.dense(s) {
			id[s] = m.ndense
			m.ndense++
		}
	}
	next := m.ndense
	for s := range nodes {
		if !tr.dense(s) {
			id[s] = next
			next++
		}
	}
	n := m.nclass
	delta := make([]T, int(m.ndense)*n)
	// m.next reads the table while it is built: only rows already done,
	// nearer the root.
	switch d := any(delta).(type) {
	case []uint16:
		m.small = d
	case []int32:
		m.delta = d
	}
	m.sparse = make([]sparseState, nodes-m.ndense)
	m.outAt = make([]outSpan, nodes)
	m.emits = make([]uint64, (nodes+63)/64)
	fail := make([]int32, nodes) // by trie node: its failure state
	queue := make([]int32, 1, nodes)
	var chain []int32
	for qi := 0; qi < len(queue); qi++ {
		s := queue[qi]
		node := &tr.nodes[s]
		st, f := id[s], fail[s]
		// A state's terms are its own, then its failure state's (they
		// end in the same place, shorter); without terms of its own, it
		// shares its failure state's list.
		m.outAt[st] = m.outAt[f]
		if node.term >= 0 {
			lo := int32(len(m.outList))
			for t := node.term; t >= 0; t = tr.termNext[t] {
				m.outList = append(m.outList, t)
			}
			m.outList = append(m.outList, m.outs(f)...)
			m.outAt[st] = outSpan{lo, int32(len(m.outList))}
		}
		if m.outAt[st].hi > m.outAt[st].lo {
			m.emits[st/64] |= 1 << (st % 64)
		}
		if st < m.ndense {
			row := delta[int(st)*n : int(st+1)*n]
			if s != 0 {
				// f's transitions: the row of the first dense state on
				// its failure chain, overridden by the sparse states'
				// edges on the way, nearest to f last.
				chain = chain[:0]
				d := f
				for ; d >= m.ndense; d = m.sparse[d-m.ndense].fail {
					chain = append(chain, d)
				}
				copy(row, delta[int(d)*n:int(d+1)*n])
				for _, c := range slices.Backward(chain) {
					if sp := m.sparse[c-m.ndense]; sp.class != noEdge {
						row[sp.class] = T(sp.next)
					}
				}
			}
			for k := node.child; k != 0; k = tr.nodes[k].sibling {
				row[tr.nodes[k].class] = T(id[k])
			}
		} else {
			sp := sparseState{class: noEdge, fail: f}
			if k := node.child; k != 0 {
				sp.class, sp.next = uint16(tr.nodes[k].class), id[k]
			}
			m.sparse[st-m.ndense] = sp
		}
		for k := node.child; k != 0; k = tr.nodes[k].sibling {
			if s != 0 {
				fail[k] = m.next(f, uint16(tr.nodes[k].class))
			}
			queue = append(queue, k)
		}
	}
	return delta
}

// outs are the terms state st ends, longest first.
func (m *termMatcher) outs(st int32) []int32 {
	sp := m.outAt[st]
	return m.outList[sp.lo:sp.hi]
}

// emitting says whether state st ends some term.
func (m *termMatcher) emitting(st int32) bool {
	return m.emits[st>>6]&(1<<(st&63)) != 0
}

// next is the state after st on a byte of class c. The common case, a
// dense state in a 16-bit table, is small enough to inline into the walks.
func (m *termMatcher) next(st int32, c uint16) int32 {
	if st < m.nsmall {
		return int32(m.small[int(st)*m.nclass+int(c)])
	}
	return m.nextSlow(st, c)
}

// nextSlow follows the failure links of sparse state st to the first state
// with an edge on c, or a dense one. A walk over a text follows at most as
// many failure links as it reads bytes: each link goes nearer the root,
// each byte one step away from it.
//
//go:noinline
func (m *termMatcher) nextSlow(st int32, c uint16) int32 {
	for st >= m.ndense {
		sp := &m.sparse[st-m.ndense]
		if sp.class == c {
			return sp.next
		}
		st = sp.fail
	}
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
		for _, id := range m.outs(s) {
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
