package analyze

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
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
	if !hasFoldable(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	word := make([]rune, 0, 32)
	flush := func() {
		latin, foreign := false, false
		for _, r := range word {
			switch {
			case r < 0x80 && unicode.IsLetter(r), unicode.Is(unicode.Latin, r) && lookalikes[r] == 0:
				latin = true
			case lookalikes[r] != 0:
				foreign = true
			}
		}
		for _, r := range word {
			if latin && foreign {
				if l := lookalikes[r]; l != 0 {
					r = l
				}
			}
			b.WriteRune(r)
		}
		word = word[:0]
	}
	for _, r := range s {
		switch {
		case invisible(r):
			continue // also inside words: "Micro\u200bsoft" is one word
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r):
			word = append(word, r)
		default:
			flush()
			b.WriteRune(r)
		}
	}
	flush()
	return b.String()
}
