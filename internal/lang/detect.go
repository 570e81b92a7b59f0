// Package lang tells which language a page is written in, from its
// writing system and its most common words, and which regions the phone
// numbers on it are likely written for, from every clue the page gives.
//
// The detector is a small table, not a statistical model: a script count
// by Unicode range, then, for text in the Latin alphabet, a count of
// stop words and letters with diacritics that mark one language
// ("ñ", "ł", "ř"). It knows the languages of the regions tech support
// scams target and answers "" when the text is too short or too mixed
// to say; it reads at most 4 KiB of a page, in tens of microseconds,
// and needs no memory beyond its tables.
package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Guess is what Detect says about a text.
type Guess struct {
	// Lang is a BCP 47 language tag: "fr", "ja", "zh-Hans", "zh-Hant";
	// "" when unsure.
	Lang string
	// Script is the writing system most letters are in: Latin, Cyrillic,
	// Greek, Arabic, Hebrew, Han, Kana, Hangul, Thai, Devanagari; "" when
	// the text has no letters.
	Script string
	// Confidence, from 0 to 1: the share of letters in the script for
	// non-Latin scripts, the lead of the best language over the second for
	// Latin text.
	Confidence float64
}

// MaxSample bounds the text Detect reads: a page's language shows in its
// first few hundred words, and reading more costs time on every page.
const MaxSample = 4 << 10

// The Latin-alphabet languages told apart by their words.
var latinLangs = [...]string{"en", "fr", "de", "it", "es", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "sk", "tr", "ro", "hu", "ms", "id", "tl", "vi"}

type langSet uint32

func langBit(code string) langSet {
	for i, l := range latinLangs {
		if l == code {
			return 1 << i
		}
	}
	panic("lang: unknown language " + code) // table error, caught by the tests
}

// stopWords: the most frequent short words of each language, and the
// words of the scam pages' own vocabulary (call, computer, please).
// Words shared by languages count for each of them.
var stopWords = map[string]string{
	"en": "the and to of your you is are this that with for please call now has been will not immediately",
	"fr": "le la les des est votre vous et une pour pas sur avec ce été appelez ordinateur dans au nous ne",
	"de": "der die das und ist nicht sie ihr ihre mit für auf ein eine wurde bitte rufen den dem zu sofort",
	"it": "il di che è la non per una sono del della con tuo questo chiama gli ha stato al computer",
	"es": "el los las de que es su por con para una del está ha sido llame no tu este al",
	"pt": "o os as do da não seu sua para com um uma é foi ligue está em no na você",
	"nl": "de het een en is van uw niet op met voor dit zijn wordt bel je naar deze te",
	"sv": "och är att det inte för din ditt med på har en av som ring till den detta ett blivit vänligen",
	"da": "og er at det ikke for din dit med på har en af som ring til den dette et jeres blevet meget hvad venligst",
	"no": "og er at det ikke for din ditt med på har en av som ring til den dette et deres blitt veldig hva vennligst",
	"fi": "ja on ei että se tämä sinun olet tietokone soita kanssa mutta kun ovat oli voi niin tai",
	"pl": "nie jest się na w z do że to twój twoje jak dla proszę zadzwoń komputer został są tego",
	"cs": "je se na že to není váš vaše pro byl jsou prosím zavolejte tento toto počítač byla",
	"sk": "je sa na že to nie váš vaše pre bol sú prosím zavolajte tento toto počítač bola",
	"tr": "ve bir bu için ile değil bilgisayarınız lütfen arayın olarak çok sizin şu daha ne",
	"ro": "și este nu pentru cu în un să sunt vă dvs calculatorul sunați acest care fost",
	"hu": "a az és nem hogy van egy ez meg számítógép kérjük hívja ön vagy volt is már",
	// Malay and Indonesian share most words; these tell them apart.
	"ms": "dan yang untuk anda dengan ini tidak di ke dari kami sila adalah telah boleh komputer sokongan peranti keselamatan disekat dikesan laluan ralat",
	"id": "dan yang untuk anda dengan ini tidak di ke dari kami silakan adalah telah bisa hubungi komputer dukungan perangkat keamanan diblokir terdeteksi sandi kesalahan",
	"tl": "ang ng sa mga na ay po ninyo inyong ito hindi kayo tumawag namin",
	"vi": "của và là không có được bạn này các cho với một những đã để máy tính gọi ngay hãy",
}

// markLetters: letters that only some of the languages write.
var markLetters = map[string]string{
	"es": "ñ¿¡",
	"pt": "ãõ",
	"de": "ßü",
	"pl": "łśżźćńąę",
	"cs": "řůě",
	"sk": "ľĺŕô",
	"hu": "őű",
	"tr": "şğı",
	"ro": "ășțâ",
	"sv": "åäö",
	"da": "åøæ",
	"no": "åøæ",
	"fi": "äö",
	"fr": "çèêëœ",
	"vi": "ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ",
}

var (
	shortWords = map[uint64]langSet{} // words of up to 8 bytes, packed: a faster map
	longWords  = map[string]langSet{}
	letters    = map[rune]langSet{}
)

// pack returns the bytes of a word of up to 8 bytes as a number.
func pack(w []byte) uint64 {
	var k uint64
	for _, c := range w {
		k = k<<8 | uint64(c)
	}
	return k
}

func lookup(w []byte) langSet {
	if len(w) <= 8 {
		return shortWords[pack(w)]
	}
	return longWords[string(w)]
}

func init() {
	for code, list := range stopWords {
		for _, w := range strings.Fields(list) {
			if len(w) <= 8 {
				shortWords[pack([]byte(w))] |= langBit(code)
			} else {
				longWords[w] |= langBit(code)
			}
		}
	}
	for code, list := range markLetters {
		for _, r := range list {
			letters[r] |= langBit(code)
		}
	}
}

// Characters written differently in simplified and traditional Chinese.
const (
	simplified  = "这个们说为时电话请务网络软级统击账户号码联系开关门问题见长认证"
	traditional = "這個們說為時電話請務網絡軟級統擊帳戶號碼聯係繫開關門問題見長認證"
)

var hanForm = func() map[rune]int8 {
	m := map[rune]int8{}
	for _, r := range simplified {
		m[r]++
	}
	for _, r := range traditional {
		m[r]-- // shared ones (户/戶 differ; 题 and 題 differ) cancel out
	}
	return m
}()

type script int

const (
	sLatin script = iota
	sCyrillic
	sGreek
	sArabic
	sHebrew
	sHan
	sKana
	sHangul
	sThai
	sDevanagari
	nScripts
)

var scriptNames = [nScripts]string{"Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Han", "Kana", "Hangul", "Thai", "Devanagari"}

func scriptOf(r rune) (script, bool) {
	switch {
	case r < 0x80:
		return sLatin, r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	case r >= 0x0400 && r <= 0x04FF:
		return sCyrillic, true
	case r >= 0x0370 && r <= 0x03FF:
		return sGreek, true
	case r >= 0x0600 && r <= 0x06FF:
		return sArabic, unicode.IsLetter(r)
	case r >= 0x0590 && r <= 0x05FF:
		return sHebrew, unicode.IsLetter(r)
	case r >= 0x3040 && r <= 0x30FF && r != 0x30FB && r != 0x30FC: // kana, not ・ and ー
		return sKana, true
	case r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF:
		return sHan, true
	case r >= 0xAC00 && r <= 0xD7AF || r >= 0x1100 && r <= 0x11FF:
		return sHangul, true
	case r >= 0x0E00 && r <= 0x0E7F:
		return sThai, unicode.IsLetter(r)
	case r >= 0x0900 && r <= 0x097F:
		return sDevanagari, unicode.IsLetter(r)
	case unicode.Is(unicode.Latin, r):
		return sLatin, true
	}
	return 0, false
}

// Detect guesses the language of text (any case). At most MaxSample
// bytes are read: of a longer text, half from its start and half from its
// middle, where the content of a page with a long menu or an English
// boilerplate header is.
func Detect(text string) Guess {
	var (
		counts   [nScripts]int
		scores   [len(latinLangs)]float64
		marks    [len(latinLangs)]int
		ukr      int // Ukrainian letters і ї є ґ
		han      int // simplified minus traditional forms
		total    int
		wordFrom = -1
		lower    [64]byte
	)
	endWord := func(w string) {
		if len(w) > len(lower) || len(w) > 16 { // stop words are short
			return
		}
		// Lower-case into a stack buffer: most words are ASCII.
		b := lower[:0]
		for j := 0; j < len(w); j++ {
			c := w[j]
			if c >= utf8.RuneSelf {
				b = b[:0]
				for _, r := range w {
					b = utf8.AppendRune(b, unicode.ToLower(r))
				}
				break
			}
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
		if len(b) > len(lower) {
			return
		}
		if set := lookup(b); set != 0 {
			for i := range latinLangs {
				if set&(1<<i) != 0 {
					scores[i]++
				}
			}
		}
	}
	for _, part := range sample(text) {
		wordFrom = -1
		for i := 0; i < len(part); {
			c := part[i]
			if c < utf8.RuneSelf { // ASCII: most of most pages
				if c|0x20 >= 'a' && c|0x20 <= 'z' {
					counts[sLatin]++
					total++
					if wordFrom < 0 {
						wordFrom = i
					}
				} else if wordFrom >= 0 {
					endWord(part[wordFrom:i])
					wordFrom = -1
				}
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(part[i:])
			s, letter := scriptOf(r)
			if !letter {
				if wordFrom >= 0 {
					endWord(part[wordFrom:i])
					wordFrom = -1
				}
				i += size
				continue
			}
			counts[s]++
			total++
			switch s {
			case sLatin:
				if wordFrom < 0 {
					wordFrom = i
				}
				if set, ok := letters[unicode.ToLower(r)]; ok {
					for k := range latinLangs {
						if set&(1<<k) != 0 {
							marks[k]++
						}
					}
				}
				i += size
				continue
			case sCyrillic:
				switch r {
				case 'і', 'ї', 'є', 'ґ', 'І', 'Ї', 'Є', 'Ґ':
					ukr++
				}
			case sHan:
				han += int(hanForm[r])
			}
			if wordFrom >= 0 {
				endWord(part[wordFrom:i])
				wordFrom = -1
			}
			i += size
		}
		if wordFrom >= 0 {
			endWord(part[wordFrom:])
		}
	}
	if total == 0 {
		return Guess{}
	}
	// A Chinese or Japanese character, or a Hangul syllable, carries about
	// as much text as three letters of an alphabet: weigh them so.
	const syllabic = 3
	weight := counts
	weight[sHan] = syllabic * (counts[sHan] + counts[sKana])
	weight[sKana] = 0
	weight[sHangul] *= syllabic
	sum := 0
	best := sLatin
	for s := range weight {
		sum += weight[s]
		if weight[s] > weight[best] {
			best = script(s)
		}
	}
	cjk := counts[sHan] + counts[sKana]
	g := Guess{Script: scriptNames[best], Confidence: float64(weight[best]) / float64(sum)}
	switch best {
	case sLatin:
		return latinGuess(scores[:], marks[:])
	case sHan:
		switch {
		case counts[sKana]*10 >= cjk: // Japanese mixes kana into every sentence
			g.Lang, g.Script = "ja", "Kana"
		case han < 0:
			g.Lang = "zh-Hant"
		default:
			g.Lang = "zh-Hans"
		}
	case sKana:
		g.Lang = "ja"
	case sCyrillic:
		g.Lang = "ru"
		if ukr*100 >= counts[sCyrillic] {
			g.Lang = "uk"
		}
	case sGreek:
		g.Lang = "el"
	case sArabic:
		g.Lang = "ar"
	case sHebrew:
		g.Lang = "he"
	case sHangul:
		g.Lang = "ko"
	case sThai:
		g.Lang = "th"
	case sDevanagari:
		g.Lang = "hi"
	}
	if counts[best] < 4 && cjk < 4 {
		g.Lang = "" // a word or two of another script says little
	}
	return g
}

// sample returns the parts of text Detect reads.
func sample(text string) []string {
	if len(text) <= MaxSample {
		return []string{text}
	}
	half := MaxSample / 2
	mid := len(text) / 2
	for mid > half && !utf8.RuneStart(text[mid]) {
		mid--
	}
	return []string{text[:half], text[mid:min(len(text), mid+half)]}
}

// latinGuess picks the Latin-alphabet language with the most stop words,
// letters with diacritics counting a half each (capped), when it leads
// clearly.
func latinGuess(scores []float64, marks []int) Guess {
	g := Guess{Script: "Latin"}
	first, second := -1, -1
	for i := range scores {
		scores[i] += 0.5 * float64(min(marks[i], 20))
		switch {
		case first < 0 || scores[i] > scores[first]:
			first, second = i, first
		case second < 0 || scores[i] > scores[second]:
			second = i
		}
	}
	top, next := scores[first], scores[second]
	if top < 3 || (top < 1.25*next && top-next < 2) {
		return g
	}
	g.Lang = latinLangs[first]
	g.Confidence = (top - next) / top
	return g
}
