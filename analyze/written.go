package analyze

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/tssguard/tssguard/analyze/js"
)

// What a script puts into the page. Kits keep their scare text and number
// in a script as often as in the HTML: document.write of the whole alert,
// innerHTML or textContent of an element, jQuery's html() and text(). When
// the static reading knows the value (a literal, a folded expression, an
// obfuscator string-array entry), it is what the page shows once the
// script runs, and it is read as page content without running anything:
// markup as a document of its own, text as page text. Emulation would show
// the same, but it runs only on pages with hints of a kit
// (worthEmulating); a page whose every scam word is written by script
// needs no other hint, nor the element the script writes into (a kit's
// fragment whose markup comes from elsewhere).
//
// A small script that writes what the static reading cannot follow
// (lines from an array in a loop, a helper's parameter, text nodes) has
// its string literals that read as prose read the same way: they are what
// it writes.
//
// Source "written"; "decoded" when the script is obfuscated and the value
// was folded out of it, since it was then recovered from the obfuscation
// (detectObfuscation).

const (
	// maxWrittenBytes bounds the written content read per analysis: its
	// own budget, so that a page writing megabytes of markup cannot crowd
	// out what decoding recovers (maxDecodedBytes).
	maxWrittenBytes = 512 << 10
	// minWritten: shorter values ("<br>", "none", a class name) say
	// nothing a rule could use; a value needs words or a number's digits
	// as well.
	minWritten = 10
	// maxProseScript: the largest script whose prose literals are read as
	// what it writes.
	maxProseScript = 8 << 10
)

// writtenProps are the properties whose assignment puts text or markup
// into the page (lower case): text.go's writeProps but href, a
// navigation read elsewhere, and nodeValue, with outerText.
var writtenProps = map[string]bool{"innerhtml": true, "outerhtml": true, "innertext": true, "outertext": true, "textcontent": true}

// readWritten adds what script u writes into the page (see above).
func (a *analysis) readWritten(u *scriptUnit) {
	if u.Facts == nil || u.Depth >= a.e.opts.MaxDecodeDepth {
		return
	}
	source := "written"
	if u.obfuscated {
		source = "decoded"
	}
	take := func(method, value string) {
		value = strings.TrimSpace(strings.ReplaceAll(value, js.Unknown, " "))
		if len(value) < minWritten || !hasLetters(value) && digitCount(value) < 7 || a.writtenSeen[value] {
			return
		}
		if !a.charge(&a.writtenBytes, maxWrittenBytes, len(value), "what scripts write into the page") {
			return
		}
		if a.writtenSeen == nil {
			a.writtenSeen = map[string]bool{}
		}
		a.writtenSeen[value] = true
		if looksHTML(value) && len(a.docs) < maxDocs {
			a.addContent(method, value, u, u.Depth+1, source)
			return
		}
		// Text, never code: what textContent or write puts in is shown,
		// not run.
		a.decodedText = append(a.decodedText, segment{Name: method + " of " + u.Name, Source: source, Text: value, OneWrite: method != "prose"})
	}
	unknown := false // a write whose value the static reading does not know
	for _, s := range u.Facts.Assigns {
		prop := strings.ToLower(s.Target[strings.LastIndexByte(s.Target, '.')+1:])
		if !writtenProps[prop] {
			continue
		}
		unknown = unknown || s.Value == ""
		if s.Op == "=" || s.Op == "+=" {
			take(prop, cmp.Or(s.Value, s.Partial))
		}
	}
	for _, c := range u.Facts.Calls {
		m := strings.ToLower(c.Method)
		if m == "createtextnode" && argAt(c.Args, 0) == "" {
			unknown = true
		}
		// The calls that put their first argument into the page
		// (writeCalls, and insertAdjacentText); write and writeln put
		// all of them, the insertAdjacent pair their second.
		if !writeCalls[m] && m != "insertadjacenttext" || c.Via != "" {
			continue
		}
		args := c.Args
		if c.PartialArgs != nil {
			args = c.PartialArgs
		}
		switch m {
		case "write", "writeln":
			take("document."+m, strings.Join(args, ""))
			unknown = unknown || slices.Contains(c.Args, "")
		case "insertadjacenthtml", "insertadjacenttext":
			take(m, argAt(args, 1))
			unknown = unknown || argAt(c.Args, 1) == ""
		default:
			take(m, argAt(args, 0))
			unknown = unknown || len(c.Args) > 0 && c.Args[0] == ""
		}
	}
	// A script that writes what the static reading cannot follow (lines
	// taken from an array in a loop, a helper's parameter, an object's
	// fields) writes its sentences: its string literals that read as
	// prose are read as what it writes, each on its own.
	// Only a small script's: libraries and bundles write too, and carry
	// their own messages. The literals are in plain sight, never decoded.
	if unknown && len(u.Code) <= maxProseScript {
		u.writesUnread = true
		source = "written"
		for _, l := range u.Facts.Literals {
			if prose(l.Value) || numberLine(l.Value) {
				take("prose", l.Value)
			}
		}
	}
}

// hasLetters: s has at least three letters.
func hasLetters(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if n++; n >= 3 {
				return true
			}
		}
	}
	return false
}

// numberLine: s is a line of words with a phone number's digits ("Call
// support: +1-855-…"), which prose counts as too few letters.
func numberLine(s string) bool {
	return len(s) <= 200 && digitCount(s) >= 7 && hasLetters(s) && !strings.ContainsAny(s, "<>{}=;") && !strings.Contains(s, "://")
}
