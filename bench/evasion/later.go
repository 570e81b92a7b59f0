package main

import "math/rand/v2"

func textToImage(p *Page, rng *rand.Rand) (string, error)  { return "", errSkip{"not written yet"} }
func textToCanvas(p *Page, rng *rand.Rand) (string, error) { return "", errSkip{"not written yet"} }
func renameIdentifiers(p *Page, rng *rand.Rand) (string, error) {
	return "", errSkip{"not written yet"}
}
