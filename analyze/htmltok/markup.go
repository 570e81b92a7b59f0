package htmltok

import "bytes"

// markupDeclaration reads the token at "<!": a comment, a doctype, or a
// bogus comment up to the next '>'.
func (z *Tokenizer) markupDeclaration(q int) TokenType {
	b, n := z.b, len(z.b)
	ds := q + 2
	switch {
	case ds >= n:
		return z.token(CommentToken, n, ds, ds)
	case ds+1 >= n:
		// One byte after "<!": x/net/html's data is that byte, unless it
		// is the '>' of "<!>".
		if b[ds] == '>' {
			return z.token(CommentToken, n, ds, ds)
		}
		return z.token(CommentToken, n, ds, n)
	case b[ds] == '-' && b[ds+1] == '-':
		return z.comment(q, ds+2)
	case ds+len("doctype") <= n && eqFold(b[ds:ds+len("doctype")], "doctype"):
		i := skipSpace(b, ds+len("doctype"))
		if i >= n {
			return z.token(DoctypeToken, n, n, n)
		}
		k := bytes.IndexByte(b[i:], '>')
		if k < 0 {
			return z.token(DoctypeToken, n, i, n)
		}
		return z.token(DoctypeToken, i+k+1, i, i+k)
	}
	return z.untilCloseAngle(q, ds)
}

// comment reads a comment whose data starts at ds, after "<!--". It ends
// at "-->" or "--!>", or at a '>' that only dashes precede ("<!-->",
// "<!--->"); the input's end ends it too, without the dashes (and '!')
// that would have begun its end.
func (z *Tokenizer) comment(q, ds int) TokenType {
	b, n := z.b, len(z.b)
	dashes := 0
	beginning := true
	for i := ds; ; {
		if i >= n {
			return z.cutComment(q, ds)
		}
		c := b[i]
		i++
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return z.token(CommentToken, i, ds, max(ds, i-len("-->")))
			}
		case '!':
			if dashes >= 2 {
				if i >= n {
					return z.cutComment(q, ds)
				}
				c = b[i]
				i++
				if c == '>' {
					return z.token(CommentToken, i, ds, max(ds, i-len("--!>")))
				}
				if c == '-' {
					dashes = 1
					beginning = false
					continue
				}
			}
		}
		dashes = 0
		beginning = false
		// With no dash pending, only a '-' can lead to the end.
		k := bytes.IndexByte(b[i:], '-')
		if k < 0 {
			i = n
		} else {
			i += k
		}
	}
}

// cutComment ends a comment the input cuts short.
func (z *Tokenizer) cutComment(q, ds int) TokenType {
	b, n := z.b, len(z.b)
	end := n
	data := b[q+len("<!--") : n]
	switch {
	case bytes.HasSuffix(data, []byte("--!")):
		end -= 3
	case bytes.HasSuffix(data, []byte("--")):
		end -= 2
	case bytes.HasSuffix(data, []byte("-")):
		end--
	}
	return z.token(CommentToken, n, ds, max(ds, end))
}
