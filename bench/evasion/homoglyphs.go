package main

import (
	"math/rand/v2"
	"strings"
)

// homoglyphs replaces Latin letters of brand names and scare words with
// Cyrillic and Greek letters that look the same.
func homoglyphs(p *Page, rng *rand.Rand) (string, error) {
	p.mapText(func(text string, ctx textContext) string {
		return escapeFor(mapWords(text, func(w string) string {
			if !keyWords[strings.ToLower(w)] {
				return w
			}
			return lookAlike(w, rng)
		}), ctx)
	})
	return "", nil
}

// keyWords are the brands and scare words whose spelling rules match.
var keyWords = setOf(
	"microsoft", "windows", "apple", "google", "chrome", "norton", "mcafee", "defender", "avast", "paypal",
	"amazon", "icloud", "macos", "iphone", "firefox", "edge", "facebook", "office", "support", "call",
	"virus", "viruses", "warning", "alert", "blocked", "locked", "computer", "security", "error", "infected",
	"threat", "threats", "spyware", "malware", "hacked", "toll", "free", "helpline", "technician", "immediately",
	"pornographic", "trojan", "firewall", "license", "expired", "suspended", "access", "personal", "data",
	"stolen", "password", "passwords", "critical", "system", "device", "phone", "contact", "restart", "help",
	"technical", "tech", "scan", "detected", "risk", "banking", "credit", "card", "unauthorized", "suspicious",
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// confusables maps Latin letters to look-alikes from other scripts.
var confusables = map[rune][]rune{
	'a': {'а'}, 'c': {'с', 'ϲ'}, 'e': {'е'}, 'o': {'о', 'ο'}, 'p': {'р', 'ρ'}, 'x': {'х'}, 'y': {'у'},
	'i': {'і'}, 'j': {'ј'}, 's': {'ѕ'}, 'h': {'һ'}, 'd': {'ԁ'}, 'k': {'κ'}, 'v': {'ν'}, 'n': {'ո'},
	'A': {'А', 'Α'}, 'B': {'В', 'Β'}, 'C': {'С'}, 'E': {'Е', 'Ε'}, 'H': {'Н', 'Η'}, 'I': {'І', 'Ι'},
	'J': {'Ј'}, 'K': {'К', 'Κ'}, 'M': {'М', 'Μ'}, 'N': {'Ν'}, 'O': {'О', 'Ο'}, 'P': {'Р', 'Ρ'},
	'S': {'Ѕ'}, 'T': {'Т', 'Τ'}, 'X': {'Х', 'Χ'}, 'Y': {'Υ'}, 'Z': {'Ζ'},
}

// lookAlike swaps about half the letters of w that have a look-alike, at
// least one.
func lookAlike(w string, rng *rand.Rand) string {
	rs := []rune(w)
	var can []int
	for i, r := range rs {
		if _, ok := confusables[r]; ok {
			can = append(can, i)
		}
	}
	if len(can) == 0 {
		return w
	}
	first := can[rng.IntN(len(can))]
	for _, i := range can {
		if i == first || rng.IntN(2) == 0 {
			rs[i] = pick(rng, confusables[rs[i]])
		}
	}
	return string(rs)
}
