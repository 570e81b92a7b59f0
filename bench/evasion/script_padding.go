package main

import (
	"math/rand/v2"
	"strings"
)

// scriptPadding puts a comment of 600-700 KB before the code of each
// script, inline and external: past the size a detector parses or runs
// (the emulator skipped scripts over 512 KiB). The page does the same.
func scriptPadding(p *Page, rng *rand.Rand) (string, error) {
	pad := func(code string, _ bool) string {
		if strings.TrimSpace(code) == "" {
			return code
		}
		n := 600<<10 + rng.IntN(100<<10)
		return "/*" + strings.Repeat("padding ", n/8) + "*/\n" + code
	}
	p.rewrite(nil, pad)
	return "", nil
}
