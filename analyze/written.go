package analyze

import (
	"cmp"
	"encoding/json"
	"html"
	"maps"
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
// navigation read elsewhere, with outerText.
var writtenProps = map[string]bool{"innerhtml": true, "outerhtml": true, "innertext": true, "outertext": true, "textcontent": true, "nodevalue": true, "srcdoc": true}

// documentTitle: an assignment's target is the document's title
// (document.title, window.top.document.title).
func documentTitle(target string) bool {
	t := strings.ToLower(target)
	return t == "document.title" || strings.HasSuffix(t, ".document.title")
}

// readWritten adds what script u writes into the page (see above).
func (a *analysis) readWritten(u *scriptUnit) {
	if u.Facts == nil || u.Depth >= a.e.opts.MaxDecodeDepth {
		return
	}
	source := "written"
	if u.obfuscated {
		source = "decoded"
	}
	take := func(method, value string) { a.takeWritten(u, source, method, value) }
	unknown := false // a write whose value the static reading does not know
	for _, s := range u.Facts.Assigns {
		prop := strings.ToLower(s.Target[strings.LastIndexByte(s.Target, '.')+1:])
		if prop == "title" && documentTitle(s.Target) {
			// The tab's title, flashed in turn with the alert ("Call
			// Support +1-844-…" / "VIRUS ALERT"): text, even with '<'.
			prop = "document.title"
		} else if !writtenProps[prop] {
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
		// A frame's document given as markup: f.setAttribute("srcdoc",
		// …), or a Blob of HTML the page loads in a frame or a window
		// (URL.createObjectURL); markup parsed into nodes to put in
		// (DOMParser's parseFromString, a range's contextual fragment).
		if m == "setattribute" && strings.EqualFold(argAt(c.Args, 0), "srcdoc") || m == "blob" || m == "parsefromstring" || m == "createcontextualfragment" {
			args, i := c.Args, 0
			if c.PartialArgs != nil {
				args = c.PartialArgs
			}
			if m == "setattribute" {
				i = 1
			}
			if v := argAt(args, i); m == "setattribute" || looksHTML(v) {
				take(m, v)
			}
			continue
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
		case "append", "prepend", "after", "before", "replacewith", "replacechildren":
			// Each argument is a node or a text put in, side by side.
			take(m, strings.Join(args, ""))
			unknown = unknown || slices.Contains(c.Args, "")
		case "write", "writeln":
			unknown = unknown || slices.Contains(c.Args, "")
			v := strings.Join(args, "")
			if !writesInPlace(u, c) {
				take("document."+m, v)
			} else if !looksHTML(v) {
				a.writeInPlace(u, v)
			} else {
				if text, ok := inlineMarkupText(v); ok {
					a.writeInPlace(u, text) // <b>+1-844-…</b>: its text, where it stands
				}
				take("document."+m, v)
			}
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
			if proseLine(l.Value) {
				take("prose", l.Value)
				continue
			}
			// Lines kept as JSON (JSON.parse('{"title": …}')) are
			// literals of their own.
			for _, v := range jsonStrings(l.Value) {
				if proseLine(v) {
					take("prose", v)
				}
			}
		}
	}
}

// maxJSONStrings bounds the strings read from one JSON literal.
const maxJSONStrings = 256

// jsonStrings returns the string values (not the keys) of s when it is a
// JSON object or array, at most maxJSONStrings of them. The
// literals it is asked about come from scripts of maxProseScript bytes at
// most.
func jsonStrings(s string) []string {
	t := strings.TrimSpace(s)
	if len(t) < 2 || t[0] != '{' && t[0] != '[' {
		return nil
	}
	var v any
	if json.Unmarshal([]byte(t), &v) != nil {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if len(out) < maxJSONStrings {
				out = append(out, v)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			// Each string is read on its own: sorted keys keep reports
			// the same from run to run.
			keys := slices.Sorted(maps.Keys(v))
			for _, k := range keys {
				walk(v[k])
			}
		}
	}
	walk(v)
	return out
}

// takeWritten reads value, which script u writes into the page with
// method, as what the page shows: markup as a document of its own, text
// as page text.
func (a *analysis) takeWritten(u *scriptUnit, source, method, value string) {
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
	if looksHTML(value) && method != "document.title" && len(a.docs) < maxDocs {
		a.addContent(method, value, u, u.Depth+1, source)
		// Formatting around a value (<b>+1-844-…</b>) does not make it
		// less the whole of what the write shows: its text is read as
		// one write too (a number alone in it is presented).
		if text, ok := inlineMarkupText(value); ok && len(text) >= minWritten {
			a.decodedText = append(a.decodedText, segment{Name: method + " of " + u.Name, Source: source, Text: text, OneWrite: method != "prose"})
		}
		return
	}
	// Text, never code: what textContent or write puts in is shown,
	// not run.
	a.decodedText = append(a.decodedText, segment{Name: method + " of " + u.Name, Source: source, Text: value, OneWrite: method != "prose"})
}

// Text written in place. Kits cut their alert into pieces, each written by
// a script of its own where it stands (<b><script>document.write("5
// viruses")</script></b>), so that no piece says anything alone. Read one
// by one, the pieces say nothing either: the words of consecutive small
// scripts that write where they stand while the page loads are read
// together, in order, as the visitor sees them.
const maxInPlaceScript = 2 << 10

// inPlaceRun is what consecutive scripts of one document wrote in place.
type inPlaceRun struct {
	first *scriptUnit
	order int // the last script's place in the document
	parts []string
}

// writesInPlace: call c of script u is a document.write that runs while
// the page loads, at the script's place: top-level code of a small inline
// script of a served document.
func writesInPlace(u *scriptUnit, c js.Call) bool {
	return u.Source == "script" && !u.obfuscated && u.Depth == 0 && u.Order > 0 && u.Src == "" && len(u.Code) <= maxInPlaceScript &&
		c.Ctx&js.TopLevel != 0 && c.Ctx&(js.InFunction|js.InTimer) == 0
}

// writeInPlace adds text v, written in place by u, to the run of the
// scripts before it, or starts a run.
func (a *analysis) writeInPlace(u *scriptUnit, v string) {
	if r := a.inPlace; r != nil && (r.first.Doc != u.Doc || u.Order > r.order+1) {
		a.endInPlace()
	}
	if a.inPlace == nil {
		a.inPlace = &inPlaceRun{first: u}
	}
	a.inPlace.order = u.Order
	if len(a.inPlace.parts) < maxScripts {
		a.inPlace.parts = append(a.inPlace.parts, v)
	}
}

// inlineTags are the elements whose markup, written in place, shows only
// its text: formatting and blocks, no link, media, frame, form or script.
var inlineTags = map[string]bool{"b": true, "strong": true, "i": true, "em": true, "u": true, "s": true, "span": true, "font": true,
	"big": true, "small": true, "mark": true, "sup": true, "sub": true, "br": true, "center": true, "p": true, "div": true, "label": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "strike": true, "tt": true, "code": true, "nobr": true}

// inlineMarkupText returns the text markup v shows when v is made of
// inlineTags only (their attributes whatever they are), and is no longer
// than a script written in place may be.
func inlineMarkupText(v string) (string, bool) {
	if len(v) > maxInPlaceScript {
		return "", false
	}
	var b strings.Builder
	for {
		lt := strings.IndexByte(v, '<')
		if lt < 0 {
			b.WriteString(v)
			break
		}
		b.WriteString(v[:lt])
		gt := strings.IndexByte(v[lt:], '>')
		if gt < 0 {
			return "", false
		}
		tag := strings.TrimPrefix(v[lt+1:lt+gt], "/")
		end := strings.IndexAny(tag, " \t\n\r\f/")
		if end < 0 {
			end = len(tag)
		}
		if !inlineTags[strings.ToLower(tag[:end])] {
			return "", false
		}
		b.WriteByte(' ')
		v = v[lt+gt+1:]
	}
	return html.UnescapeString(strings.Join(strings.Fields(b.String()), " ")), true
}

// endInPlace reads the run of text written in place as one write.
func (a *analysis) endInPlace() {
	r := a.inPlace
	if r == nil {
		return
	}
	a.inPlace = nil
	a.takeWritten(r.first, "written", "document.write in place", strings.Join(r.parts, " "))
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

// proseLine: s reads as words or as a line with a number in it: what a
// page shows, not code, a selector or a URL.
func proseLine(s string) bool { return prose(s) || numberLine(s) }

// numberLine: s is a line of words with a phone number's digits ("Call
// support: +1-855-…"), which prose counts as too few letters.
func numberLine(s string) bool {
	return len(s) <= 200 && digitCount(s) >= 7 && hasLetters(s) && !strings.ContainsAny(s, "<>{}=;") && !strings.Contains(s, "://")
}
