package main

import (
	"math/rand/v2"
)

// Mutation is one evasion technique: it rewrites a page in place. Apply
// is deterministic for a given rng; it returns skip (with a reason) when
// the technique cannot run here at all (a tool is missing).
type Mutation struct {
	Name  string
	Doc   string
	Apply func(p *Page, rng *rand.Rand) (variant string, err error)
}

// mutations lists every class in report order.
func mutations() []Mutation {
	return []Mutation{
		{Name: "text-to-image", Doc: "visible warning text replaced by <img> of the rendered text (data: PNG)", Apply: textToImage},
		{Name: "text-in-script", Doc: "visible text removed and put back by a script: textContent of empty spans (one by one or in a loop over an array), innerHTML of one, or document.write in place", Apply: textInScript},
		{Name: "text-to-canvas", Doc: "visible text removed and drawn with canvas fillText from a script", Apply: textToCanvas},
		{Name: "text-to-svg", Doc: "visible text replaced by <img> of an SVG picture drawing it as <text> (data: URL, base64 or percent-encoded)", Apply: textToSVG},
		{Name: "split-numbers", Doc: "phone numbers split into <span>s of 1-4 digits", Apply: splitNumbers},
		{Name: "homoglyphs", Doc: "Latin letters of brand names and key words replaced by Cyrillic/Greek look-alikes", Apply: homoglyphs},
		{Name: "hidden-decoys", Doc: "a letter or two (a digit in numbers) inside words and numbers, in an element hidden by its own attributes (display:none, hidden, font-size:0, off-screen)", Apply: hiddenDecoys},
		{Name: "reversed-numbers", Doc: "phone numbers written backwards and shown forwards: <bdo dir=rtl>, a direction-overriding style, or U+202E … U+202C in titles and script strings", Apply: reversedNumbers},
		{Name: "zero-width", Doc: "U+200B/U+200C/U+200D/U+FEFF inserted inside words and numbers", Apply: zeroWidth},
		{Name: "rename-identifiers", Doc: "script identifiers, CSS classes and ids renamed consistently", Apply: renameIdentifiers},
		{Name: "base64-wrap", Doc: "each script wrapped as eval(atob(...)) or document.write(atob(...))", Apply: base64Wrap},
		{Name: "obfuscator", Doc: "each inline script passed through javascript-obfuscator (needs node)", Apply: obfuscate},
		{Name: "no-text", Doc: "all visible text nodes removed (scripts, media, structure kept)", Apply: noText},
		{Name: "translate", Doc: "English scare phrases replaced by hand-written DE/FR/ES/PT/PL/NL/TR/RU translations", Apply: translate},
		{Name: "entities", Doc: "text encoded as HTML numeric character references", Apply: entities},
		{Name: "script-padding", Doc: "a comment of 600-700 KB before the code of each script, inline and external", Apply: scriptPadding},
		{Name: "script-flood", Doc: "2,100-2,500 tiny inline scripts before every script of the page", Apply: scriptFlood},
		{Name: "padding", Doc: "8,000-12,000 empty elements (nested in a hidden one, or side by side) before the body's content", Apply: padding},
		{Name: "body-in-frame", Doc: "the body moved into a full-window frame a script makes: its srcdoc, or a Blob of HTML loaded through URL.createObjectURL", Apply: bodyInFrame},
		{Name: "written-padding", Doc: "a script first in the body writing 8,000-12,000 empty elements (document.write of a string built by +=, or a hidden element's innerHTML)", Apply: writtenPadding},
	}
}

// errSkip marks a class that cannot run on this machine.
type errSkip struct{ why string }

func (e errSkip) Error() string { return e.why }

// errUnmeasured marks a variant that was made but that cannot show a loss:
// the mutation could not carry all of the page over (text-to-image with
// letters its font lacks). Detected, it counts; missed, it is left out
// of the class with the reason, as a skipped page is.
type errUnmeasured struct{ why string }

func (e errUnmeasured) Error() string { return e.why }
