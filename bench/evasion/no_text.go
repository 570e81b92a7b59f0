package main

import (
	"math/rand/v2"
	"strings"
)

// noText removes all visible text nodes and titles, keeping white space,
// scripts, media and structure. Script strings that hold markup lose their
// text too; script prose (dialog messages) stays: it is behaviour.
func noText(p *Page, _ *rand.Rand) (string, error) {
	p.mapText(func(text string, ctx textContext) string {
		if ctx == inScriptString {
			return text
		}
		if strings.TrimSpace(text) == "" {
			return text
		}
		return " "
	})
	return "", nil
}
