package main

import (
	"math/rand/v2"
	"strings"
)

// splitNumbers puts every phone number of the visible text into <span>s of
// 1-4 digits (separators kept between them), so the number is whole on
// screen but never one run of text in the markup.
func splitNumbers(p *Page, rng *rand.Rand) (string, error) {
	p.mapText(func(text string, ctx textContext) string {
		if ctx != inHTML {
			return escapeFor(text, ctx)
		}
		return splitNumbersIn(text, rng)
	})
	return "", nil
}

// splitNumbersIn escapes text and wraps the digits of each phone-like run
// (7 to 15 digits with spaces, dots, dashes, parentheses, a leading +).
func splitNumbersIn(text string, rng *rand.Rand) string {
	return mapPhones(text, inHTML, func(n string) string { return spanDigits(n, rng) })
}

// mapPhones rebuilds text for its context ctx with each phone-like run
// (nextPhone) replaced by what fn makes of it; the rest is escaped.
func mapPhones(text string, ctx textContext, fn func(number string) string) string {
	var b strings.Builder
	i := 0
	for i < len(text) {
		start, end := nextPhone(text, i)
		if start < 0 {
			b.WriteString(escapeFor(text[i:], ctx))
			break
		}
		b.WriteString(escapeFor(text[i:start], ctx))
		b.WriteString(fn(text[start:end]))
		i = end
	}
	return b.String()
}

// nextPhone finds the next run from i made of digits and phone separators
// holding 7 to 15 digits; it returns -1 when there is none.
func nextPhone(s string, i int) (int, int) {
	for i < len(s) {
		if !isDigit(s[i]) && s[i] != '+' && s[i] != '(' {
			i++
			continue
		}
		j, digits := i, 0
		for j < len(s) && (isDigit(s[j]) || strings.IndexByte("+-. ()", s[j]) >= 0) {
			if isDigit(s[j]) {
				digits++
			}
			j++
		}
		for j > i && !isDigit(s[j-1]) && s[j-1] != ')' { // trailing separators stay outside
			j--
		}
		if digits >= 7 && digits <= 15 {
			return i, j
		}
		i = max(j, i+1)
	}
	return -1, -1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// spanDigits wraps the digits of num in <span>s of 1-4 digits.
func spanDigits(num string, rng *rand.Rand) string {
	var b strings.Builder
	i := 0
	for i < len(num) {
		if !isDigit(num[i]) {
			b.WriteString(escapeFor(num[i:i+1], inHTML))
			i++
			continue
		}
		n := 1 + rng.IntN(4)
		j := i
		for j < len(num) && j-i < n && isDigit(num[j]) {
			j++
		}
		b.WriteString("<span>" + num[i:j] + "</span>")
		i = j
	}
	return b.String()
}
