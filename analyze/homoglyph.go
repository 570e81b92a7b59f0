package analyze

import (
	"maps"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Look-alike letters. Kits write brand names and key words with Cyrillic or
// Greek letters that look Latin ("Міcrosoft", "Dеfender") and with
// invisible characters inside words, so that a phrase list finds nothing
// while the visitor reads the word. foldLookalikes undoes both. It maps
// look-alikes only inside words that mix Latin with Cyrillic or Greek: a
// word wholly in Cyrillic is Russian (or Ukrainian, Bulgarian …) and a word
// wholly in Greek is Greek, and both must stay as written for rules in
// those languages. Mathematical alphanumerics (𝐌𝐢𝐜𝐫𝐨𝐬𝐨𝐟𝐭) and full-width
// letters are folded by NFKC before this runs.

// lookalikes maps Cyrillic, Greek and Armenian letters to the Latin letter
// they are drawn like.
var lookalikes = map[rune]rune{
	// Cyrillic capitals and small letters
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'У': 'Y', 'Х': 'X', 'Ѕ': 'S', 'І': 'I', 'Ј': 'J', 'Ԛ': 'Q', 'Ԝ': 'W', 'Ӏ': 'I', 'Ү': 'Y',
	'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'у': 'y', 'х': 'x', 'ѕ': 's', 'і': 'i', 'ј': 'j',
	'ԁ': 'd', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l', 'ѵ': 'v', 'ү': 'y', 'ɡ': 'g',
	// Greek capitals and small letters
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
	'α': 'a', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'υ': 'u', 'χ': 'x', 'ϲ': 'c', 'ϳ': 'j',
	'ς': 'c', // the lunate sigma ϲ, as NFKC leaves it
	// Armenian
	'օ': 'o', 'ս': 'u', 'հ': 'h', 'ո': 'n', 'ց': 'g', 'զ': 'q',
}

// invisible reports characters that show nothing and are slipped into words
// to break them up: zero-width spaces and joiners, the soft hyphen, word
// joiner and invisible operators, direction marks and embeddings, the
// combining grapheme joiner, the Mongolian vowel separator, Hangul fillers.
func invisible(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069:
		return true
	}
	switch r {
	case 0xfeff, 0x00ad, 0x034f, 0x180e, 0x115f, 0x1160, 0x3164, 0xffa0:
		return true
	}
	return false
}

// hasFoldable: s has a Greek, Cyrillic or Armenian letter, an invisible
// character or 'ɡ' — what foldLookalikes changes. None is ASCII, and text
// is mostly ASCII: those bytes are passed over without decoding.
func hasFoldable(s string) bool {
	for i := nextNonASCII(s, 0); i < len(s); i = nextNonASCII(s, i) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r >= 0x0370 && r <= 0x058f) || invisible(r) || r == 'ɡ' {
			return true
		}
		i += size
	}
	return false
}

// foldLookalikes drops invisible characters and, in words that mix Latin
// letters with Cyrillic, Greek or Armenian ones, maps the look-alikes to
// Latin. Text without those scripts or characters is returned as it is.
func foldLookalikes(s string) string {
	if !hasFoldable(s) || !changesFolding(s) {
		return s
	}
	return foldWords(s)
}

// foldWords is foldLookalikes without the look first. Words are copied as
// bytes; only a mixed word, or one with invisible characters, is written
// rune by rune.
func foldWords(s string) string {
	b := make([]byte, 0, len(s))
	ws := -1                                    // start of the word being read, -1 outside one
	latin, foreign, gaps := false, false, false // gaps: invisible characters in the word
	flush := func(end int) {
		switch {
		case ws < 0:
			return
		case latin && foreign, gaps:
			for _, r := range s[ws:end] {
				if invisible(r) {
					continue
				}
				if l := lookalikes[r]; l != 0 && latin && foreign {
					r = l
				}
				b = utf8.AppendRune(b, r)
			}
		default:
			b = append(b, s[ws:end]...)
		}
		ws, latin, foreign, gaps = -1, false, false, false
	}
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				latin = true
				fallthrough
			case '0' <= c && c <= '9':
				if ws < 0 {
					ws = i
				}
			default:
				flush(i)
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			flush(i)
			b = utf8.AppendRune(b, r) // as a range over s reads it
		case invisible(r):
			// Also inside words: "Micro\u200bsoft" is one word. Outside
			// one it is dropped and nothing else happens.
			gaps = gaps || ws >= 0
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			if ws < 0 {
				ws = i
			}
			switch {
			case unicode.Is(unicode.Latin, r) && lookalikes[r] == 0:
				latin = true
			case lookalikes[r] != 0:
				foreign = true
			}
		default:
			flush(i)
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	flush(len(s))
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// changesFolding says whether foldLookalikes would change s: it holds an
// invisible character, a word mixing Latin letters with look-alikes, or a
// byte that is not UTF-8 (written as U+FFFD). Most text with Cyrillic,
// Greek or Armenian letters is in those languages, words not mixed: a
// pass that only reads it is cheaper than writing it out again.
func changesFolding(s string) bool {
	latin, foreign := false, false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
				if foreign {
					return true
				}
				latin = true
			case '0' <= c && c <= '9':
			default:
				latin, foreign = false, false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1, invisible(r):
			return true
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			// As foldLookalikes' flush tells them apart.
			switch {
			case unicode.Is(unicode.Latin, r) && lookalikes[r] == 0:
				latin = true
			case lookalikes[r] != 0:
				foreign = true
			}
			if latin && foreign {
				return true
			}
		default:
			latin, foreign = false, false
		}
	}
	return false
}

// Lookalikes gives the look-alike letters foldLookalikes maps to Latin in
// mixed words, for the browser extension's scorer (extension/gen).
func Lookalikes() map[rune]rune { return maps.Clone(lookalikes) }

// InvisibleRanges gives the characters foldLookalikes drops (invisible)
// as ranges of code points, first and last, in order.
func InvisibleRanges() [][2]rune {
	var out [][2]rune
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !invisible(r) {
			continue
		}
		if n := len(out); n > 0 && out[n-1][1] == r-1 {
			out[n-1][1] = r
		} else {
			out = append(out, [2]rune{r, r})
		}
	}
	return out
}
