package analyze

import (
	"slices"
	"sort"
	"strings"

	"github.com/tssguard/tssguard/capture"
)

// Lockers without words. A kit can drop every word a text rule could read
// (an image, a canvas, nothing at all) and still lock the browser and
// show a way to pay: a number to call, a chat window, a download or
// renew button. Several locker behaviours the page starts on its own,
// without a user gesture, together with such a path are a scam whatever the
// page says. A game or a player that goes full screen or locks the pointer
// when the visitor clicks Play acts with user activation and gives no
// locker evidence at all (see detectEvents).

// The behaviour rules this file implements: lockers with a way to call or
// pay, and lockers alone.
const (
	ungesturedRule = "TSS-LOCK-UNGESTURED"
	hostageRule    = "TSS-LOCK-HOSTAGE"
	dialogCallRule = "TSS-LOCK-DIALOG-CALL"
)

func init() {
	behaviourRules[ungesturedRule] = true
	behaviourRules[hostageRule] = true
	behaviourRules[dialogCallRule] = true
}

// takeoverRules are the rules of the events that are gesture-gated in
// detectEvents.
var takeoverRules = map[capture.EventKind]string{
	capture.EventFullscreen:   "TSS-LOCK-FULLSCREEN",
	capture.EventKeyboardLock: "TSS-LOCK-KEYBOARD",
	capture.EventPointerLock:  "TSS-LOCK-POINTER",
}

// lockerKind names a behaviour that keeps the visitor on the page; hard
// kinds take over the browser, soft ones (a leave prompt, looping audio)
// only count beside them.
type lockerKind struct {
	name string
	hard bool
}

// ungesturedLocker says which locker behaviour an event, with the total
// count of its kind, is; ok is false for other events and floods too small
// to count.
func ungesturedLocker(e capture.Event, total int) (lockerKind, bool) {
	switch e.Kind {
	case capture.EventFullscreen:
		return lockerKind{"full screen", true}, true
	case capture.EventKeyboardLock:
		return lockerKind{"keyboard lock", true}, true
	case capture.EventPointerLock:
		return lockerKind{"pointer lock", true}, true
	case capture.EventDialog:
		return lockerKind{"dialog loop", true}, total >= dialogFlood
	case capture.EventHistory:
		return lockerKind{"history flood", true}, total >= historyFlood
	case capture.EventPrint:
		return lockerKind{"print flood", true}, total >= printFlood
	case capture.EventPopup:
		return lockerKind{"pop-up flood", true}, total >= popupFlood
	case capture.EventDownload:
		return lockerKind{"download flood", true}, total >= downloadFlood
	case capture.EventWorker:
		return lockerKind{"worker flood", true}, total >= workerFlood
	case capture.EventBeforeUnload:
		return lockerKind{"leave prompt", false}, true
	case capture.EventAudio:
		return lockerKind{"audio", false}, true
	}
	return lockerKind{}, false
}

// detectUngesturedLockers adds TSS-LOCK-UNGESTURED when the page did at
// least three locker behaviours, two of them taking over the browser, at
// least one of them on its own (a takeover or a leave prompt), and offers a
// call or conversion path. One takeover is enough when blocked input or a
// hidden cursor bring the behaviours to four; none, when a leave prompt,
// audio, blocked input and a hidden cursor are all there with a number to
// call.
//
// A takeover that the emulator saw answer its click on the page's body
// counts too: that click reaches only handlers on the body, the document
// or the window — "click anywhere and the browser locks", the kits' way to
// get the user activation full screen needs. A game's Play button or
// canvas never sees it, so a game that locks after its own click gives no
// such evidence.
func (a *analysis) detectUngesturedLockers() {
	total := map[string]int{}
	for _, o := range a.events {
		if !o.Gestured() || anywhereClick(o) {
			total[o.Source+"/"+string(o.Kind)] += max(o.Count, 1)
		}
	}
	own, anywhere := map[string]bool{}, map[string]bool{}
	hard, ownHard, runtime, started := 0, 0, false, false
	// Behaviours the page started on its own first, then the takeovers
	// only the click anywhere brought.
	for _, pass := range []bool{true, false} {
		for _, o := range a.events {
			if onItsOwn := !o.Gestured(); onItsOwn != pass || (!pass && !anywhereClick(o)) {
				continue
			}
			k, ok := ungesturedLocker(o.Event, total[o.Source+"/"+string(o.Kind)])
			if !ok || own[k.name] || anywhere[k.name] {
				continue
			}
			if pass {
				own[k.name] = true
				if k.hard {
					ownHard++
				}
				started = started || k.hard || o.Kind == capture.EventBeforeUnload
			} else {
				anywhere[k.name] = true
			}
			if k.hard {
				hard++
			}
			runtime = runtime || o.Source == "runtime"
		}
	}
	for k := range a.ownFloods {
		if !own[k] && !anywhere[k] {
			own[k] = true
			hard++
			ownHard++
			started = true
		}
	}
	if !own["window filled"] && a.fillsScreen() {
		own["window filled"] = true
		hard++
		ownHard++
		started = true
	}
	// Audio the markup or a script starts outside a gesture handler
	// (TSS-MEDIA-AUTOPLAY) plays on its own even when no emulated or
	// runtime event showed it.
	if !own["audio"] && !anywhere["audio"] && a.detected("TSS-MEDIA-AUTOPLAY") {
		own["audio"] = true
	}
	kinds := len(own) + len(anywhere)
	if own["dialog loop"] {
		// The loop itself asks for the call: no page loops dialogs with
		// a phone number in them but to be called.
		if n := a.dialogCall(); n != "" {
			a.add(dialogCallRule, Evidence{Source: "script", Offset: -1, Snippet: "a dialog loop started without a user gesture gives the number " + n}, 1)
		}
	}
	if !started {
		return
	}
	// What holds the visitor without taking over the browser: blocked
	// keys or context menu, a hidden cursor. They count beside a takeover,
	// never for one.
	var held []string
	for _, h := range []struct{ rule, name string }{{"TSS-LOCK-INPUT-BLOCK", "input blocked"}, {"TSS-LOCK-CURSOR-HIDDEN", "cursor hidden"}} {
		if a.detected(h.rule) {
			held = append(held, h.name)
		}
	}
	what := "without a user gesture: " + joinSorted(own)
	if len(anywhere) > 0 {
		what += "; on a click anywhere on the page: " + joinSorted(anywhere)
	}
	src := "emulation"
	if runtime {
		src = "runtime"
	}
	path := a.conversionPath()
	switch {
	case hard == 0:
		// Every way to hold the visitor short of a takeover — a leave
		// prompt it set on its own, audio, blocked input and a hidden
		// cursor — beside a number to call is the locked-browser page
		// without its locker script.
		if phone := a.phonePath(); phone != "" && own["leave prompt"] && kinds+len(held) >= 4 {
			what += "; and it " + strings.Join(held, ", ")
			a.add(ungesturedRule, Evidence{Source: src, Offset: -1, Snippet: what + "; and " + phone}, 1)
		}
	case path != "" && (hard >= 2 && kinds >= 3 || kinds+len(held) >= 4):
		if hard < 2 || kinds < 3 {
			what += "; and it " + strings.Join(held, ", ")
		}
		a.add(ungesturedRule, Evidence{Source: src, Offset: -1, Snippet: what + "; and " + path}, 1)
	case path == "" && ownHard >= 1 && (hard >= 2 && kinds >= 4 || hard >= 3):
		// No way to call is left in what the page's code and markup show
		// — the number may be in an image. A takeover begun on its own
		// among four locker behaviours, or among three takeovers, still
		// holds the browser hostage.
		a.add(hostageRule, Evidence{Source: src, Offset: -1, Snippet: what}, 1)
	}
}

// fillsScreen says whether a script stretches its window over the whole
// screen (moveTo and resizeTo) outside a gesture handler: the locker's way
// to take the screen where the fullscreen API is refused, as in the
// pop-up windows kits open.
func (a *analysis) fillsScreen() bool {
	moved, resized := false, false
	for _, u := range a.scripts {
		for _, c := range u.Facts.Calls {
			if gesture(c.Ctx) || !windowCallee(c.Callee, c.Method) {
				continue
			}
			switch c.Method {
			case "moveTo":
				moved = true
			case "resizeTo":
				resized = true
			}
		}
	}
	return moved && resized
}

// windowCallee says whether a call is the window's own method.
func windowCallee(callee, method string) bool {
	switch callee {
	case method, "window." + method, "self." + method, "top." + method:
		return true
	}
	return false
}

// anywhereClick says whether an event answered the emulator's click on the
// page's body (see detectUngesturedLockers).
func anywhereClick(o observed) bool {
	return o.Source == "emulation" && o.AfterGesture && !o.UserActivation
}

func joinSorted(set map[string]bool) string {
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// chatWidgets are parts of the addresses of live-chat widgets' scripts and
// frames: a scam's other way to reach its victim.
var chatWidgets = []string{"chat", "tawk.to", "zopim", "crisp.", "intercom", "jivosite", "tidio", "smartsupp", "olark", "purechat"}

// conversionPath describes how the page would turn a locked visitor into a
// call or a payment — a phone number or call link, a chat widget, a
// download or renew button — or returns "".
func (a *analysis) conversionPath() string {
	if p := a.phonePath(); p != "" {
		return p
	}
	// What the conversion detectors found (conversion.go).
	for _, c := range []struct{ id, what string }{
		{"TSS-CONVERT-CHAT-WIDGET", "a chat widget"},
		{"TSS-CONVERT-RENEW", "a renew or pay button"},
		{"TSS-CONVERT-AFFILIATE", "an affiliate sales link"},
	} {
		if f := a.findings[c.id]; f != nil && len(f.Evidence) > 0 {
			return c.what + " (" + clip(f.Evidence[0].Snippet, 60) + ")"
		}
	}
	for _, d := range a.docs {
		for _, an := range d.Anchors {
			switch {
			case callScheme(an.Href) != "":
				return "a call link " + clip(an.Href, 60)
			case an.Download:
				return "a download link " + clip(an.Href, 60)
			}
		}
		for _, s := range d.Scripts {
			if w := chatWidget(s.Src); w != "" {
				return "a chat widget (" + w + ")"
			}
		}
		for _, label := range d.Buttons {
			l := strings.ToLower(label)
			if strings.Contains(l, "renew") || strings.Contains(l, "download") {
				return "a button " + clip(strings.TrimSpace(label), 40)
			}
		}
	}
	if a.cap.Runtime != nil {
		for _, q := range a.cap.Runtime.Requests {
			if w := chatWidget(q.URL); w != "" && (q.Type == "Script" || q.Type == "Document") {
				return "a chat widget (" + w + ")"
			}
		}
	}
	for _, o := range a.events {
		if o.Kind == capture.EventDownload {
			return "a download " + clip(o.Detail, 60)
		}
	}
	return ""
}

func chatWidget(u string) string {
	l := strings.ToLower(u)
	if !strings.Contains(l, "/") {
		return ""
	}
	for _, w := range chatWidgets {
		if strings.Contains(l, w) {
			return w
		}
	}
	return ""
}

// phonePath describes the way to call the page offers — a phone number, a
// call link, a number taken from the URL — or returns "".
func (a *analysis) phonePath() string {
	for _, h := range a.report.Hotlines {
		return "a phone number " + h.E164
	}
	for _, o := range a.events {
		if o.Kind == capture.EventCallNavigation {
			return "a call link " + clip(o.Detail, 60)
		}
	}
	if len(a.callTargets) > 0 {
		return "a call link " + clip(a.callTargets[0].url, 60)
	}
	if t := a.report.Template; t != nil && len(t.Params) > 0 {
		return "a phone number taken from the URL (?" + t.Params[0] + "=)"
	}
	return ""
}

// dialogCall returns a hotline found in the page's dialogs (its Where
// names the dialog surface), or "".
func (a *analysis) dialogCall() string {
	for _, h := range a.report.Hotlines {
		if slices.Contains(h.Where, "dialog") {
			return h.E164
		}
	}
	return ""
}
