// Package capture holds what tssguard knows about one page load and builds it
// from bytes: a local file or directory, standard input, or an http(s) URL
// fetched under a safe network policy.
//
// A Capture is the single input type of analysis. Static captures carry the
// page's documents and the external scripts and style sheets they reference;
// captures made by the sandbox (headless Chromium) also carry Runtime: what the
// page did when it ran.
package capture

import "time"

// Capture is everything recorded about one page.
type Capture struct {
	// URL is what was asked for: an http(s) URL, or file:// for a local page.
	URL string `json:"url"`
	// FinalURL is where the redirect chain ended (equal to URL when there was none).
	FinalURL string `json:"final_url"`
	// Redirects lists every URL of the redirect chain, URL first, FinalURL last.
	Redirects []string `json:"redirects,omitempty"`
	// Documents holds the HTML of the page: the main document first, then frames.
	Documents []Document `json:"documents"`
	// Resources holds external scripts and style sheets the documents reference,
	// and for dynamic captures the scripts the page evaluated at run time.
	Resources []Resource `json:"resources,omitempty"`
	// Runtime is what the page did in the sandbox; nil for static captures.
	Runtime *Runtime `json:"runtime,omitempty"`
	// Notes are non-fatal problems met while capturing (a missing script,
	// a truncated body); they are reported, never silently dropped.
	Notes []string `json:"notes,omitempty"`
	// Served is the index of the first document a static capture of the
	// page added (AddServed), the page as served; 0 when there is none.
	Served int `json:"served,omitempty"`
	// Took is how long capturing took.
	Took time.Duration `json:"took_ns"`
	// Language is the language tag of the visitor the page was captured
	// as, when one was asked for (its Accept-Language): the analysis's
	// emulator then speaks it too. "" for the default visitor.
	Language string `json:"language,omitempty"`
}

// Document is one HTML document: the page itself or a frame.
type Document struct {
	// URL the document was loaded from.
	URL string `json:"url"`
	// Frame identifies the frame: "main" for the top document, else the
	// browser's frame ID or a path such as "main/iframe[2]".
	Frame string `json:"frame"`
	// Body is the raw HTML as served (static) or the serialized DOM (dynamic).
	Body []byte `json:"-"`
	// Truncated is set when Body was cut at the size cap.
	Truncated bool `json:"truncated,omitempty"`
	// Rendered is set when Body is the browser's final DOM rather than the served bytes.
	Rendered bool `json:"rendered,omitempty"`
	// Parsed is what Options.Parse learnt of Body besides its references,
	// for the caller's own use; nil without it.
	Parsed any `json:"-"`
}

// ResourceKind says what a Resource is.
type ResourceKind string

const (
	KindScript     ResourceKind = "script"     // <script src>
	KindStylesheet ResourceKind = "stylesheet" // <link rel=stylesheet>
	KindEvaluated  ResourceKind = "evaluated"  // code the page built and ran (eval, new Function)
	// KindLoadedScript is a script the page's own code loads by a
	// constant address: a <script src> it writes, a script element it
	// gives a src, jQuery's getScript (LoadedRefs).
	KindLoadedScript ResourceKind = "loaded-script"
)

// Resource is an external script or style sheet (or, from the sandbox, a
// script the page evaluated).
type Resource struct {
	Kind ResourceKind `json:"kind"`
	// URL is the resolved absolute URL (file:// for local files).
	URL string `json:"url"`
	// Ref is the reference as written in the document (the src/href value).
	Ref string `json:"ref,omitempty"`
	// Doc is the index in Capture.Documents of the document that referenced it.
	Doc int `json:"doc"`
	// Order is the position of the reference among the document's scripts
	// (inline and external), so emulation can run them in page order.
	Order int `json:"order"`
	// Body is the content; empty when it could not be read (see Err).
	Body []byte `json:"-"`
	// Truncated is set when Body was cut at the size cap.
	Truncated bool `json:"truncated,omitempty"`
	// Err says why Body is empty: not found, refused by policy, too large, ...
	Err string `json:"error,omitempty"`
}

// Runtime is what a page did while it ran in the sandbox.
type Runtime struct {
	// Profile is the victim profile used: windows, mac, android or iphone.
	Profile string `json:"profile"`
	// Clicked is set when a trusted click was performed after load.
	Clicked bool `json:"clicked,omitempty"`
	// Observed is how long the page was watched after load.
	Observed time.Duration `json:"observed_ns"`
	// Events are the behaviours seen, in order.
	Events []Event `json:"events,omitempty"`
	// Requests are all requests the page made, allowed or not.
	Requests []Request `json:"requests,omitempty"`
	// Console holds console messages and uncaught exceptions.
	Console []string `json:"console,omitempty"`
	// VisibleText is document.body.innerText of the main frame at the end.
	VisibleText string `json:"visible_text,omitempty"`
	// Texts is text the page shows that is not in its DOM text: drawn on
	// canvases, CSS generated content, SVG text, title/alt/aria-label
	// attributes, open shadow roots, and text read from the screenshot by
	// OCR. Each piece keeps where it came from.
	Texts []Text `json:"texts,omitempty"`
	// OCR says why the screenshot was read by OCR ("" when it was not),
	// OCRTook how long that took (screenshot, wait and tesseract) and OCRCPU
	// the processor time tesseract used.
	OCR     string        `json:"ocr,omitempty"`
	OCRTook time.Duration `json:"ocr_ns,omitempty"`
	OCRCPU  time.Duration `json:"ocr_cpu_ns,omitempty"`
	// Screenshot is a PNG of the viewport at the end of observation.
	Screenshot []byte `json:"-"`
	// HAR is the page's network log as a HAR 1.2 file, when asked for.
	HAR []byte `json:"-"`
	// Crashed is set when the tab crashed or was killed for exceeding a limit.
	Crashed bool `json:"crashed,omitempty"`
	// MemoryCapped is set when the page's renderer passed the sandbox's
	// memory cap and was killed: pages that exhaust memory (huge canvases,
	// endless allocation) do it to freeze the victim's browser.
	MemoryCapped bool `json:"memory_capped,omitempty"`
	// Interrupted is set when script execution was cut off (endless loop, dialog storm).
	Interrupted bool `json:"interrupted,omitempty"`
}

// EventKind names a behaviour seen at run time (sandbox) or in emulation.
type EventKind string

const (
	// EventCallNavigation: a frame navigated, or a window was opened, to a
	// call scheme (tel:, callto:, facetime:, facetime-audio:, sip:, skype:).
	EventCallNavigation EventKind = "call-navigation"
	// EventNavigation: any other top-level navigation requested by script.
	EventNavigation   EventKind = "navigation"
	EventDialog       EventKind = "dialog"       // alert / confirm / prompt; Detail is the message
	EventBeforeUnload EventKind = "beforeunload" // a beforeunload handler was installed or fired
	EventHistory      EventKind = "history"      // pushState / replaceState
	EventFullscreen   EventKind = "fullscreen"   // requestFullscreen
	EventKeyboardLock EventKind = "keyboard-lock"
	EventPointerLock  EventKind = "pointer-lock"
	EventPrint        EventKind = "print"
	EventDownload     EventKind = "download"
	EventPopup        EventKind = "popup"          // window.open to a non-call URL
	EventAudio        EventKind = "audio"          // media played; Detail is the source URL
	EventSpeech       EventKind = "speech"         // speechSynthesis.speak; Detail is the text
	EventWrite        EventKind = "document-write" // HTML written by script; Detail is the HTML
	EventMemoryCap    EventKind = "memory-cap"     // the page's renderer was killed over the memory cap; Detail says how much it used
	EventWorker       EventKind = "worker"         // a Web Worker (or SharedWorker) started; Detail is its script URL
	// EventScript: script inserted a script element that loads an external
	// file (a chat widget, a tracker, the next stage of a kit); Detail is
	// its URL. The emulator reports it; in the browser the request is in
	// Runtime.Requests.
	EventScript EventKind = "script"
)

// Event is one behaviour. Repeated identical events are folded into Count.
type Event struct {
	Kind EventKind `json:"kind"`
	// Detail is the URL, message, or text the event carried.
	Detail string `json:"detail,omitempty"`
	// Reason is the browser's reason for a navigation (anchorClick,
	// scriptInitiated, metaTagRefresh, ...) or the API used (click, location,
	// window.open, iframe, ...).
	Reason string `json:"reason,omitempty"`
	// Frame is the URL of the frame the event happened in.
	Frame string `json:"frame,omitempty"`
	// Count is how many times it happened (at least 1).
	Count int `json:"count"`
	// At is the time since navigation start of the first occurrence.
	At time.Duration `json:"at_ns"`
	// AfterGesture is set when it happened only after a (trusted or
	// emulated) user click; unset means the page did it on its own.
	AfterGesture bool `json:"after_gesture,omitempty"`
	// UserActivation is set when the page had transient user activation
	// (navigator.userActivation.isActive) as it did this: it answered a
	// gesture, as a game's Play button does.
	UserActivation bool `json:"user_activation,omitempty"`
}

// Gestured says whether the event answered a user gesture: it happened with
// transient user activation or after the (sandbox's trusted) click.
func (e Event) Gestured() bool { return e.AfterGesture || e.UserActivation }

// Text sources of Runtime.Texts.
const (
	TextCanvas     = "canvas"      // fillText / strokeText on a canvas or OffscreenCanvas
	TextCSSContent = "css-content" // ::before / ::after content strings
	TextSVG        = "svg"         // SVG <text> and <tspan>
	TextAttribute  = "attribute"   // title, alt, aria-label; what fields show (value, placeholder)
	TextReversed   = "reversed"    // text a direction override shows reversed, as shown
	TextShadow     = "shadow"      // inside open shadow roots
	TextOCR        = "ocr"         // read from the screenshot
)

// Text is one piece of text the page shows outside its DOM text.
type Text struct {
	// Source is one of the Text* constants.
	Source string `json:"source"`
	// Text is the text, pieces of one source joined by new lines.
	Text string `json:"text"`
}

// Request is one network request the page made at run time.
type Request struct {
	URL    string `json:"url"`
	Method string `json:"method,omitempty"`
	// Type is the resource type: Document, Script, Image, XHR, Fetch, WebSocket, Ping, ...
	Type   string `json:"type,omitempty"`
	Status int    `json:"status,omitempty"`
	// Blocked is set when the containment proxy refused it; Reason says why.
	Blocked bool   `json:"blocked,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// AddServed appends the documents and scripts of a static capture of the
// same page to a dynamic one, after the rendered documents: what the server
// sent and what the browser ran go through the same engine.
func (c *Capture) AddServed(static *Capture) {
	offset := len(c.Documents)
	if c.Served == 0 && len(static.Documents) > 0 && offset > 0 {
		c.Served = offset
	}
	c.Documents = append(c.Documents, static.Documents...)
	for _, r := range static.Resources {
		r.Doc += offset
		c.Resources = append(c.Resources, r)
	}
	c.Notes = append(c.Notes, static.Notes...)
}
