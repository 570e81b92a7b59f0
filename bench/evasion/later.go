package main

import "math/rand/v2"

func renameIdentifiers(p *Page, rng *rand.Rand) (string, error) {
	return "", errSkip{"not written yet"}
}
