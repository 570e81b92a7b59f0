// Package js turns one script into neutral, explainable facts — the calls
// it makes, the assignments it performs, the listeners it installs, the
// page-URL parameters it reads, the members of interest it touches, its
// string literals — each with the syntactic context it sits in (a loop, a
// timer, a click handler…). It also recovers strings hidden by obfuscation
// (Deobfuscate). It decides nothing: the analysis rules do.
//
// The parser is github.com/tdewolff/parse/v2/js. Its parser refuses
// expressions or statements nested more than 1000 deep, which bounds the
// recursion of everything here. When a script does not parse (HTML pasted
// into a kit's script, templates with holes, syntax the parser does not
// know) the top-level statements before and after the broken one are
// parsed on their own and the broken one is read from its tokens, with
// coarser contexts; Facts.ParseError says so.
//
// Constant strings are folded (concatenation, templates, constant
// variables, decoding functions, string and array methods, one-expression
// helper functions) and obfuscator.io string arrays are resolved without
// running code, so facts show window.open and navigator.keyboard.lock
// where the source says window[_0x1f(0x1a)].
//
// Everything is bounded: facts per kind, folded string sizes, folding
// work, nesting of code evaluated from strings, lexical errors. The
// exported functions are safe for concurrent use and recover from internal
// panics, returning what they found before.
package js

import (
	"strings"
)

// Context says where in the program a call or assignment sits. Bit flags;
// a fact may carry several (a timer callback inside a click handler).
//
// The body of a function gets the flags of the place it is written in,
// plus the flags of how it is invoked: passed inline to setTimeout or
// addEventListener, assigned to an on<event> property, or — for a named
// function — registered by name or called directly anywhere in the same
// script (a fixpoint over the call graph). InGestureHandler is the one
// exception: it is added through invocations only when every known
// invocation of the function is a gesture handler, because it is the flag
// that excuses behaviour ("the user clicked").
type Context uint32

const (
	// InLoop: inside the body (or the repeated condition / update) of a
	// for, while, do-while, for-in or for-of loop.
	InLoop Context = 1 << iota
	// InTimer: inside a callback (or code string) passed to setTimeout,
	// setInterval, setImmediate, requestAnimationFrame or
	// requestIdleCallback.
	InTimer
	// InRecursion: inside a function that invokes itself — directly, via
	// mutual recursion, by passing itself to a timer, by re-adding itself
	// as a listener, or through arguments.callee — or that is called from
	// such a function.
	InRecursion
	// InGestureHandler: inside a handler of a user activation: click,
	// dblclick, auxclick, mousedown, mouseup, pointerdown, pointerup,
	// touchstart, touchend, keydown, keyup, keypress, submit, contextmenu;
	// registered with addEventListener/attachEvent, an on<event> property,
	// an on<event> HTML attribute (Options.Handler) or jQuery-style
	// .click(fn), .on('click', fn), .bind, .one, .live, .delegate.
	InGestureHandler
	// InLoadHandler: DOMContentLoaded, load, readystatechange, pageshow
	// handlers, window.onload, $(fn), $(document).ready(fn), jQuery(fn).
	InLoadHandler
	// InUnloadHandler: beforeunload, unload, pagehide handlers,
	// window.onbeforeunload.
	InUnloadHandler
	// InMoveHandler: mousemove, mouseover, mouseenter, mouseleave,
	// mouseout, pointermove, pointerover, pointerenter, touchmove, wheel,
	// scroll and jQuery .hover handlers: a "gesture" that is not a user
	// activation.
	InMoveHandler
	// InFunction: inside any function body.
	InFunction
	// TopLevel: not inside any function.
	TopLevel
	// InInterval: inside a callback (or code string) passed to setInterval;
	// always together with InTimer. Unlike setTimeout it repeats by itself.
	InInterval
	// InLeaveHandler: popstate, hashchange, blur, visibilitychange,
	// focusout handlers: code that runs when the visitor presses Back or
	// switches away — the hook of back-button traps.
	InLeaveHandler
	// InUncalled: inside a named function that this script never calls,
	// registers or passes anywhere (it may run from an HTML attribute or
	// another script — see Options.Invoked — or never).
	InUncalled
	// InEval: code recovered from a constant string that is evaluated at
	// run time: eval, new Function, setTimeout/setInterval with a string.
	InEval
	// InIteration: inside a callback passed to an array's iteration
	// method (forEach, map, filter, reduce…, jQuery's each, Array.from):
	// it runs once for every element, as a loop's body does.
	InIteration
	// InFullscreenChange: a fullscreenchange handler (prefixed ones too):
	// code that runs when the page enters or leaves full screen — the hook
	// of full screen taken again when the visitor leaves it.
	InFullscreenChange
)

var contextNames = []string{"loop", "timer", "recursion", "gesture", "load", "unload", "move", "function", "top", "interval", "leave", "uncalled", "eval", "iteration", "fullscreenchange"}

// String lists the flags, e.g. "loop|timer|function".
func (c Context) String() string {
	var parts []string
	for i, n := range contextNames {
		if c&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, "|")
}

// Literal is a string or template literal with escapes decoded (\x74,
// \u0074, \u{74}, legacy octal) and its byte offset in the source.
// Template literals yield one Literal per constant part.
type Literal struct {
	Value  string
	Offset int
	// Escaped is set when the source spelled ordinary characters with
	// escapes ('\x74\x65\x6c'): a common way to hide strings.
	Escaped bool
}

// Unknown stands for a part of a string that could not be folded in the
// Partial forms of values: 'tel:' + n folds to "tel:" + Unknown.
const Unknown = "\uFFFD"

// Call is one call expression, or a new expression (Callee "new Audio").
type Call struct {
	// Callee is the normalised dotted path of the callee as written:
	// "alert", "window.alert", "document.getElementById().click",
	// "$('body').on", "new Audio", "new Audio().play". Constant bracket
	// access normalises to dots (window['alert'] -> "window.alert"),
	// strings hidden behind an obfuscator.io string-array accessor
	// included; other bracket access is "[]"; an unknown callee is "?".
	// A variable that holds a well-known global (var w = window) is
	// replaced by it: "window.open".
	Callee string
	// Method is the last component: "click", "requestFullscreen", "Audio".
	Method string
	// Args holds each argument's constant string value when it can be
	// folded (literals, numbers, concatenation, templates, constant
	// variables, String.fromCharCode, atob, unescape, decodeURIComponent,
	// split/reverse/join …), else "". At most 16 arguments.
	Args []string
	// PartialArgs is set when some argument folds only in part: its
	// constant parts with Unknown for the rest ("tel:" + Unknown); nil
	// when every argument folded fully or not at all.
	PartialArgs []string
	// Via says how the call was reconstructed when it is not written as a
	// plain call: "call" or "apply" (f.call(el) where f holds
	// el.requestFullscreen), "alias" (var a = window.alert; a()). The
	// written call is recorded as well, with Via "".
	Via    string
	Offset int
	Ctx    Context
	// inCode: the call is in a code string the script evaluates (the
	// facts of evalCode), not in the script's own code.
	inCode bool
}

// Assign is one assignment (=, +=, ||=, &&=, ??=) to a variable or
// property, or a top-level var declaration of a window property
// (var location = …, var onbeforeunload = …).
type Assign struct {
	// Target is the normalised path: "location", "window.location.href",
	// "document.location", "x.src", "window.onbeforeunload",
	// "document.body.style.cursor", "x.innerHTML".
	Target string
	// Value is the constant string value when it can be folded, else "".
	Value string
	// Partial is the partly folded value ("tel:" + Unknown) when Value is
	// "" and some of it is constant.
	Partial string
	// Op is the operator: "=", "+=", "||=", …
	Op     string
	Offset int
	Ctx    Context
}

// Listener is one event handler registration.
type Listener struct {
	// Event is the event name, lower case, without "on" and without a
	// jQuery namespace: "click", "beforeunload".
	Event string
	// Target is the path listened on: "window" (also for a bare
	// addEventListener), "document", "document.body", "$(document)",
	// "$('body')", "x".
	Target string
	Offset int
	Ctx    Context
}

// URLRead is a read of the page URL: location.search/href/hash,
// document.URL, URLSearchParams(…).get("phone"), or a call of a getParam
// style helper defined in the same script. Param is the parameter name
// when a constant was used.
type URLRead struct {
	Expr   string
	Param  string
	Offset int
}

// Member is an access, called or not, to a member whose path ends with
// one of InterestingMembers: kits write rfs = el.requestFullScreen ||
// el.webkitRequestFullScreen; rfs.call(el).
type Member struct {
	Path   string
	Offset int
	Ctx    Context
}

// InterestingMembers are the member paths recorded as Members, compared
// case-insensitively with the end of an access path at a dot boundary.
// Do not modify it while Analyze runs.
var InterestingMembers = []string{
	"requestFullscreen", "webkitRequestFullscreen", "webkitRequestFullScreen", "mozRequestFullScreen",
	"msRequestFullscreen", "webkitEnterFullscreen", "webkitEnterFullScreen",
	"requestPointerLock", "webkitRequestPointerLock", "mozRequestPointerLock",
	"keyboard.lock", "speechSynthesis.speak", "history.pushState", "history.replaceState",
	"onbeforeunload",
}

// Return is a return statement with a constant value inside an event
// handler: a beforeunload handler that returns a string asks the browser
// to keep the visitor on the page; an onclick/oncontextmenu handler that
// returns false cancels the action.
type Return struct {
	Value  string // the constant value: a string, "false", "true"…
	Offset int
	Ctx    Context
}

// Facts are what one script does, as written.
type Facts struct {
	Calls     []Call
	Assigns   []Assign
	Listeners []Listener
	URLReads  []URLRead
	Members   []Member
	Returns   []Return
	Literals  []Literal
	// URLHelpers names the top-level functions of this script that read a
	// parameter of the page URL by the name they are given (getParam
	// style); a call of one in another script of the page reads the URL
	// too (kits define the helper in one script and call it in the next).
	URLHelpers []string
	// ParseError is set when the script did not parse and the facts come
	// from its tokens (their contexts are then approximate), or when the
	// script was too large and only its literals were read.
	ParseError string
	// Truncated is set when a limit on facts or on work cut the facts
	// short.
	Truncated bool
	// Globals are the variables this script declares at its top level
	// (var, let, const), at most maxGlobals: global variables the page's
	// later scripts can read. Value is set when the variable is written
	// once, with a value that folds to a constant string.
	Globals []Global
	// Free names the variables the script uses without declaring them
	// (globals of the page, window's properties), at most maxFree: what
	// Options.Globals may give a value.
	Free []string
}

// Global is a top-level variable a script declares; Known says whether
// Value is its constant value. A Partial value is known only in part:
// Unknown stands for what did not fold, or it is the default an unknown
// value falls back on (var phone = getParam("phone") || "+1-844-…").
type Global struct {
	Name    string
	Value   string
	Known   bool
	Partial bool
}

// Options tune Analyze.
type Options struct {
	// Handler names the HTML attribute when src is an inline event
	// handler ("onclick", "onload", "onbeforeunload"); its code then gets
	// that handler's context.
	Handler string
	// MaxBytes: larger scripts are only lexed for literals (default 1 MiB).
	MaxBytes int
	// Invoked names functions of this script that are invoked from outside
	// it — an onclick="dial()" attribute, another script — with the
	// context of that invocation (e.g. InGestureHandler). They count as
	// call sites when contexts are computed.
	Invoked map[string]Context
	// Parsed, when it is the parse of src (Parse), saves parsing it again.
	Parsed *Parsed
	// Globals gives the values of global variables the page's earlier
	// scripts set as constants (their Facts.Globals): kits keep the number
	// in one script (var phone = '…') and write it from another
	// (document.write(phone)). A variable this script declares or writes
	// itself is not taken from here. A value that begins with Unknown is
	// partial (Global.Partial): it serves only readings that take partial
	// values, such as what a script writes into the page.
	Globals map[string]string
}

// Limits.
const (
	defaultMaxBytes = 1 << 20
	maxFacts        = 4096  // per kind of fact
	maxLiterals     = 10000 // default for Literals
	maxArgs         = 16
	maxPath         = 160 // bytes of a normalised path (the end is kept)
	maxEvalDepth    = 3   // nesting of code strings analysed (eval of eval of eval)
	maxEvalBytes    = 256 << 10
	maxGlobals      = 256 // Facts.Globals
	maxGlobalValue  = 4 << 10
	maxFree         = 256 // Facts.Free
)

// onPanic, when set (by tests and fuzz targets), sees the panics the
// exported functions recover from.
var onPanic func(any)

func reportPanic(r any) {
	if onPanic != nil {
		onPanic(r)
	}
}

// handlerContext maps an event name (with or without "on") to the context
// its handler runs in; 0 for events that say nothing.
func handlerContext(event string) Context {
	e := strings.ToLower(strings.TrimSpace(event))
	if c, ok := eventContexts[e]; ok {
		return c
	}
	if strings.HasPrefix(e, "on") {
		return eventContexts[e[2:]]
	}
	return 0
}

// eventContext is handlerContext for an event listened to on target: load
// and readystatechange mean the page's load only on the window or the
// document (an image's onload or an XMLHttpRequest's readystatechange runs
// at some later time).
func eventContext(event, target string) Context {
	c := handlerContext(event)
	if c == InLoadHandler && !pageTarget(target) {
		return 0
	}
	return c
}

func pageTarget(target string) bool {
	switch target {
	case "", "window", "self", "top", "globalThis", "this", "document", "document.body", "body", "document.documentElement",
		"$(window)", "$(document)", "jQuery(window)", "jQuery(document)", "$('body')", "$(document.body)":
		return true
	}
	return false
}

var eventContexts = map[string]Context{}

func init() {
	for ctx, events := range map[Context]string{
		InGestureHandler:   "click dblclick auxclick mousedown mouseup pointerdown pointerup touchstart touchend keydown keyup keypress submit contextmenu",
		InLoadHandler:      "domcontentloaded load readystatechange pageshow ready",
		InUnloadHandler:    "beforeunload unload pagehide",
		InMoveHandler:      "mousemove mouseover mouseenter mouseleave mouseout pointermove pointerover pointerenter touchmove wheel mousewheel scroll hover",
		InLeaveHandler:     "popstate hashchange blur visibilitychange focusout",
		InFullscreenChange: "fullscreenchange webkitfullscreenchange mozfullscreenchange msfullscreenchange",
	} {
		for _, e := range strings.Fields(events) {
			eventContexts[e] = ctx
		}
	}
}

// interestingMember reports whether path ends with one of
// InterestingMembers at a component boundary.
func interestingMember(path string) bool {
	for _, m := range InterestingMembers {
		if len(path) < len(m) {
			continue
		}
		tail := path[len(path)-len(m):]
		if strings.EqualFold(tail, m) && (len(path) == len(m) || path[len(path)-len(m)-1] == '.') {
			return true
		}
	}
	return false
}

func lastComponent(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[i+1:]
	}
	return strings.TrimPrefix(p, "new ")
}

// clipPath keeps the end of a long path: the method matters most.
func clipPath(s string) string {
	if len(s) <= maxPath {
		return s
	}
	s = s[len(s)-maxPath:]
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return "…" + s[i:]
	}
	return "…" + s
}
