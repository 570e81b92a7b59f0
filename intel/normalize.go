package intel

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// Normalisation maps everything a scammer swaps between deployments of a
// kit to a fixed placeholder token, so it cannot change the fingerprint:
// numbers of any shape (phone numbers in every format, error codes,
// prices, counters), URLs and host names, and long opaque tokens
// (tracking IDs, UUIDs, hex and base64 blobs). Words are case-folded.
var (
	tokNum  = hashString("\x00num")
	tokURL  = hashString("\x00url")
	tokLong = hashString("\x00long")
	tokStr  = hashString("\x00str")
)

// maxWordLen is the longest run of letters kept as a word; longer runs are
// opaque identifiers (base64, minified blobs) and become tokLong.
const maxWordLen = 24

// isSpace reports ASCII white space and NUL (junk separates like space).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0
}

// urlish reports whether a white-space-delimited chunk is a URL, an e-mail
// address or a bare host name ("scam-host.example.com/path").
func urlish(chunk []byte) bool {
	if bytes.Contains(chunk, []byte("://")) || bytes.HasPrefix(chunk, []byte("//")) ||
		bytes.IndexByte(chunk, '@') > 0 {
		return true
	}
	lower := bytes.ToLower(chunk[:min(len(chunk), 4)])
	if bytes.HasPrefix(lower, []byte("www.")) {
		return true
	}
	// A host: two or more dots between letters or digits, or one dot
	// followed by a path ("bit.ly/x"). One dot alone is too often a
	// sentence with a missing space ("alert.Call").
	dots, slash := 0, false
	for i := 1; i+1 < len(chunk); i++ {
		switch chunk[i] {
		case '.':
			if isAlnum(chunk[i-1]) && isAlnum(chunk[i+1]) {
				dots++
			}
		case '/':
			slash = dots > 0
		}
	}
	return dots >= 2 || slash
}

func isAlnum(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
}

// wordTokens splits visible text into normalised word hashes and calls emit
// for each, up to max tokens; it returns how many it emitted. A run of
// numbers separated only by punctuation or space ("+1 (888) 555-0100") is
// one tokNum, so every phone number format reads the same.
func wordTokens(b []byte, max int, emit func(uint64)) int {
	n := 0
	lastNum := false
	out := func(t uint64) {
		if t == tokNum {
			if lastNum {
				return
			}
			lastNum = true
		} else {
			lastNum = false
		}
		emit(t)
		n++
	}
	var word [maxWordLen * utf8.UTFMax]byte
	for i := 0; i < len(b) && n < max; {
		if isSpace(b[i]) {
			i++
			continue
		}
		j := i
		for j < len(b) && !isSpace(b[j]) {
			j++
		}
		chunk := b[i:j]
		i = j
		if urlish(chunk) {
			out(tokURL)
			continue
		}
		// Runs of letters and digits inside the chunk.
		for k := 0; k < len(chunk) && n < max; {
			r, size := utf8.DecodeRune(chunk[k:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				k += size
				continue
			}
			w, runes, digit := 0, 0, false
			for k < len(chunk) {
				r, size = utf8.DecodeRune(chunk[k:])
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				k += size
				runes++
				if unicode.IsDigit(r) {
					digit = true
				}
				if runes <= maxWordLen {
					w += utf8.EncodeRune(word[w:], unicode.ToLower(r))
				}
			}
			switch {
			case runes > maxWordLen:
				out(tokLong)
			case digit:
				out(tokNum)
			default:
				out(hashBytes(word[:w]))
			}
		}
	}
	return n
}

// codeTokens splits script or style sheet source into normalised tokens:
// identifiers and keywords (case kept: code is case-sensitive), single
// punctuation characters, tokNum for numbers and for identifiers with
// digits (obfuscators' _0x3f2a names change every build), and one token
// per string literal that hashes the literal's normalised words, so a
// swapped number, host or tracking ID inside a string changes nothing.
// Comments and white space are dropped. It is a lexer, not a parser: a
// regular expression literal is read as punctuation and words, the same
// way in every copy of a kit.
func codeTokens(b []byte, max int, emit func(uint64)) int {
	n := 0
	out := func(t uint64) { emit(t); n++ }
	for i := 0; i < len(b) && n < max; {
		c := b[i]
		switch {
		case isSpace(c):
			i++
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			for i < len(b) && b[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			end := bytes.Index(b[i+2:], []byte("*/"))
			if end < 0 {
				return n
			}
			i += end + 4
		case c == '"' || c == '\'' || c == '`':
			j := i + 1
			for j < len(b) && b[j] != c && (b[j] != '\n' || c == '`') {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			lit := b[i+1 : min(j, len(b))]
			i = j + 1
			h := tokStr
			wordTokens(lit[:min(len(lit), 4096)], 256, func(t uint64) { h = combine(h, t) })
			out(h)
		case isIdentStart(c):
			j, digit := i, false
			for j < len(b) && (isIdentStart(b[j]) || '0' <= b[j] && b[j] <= '9') {
				digit = digit || '0' <= b[j] && b[j] <= '9'
				j++
			}
			switch {
			case j-i > maxWordLen:
				out(tokLong)
			case digit:
				out(tokNum)
			default:
				out(hashBytes(b[i:j]))
			}
			i = j
		case '0' <= c && c <= '9':
			for i < len(b) && (isAlnum(b[i]) || b[i] == '.') {
				i++
			}
			out(tokNum)
		case c < utf8.RuneSelf:
			out(uint64(c)) // punctuation: its own small token
			i++
		default:
			_, size := utf8.DecodeRune(b[i:])
			i += size
		}
	}
	return n
}

func isIdentStart(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || c == '_' || c == '$'
}
