// Package emulate runs a page's scripts for a bounded time in a JavaScript
// interpreter (github.com/dop251/goja) against a small fake DOM, and
// records what they do: the same behaviours the browser sandbox records
// (call-scheme navigations, dialogs, history floods, full screen, audio,
// speech…), as capture.Events. It catches what static decoding misses —
// a number assembled at run time and dialled — in about a millisecond per
// page, without a browser.
//
// The interpreter has no network, file system or real timers: the fake DOM
// answers every request with nothing, and timers run in virtual time. A
// time budget, a call-stack limit and a heap guard stop hostile scripts.
package emulate

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
	"github.com/tssguard/tssguard/internal/cpuclock"

	"github.com/tssguard/tssguard/capture"
)

//go:embed prelude.js
var preludeJS string

var (
	preludeOnce sync.Once
	prelude     *goja.Program
	preludeErr  error
)

// Script is one script of the page, in page order.
type Script struct {
	Name   string // URL or "inline #3"
	Source []byte
	// Element is the script's place among the document's <script>
	// elements (1 for the first; 0 if it has none) and Src its src
	// attribute ("" inline): document.currentScript while it runs.
	Element int
	Src     string
}

// Page is what the emulator runs.
type Page struct {
	// URL is the page URL as the victim saw it, query included (template
	// pages read ?phone= from it).
	URL string
	// HTML is the main document; its elements, on* attributes included,
	// become the fake DOM.
	HTML []byte
	// Scripts are run in order (inline and external interleaved as in the
	// document).
	Scripts   []Script
	UserAgent string
	// Language is the visitor's language, a BCP 47 tag (default en-US):
	// navigator.language, Intl's locale and a time zone of its country
	// (capture.LocaleFor). The engine passes the page's declared language:
	// a visitor of a Japanese page most likely has a Japanese browser, and
	// a kit aimed at one country may check.
	Language string
	// AnswersOK: the visitor answers OK to confirm() dialogs (by default
	// Cancel, as the sandbox's browser does). A kit may keep its call
	// link behind the answer it asks for ("Press OK to call support").
	AnswersOK bool
}

// Options bound an emulation.
type Options struct {
	// Budget bounds the whole page's run (default 150ms) while it makes no
	// progress.
	Budget time.Duration
	// MaxBudget lets a page that is still peeling layers run on: each time
	// the budget runs out, another Budget is granted if the page decoded,
	// wrote or did something new since the last grant, up to MaxBudget in
	// all (default: Budget, no growth).
	MaxBudget time.Duration
	// Click simulates the visitor after load: the mouse moving over the
	// page (no user activation), then one click; events from the click on
	// have AfterGesture set.
	Click bool
	// MaxEvents: distinct events kept of each kind (default 64); repeats
	// fold into Count, and past the limit a kind's events fold into its
	// last one, so that a flood of one kind (300 navigations in a loop)
	// cannot push another (the call after it) out of the list.
	MaxEvents int
	// MaxOutput: bytes of Decoded kept (default 2 MiB).
	MaxOutput int
	// MaxHeapMB: interrupt when the Go heap grows more than this (default 512).
	MaxHeapMB int
	// Sentinel, with NumberParam, is handed out for a parameter of the
	// page URL that a script asks for and the URL lacks, when NumberParam
	// says its name is a phone number's: asked URLSearchParams.get, it is
	// the answer; a regular expression built for the name puts it in the
	// URL first. A template kit then writes or dials it, and the value
	// coming back out of the page shows the number is swapped through the
	// URL. It does not need the static reading of the scripts to know the
	// name, which obfuscation hides.
	Sentinel    string
	NumberParam func(name string) bool
}

// Decoded is a string the page computed and then executed or wrote.
type Decoded struct {
	// Method: eval, Function, setTimeout-string, document.write,
	// innerHTML, script-element, atob, unescape, decodeURIComponent,
	// fromCharCode; dom: the document at the end as HTML without its
	// scripts, when scripts changed it; canvas-text: text drawn on canvases.
	Method string
	Text   string
	Script string // the script running when it happened
}

// Result is what the page did.
type Result struct {
	Events      []capture.Event
	Decoded     []Decoded
	Errors      []string // first few script errors, "name: message"
	Interrupted bool     // the budget or a guard cut execution off
	// DOMCut: the page's document has more nodes than the emulator keeps
	// (MaxPageNodes); scripts saw its first ones only.
	DOMCut bool
	// NotRun names the scripts larger than MaxScript, which did not run.
	NotRun []string
	// Stalled names the scripts, and the parts of the page's life (its
	// load handlers, a timer's callback, the click's handlers), cut off at
	// the budget (they loop, stall or do more than the budget allows)
	// while the rest of the page ran.
	Stalled []string
	// ReadUA: the page read what tells the visitor's device (the user
	// agent, platform, vendor, touch points): it may act otherwise on
	// another one.
	ReadUA bool
	// SentinelParams are the URL parameters Options.Sentinel was handed
	// out for.
	SentinelParams []string
	Took           time.Duration
}

// Virtual-time limits.
const (
	horizonMS  = 120000 // page time simulated after load and after the click (virtual: waiting costs nothing)
	maxFirings = 200    // timer callbacks per phase
	maxDialogs = 1000
	// MaxScript: larger scripts are not run (compiling dense code costs
	// about 100 ms a MiB, and cannot be interrupted). It was 512 KiB: a
	// kit padded its auto-dial script past it (a comment of 600 KB) and
	// the page read clean.
	MaxScript = 2 << 20
	maxErrors = 8
	// maxWritten bounds the nodes of innerHTML and document.write kept
	// in all. It was 6,000, and charged: a kit's script wrote 8,000 empty
	// elements before its call link, and the page read suspicious.
	maxWritten   = 50000
	maxDepth     = 96
	maxDetail    = 500
	maxParseHTML = 4 << 20
)

// libraries are skipped: their banner or file name gives them away. Kits
// load them for a line or two of $(…) that the shim covers. But a name or
// a banner is the kit's to choose: a script is skipped only when it is as
// large as a library and names no call scheme and no locker API, which no
// library does and a payload must (unless obfuscated, and an obfuscated
// payload the size of a library is still analysed statically). A kit's
// auto-dial in a file named jquery.min.js ran nowhere.
var libraryName = regexp.MustCompile(`(?i)(^|/)(jquery|bootstrap|popper|modernizr|lodash|underscore|angular|react|vue|moment|gsap|swiper|slick|gtm|gtag|analytics|ga|fbevents|hotjar|clarity|recaptcha|adsbygoogle|pixel)[\w.\-]*\.js(\?|$)`)

// minLibrary is the size below which no script is taken for a library.
const minLibrary = 16 << 10

// payloadMarkers are what a script must name to dial, scare or take over
// the browser, in lower case (a synthetic click on a call link, a dialog);
// none is in the libraries kits ship (location.href, .click() and
// setTimeout are).
var payloadMarkers = []string{"tel:", "callto:", "facetime", "sip:", "skype:", "fullscreen", "pointerlock", "keyboard.lock", "speechsynthesis", "pushstate", "replacestate",
	"dispatchevent", "alert(", "confirm(", "prompt(", "print("}

func isLibrary(s Script) bool {
	if len(s.Source) < minLibrary || !(libraryName.MatchString(s.Name) || libraryBanner(s.Source)) {
		return false
	}
	lower := bytes.ToLower(s.Source)
	for _, m := range payloadMarkers {
		if bytes.Contains(lower, []byte(m)) {
			return false
		}
	}
	return true
}

// libraryBanner: the script starts as jQuery or Bootstrap do.
func libraryBanner(src []byte) bool {
	head := string(src[:min(len(src), 600)])
	if strings.Contains(head, "jQuery v") || strings.Contains(head, "jQuery JavaScript Library") ||
		strings.Contains(head, "Bootstrap v") || strings.Contains(head, "(c) jQuery Foundation") || strings.Contains(head, "jquery.org/license") {
		return true
	}
	// Kits rename jQuery and strip its banner; its own error message and
	// version field stay near the top.
	return strings.Contains(head, "jQuery requires a window with a document") ||
		(len(src) > 30<<10 && strings.Contains(head, ".fn.init(") && strings.Contains(head, "jquery"))
}

// Emulate runs the page. It never panics and returns within about the
// budget (plus the time to notice the interrupt).
func Emulate(ctx context.Context, page Page, opts Options) (res Result) {
	start := time.Now()
	if opts.Budget <= 0 {
		opts.Budget = 150 * time.Millisecond
	}
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = 64
	}
	if opts.MaxOutput <= 0 {
		opts.MaxOutput = 2 << 20
	}
	if opts.MaxHeapMB <= 0 {
		opts.MaxHeapMB = 512
	}
	if opts.MaxBudget < opts.Budget {
		opts.MaxBudget = opts.Budget
	}
	clock, unlock := cpuclock.Start()
	defer unlock()
	e := &emu{opts: opts, events: capture.EventLog[eventKey]{PerKind: opts.MaxEvents}, started: start, clock: clock}
	defer func() {
		if r := recover(); r != nil {
			e.err("internal", fmt.Sprintf("emulator failure: %v", r))
		}
		res = e.result()
		res.Took = time.Since(start)
	}()
	preludeOnce.Do(func() { prelude, preludeErr = goja.Compile("prelude.js", preludeJS, false) })
	if preludeErr != nil {
		e.err("prelude", preludeErr.Error())
		return
	}
	vm := goja.New()
	e.vm = vm
	vm.SetMaxCallStackSize(1000)
	stop := e.guard(ctx)
	defer stop()

	e.install(page)
	if _, err := vm.RunProgram(prelude); err != nil {
		e.scriptErr("prelude", err)
		return
	}
	e.call("__installJQuery")
	// The prelude's entry points are taken now and taken off the page's
	// global object: a page that replaced __runTimers with a function of
	// its own had no timer run, and its auto-dial in a timer read clean.
	entry := func(name string) goja.Callable {
		fn, _ := goja.AssertFunction(vm.Get(name))
		vm.GlobalObject().Delete(name)
		return fn
	}
	vm.GlobalObject().Delete("__installJQuery")
	domFn, changedFn, canvasFn, uaReadFn := entry("__domHTML"), entry("__domChanged"), entry("__canvasText"), entry("__uaRead")
	loadFn, moveFn, clickFn, stepFn := entry("__loadSteps"), entry("__moveSteps"), entry("__clickSteps"), entry("__runStep")
	clockFn, fireFn := entry("__clock"), entry("__fireTimer")
	currentFn := entry("__currentScript")
	setCurrent := func(element int, src string) {
		if currentFn != nil {
			_, _ = currentFn(goja.Undefined(), vm.ToValue(element), vm.ToValue(src))
		}
	}
	defer func() {
		// What scripts built is page content for the rules, whether the
		// run ended or was cut off.
		if e.readBack(changedFn) == "true" {
			if after := e.readBack(domFn); after != "" {
				e.report("decoded", after, "dom")
			}
		}
		e.uaRead = e.readBack(uaReadFn) == "true"
		if text := e.readBack(canvasFn); text != "" {
			e.report("decoded", text, "canvas-text")
		}
	}()
	for i, s := range page.Scripts {
		if e.stopped() {
			break
		}
		name := s.Name
		if name == "" {
			name = fmt.Sprintf("script #%d", i+1)
		}
		if len(s.Source) > MaxScript {
			e.err(name, "skipped: larger than 2 MiB")
			e.tooLarge = append(e.tooLarge, name)
			continue
		}
		if isLibrary(s) {
			continue
		}
		e.current = name
		e.step()
		prog, err := e.compile(name, s.Source)
		if err != nil {
			e.err(name, "SyntaxError: "+firstLine(err.Error()))
			continue
		}
		setCurrent(s.Element, strings.TrimSpace(s.Src))
		e.allowance.Add(int64(sizeAllowance(len(s.Source))))
		e.cuttable(name, func() (goja.Value, error) { return vm.RunProgram(prog) })
	}
	setCurrent(0, "")
	e.current = "page"
	e.runSteps("the load event's handlers", loadFn, stepFn)
	e.runTimers(fireFn, horizonMS)
	if opts.Click && !e.stopped() {
		// The mouse moves over the page first: no user activation, so what
		// its handlers start counts as the page's own doing.
		e.runSteps("the mouse's handlers", moveFn, stepFn)
		e.gesture = true
		e.runSteps("the click's handlers", clickFn, stepFn)
		var now int64
		if v, ok := e.cuttable("the clock", func() (goja.Value, error) { return clockFn(goja.Undefined()) }); ok && v != nil {
			now = v.ToInteger()
		}
		e.runTimers(fireFn, now+horizonMS)
	}
	return
}

// cuttable runs a part of the page's life (its load handlers, a timer's
// callback, the click's handlers) that the guard may cut off alone, as it
// does a script: the run goes on after it (see guard). It returns the
// part's value and whether the run goes on.
func (e *emu) cuttable(name string, run func() (goja.Value, error)) (goja.Value, bool) {
	if e.stopped() {
		return nil, false
	}
	e.mu.Lock()
	e.inScript = true
	e.mu.Unlock()
	v, err := run()
	if e.endScript() {
		if !slices.Contains(e.stalled, name) {
			e.stalled = append(e.stalled, name)
		}
		return nil, !e.stopped()
	}
	if err != nil {
		e.scriptErr(e.current, err)
		return nil, !e.stopped()
	}
	return v, true
}

// maxSteps bounds the listeners one dispatch runs (runSteps).
const maxSteps = 4096

// runSteps dispatches an event of the page's life (the load event, the
// simulated click) with a stepper of the prelude (begin returns it): each
// listener runs as a part of its own, which the guard may cut off alone,
// so one that spins does not keep the next from running.
func (e *emu) runSteps(name string, begin, run goja.Callable) {
	if begin == nil || run == nil {
		return
	}
	v, ok := e.cuttable(name, func() (goja.Value, error) { return begin(goja.Undefined()) })
	next, isFn := goja.AssertFunction(v)
	if !ok || !isFn {
		return
	}
	for i := 0; i < maxSteps && !e.stopped(); i++ {
		step, ok := e.cuttable(name, func() (goja.Value, error) { return next(goja.Undefined()) })
		if !ok || step == nil || goja.IsNull(step) || goja.IsUndefined(step) {
			return
		}
		e.cuttable(name, func() (goja.Value, error) { return run(goja.Undefined(), step) })
	}
}

// runTimers fires the timers due by horizon (page time, ms), at most
// maxFirings; then, if the firings ran out first (intervals, a timeout
// that sets itself again), each callback due that has not run yet once,
// in time order, up to maxFirings more: a kit cannot keep its late
// auto-dial from running by ticking a few timers first. Each callback is
// cut off alone if it stalls.
func (e *emu) runTimers(fire goja.Callable, horizon int64) {
	step := func(late bool) int64 {
		v, ok := e.cuttable("a timer's callback", func() (goja.Value, error) {
			return fire(goja.Undefined(), e.vm.ToValue(horizon), e.vm.ToValue(late))
		})
		switch {
		case !ok:
			return -2
		case v == nil:
			return 1 // cut off: it fired
		}
		return v.ToInteger()
	}
	for fired := 0; fired < maxFirings; fired++ {
		if step(false) != 1 {
			return // none left (the late pass would find none), the next is past the horizon, or stopped
		}
	}
	// The firings ran out: each callback due that has not run yet, once.
	for late := 0; late < maxFirings; late++ {
		if step(true) != 1 {
			return
		}
	}
}

// emu is the state of one emulation.
type emu struct {
	vm          *goja.Runtime
	opts        Options
	gesture     bool
	current     string
	events      capture.EventLog[eventKey] // MaxEvents distinct events of each kind
	decoded     []Decoded
	output      int
	errors      []string
	dialogs     int
	interrupted bool
	inScript    bool       // a part the guard may cut off alone is running (cuttable; guarded by mu)
	skip        bool       // the guard cut that part off, the run goes on (guarded by mu)
	stalled     []string   // parts cut off at the budget (Result.Stalled)
	uaRead      bool       // Result.ReadUA
	sentinelFor []string   // Result.SentinelParams
	progress    int64      // decoded strings and events so far (guarded by mu)
	mu          sync.Mutex // guards interrupted, progress (set from the guard goroutine)
	started     time.Time
	clock       *cpuclock.Clock // CPU time of the emulating thread, for the budget
	nodes       int             // nodes of innerHTML and document.write parsed (maxWritten)
	page        *pageTree
	tooLarge    []string      // scripts not run for their size
	compiled    time.Duration // compiling time credited (compile)
	credit      atomic.Int64  // CPU nanoseconds spent making the page's nodes, not charged to the budget
	making      atomic.Int64  // the clock's reading when the making of nodes now under way began, 0 if none
	assist      atomic.Int64  // CPU nanoseconds of garbage-collector assists since the run began (spent)
	allowance   atomic.Int64  // budget the page's scripts earned by their size (sizeAllowance), nanoseconds
	dom         string        // the document as dumpDOM read it back
	domRead     bool
}

type eventKey struct {
	kind           capture.EventKind
	detail, reason string
	gesture        bool
}

func (e *emu) result() Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Result{Events: e.events.Events, Decoded: e.decoded, Errors: e.errors, Interrupted: e.interrupted, DOMCut: e.page != nil && e.page.cut, NotRun: e.tooLarge, Stalled: e.stalled, ReadUA: e.uaRead, SentinelParams: e.sentinelFor}
}

func (e *emu) stopped() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.interrupted
}

// endScript marks the end of a part cuttable runs and says whether the
// guard cut it off to go on with the rest of the page (skip): then
// the VM's interrupt is cleared, and uncharged work the cut left open is
// closed.
func (e *emu) endScript() bool {
	e.mu.Lock()
	e.inScript = false
	skipped := e.skip
	e.skip = false
	e.mu.Unlock()
	if !skipped {
		return false
	}
	e.vm.ClearInterrupt()
	if from := e.making.Load(); from > 0 {
		e.endUncharged(time.Duration(from), unbounded)
	}
	return true
}

func (e *emu) interrupt(why string) {
	e.mu.Lock()
	e.interrupted = true
	e.mu.Unlock()
	e.vm.Interrupt(why)
}

// guard interrupts the VM at the budget, on context cancellation, or when
// the heap grows past the limit. The budget counts the CPU time of the
// emulating thread where the system can tell it (internal/cpuclock), so a
// loaded machine does not change what a page gets to show; wall time past
// wallCap stops it regardless. The returned function stops the guard.
func (e *emu) guard(ctx context.Context) func() {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/cpu/classes/gc/mark/assist:cpu-seconds"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	assistBase := assistSeconds(sample[1])
	limit := uint64(e.opts.MaxHeapMB) << 20
	lastProgress := int64(0)
	grant := e.opts.Budget
	return every(guardTick, func() bool {
		if ctx.Err() != nil {
			e.interrupt("context cancelled")
			return true
		}
		metrics.Read(sample)
		if d := assistSeconds(sample[1]) - assistBase; d > 0 {
			e.assist.Store(int64(d * float64(time.Second)))
		}
		if v := sample[0].Value.Uint64(); v > base && v-base > limit {
			e.interrupt("heap limit")
			return true
		}
		if time.Since(e.started) > wallCap(e.opts.MaxBudget) {
			e.interrupt("time budget")
			return true
		}
		spent := e.spent()
		if spent < min(grant+time.Duration(e.allowance.Load()), max(grant, e.opts.MaxBudget)) {
			return false
		}
		// Grant more time while layers still peel.
		e.mu.Lock()
		p := e.progress
		e.mu.Unlock()
		more := e.opts.MaxBudget-spent > time.Millisecond
		if p != lastProgress && more {
			lastProgress = p
			grant = spent + min(e.opts.Budget, e.opts.MaxBudget-spent)
			return false
		}
		// A script or callback that loops or stalls is cut off, as the
		// page would be in a browser that gave up on it, and the rest of
		// the page runs with a budget of its own: a kit's stalling script
		// before its payload does not hide the payload.
		e.mu.Lock()
		cut := e.inScript && more && !e.skip
		if cut {
			e.skip = true
			e.vm.Interrupt("a script's budget")
		}
		e.mu.Unlock()
		if cut {
			grant = spent + min(e.opts.Budget, e.opts.MaxBudget-spent)
			return false
		}
		e.interrupt("time budget")
		return true
	})
}

// assistSeconds reads the assist-time sample (0 where the runtime lacks it).
func assistSeconds(s metrics.Sample) float64 {
	if s.Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s.Value.Float64()
}

// every calls check every d on a goroutine of its own until it returns
// true or the returned stop is called (stop waits for the goroutine).
func every(d time.Duration, check func() (done bool)) (stop func()) {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(d)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				if check() {
					return
				}
			}
		}
	}()
	return func() { close(quit); wg.Wait() }
}

// guardTick is how often the guard looks at the clock and the heap.
const guardTick = 3 * time.Millisecond

// wallCap bounds a run in wall time whatever the CPU clock says: a process
// starved of CPU still answers within a few seconds.
func wallCap(budget time.Duration) time.Duration { return 20*budget + time.Second }

// spent is the budget used so far: CPU time of the emulating thread, or
// wall time where that cannot be read.
// The emulator's own work is not charged (parsing the page and what
// scripts write, making nodes, compiling): a page padded with elements or
// code gets the time its scripts would have had. That work is free up to
// maxFree in all. Past it, it counts: page code can run inside it (a
// setter a script put on a prototype is called while nodes are made), and
// a guard that did not count it would let that code run to the wall cap.
//
// The garbage collector's assists are not charged either: a goroutine that
// allocates while the collector marks helps it, on its own thread, for as
// long as the live heap asks. A page padded with a megabyte of code leaves
// a large heap to mark, and its payload would otherwise lose its budget to
// the collector (the guard reads the process's assist time: with other
// emulations running, this run is credited theirs too, within maxFree).
func (e *emu) spent() time.Duration {
	now := e.clock.Used()
	free := time.Duration(e.credit.Load())
	if from := e.making.Load(); from > 0 {
		free += now - time.Duration(from) // uncharged work under way
	}
	free += time.Duration(e.assist.Load())
	return now - min(free, maxFree, now)
}

// maxFree bounds the emulator's own work that is not charged to the
// budget: compiling (at most maxCompileCredit), parsing and making nodes.
const maxFree = time.Second

// step counts progress for the guard (see Options.MaxBudget).
func (e *emu) step() {
	e.mu.Lock()
	e.progress++
	e.mu.Unlock()
}

// maxReadBack bounds the document read back after the run.
const maxReadBack = 1 << 20

// readBack reads what the page ended with (its document, canvas text)
// through a prelude function. The VM may have been interrupted: the read
// gets a short budget of its own.
func (e *emu) readBack(fn goja.Callable) string { return e.readBackWithin(fn, readBackBudget) }

// readBackWithin is readBack with a budget of d.
func (e *emu) readBackWithin(fn goja.Callable, d time.Duration) (text string) {
	if fn == nil {
		return ""
	}
	defer func() {
		if r := recover(); r != nil {
			text = ""
		}
	}()
	e.vm.ClearInterrupt()
	stop := e.watchdog(d, func() { e.vm.Interrupt("reading the page back") })
	defer stop()
	e.dom, e.domRead = "", false
	v, err := fn(goja.Undefined())
	if err != nil || v == nil {
		return ""
	}
	if e.domRead {
		return clip(e.dom, maxReadBack)
	}
	if pieces, ok := v.(*goja.Object); ok {
		return joinClipped(pieces, maxReadBack)
	}
	return clip(v.String(), maxReadBack)
}

// joinClipped is clip(pieces.join(""), n) for an array of strings, joined
// here: the pieces past n are not needed, and an ASCII piece crosses
// without a copy. A piece that ends in half a surrogate pair may make a
// character with the next only in the joined text, so such pieces are
// joined as JavaScript strings first. Anything else reads as nothing, as a
// failed read does (the prelude sends strings only).
func joinClipped(pieces *goja.Object, n int) string {
	l := pieces.Get("length").ToInteger()
	if l < 0 || l > 1<<24 {
		return ""
	}
	parts := make([]goja.String, l)
	halves := false
	for i := range parts {
		s, ok := pieces.Get(strconv.Itoa(i)).(goja.String)
		if !ok {
			return ""
		}
		parts[i] = s
		if k := s.Length(); k > 0 && s.CharAt(k-1)&0xFC00 == 0xD800 {
			halves = true
		}
	}
	if halves {
		var sb goja.StringBuilder
		for _, p := range parts {
			sb.WriteString(p)
		}
		return clip(sb.String().String(), n)
	}
	var b strings.Builder
	for _, p := range parts {
		if b.Len() > n {
			break
		}
		b.WriteString(p.String())
	}
	return clip(b.String(), n)
}

// readBackBudget bounds one read back of the page (in the guard's clock).
const readBackBudget = 150 * time.Millisecond

// watchdog calls fire once d of the guard's clock has passed (or wallCap of
// d in wall time), unless stopped first.
func (e *emu) watchdog(d time.Duration, fire func()) (stop func()) {
	from := e.spent()
	began := time.Now()
	return every(guardTick, func() bool {
		if e.spent()-from >= d || time.Since(began) > wallCap(d) {
			fire()
			return true
		}
		return false
	})
}

// call runs a prelude function; an interrupt or error is recorded.
func (e *emu) call(name string, args ...any) goja.Value {
	if e.stopped() {
		return nil
	}
	fn, ok := goja.AssertFunction(e.vm.Get(name))
	if !ok {
		return nil
	}
	vals := make([]goja.Value, len(args))
	for i, a := range args {
		vals[i] = e.vm.ToValue(a)
	}
	v, err := fn(goja.Undefined(), vals...)
	if err != nil {
		e.scriptErr(e.current, err)
	}
	return v
}

// compile compiles a page script. Compiling is the emulator's work, not
// the page's (dense code costs about 100 ms a MiB, and no interrupt stops
// it): it is not charged to the budget, up to maxCompileCredit in all, so
// a payload padded with code is still run.
func (e *emu) compile(name string, src []byte) (*goja.Program, error) {
	from := e.beginUncharged()
	prog, err := goja.Compile(name, string(src), false)
	e.compiled += e.endUncharged(from, maxCompileCredit-e.compiled)
	return prog, err
}

// beginUncharged starts work the budget does not count: spent leaves it
// out while it runs. It returns the clock's reading for endUncharged, or
// -1 when uncharged work is under way already (it counts this too).
func (e *emu) beginUncharged() time.Duration {
	from := e.clock.Used()
	if !e.making.CompareAndSwap(0, max(int64(from), 1)) {
		return -1
	}
	return from
}

// endUncharged ends the work begun at from and credits its time, at most
// most of it (unbounded: all of it); it returns what it credited. The
// credit is added before the mark goes, so the guard never sees neither.
// Work begun inside other uncharged work (from -1) is credited with it.
func (e *emu) endUncharged(from, most time.Duration) time.Duration {
	if from < 0 {
		return 0
	}
	d := min(e.clock.Used()-from, most)
	if d > 0 {
		e.credit.Add(int64(d))
	}
	e.making.Store(0)
	return max(d, 0)
}

// unbounded is endUncharged's most for work credited whole.
const unbounded = time.Duration(1<<63 - 1)

// sizeAllowance is the budget a script of n bytes adds, within MaxBudget:
// running a script's top level takes time in proportion to its size (each
// function it declares is made then), so a payload padded with a megabyte
// of declarations is run, not cut off with its padding. Under garbage
// collector pressure the padding of TestPaddedScriptUnderGCPressure took
// 30-40 ms a megabyte and a half, and the payload lost the 35 ms budget.
func sizeAllowance(n int) time.Duration {
	return time.Duration(n) * (40 * time.Millisecond) / (1 << 20)
}

// maxCompileCredit bounds the compiling time a page is not charged for.
const maxCompileCredit = 500 * time.Millisecond

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (e *emu) scriptErr(name string, err error) {
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		e.mu.Lock()
		e.interrupted = true
		e.mu.Unlock()
		return
	}
	var so *goja.StackOverflowError
	if errors.As(err, &so) {
		e.err(name, "stack overflow")
		return
	}
	e.err(name, firstLine(err.Error()))
}

func (e *emu) err(name, msg string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.errors) < maxErrors {
		e.errors = append(e.errors, name+": "+clip(msg, 200))
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xc0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

var eventKinds = map[string]capture.EventKind{
	"call-navigation": capture.EventCallNavigation, "navigation": capture.EventNavigation,
	"dialog": capture.EventDialog, "beforeunload": capture.EventBeforeUnload, "history": capture.EventHistory,
	"fullscreen": capture.EventFullscreen, "keyboard-lock": capture.EventKeyboardLock,
	"pointer-lock": capture.EventPointerLock, "print": capture.EventPrint, "download": capture.EventDownload,
	"popup": capture.EventPopup, "audio": capture.EventAudio, "speech": capture.EventSpeech,
	"document-write": capture.EventWrite, "worker": capture.EventWorker, "script": capture.EventScript,
}

// decodingStep are the Decoded methods that are a step of a decoding, not
// what the page wrote or ran.
var decodingStep = map[string]bool{"atob": true, "unescape": true, "fromCharCode": true, "decodeURIComponent": true, "TextDecoder": true}

// report receives behaviours from the prelude.
func (e *emu) report(kind, detail, reason string) {
	e.step()
	if kind == "decoded" {
		e.mu.Lock()
		// The steps of a decoding (atob, unescape, fromCharCode…) share
		// half of MaxOutput, so that a page decoding megabytes of junk
		// first leaves room for what it then writes or runs; the read
		// back of the page's end (clipped to maxReadBack) always counts.
		limit := e.opts.MaxOutput
		if decodingStep[reason] {
			limit /= 2
		}
		if reason == "dom" || reason == "canvas-text" || e.output+len(detail) <= limit {
			e.output += len(detail)
			e.decoded = append(e.decoded, Decoded{Method: reason, Text: detail, Script: e.current})
		}
		e.mu.Unlock()
		return
	}
	k, ok := eventKinds[kind]
	if !ok {
		return
	}
	if k == capture.EventDialog {
		e.dialogs++
		if e.dialogs > maxDialogs {
			e.interrupt("dialog storm")
			return
		}
	}
	// Histories count calls, not URLs: fold them on the reason alone.
	key := eventKey{k, clip(detail, maxDetail), reason, e.gesture}
	if k == capture.EventHistory {
		key.detail = ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.events.Add(key, capture.Event{Kind: k, Detail: key.detail, Reason: reason, Frame: e.current, Count: 1, At: time.Since(e.started), AfterGesture: e.gesture})
}

// install sets the natives the prelude uses.
func (e *emu) install(page Page) {
	vm := e.vm
	pageURL := page.URL
	if _, err := url.Parse(pageURL); err != nil || pageURL == "" {
		pageURL = "https://page.invalid/"
	}
	ua := page.UserAgent
	if ua == "" {
		ua = capture.UserAgents["windows"]
	}
	html := page.HTML
	if len(html) > maxParseHTML {
		html = html[:maxParseHTML]
	}
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	// The page's tree is not charged to the budget either (spent).
	from := e.beginUncharged()
	var nodes int
	e.page = buildPageTree(parseTree(string(html), &nodes, MaxPageNodes))
	e.page.cut = nodes >= MaxPageNodes
	e.endUncharged(from, unbounded)
	must(vm.Set("__pageURL", pageURL))
	must(vm.Set("__ua", ua))
	loc := capture.LocaleFor(page.Language)
	must(vm.Set("__lang", loc.Language))
	must(vm.Set("__tz", loc.TimeZone))
	must(vm.Set("__tzOffset", loc.Offset))
	must(vm.Set("__answersOK", page.AnswersOK))
	// The natives take goja's FunctionCall form: wrapping a typed Go func
	// goes through reflect on every call. arg converts as that wrapping did.
	must(vm.Set("__report", func(c goja.FunctionCall) goja.Value {
		e.report(arg(c, 0), arg(c, 1), arg(c, 2))
		return goja.Undefined()
	}))
	// A step of a decoding too small to report (a string array's entries
	// decoded one by one while the array is rotated into place): progress
	// all the same, for the guard's grants (Options.MaxBudget).
	must(vm.Set("__progress", func(goja.FunctionCall) goja.Value {
		e.step()
		return goja.Undefined()
	}))
	must(vm.Set("__error", func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) > 0 && c.Arguments[0] != nil {
			e.err(e.current, c.Arguments[0].String())
		}
		return goja.Undefined()
	}))
	must(vm.Set("__dumpDOM", e.dumpDOM))
	e.installPage()
	must(vm.Set("__parseHTML", func(c goja.FunctionCall) goja.Value {
		return flatten(vm, e.parseHTML(arg(c, 0)))
	}))
	must(vm.Set("__atob", func(c goja.FunctionCall) goja.Value {
		b, ok := decodeBase64(arg(c, 0))
		if !ok {
			return goja.Null()
		}
		// atob returns a "binary string": one character per byte.
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return vm.ToValue(string(r))
	}))
	must(vm.Set("__btoa", func(c goja.FunctionCall) goja.Value {
		s := arg(c, 0)
		b := make([]byte, 0, len(s))
		for _, r := range s {
			b = append(b, byte(r))
		}
		return vm.ToValue(base64.StdEncoding.EncodeToString(b))
	}))
	must(vm.Set("__sentinel", func(c goja.FunctionCall) goja.Value {
		name := arg(c, 0)
		if e.opts.Sentinel == "" || e.opts.NumberParam == nil || !e.opts.NumberParam(name) {
			return goja.Null()
		}
		if !slices.Contains(e.sentinelFor, name) && len(e.sentinelFor) < 16 {
			e.sentinelFor = append(e.sentinelFor, name)
		}
		return vm.ToValue(e.opts.Sentinel)
	}))
	must(vm.Set("__urlParts", func(c goja.FunctionCall) goja.Value {
		raw, base := arg(c, 0), arg(c, 1)
		u, err := url.Parse(strings.TrimSpace(raw))
		if base != "" {
			if b, berr := url.Parse(base); berr == nil && err == nil {
				u = b.ResolveReference(u)
			}
		}
		if err != nil || u == nil || (u.Scheme == "" && base == "") {
			return goja.Null()
		}
		search := ""
		if u.RawQuery != "" || u.ForceQuery {
			search = "?" + u.RawQuery
		}
		hash := ""
		if u.Fragment != "" {
			hash = "#" + u.EscapedFragment()
		}
		origin := "null"
		if u.Host != "" {
			origin = u.Scheme + "://" + u.Host
		}
		return vm.ToValue(map[string]any{
			"href": u.String(), "protocol": u.Scheme + ":", "host": u.Host, "hostname": u.Hostname(), "port": u.Port(),
			"pathname": u.EscapedPath(), "search": search, "hash": hash, "origin": origin,
		})
	}))
}

// arg is argument i as a string, converted as goja converts the argument
// of a Go func(string): "" when missing, undefined or null, else String().
func arg(c goja.FunctionCall, i int) string {
	if i >= len(c.Arguments) {
		return ""
	}
	v := c.Arguments[i]
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return ""
	}
	return v.String()
}

// decodeBase64 decodes base64 as atob does: white space ignored, padding optional.
func decodeBase64(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\n', '\r', '\t', '\f':
			return -1
		}
		return r
	}, s)
	s = strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	return b, err == nil
}
