package analyze

import (
	"fmt"
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

// ungesturedRule is the behaviour rule this file implements.
const ungesturedRule = "TSS-LOCK-UNGESTURED"

func init() { behaviourRules[ungesturedRule] = true }

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
	case capture.EventBeforeUnload:
		return lockerKind{"leave prompt", false}, true
	case capture.EventAudio:
		return lockerKind{"audio", false}, true
	}
	return lockerKind{}, false
}

// detectUngesturedLockers adds TSS-LOCK-UNGESTURED when the page, on its
// own, did at least three locker behaviours, two of them taking over the
// browser, and offers a call or conversion path.
func (a *analysis) detectUngesturedLockers() {
	total := map[string]int{}
	for _, o := range a.events {
		if !o.Gestured() {
			total[o.Source+"/"+string(o.Kind)] += max(o.Count, 1)
		}
	}
	kinds := map[string]bool{}
	hard, runtime := 0, false
	for _, o := range a.events {
		if o.Gestured() {
			continue
		}
		k, ok := ungesturedLocker(o.Event, total[o.Source+"/"+string(o.Kind)])
		if !ok || kinds[k.name] {
			continue
		}
		kinds[k.name] = true
		if k.hard {
			hard++
		}
		runtime = runtime || o.Source == "runtime"
	}
	if hard < 2 || len(kinds) < 3 {
		return
	}
	path := a.conversionPath()
	if path == "" {
		return
	}
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	src := "emulation"
	if runtime {
		src = "runtime"
	}
	a.add(ungesturedRule, Evidence{Source: src, Offset: -1, Snippet: fmt.Sprintf("without a user gesture: %s; and %s", strings.Join(names, ", "), path)}, 1)
}

// chatWidgets are parts of the addresses of live-chat widgets' scripts and
// frames: a scam's other way to reach its victim.
var chatWidgets = []string{"chat", "tawk.to", "zopim", "crisp.", "intercom", "jivosite", "tidio", "smartsupp", "olark", "purechat"}

// conversionPath describes how the page would turn a locked visitor into a
// call or a payment — a phone number or call link, a chat widget, a
// download or renew button — or returns "".
func (a *analysis) conversionPath() string {
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
