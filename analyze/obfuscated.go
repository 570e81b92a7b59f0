package analyze

import (
	"time"

	"github.com/tssguard/tssguard/analyze/js"
)

// Thresholds of an obfuscation-only page (issue 9).
const (
	obfOnlyMinScript = 2 << 10   // bytes of the obfuscated script
	obfOnlyMaxScript = 512 << 10 // the emulator skips larger scripts
	// maxEmulationBudget caps the emulation of a page that keeps peeling
	// layers (the engine's budget is granted again while it does).
	maxEmulationBudget = 300 * time.Millisecond
	// maxObfuscatedOnlyBudget is that cap for an obfuscation-only page.
	maxObfuscatedOnlyBudget = 1000 * time.Millisecond
)

// obfuscatedOnly: the main document shows next to no text and runs a large
// obfuscated script. Statically such a page is blank; only running the
// script shows what it is, so it is reason enough to emulate.
func (a *analysis) obfuscatedOnly() bool {
	if len(a.docs) == 0 || a.ownText() > blankText {
		return false
	}
	return a.runsObfuscated(a.docs[0])
}

// servedObfuscatedOnly is obfuscatedOnly of the page as served, in a
// dynamic scan too, where the rendered DOM holds what the script wrote.
func (a *analysis) servedObfuscatedOnly() bool {
	if len(a.docs) == 0 {
		return false
	}
	d := a.emulatedDoc()
	if d.ownText() > blankText {
		return false
	}
	return a.runsObfuscated(d)
}

// runsObfuscated: a script of document d is large and obfuscated.
func (a *analysis) runsObfuscated(d *docFacts) bool {
	for _, u := range a.scripts {
		if u.Doc != d.index || u.Depth != 0 || u.Source != "script" {
			continue
		}
		n := len(u.Code)
		if n < obfOnlyMinScript || n > obfOnlyMaxScript {
			continue
		}
		if u.obfuscated || n > maxDeobfuscateBytes && js.LooksObfuscated([]byte(u.Code)) { // addScript looked at the smaller ones
			return true
		}
	}
	return false
}
