package htmltok

import "bytes"

// readRawText reads the raw text or RCDATA after the start tag of
// z.rawTag and returns where it ends: before its end tag, or at the end
// of input.
func (z *Tokenizer) readRawText() int {
	tag := z.rawTag
	switch tag {
	case "plaintext":
		// Everything to the end is text (x/net/html keeps rawTag set, and
		// there is nothing after).
		z.textRaw = true
		return len(z.b)
	case "script":
		z.rawTag = ""
		z.textRaw = true
		return scriptEnd(z.b, z.pos)
	}
	z.rawTag = ""
	// A textarea's or title's RCDATA has character references.
	z.textRaw = tag != "textarea" && tag != "title"
	b, n := z.b, len(z.b)
	for i := z.pos; ; {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 || i+k+1 >= n {
			return n
		}
		j := i + k
		if b[j+1] != '/' {
			i = j + 1
			continue
		}
		switch next, st := endTagAt(b, j+2, tag); st {
		case endTagFound:
			return j
		case endTagCut:
			return n
		default:
			i = next
		}
	}
}

const (
	endTagNo    = iota // not the end tag: reading goes on at next
	endTagFound        // the end tag
	endTagCut          // the input ends inside what could be the end tag
)

// endTagAt reports whether b[i:] (after "</") is tag's end tag: its name
// in either case, then white space, '/' or '>'. For endTagNo, next is the
// byte that did not match, read again.
func endTagAt(b []byte, i int, tag string) (next, st int) {
	for k := range len(tag) {
		if i >= len(b) {
			return i, endTagCut
		}
		if c := b[i]; c != tag[k] && c != tag[k]-('a'-'A') {
			return i, endTagNo
		}
		i++
	}
	if i >= len(b) {
		return i, endTagCut
	}
	switch b[i] {
	case ' ', '\n', '\r', '\t', '\f', '/', '>':
		return i, endTagFound
	}
	return i, endTagNo
}

// The script data states of x/net/html's readScript (the HTML spec's,
// with its quirks: a '<' that starts no tag in the escaped state goes
// back to plain script data).
const (
	sData = iota
	sEscapeStart
	sEscapeStartDash
	sEscaped
	sEscapedDash
	sEscapedDashDash
	sEscapedLessThan
	sDoubleEscapeStart
	sDoubleEscaped
	sDoubleEscapedDash
	sDoubleEscapedDashDash
	sDoubleEscapedLessThan
)

// scriptEnd returns where a script's text starting at i ends: at its
// "</script" end tag, or at the end of input. Every step reads a byte or
// moves back over one read in the step before, so the walk is linear.
func scriptEnd(b []byte, i int) int {
	n := len(b)
	state := sData
	for {
		if state == sData {
			k := bytes.IndexByte(b[i:], '<')
			if k < 0 {
				return n
			}
			i += k + 1
			if i >= n {
				return n
			}
			switch b[i] {
			case '/':
				next, st := endTagAt(b, i+1, "script")
				switch st {
				case endTagFound:
					return i - 1
				case endTagCut:
					return n
				}
				i = next
			case '!':
				i++
				state = sEscapeStart
			}
			continue
		}
		if state == sEscaped || state == sDoubleEscaped {
			// Only '-' and '<' change these states.
			for i < n && b[i] != '-' && b[i] != '<' {
				i++
			}
		}
		if i >= n {
			return n
		}
		c := b[i]
		i++
		switch state {
		case sEscapeStart, sEscapeStartDash:
			switch {
			case c != '-':
				i--
				state = sData
			case state == sEscapeStart:
				state = sEscapeStartDash
			default:
				state = sEscapedDashDash
			}
		case sEscaped, sEscapedDash, sEscapedDashDash:
			switch {
			case c == '-' && state == sEscaped:
				state = sEscapedDash
			case c == '-':
				state = sEscapedDashDash
			case c == '<':
				state = sEscapedLessThan
			case c == '>' && state == sEscapedDashDash:
				state = sData
			default:
				state = sEscaped
			}
		case sEscapedLessThan:
			switch {
			case c == '/':
				next, st := endTagAt(b, i, "script")
				switch st {
				case endTagFound:
					return i - 2
				case endTagCut:
					return n
				}
				i = next
				state = sEscaped
			case isLetter(c):
				i--
				state = sDoubleEscapeStart
			default:
				i--
				state = sData
			}
		case sDoubleEscapeStart:
			// c is the first letter after "<", read again here.
			i--
			// The same test as an end tag's, without the "</".
			next, st := endTagAt(b, i, "script")
			switch st {
			case endTagFound:
				i = next + 1
				state = sDoubleEscaped
			case endTagCut:
				return n
			default:
				i = next
				state = sEscaped
			}
		case sDoubleEscaped, sDoubleEscapedDash, sDoubleEscapedDashDash:
			switch {
			case c == '-' && state == sDoubleEscaped:
				state = sDoubleEscapedDash
			case c == '-':
				state = sDoubleEscapedDashDash
			case c == '<':
				state = sDoubleEscapedLessThan
			case c == '>' && state == sDoubleEscapedDashDash:
				state = sData
			default:
				state = sDoubleEscaped
			}
		case sDoubleEscapedLessThan:
			if c != '/' {
				i--
				state = sDoubleEscaped
				continue
			}
			next, st := endTagAt(b, i, "script")
			switch st {
			case endTagFound:
				// "</script" and the byte after it end the double
				// escape, not the script.
				i = next + 1
				state = sEscaped
			case endTagCut:
				return n
			default:
				i = next
				state = sDoubleEscaped
			}
		}
	}
}
