package analyze

import (
	"fmt"
	"github.com/tssguard/tssguard/internal/csstext"
	"regexp"
	"strings"

	"github.com/tssguard/tssguard/analyze/js"
	"github.com/tssguard/tssguard/capture"
)

// behaviourRules are the rules implemented in Go (no phrases): the pack must
// list each of them with its weight, message and samples.
var behaviourRules = map[string]bool{
	"TSS-CALL-AUTODIAL": true, "TSS-CALL-ON-PAGE-CLICK": true, "TSS-CALL-LINK": true,
	"TSS-LOCK-DIALOG-LOOP": true, "TSS-LOCK-BEFOREUNLOAD": true, "TSS-LOCK-HISTORY-FLOOD": true,
	"TSS-LOCK-FULLSCREEN": true, "TSS-LOCK-KEYBOARD": true, "TSS-LOCK-POINTER": true,
	"TSS-LOCK-PRINT-FLOOD": true, "TSS-LOCK-POPUP-FLOOD": true, "TSS-LOCK-DOWNLOAD-FLOOD": true,
	"TSS-LOCK-WORKER-FLOOD":  true,
	"TSS-LOCK-CURSOR-HIDDEN": true, "TSS-LOCK-INPUT-BLOCK": true,
	"TSS-MEDIA-AUTOPLAY": true, "TSS-MEDIA-SPEECH": true,
	"TSS-HOTLINE": true, "TSS-HOTLINE-FAKE-TOLLFREE": true, "TSS-BRAND": true,
	"TSS-TEMPLATE-NUMBER-PARAM": true, "TSS-CLOAK-UA-REDIRECT": true, "TSS-OBFUSCATED": true,
}

// Event counts at which repeated behaviour becomes a flood.
const (
	dialogFlood   = 3
	historyFlood  = 5
	printFlood    = 2
	popupFlood    = 3
	downloadFlood = 2
	// workerFlood: pages start a worker or a pool of them, one per core
	// (navigator.hardwareConcurrency: 4 in emulation, the machine's
	// cores in the sandbox); kits that freeze the machine start them
	// without end (the emulator and the sandbox refuse the 65th).
	workerFlood = 16
)

func gesture(c js.Context) bool { return c&js.InGestureHandler != 0 }

// locationTarget says whether an assignment to target (lower case: "location",
// "window.location.href", "top.location") sends the page on.
func locationTarget(target string) bool {
	last := target[strings.LastIndexByte(target, '.')+1:]
	return last == "location" || (last == "href" && strings.Contains(target, "location"))
}

// locationCall says whether a call of method on callee (lower case) is
// location.assign, location.replace or navigation.navigate.
func locationCall(method, callee string) bool {
	return (method == "assign" || method == "replace") && strings.Contains(callee, "location") ||
		method == "navigate" && strings.HasSuffix(callee, "navigation.navigate") // the Navigation API
}

// windowOpen says whether a call of method on callee (lower case) is the
// window's open (open, window.open, self.open, top.open).
func windowOpen(method, callee string) bool {
	return method == "open" && (callee == "open" || strings.HasSuffix(callee, "window.open") || strings.HasSuffix(callee, "self.open") || strings.HasSuffix(callee, "top.open"))
}

// floodKinds name the locker kinds (lockers.go) of the flood rules.
var floodKinds = map[string]string{
	"TSS-LOCK-DIALOG-LOOP":    "dialog loop",
	"TSS-LOCK-HISTORY-FLOOD":  "history flood",
	"TSS-LOCK-PRINT-FLOOD":    "print flood",
	"TSS-LOCK-POPUP-FLOOD":    "pop-up flood",
	"TSS-LOCK-DOWNLOAD-FLOOD": "download flood",
	"TSS-LOCK-WORKER-FLOOD":   "worker flood",
}

// addFlood adds a flood the script's code shows (a call in a loop, an
// interval, a self-rescheduling function or a leave handler) and, when no
// gesture handler holds it, remembers it as started on its own for the
// locker detectors: an emulator run may not go round the loop, or fire
// the leave handler, often enough to show the flood.
func (a *analysis) addFlood(id string, ctx js.Context, ev Evidence) {
	a.add(id, ev, 1)
	if !gesture(ctx) {
		if a.ownFloods == nil {
			a.ownFloods = map[string]bool{}
		}
		a.ownFloods[floodKinds[id]] = true
	}
}

// repeated: code that runs again and again without the visitor doing
// anything: loops, intervals, self-rescheduling functions, unload handlers.
// A one-shot setTimeout is not repetition. A callback of an array's
// iteration method counts when no gesture runs it: a form's handler that
// shows each of its errors with alert() is no dialog loop.
func repeated(c js.Context) bool {
	return c&(js.InLoop|js.InInterval|js.InRecursion|js.InUnloadHandler|js.InLeaveHandler) != 0 ||
		c&js.InIteration != 0 && !gesture(c)
}

// pageWide says whether a listener target is the whole page (as written,
// or through jQuery): its handlers see a click or a key anywhere.
func pageWide(target string) bool {
	return pageWideTargets[strings.ToLower(target)] || pageWideTargets[target]
}

// pageWideTargets are listener targets that make "click anywhere" triggers.
var pageWideTargets = map[string]bool{"": true, "window": true, "document": true, "document.body": true, "body": true, "document.documentElement": true, "self": true, "top": true, "$(document)": true, "$(window)": true, "$('body')": true, "$(\"body\")": true, "html": true}

func (a *analysis) scriptEvidence(u *scriptUnit, offset int, what string) Evidence {
	src := u.Source
	snip := what
	if offset >= 0 && offset < len(u.Code) {
		snip = snippet(u.Code, offset, min(offset+len(what)+40, len(u.Code)), 30, 200)
	}
	return Evidence{Source: src, Location: u.Name, Offset: offset, Snippet: snip}
}

func (a *analysis) detectBehaviour() {
	a.detectStaticCalls()
	a.detectHTML()
	a.detectCursor()
	a.detectEvents()
}

// detectStaticCalls reads the facts of every script.
func (a *analysis) detectStaticCalls() {
	pageWideClick := a.hasPageWideGestureListener()
	for _, u := range a.scripts {
		f := u.Facts
		var clicks []js.Call
		hrefCall := false
		callLiteral := ""
		for _, l := range f.Literals {
			if callScheme(l.Value) != "" || (strings.Contains(l.Value, "href") && selectsCallLinks(l.Value)) {
				callLiteral = l.Value
				break
			}
		}
		nav := func(ctx js.Context, how, target string, offset int) {
			ev := a.scriptEvidence(u, offset, how+" "+target)
			a.callTargets = append(a.callTargets, callTarget{target, ev})
			switch {
			case !gesture(ctx):
				a.add("TSS-CALL-AUTODIAL", ev, 1)
			case pageWideClick:
				a.add("TSS-CALL-ON-PAGE-CLICK", ev, 0.75)
			}
		}
		navTargets := 0
		for _, c := range f.Calls {
			m := strings.ToLower(c.Method)
			callee := strings.ToLower(c.Callee)
			arg0, arg1 := argAt(c.Args, 0), argAt(c.Args, 1)
			switch {
			case locationCall(m, callee):
				if callScheme(arg0) != "" {
					nav(c.Ctx, "location."+m, arg0, c.Offset)
				} else if !gesture(c.Ctx) {
					navTargets++
					a.addURLText(arg0, u.Name)
				}
			case windowOpen(m, callee):
				if callScheme(arg0) != "" {
					nav(c.Ctx, "window.open", arg0, c.Offset)
				} else if repeated(c.Ctx) {
					a.addFlood("TSS-LOCK-POPUP-FLOOD", c.Ctx, a.scriptEvidence(u, c.Offset, "window.open"))
				}
			case m == "setattribute" && (strings.EqualFold(arg0, "src") || strings.EqualFold(arg0, "data")) && callScheme(arg1) != "":
				nav(c.Ctx, "set src", arg1, c.Offset)
			case m == "setattribute" && strings.EqualFold(arg0, "href") && callScheme(arg1) != "":
				hrefCall = true
				a.callTargets = append(a.callTargets, callTarget{arg1, a.scriptEvidence(u, c.Offset, "setAttribute('href', "+arg1+")")})
			case m == "setattribute" && strings.EqualFold(arg0, "download") && repeated(c.Ctx):
				a.addFlood("TSS-LOCK-DOWNLOAD-FLOOD", c.Ctx, a.scriptEvidence(u, c.Offset, "download"))
			case (m == "click" && len(c.Args) == 0) || m == "dispatchevent" || (m == "trigger" && strings.EqualFold(arg0, "click")) || m == "submit" || m == "requestsubmit":
				if !gesture(c.Ctx) {
					clicks = append(clicks, c)
				}
			case m == "alert" || m == "confirm" || m == "prompt":
				if isWindowFunc(callee, m) {
					if arg0 != "" {
						a.dialogText = append(a.dialogText, segment{Name: u.Name, Source: u.Source, Text: arg0})
					}
					// A dialog in a mouse-move handler (mouseout, when the
					// pointer heads for the close button) comes back each
					// time the pointer moves: a loop the visitor runs.
					if repeated(c.Ctx) || c.Ctx&js.InMoveHandler != 0 && !gesture(c.Ctx) {
						a.addFlood("TSS-LOCK-DIALOG-LOOP", c.Ctx, a.scriptEvidence(u, c.Offset, c.Callee))
					}
				}
			case m == "pushstate" || m == "replacestate":
				if repeated(c.Ctx) {
					a.addFlood("TSS-LOCK-HISTORY-FLOOD", c.Ctx, a.scriptEvidence(u, c.Offset, c.Callee))
				}
			case m == "print" && isWindowFunc(callee, m) && repeated(c.Ctx):
				a.addFlood("TSS-LOCK-PRINT-FLOOD", c.Ctx, a.scriptEvidence(u, c.Offset, c.Callee))
			case m == "speak" && strings.HasSuffix(callee, "speechsynthesis.speak"):
				if !gesture(c.Ctx) {
					a.add("TSS-MEDIA-SPEECH", a.scriptEvidence(u, c.Offset, c.Callee), 1)
				}
			case m == "speechsynthesisutterance" && arg0 != "":
				a.speechText = append(a.speechText, segment{Name: u.Name, Source: u.Source, Text: arg0})
			case m == "play" && !gesture(c.Ctx) && (strings.Contains(callee, "audio") || strings.Contains(u.Code, "new Audio") || strings.Contains(strings.ToLower(u.Code), "createelement('audio')") || strings.Contains(strings.ToLower(u.Code), "createelement(\"audio\")") || a.audioOnly(u.Doc)):
				a.add("TSS-MEDIA-AUTOPLAY", a.scriptEvidence(u, c.Offset, c.Callee), 1)
			}
			if isFullscreenName(m) {
				a.add("TSS-LOCK-FULLSCREEN", a.scriptEvidence(u, c.Offset, c.Callee), 1)
				if c.Ctx&js.InFullscreenChange != 0 {
					// Taken again when the visitor leaves it (Escape):
					// what a keyboard lock does.
					a.add("TSS-LOCK-KEYBOARD", a.scriptEvidence(u, c.Offset, c.Callee+" again when full screen is left"), 1)
				}
			}
			if strings.HasSuffix(callee, "keyboard.lock") {
				a.add("TSS-LOCK-KEYBOARD", a.scriptEvidence(u, c.Offset, c.Callee), 1)
			}
			if strings.Contains(m, "requestpointerlock") {
				a.add("TSS-LOCK-POINTER", a.scriptEvidence(u, c.Offset, c.Callee), 1)
			}
		}
		for _, m := range f.Members {
			p := strings.ToLower(m.Path)
			last := p[strings.LastIndexByte(p, '.')+1:]
			switch {
			case isFullscreenName(last):
				a.add("TSS-LOCK-FULLSCREEN", a.scriptEvidence(u, m.Offset, m.Path), 1)
			case strings.HasSuffix(p, "keyboard.lock"):
				a.add("TSS-LOCK-KEYBOARD", a.scriptEvidence(u, m.Offset, m.Path), 1)
			case strings.Contains(last, "requestpointerlock"):
				a.add("TSS-LOCK-POINTER", a.scriptEvidence(u, m.Offset, m.Path), 1)
			}
		}
		for _, s := range f.Assigns {
			t := strings.ToLower(s.Target)
			last := t[strings.LastIndexByte(t, '.')+1:]
			isLoc := locationTarget(t)
			switch {
			case callScheme(s.Value) != "" && isLoc:
				nav(s.Ctx, s.Target+" =", s.Value, s.Offset)
			case callScheme(s.Value) != "" && (last == "src" || last == "data"):
				nav(s.Ctx, s.Target+" =", s.Value, s.Offset)
			case callScheme(s.Value) != "" && (last == "href" || last == "action"):
				hrefCall = true
				a.callTargets = append(a.callTargets, callTarget{s.Value, a.scriptEvidence(u, s.Offset, s.Target+" = "+s.Value)})
			case isLoc && !gesture(s.Ctx):
				navTargets++
				a.addURLText(s.Value, u.Name)
			case last == "onbeforeunload" && unloadTrap(f):
				a.add("TSS-LOCK-BEFOREUNLOAD", a.scriptEvidence(u, s.Offset, s.Target), 1)
			case last == "download" && repeated(s.Ctx):
				a.addFlood("TSS-LOCK-DOWNLOAD-FLOOD", s.Ctx, a.scriptEvidence(u, s.Offset, s.Target))
			case last == "cursor" && strings.EqualFold(strings.TrimSpace(s.Value), "none") && (strings.Contains(t, "body") || strings.Contains(t, "documentelement")):
				a.add("TSS-LOCK-CURSOR-HIDDEN", a.scriptEvidence(u, s.Offset, s.Target), 1)
			case last == "oncontextmenu" && !gesture(s.Ctx):
				a.add("TSS-LOCK-INPUT-BLOCK", a.scriptEvidence(u, s.Offset, s.Target), 0.7)
			case last == "text" && len(s.Value) > 10 && strings.Contains(u.Code, "SpeechSynthesisUtterance"):
				a.speechText = append(a.speechText, segment{Name: u.Name, Source: u.Source, Text: s.Value})
			}
		}
		for _, l := range f.Listeners {
			if strings.EqualFold(l.Event, "beforeunload") && unloadTrap(f) {
				a.add("TSS-LOCK-BEFOREUNLOAD", a.scriptEvidence(u, l.Offset, "addEventListener('beforeunload')"), 1)
			}
			// A page-wide context-menu handler that cancels the menu
			// (addEventListener, jQuery's on/bind).
			if strings.EqualFold(l.Event, "contextmenu") && !gesture(l.Ctx) && pageWide(l.Target) && cancels(f) {
				a.add("TSS-LOCK-INPUT-BLOCK", a.scriptEvidence(u, l.Offset, l.Target+" contextmenu"), 0.7)
			}
		}
		if u.Handler == "onbeforeunload" && (strings.Contains(u.Code, "return") || strings.Contains(u.Code, "returnValue") || strings.Contains(u.Code, "preventDefault")) {
			a.add("TSS-LOCK-BEFOREUNLOAD", Evidence{Source: "html", Location: u.Name, Offset: -1, Snippet: "onbeforeunload=\"" + clip(u.Code, 80) + "\""}, 1)
		}
		if u.Handler == "oncontextmenu" && (strings.Contains(u.Code, "return false") || strings.Contains(u.Code, "preventDefault")) {
			a.add("TSS-LOCK-INPUT-BLOCK", Evidence{Source: "html", Location: u.Name, Offset: -1, Snippet: "oncontextmenu=\"" + clip(u.Code, 80) + "\""}, 1)
		}
		if loc := escapeKeyCheck(u.Code); loc >= 0 {
			a.add("TSS-LOCK-INPUT-BLOCK", a.scriptEvidence(u, loc, u.Code[loc:min(loc+40, len(u.Code))]), 1)
		}
		// A script click is an auto-dial when the same script or document
		// clearly aims it at a call link.
		if len(clicks) > 0 && (hrefCall || callLiteral != "" || a.clickTargetsCallLink(u, clicks)) {
			c := clicks[0]
			a.add("TSS-CALL-AUTODIAL", a.scriptEvidence(u, c.Offset, c.Callee+"()"), 1)
		}
		if navTargets >= 2 && readsUserAgent(u.Code) {
			a.add("TSS-CLOAK-UA-REDIRECT", Evidence{Source: u.Source, Location: u.Name, Offset: -1, Snippet: fmt.Sprintf("%d redirects chosen by navigator.userAgent/platform", navTargets)}, 1)
		}
	}
}

// escapeKeyCheck finds a key handler testing for the keys people use to
// get out — F12 (123), F11 (122) — as in keyCode == 123 or key === "F12",
// and returns its offset or -1. Hand-written: a regular expression over
// megabytes of minified code costs tens of milliseconds.
func escapeKeyCheck(code string) int {
	for _, name := range []string{"keyCode", "which", "key"} {
		for i := 0; ; {
			j := strings.Index(code[i:], name)
			if j < 0 {
				break
			}
			at := i + j
			k := at + len(name)
			i = k
			if at > 0 && isIdentByte(code[at-1]) || k < len(code) && isIdentByte(code[k]) {
				continue
			}
			k = skipSpaces(code, k)
			eq := 0
			for k < len(code) && code[k] == '=' && eq < 3 {
				k++
				eq++
			}
			if eq < 2 {
				continue
			}
			k = skipSpaces(code, k)
			rest := code[k:min(k+6, len(code))]
			switch {
			case strings.HasPrefix(rest, "123") || strings.HasPrefix(rest, "122"):
				if len(rest) == 3 || !isIdentByte(rest[3]) {
					return at
				}
			case strings.HasPrefix(rest, `"F12"`) || strings.HasPrefix(rest, `'F12'`) || strings.HasPrefix(rest, `"F11"`) || strings.HasPrefix(rest, `'F11'`):
				return at
			}
		}
	}
	return -1
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func skipSpaces(s string, k int) int {
	for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
		k++
	}
	return k
}

// selectsCallLinks: a selector string aimed at call links (a[href^="tel:"]).
func selectsCallLinks(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, `href^="tel`) || strings.Contains(l, `href^='tel`) || strings.Contains(l, "href*=tel") || strings.Contains(l, "href^=tel")
}

func readsUserAgent(code string) bool {
	return strings.Contains(code, "userAgent") || strings.Contains(code, "appVersion") ||
		strings.Contains(code, "navigator.vendor") || strings.Contains(code, "navigator.platform")
}

// unloadTrap: the script's unload handlers ask the browser to keep the page
// (return a message, set returnValue, call preventDefault); a beforeunload
// listener that only sends analytics does not.
func unloadTrap(f *js.Facts) bool {
	for _, r := range f.Returns {
		if r.Ctx&js.InUnloadHandler != 0 {
			switch r.Value {
			case "", "undefined", "null", "false":
			default:
				return true
			}
		}
	}
	for _, s := range f.Assigns {
		if s.Ctx&js.InUnloadHandler != 0 && strings.HasSuffix(s.Target, "returnValue") {
			return true
		}
	}
	for _, c := range f.Calls {
		if c.Ctx&js.InUnloadHandler != 0 && c.Method == "preventDefault" {
			return true
		}
	}
	return false
}

// callTarget is a call-scheme URL a script navigates to or puts in a link.
type callTarget struct {
	url string
	ev  Evidence
}

func argAt(args []string, i int) string {
	if i < len(args) {
		return strings.TrimSpace(args[i])
	}
	return ""
}

// isWindowFunc: alert(), window.alert(), self.alert(), top.alert() — not
// someObject.alert() of a UI library.
func isWindowFunc(callee, m string) bool {
	switch callee {
	case m, "window." + m, "self." + m, "top." + m, "parent." + m, "globalthis." + m:
		return true
	}
	return false
}

func isFullscreenName(name string) bool {
	return strings.Contains(name, "requestfullscreen") || strings.Contains(name, "enterfullscreen")
}

// hasPageWideGestureListener: a click/touch/keydown handler on the whole
// page, the trigger of "click anywhere, then lock" pages.
func (a *analysis) hasPageWideGestureListener() bool {
	for _, u := range a.scripts {
		for _, l := range u.Facts.Listeners {
			switch strings.ToLower(l.Event) {
			case "click", "mousedown", "mouseup", "pointerdown", "pointerup", "touchstart", "touchend", "keydown", "keyup", "keypress":
				if pageWide(l.Target) {
					return true
				}
			}
		}
		if u.Handler == "onclick" && strings.Contains(u.Name, "<body") {
			return true
		}
	}
	return false
}

// clickTargetsCallLink: the script's literals name the id of a call link of
// its document (document.getElementById('call').click()).
func (a *analysis) clickTargetsCallLink(u *scriptUnit, _ []js.Call) bool {
	ids := map[string]bool{}
	for _, d := range a.docs {
		for _, an := range d.Anchors {
			if an.ID != "" && callScheme(an.Href) != "" {
				ids[an.ID] = true
				ids["#"+an.ID] = true
			}
		}
	}
	if len(ids) == 0 {
		return false
	}
	for _, l := range u.Facts.Literals {
		if ids[strings.TrimSpace(l.Value)] {
			return true
		}
	}
	return false
}

// detectHTML reads what documents declare: meta refresh and frames to call
// schemes, call links, autoplaying media.
func (a *analysis) detectHTML() {
	for _, d := range a.docs {
		src := docSource(d)
		for _, m := range d.Refresh {
			target := refreshURL(m.Value)
			if callScheme(target) != "" {
				a.add("TSS-CALL-AUTODIAL", Evidence{Source: src, Location: d.Name, Offset: m.Offset, Snippet: `<meta http-equiv="refresh" content="` + m.Value + `">`}, 1)
			} else if target != "" {
				a.addURLText(target, d.Name)
			}
		}
		for _, f := range d.Frames {
			a.add("TSS-CALL-AUTODIAL", Evidence{Source: src, Location: d.Name, Offset: f.Offset, Snippet: "<" + f.Tag + ` src="` + f.Value + `">`}, 1)
		}
		if len(d.Forms) > 0 && a.scriptSubmits() {
			f := d.Forms[0]
			a.add("TSS-CALL-AUTODIAL", Evidence{Source: src, Location: d.Name, Offset: f.Offset, Snippet: `<form action="` + f.Action + `"> submitted by script`}, 1)
		}
		for _, an := range d.Anchors {
			if callScheme(an.Href) != "" {
				a.add("TSS-CALL-LINK", Evidence{Source: src, Location: d.Name, Offset: an.Offset, Snippet: `<a href="` + an.Href + `">`}, 1)
			}
		}
		for _, m := range d.Media {
			audible := m.Tag == "audio" || m.Tag == "bgsound" || (m.Tag == "video" && !m.Muted)
			if m.Autoplay && audible {
				a.add("TSS-MEDIA-AUTOPLAY", Evidence{Source: src, Location: d.Name, Offset: m.Offset, Snippet: "<" + m.Tag + " autoplay>"}, 1)
			}
		}
	}
}

func (a *analysis) scriptSubmits() bool {
	for _, u := range a.scripts {
		for _, c := range u.Facts.Calls {
			m := strings.ToLower(c.Method)
			if (m == "submit" || m == "requestsubmit") && !gesture(c.Ctx) {
				return true
			}
		}
	}
	return false
}

// refreshURL extracts the URL of a meta refresh content value ("0;url=...").
func refreshURL(content string) string {
	i := strings.IndexByte(content, ';')
	if i < 0 {
		i = strings.IndexByte(content, ',')
	}
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(content[i+1:])
	if len(rest) >= 4 && strings.EqualFold(rest[:3], "url") {
		rest = strings.TrimSpace(rest[3:])
		rest = strings.TrimPrefix(rest, "=")
	}
	return strings.Trim(strings.TrimSpace(rest), `'"`)
}

// cursorNone finds "cursor: none" declarations (any case, any spacing) and
// returns their [start, end) positions.
func cursorNone(css string, max int) [][2]int {
	var out [][2]int
	for _, d := range csstext.Declarations(css, "cursor", 4*max) {
		if len(out) < max && len(d.Value) >= 4 && strings.EqualFold(d.Value[:4], "none") {
			out = append(out, [2]int{d.Start, d.ValueStart + 4})
		}
	}
	return out
}

// cancels says whether a script cancels an event somewhere: a handler
// that returns false or calls preventDefault.
func cancels(f *js.Facts) bool {
	for _, r := range f.Returns {
		if r.Value == "false" {
			return true
		}
	}
	for _, c := range f.Calls {
		if c.Method == "preventDefault" {
			return true
		}
	}
	return false
}

var pageSelector = regexp.MustCompile(`(?i)(?:^|[\s,>}])(?:html|body|\*)(?:$|[\s,{:.#\[>])`)

// detectCursor finds the mouse cursor hidden over the whole page.
func (a *analysis) detectCursor() {
	others := 0
	var first Evidence
	for _, d := range a.docs {
		for _, st := range d.Styles {
			for _, loc := range cursorNone(st.Value, 16) {
				ev := Evidence{Source: "style", Location: d.Name, Offset: st.Offset, Snippet: snippet(st.Value, loc[0], loc[1], 40, 120)}
				if st.Tag == "style" || strings.Contains(st.Tag, "/") || strings.Contains(st.Tag, ".css") {
					// A style sheet: look at the selector of the rule.
					open := strings.LastIndexByte(st.Value[:loc[0]], '{')
					if open < 0 {
						continue
					}
					sel := st.Value[:open]
					if c := strings.LastIndexByte(sel, '}'); c >= 0 {
						sel = sel[c+1:]
					}
					if pageSelector.MatchString(" " + sel) {
						ev.Snippet = strings.TrimSpace(sel) + " { … cursor: none }"
						a.add("TSS-LOCK-CURSOR-HIDDEN", ev, 1)
					}
					continue
				}
				if strings.HasPrefix(st.Tag, "body") || strings.HasPrefix(st.Tag, "html") {
					ev.Snippet = "<" + st.Tag + ` style="` + clip(st.Value, 80) + `">`
					a.add("TSS-LOCK-CURSOR-HIDDEN", ev, 1)
					continue
				}
				if others == 0 {
					first = ev
				}
				others++
			}
		}
	}
	if others >= 3 {
		first.Snippet = fmt.Sprintf("cursor: none on %d elements, e.g. %s", others, first.Snippet)
		a.add("TSS-LOCK-CURSOR-HIDDEN", first, 1)
	}
}

// detectEvents reads behaviours seen in emulation or in the browser.
// Floods are judged on the total of a kind (downloads of different files,
// pop-ups of different URLs are one flood).
func (a *analysis) detectEvents() {
	if a.deviceCloak != "" {
		a.add("TSS-CLOAK-UA-REDIRECT", Evidence{Source: "emulation", Offset: -1, Snippet: a.deviceCloak}, 1)
	}
	total := map[string]int{}
	for _, o := range a.events {
		total[o.Source+"/"+string(o.Kind)] += max(o.Count, 1)
	}
	for _, o := range a.events {
		o.Count = total[o.Source+"/"+string(o.Kind)]
		ev := Evidence{Source: o.Source, Location: o.Frame, Offset: -1, Snippet: describeEvent(o.Event)}
		switch o.Kind {
		case capture.EventCallNavigation:
			if !o.AfterGesture {
				a.add("TSS-CALL-AUTODIAL", ev, 1)
			} else {
				a.add("TSS-CALL-ON-PAGE-CLICK", ev, 1)
			}
		case capture.EventNavigation:
			a.addURLText(o.Detail, "navigation")
		case capture.EventDialog:
			if o.Detail != "" {
				a.dialogText = append(a.dialogText, segment{Name: "dialog", Source: o.Source, Text: o.Detail})
			}
			if o.Count >= dialogFlood {
				a.add("TSS-LOCK-DIALOG-LOOP", ev, 1)
			}
		case capture.EventBeforeUnload:
			a.add("TSS-LOCK-BEFOREUNLOAD", ev, 1)
		case capture.EventHistory:
			if o.Count >= historyFlood {
				a.add("TSS-LOCK-HISTORY-FLOOD", ev, 1)
			}
		case capture.EventFullscreen, capture.EventKeyboardLock, capture.EventPointerLock:
			// Gesture-gating (lockers.go): a game's Play button may take
			// the screen, keyboard and pointer; only a page doing it on
			// its own gives locker evidence.
			if !o.Gestured() {
				a.add(takeoverRules[o.Kind], ev, 1)
			}
		case capture.EventPrint:
			if o.Count >= printFlood {
				a.add("TSS-LOCK-PRINT-FLOOD", ev, 1)
			}
		case capture.EventPopup:
			if o.Count >= popupFlood {
				a.add("TSS-LOCK-POPUP-FLOOD", ev, 1)
			}
		case capture.EventDownload:
			if o.Count >= downloadFlood {
				a.add("TSS-LOCK-DOWNLOAD-FLOOD", ev, 1)
			}
		case capture.EventWorker:
			if o.Count >= workerFlood {
				a.add("TSS-LOCK-WORKER-FLOOD", ev, 1)
			}
		case capture.EventAudio:
			if !o.AfterGesture {
				a.add("TSS-MEDIA-AUTOPLAY", ev, 1)
			}
		case capture.EventSpeech:
			if o.Detail != "" {
				a.speechText = append(a.speechText, segment{Name: "speech", Source: o.Source, Text: o.Detail})
			}
			if !o.AfterGesture {
				a.add("TSS-MEDIA-SPEECH", ev, 1)
			} else {
				a.add("TSS-MEDIA-SPEECH", ev, 0.6)
			}
		}
	}
}

func describeEvent(e capture.Event) string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	if e.Reason != "" {
		b.WriteString(" via " + e.Reason)
	}
	if e.Detail != "" {
		b.WriteString(": " + clip(e.Detail, 160))
	}
	if e.Count > 1 {
		fmt.Fprintf(&b, " (×%d)", e.Count)
	}
	if e.AfterGesture {
		b.WriteString(" after a click")
	}
	return b.String()
}

// addURLText adds a navigation target to the url surface.
func (a *analysis) addURLText(u, where string) {
	u = strings.TrimSpace(u)
	if u == "" || len(a.urlText) > 64 {
		return
	}
	a.urlText = append(a.urlText, segment{Name: "navigation target in " + where, Source: "script", Text: u})
}

// audioOnly: the document has audio elements that are not muted and no
// video: what a script plays there is sound (voiceAlert.play()), not a
// muted hero video.
func (a *analysis) audioOnly(doc int) bool {
	if doc < 0 || doc >= len(a.docs) {
		return false
	}
	audio := false
	for _, m := range a.docs[doc].Media {
		switch {
		case m.Tag == "video":
			return false
		case m.Tag == "audio" && !m.Muted:
			audio = true
		}
	}
	return audio
}
