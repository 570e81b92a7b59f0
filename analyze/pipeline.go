package analyze

import (
	"cmp"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/tssguard/tssguard/analyze/emulate"
	"github.com/tssguard/tssguard/analyze/js"
	"github.com/tssguard/tssguard/capture"
)

// Budgets for what decoding may add to one analysis.
const (
	maxDecodedBytes = 4 << 20
	maxDocs         = 64
	maxScripts      = 2048
	maxScriptBytes  = 128 << 10 // larger scripts (bundles, libraries) are lexed for literals only
	// maxDeobfuscateBytes: scripts larger than this are not de-obfuscated.
	maxDeobfuscateBytes = 128 << 10
)

// scriptUnit is one piece of JavaScript with its facts and where it came from.
type scriptUnit struct {
	Name    string // location for evidence
	Source  string // script, handler, decoded, written, emulation, runtime
	Code    string
	Handler string // event attribute name for handler code
	Doc     int    // index into analysis.docs
	Order   int    // place among the document's <script> elements (1 for the first)
	Src     string // the script element's src ("" inline)
	Depth   int    // decoding depth: 0 for code as served
	Facts   *js.Facts
	// obfuscated: small enough to de-obfuscate, and looks obfuscated.
	obfuscated bool
	// writesUnread: a small script that writes into the page values the
	// static reading does not know (readWritten).
	writesUnread bool
}

// observed is a behaviour seen in the emulator or the browser.
type observed struct {
	capture.Event
	Source string // emulation or runtime
}

// scriptMade: content of this source is what a script wrote, decoded or
// ran (not the page as served or rendered).
func scriptMade(source string) bool {
	return source == "decoded" || source == "written" || source == "emulation"
}

// scriptMade: d is what a script wrote, decoded or ran.
func (d *docFacts) scriptMade() bool { return scriptMade(d.Source) }

// docSource labels evidence from a document.
func docSource(d *docFacts) string {
	if d.Source != "" {
		return d.Source
	}
	return "html"
}

func (a *analysis) readDocuments() {
	for i, doc := range a.cap.Documents {
		if len(a.docs) >= maxDocs {
			a.note("only the first %d documents were analysed", maxDocs)
			break
		}
		name := doc.URL
		if name == "" {
			name = fmt.Sprintf("document #%d", i+1)
		}
		d := takeParsed(doc)
		if d != nil {
			d.Name = name
		} else {
			d = parseDoc(name, doc.Body)
		}
		if doc.Rendered {
			d.Source = "rendered"
		}
		d.index = len(a.docs)
		a.docs = append(a.docs, d)
	}
	if len(a.docs) == 0 {
		a.note("capture has no document")
		return
	}
	// The regions to read phone numbers in are inferred with the hotlines
	// (findHotlines), from the text as well as the markup.
}

func (a *analysis) readScripts() {
	// Resources by document and reference, to pair them with <script src>.
	type key struct {
		doc int
		ref string
	}
	res := map[key]*capture.Resource{}
	loaded := map[int][]*capture.Resource{}
	for i := range a.cap.Resources {
		r := &a.cap.Resources[i]
		switch r.Kind {
		case capture.KindScript:
			res[key{r.Doc, r.Ref}] = r
		case capture.KindLoadedScript:
			if r.Err == "" && len(r.Body) > 0 {
				loaded[r.Doc] = append(loaded[r.Doc], r)
			}
		case capture.KindStylesheet:
			if r.Doc >= 0 && r.Doc < len(a.docs) && len(r.Body) > 0 {
				a.docs[r.Doc].Styles = append(a.docs[r.Doc].Styles, attrAt{Value: string(r.Body), Offset: 0, Tag: r.URL})
			}
		case capture.KindEvaluated:
			a.addScript(&scriptUnit{Name: "evaluated " + r.URL, Source: "runtime", Code: string(r.Body)})
		}
	}
	// What the last scripts wrote in place is read once they all are
	// (written.go).
	defer a.endInPlace()
	n := len(a.docs) // decoded documents appended below are handled when added
	for i := 0; i < n; i++ {
		a.readDocScripts(a.docs[i], func(ref string) (string, string, bool) {
			r := res[key{i, ref}]
			if r == nil {
				return "", "", false
			}
			if r.Err != "" || len(r.Body) == 0 {
				return r.URL, "", false
			}
			return r.URL, string(r.Body), true
		})
		// Scripts the document's code loads (a <script src> it writes,
		// an element it makes) run after the scripts that load them.
		for _, r := range loaded[i] {
			a.addScript(&scriptUnit{Name: r.URL + " (loaded by a script)", Source: "script", Code: string(r.Body), Doc: i, Order: maxScriptOrder, Src: r.Ref, Depth: a.docs[i].depth})
		}
	}
}

// maxScriptOrder places a script after every script element of its
// document.
const maxScriptOrder = 1 << 30

// readDocScripts adds the inline scripts, external scripts (through lookup)
// and event-handler attributes of d.
func (a *analysis) readDocScripts(d *docFacts, lookup func(ref string) (name, code string, ok bool)) {
	src := "script"
	if d.scriptMade() {
		src = d.Source
	}
	// Event-handler attributes first: the functions they call
	// (onclick="dial()") run in the handler's context, which the scripts
	// defining them must know.
	invoked := map[string]js.Context{}
	var handlers []*scriptUnit
	for _, h := range d.Handlers {
		u := &scriptUnit{Name: fmt.Sprintf("%s <%s %s>", d.Name, h.Element, h.Attr), Source: "handler", Code: h.Code, Handler: h.Attr, Doc: d.index, Depth: d.depth}
		a.addScript(u)
		if u.Facts == nil {
			continue // past the limits (addScript)
		}
		handlers = append(handlers, u)
		for _, c := range u.Facts.Calls {
			if name := strings.TrimPrefix(c.Callee, "window."); name != "" && !strings.ContainsAny(name, ".()[] ") {
				invoked[name] |= c.Ctx &^ (js.InFunction | js.TopLevel)
			}
		}
	}
	// A document a script writes is read while its scripts are (written.go,
	// addContent): its own names are put back when it is done.
	outerInvoked, outerGlobals := a.invoked, a.globals
	a.invoked, a.globals = invoked, &pageGlobals{}
	defer func() { a.invoked, a.globals = outerInvoked, outerGlobals }()
	// Handlers run once the document is there, with the globals its
	// scripts left (onclick="location.href='tel:'+phone"): those that use
	// one are read again knowing it, after the scripts.
	defer func() {
		for _, u := range handlers {
			if g := a.globals.of(u.Facts.Free); len(g) > 0 {
				u.Facts, _ = a.e.script([]byte(u.Code), u.Handler, outerInvoked, g, 0)
			}
		}
	}()
	inline := 0
	for _, s := range d.Scripts {
		if s.Src == "" {
			inline++
			a.addScript(&scriptUnit{Name: fmt.Sprintf("%s inline script #%d", d.Name, inline), Source: src, Code: s.Code, Doc: d.index, Order: s.Order, Depth: d.depth})
			continue
		}
		if strings.HasPrefix(strings.ToLower(s.Src), "data:") {
			if code, ok := decodeDataURL(s.Src); ok {
				a.addScript(&scriptUnit{Name: d.Name + " data: script", Source: src, Code: code, Doc: d.index, Order: s.Order, Src: s.Src, Depth: d.depth})
			}
			continue
		}
		if lookup == nil {
			continue
		}
		name, code, ok := lookup(s.Src)
		if !ok {
			continue
		}
		a.addScript(&scriptUnit{Name: name, Source: src, Code: code, Doc: d.index, Order: s.Order, Src: s.Src, Depth: d.depth})
	}
}

// pageGlobals are the global variables of one document as its scripts,
// in document order, leave them. Kits keep the number in one script (var
// phone = '…') and write it from others (document.write(phone)). A name
// declared with a constant string has that value; one declared otherwise,
// declared again with another value, or assigned by any script, has none
// from then on.
type pageGlobals struct {
	known  map[string]string
	spoilt map[string]bool
}

// of returns the values known of the names in free; nil when none is.
func (g *pageGlobals) of(free []string) map[string]string {
	if g == nil || len(g.known) == 0 {
		return nil
	}
	var out map[string]string
	for _, name := range free {
		if v, ok := g.known[name]; ok {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = v
		}
	}
	return out
}

// learn takes in what a script just read declares and assigns.
func (g *pageGlobals) learn(f *js.Facts) {
	if g == nil || f == nil {
		return
	}
	spoil := func(name string) {
		if g.spoilt == nil {
			g.spoilt = map[string]bool{}
		}
		g.spoilt[name] = true
		delete(g.known, name)
	}
	for _, v := range f.Globals {
		val := v.Value
		if v.Partial {
			val = js.Unknown + val // js.Options.Globals
		}
		switch old, ok := g.known[v.Name]; {
		case g.spoilt[v.Name]:
		case !v.Known || ok && old != val:
			spoil(v.Name)
		default:
			if g.known == nil {
				g.known = map[string]string{}
			}
			g.known[v.Name] = val
		}
	}
	for _, as := range f.Assigns {
		name := strings.TrimPrefix(as.Target, "window.")
		if _, ok := g.known[name]; ok && !declaresKnown(f, name) {
			spoil(name)
		}
	}
}

// declaresKnown: the script itself gives name its constant value (var
// phone; phone = '…' writes it once; the script's own reading knows).
func declaresKnown(f *js.Facts, name string) bool {
	for _, v := range f.Globals {
		if v.Name == name {
			return v.Known
		}
	}
	return false
}

func decodeDataURL(s string) (string, bool) {
	comma := strings.IndexByte(s, ',')
	if comma < 0 {
		return "", false
	}
	meta, data := s[:comma], s[comma+1:]
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		b, ok := decodeBase64Loose(data)
		return string(b), ok
	}
	u, err := url.PathUnescape(data)
	return u, err == nil
}

// addScript extracts the facts of u (from the cache for repeated code),
// de-obfuscates it when it looks obfuscated, and records it.
func (a *analysis) addScript(u *scriptUnit) {
	// Past maxScripts, up to as many again, only scripts that may matter.
	if len(a.scripts) >= maxScripts && (len(a.scripts) >= 2*maxScripts || !mayMatter(u.Code)) {
		a.scriptsDropped++
		return
	}
	// Large scripts are libraries and bundles; obfuscated scam payloads are small.
	src := []byte(u.Code)
	u.obfuscated = js.Within(src, maxDeobfuscateBytes) && js.LooksObfuscated(src)
	deobDepth := 0
	if u.obfuscated && u.Depth < a.e.opts.MaxDecodeDepth {
		deobDepth = a.e.opts.MaxDecodeDepth - u.Depth
	}
	var decoded []js.Decoded
	u.Facts, decoded = a.e.script(src, u.Handler, a.invoked, nil, deobDepth)
	if u.Handler == "" {
		// A script that reads a global an earlier one set as a constant
		// is read again knowing it (scripts run in document order).
		if g := a.globals.of(u.Facts.Free); len(g) > 0 {
			u.Facts, _ = a.e.script(src, "", a.invoked, g, 0)
		}
		a.globals.learn(u.Facts)
	}
	if u.Facts.ParseError != "" && u.Depth == 0 && u.Source == "script" && len(u.Code) > 200 {
		a.note("%s: JavaScript did not parse (%s); facts taken from tokens", u.Name, clip(u.Facts.ParseError, 80))
	}
	a.scripts = append(a.scripts, u)
	for _, d := range decoded {
		a.addDecoded(d.Method, d.Text, u, u.Depth+d.Depth, "decoded")
	}
	a.readWritten(u)
}

// addDecoded takes a string recovered from obfuscation or written by
// script: HTML is parsed as a document of its own (its scripts and text are
// analysed like the page's), JavaScript is analysed as a script, other text
// joins the page text.
func (a *analysis) addDecoded(method, text string, from *scriptUnit, depth int, source string) {
	if a.charge(&a.decodedBytes, maxDecodedBytes, len(text), "decoded content") {
		a.addContent(method, text, from, depth, source)
	}
}

// charge counts n bytes against *used, whose limit is limit, and says
// whether they fit; the first time they do not, it notes that what is past
// the limit was not analysed.
func (a *analysis) charge(used *int, limit, n int, what string) bool {
	if *used+n > limit {
		if *used < limit {
			a.note("%s over %d bytes was not analysed", what, limit)
			*used = limit
		}
		return false
	}
	*used += n
	return true
}

// addContent reads text a script put together: HTML as a document of its
// own (its scripts and text analysed like the page's), JavaScript as a
// script, other text as page text.
func (a *analysis) addContent(method, text string, from *scriptUnit, depth int, source string) {
	name := fmt.Sprintf("%s of %s", method, from.Name)
	switch {
	case looksHTML(text) && len(a.docs) < maxDocs:
		d := parseDoc(name, []byte(text))
		d.Source = source
		d.depth = depth
		d.index = len(a.docs)
		d.parent = from.Doc
		a.docs = append(a.docs, d)
		if frameMethods[method] && len(a.frameDocs) < maxFrameEmulations {
			a.frameDocs = append(a.frameDocs, frameDoc{index: d.index, html: text})
		}
		a.readDocScripts(d, nil)
	case looksJS(text) && depth <= a.e.opts.MaxDecodeDepth:
		a.addScript(&scriptUnit{Name: name, Source: source, Code: text, Depth: depth, Doc: from.Doc})
	default:
		a.decodedText = append(a.decodedText, segment{Name: name, Source: source, Text: text})
	}
}

// frameDoc is a document a script gave a frame as markup: the emulator
// runs it as a page of its own (emulateFrames).
type frameDoc struct {
	index int
	html  string
}

// frameMethods are the ways a script gives a frame its document as
// markup (written.go); maxFrameEmulations bounds the frames run.
var frameMethods = map[string]bool{"srcdoc": true, "blob": true}

const maxFrameEmulations = 2

func looksHTML(s string) bool {
	i := strings.IndexByte(s, '<')
	if i < 0 || i+1 >= len(s) {
		return false
	}
	c := s[i+1]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '!' || c == '/') && strings.IndexByte(s[i:], '>') > 0
}

// mayMatterWords are what a script past the count limits must name to be
// analysed anyway (addScript, addScriptRef): a way to call, lock, scare or
// navigate, or to build code at run time. Lower case.
var mayMatterWords = append([]string{"location", "open", "alert", "confirm", "prompt", "fullscreen", "pointerlock", "keyboard",
	"pushstate", "replacestate", "beforeunload", "speechsynthesis", "print", "dispatchevent", "click", "eval", "atob",
	"fromcharcode", "function", "=>", "write", "innerhtml", "settimeout", "setinterval", "\\x", "\\u", "_0x"}, callSchemes...)

// mayMatter: code names one of mayMatterWords, ASCII case ignored.
func mayMatter(code string) bool {
	lower := strings.ToLower(code)
	for _, w := range mayMatterWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

func looksJS(s string) bool {
	for _, tok := range []string{"(", "=", ";"} {
		if !strings.Contains(s, tok) {
			return false
		}
	}
	return true
}

// worthEmulating: running scripts costs milliseconds, so it is done only
// when the static pass saw something emulation can confirm or reveal: a call
// link or a number-bearing call literal, a declared call navigation, or two
// different hints among scripts that make code at run time (js.HidesCode),
// number-like URL parameters, locker calls, scare text, navigations to
// places the static pass cannot read and, on a page already suspicious,
// writes into the page it cannot follow, or workers started in a loop.
func (a *analysis) worthEmulating() bool {
	if len(a.docs) == 0 {
		return false
	}
	for _, doc := range a.docs {
		if len(doc.Frames) > 0 || refreshToCall(doc) {
			return true // declared call navigations run without script
		}
	}
	d := a.emulatedDoc()
	hasScript, obfuscated, params, workerLoop, hiddenNav, unread := false, false, false, false, false, false
	for _, u := range a.scripts {
		if !a.writtenInto(u.Doc, d.index) {
			continue
		}
		if u.Depth == 0 {
			hasScript = true
		}
		// Code made at run time, at any layer the static reading peeled:
		// strings it decodes itself (unescape of a literal, \x escapes)
		// leave running it nothing to show.
		if u.obfuscated && !obfuscated && js.HidesCode([]byte(u.Code)) {
			obfuscated = true
		}
		for _, l := range u.Facts.Literals {
			if callScheme(l.Value) != "" && digitCount(l.Value) >= 7 || markupCallLink(l.Value) {
				return true
			}
		}
		// Values folded from pieces ('te' + 'l:' + …) count the same.
		for _, s := range u.Facts.Assigns {
			if callScheme(s.Value) != "" && digitCount(s.Value) >= 7 {
				return true
			}
		}
		for _, c := range u.Facts.Calls {
			for _, arg := range c.Args {
				if callScheme(arg) != "" && digitCount(arg) >= 7 {
					return true
				}
			}
			// Workers started in a loop or a timer: a pool, or a flood
			// to freeze the machine, which only running it tells apart.
			if m := strings.ToLower(c.Method); (m == "worker" || m == "sharedworker") && repeated(c.Ctx) {
				workerLoop = true
			}
		}
		for _, r := range a.urlReads(u) {
			if isNumberParam(r.Param) {
				params = true
			}
		}
		hiddenNav = hiddenNav || navigatesToUnread(u.Facts)
		unread = unread || u.writesUnread
	}
	if !hasScript {
		return false
	}
	if workerLoop {
		return true
	}
	if a.obfuscatedOnly() { // issue 9: see obfuscated.go
		return true
	}
	if a.e.opts.AlwaysEmulate {
		return true
	}
	for _, an := range d.Anchors {
		if callScheme(an.Href) != "" {
			return true
		}
	}
	if len(d.Forms) > 0 {
		return true
	}
	// The static findings are known: evaluate ran before this. A page
	// with no content of its own but a redirect is a gateway: where it
	// sends each device is what running it tells (emulateAsPhone).
	if a.findings["TSS-GATEWAY-REDIRECT"] != nil {
		return true
	}
	content, behaviour := 0, 0
	for _, f := range a.findings {
		switch f.Category {
		case "content":
			content++
		case "locker", "media":
			behaviour++
		}
	}
	if behaviour >= 3 {
		return true // a locker kit even without words: see whether it starts on its own (lockers.go)
	}
	hints := 0
	// Writes the static reading cannot follow are common on any page;
	// they hint at a kit only on a page already suspicious.
	unread = unread && a.tally().verdict == Suspicious
	for _, h := range []bool{obfuscated, params, behaviour >= 1, content >= 2, hiddenNav, unread} {
		if h {
			hints++
		}
	}
	return hints >= 2
}

// navigatesToUnread says whether a script sends the page on by itself (no
// click) to a place the static pass reads only in part, with a number in
// it or a call scheme: a call link put together from pieces the folder
// does not know (s + "l:" + 18005550142, "tel:" + the text of the number's
// element), perhaps behind a dialog's answer (if (confirm(…))
// location.href = n). Only running it tells where.
func navigatesToUnread(f *js.Facts) bool {
	unread := func(partial string) bool { return digitCount(partial) >= 7 || callScheme(partial) != "" }
	for _, s := range f.Assigns {
		if s.Value != "" || gesture(s.Ctx) || !unread(s.Partial) {
			continue
		}
		if locationTarget(strings.ToLower(s.Target)) {
			return true
		}
	}
	for _, c := range f.Calls {
		m, callee := strings.ToLower(c.Method), strings.ToLower(c.Callee)
		if (locationCall(m, callee) || windowOpen(m, callee)) && argAt(c.Args, 0) == "" && unread(argAt(c.PartialArgs, 0)) && !gesture(c.Ctx) {
			return true
		}
	}
	return false
}

// writtenInto says whether document doc is document into or one its
// scripts wrote or decoded (document.write of an atob'd page): the
// emulator runs those scripts as part of into.
func (a *analysis) writtenInto(doc, into int) bool {
	for hops := 0; doc >= 0 && doc < len(a.docs) && hops <= len(a.docs); hops++ {
		if doc == into {
			return true
		}
		if s := a.docs[doc].Source; s != "decoded" && s != "written" {
			return false
		}
		doc = a.docs[doc].parent
	}
	return false
}

// markupCallLink: s is markup with a link to call a number
// (href="tel:…" and seven digits or more after it), as a script writes it
// into the page with document.write or innerHTML. A call link written so
// is no link of the page's HTML, yet the script may click it as well.
func markupCallLink(s string) bool {
	if strings.IndexByte(s, '<') < 0 {
		return false
	}
	lower := strings.ToLower(s)
	if !strings.Contains(lower, "href") {
		return false
	}
	for _, sc := range callSchemes {
		for from := 0; ; {
			i := strings.Index(lower[from:], sc)
			if i < 0 {
				break
			}
			at := from + i + len(sc)
			if digitCount(lower[at:min(len(lower), at+40)]) >= 7 {
				return true
			}
			from = at
		}
	}
	return false
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

func refreshToCall(d *docFacts) bool {
	for _, m := range d.Refresh {
		if callScheme(refreshURL(m.Value)) != "" {
			return true
		}
	}
	return false
}

func (a *analysis) emulate() {
	main := a.emulatedDoc()
	var page emulate.Page
	page.URL = a.emulationURL()
	page.HTML = a.cap.Documents[main.index].Body
	page.UserAgent = capture.UserAgents["windows"]
	page.Language = cmp.Or(a.cap.Language, main.Lang) // the visitor asked for, else the page's
	// Scripts of the main document in page order; event-handler attributes
	// come with the HTML, as in a browser.
	var units []*scriptUnit
	for _, u := range a.scripts {
		if u.Doc == main.index && u.Depth == 0 && u.Source == "script" {
			units = append(units, u)
		}
	}
	sort.SliceStable(units, func(i, j int) bool { return units[i].Order < units[j].Order })
	for _, u := range units {
		page.Scripts = append(page.Scripts, emulate.Script{Name: u.Name, Source: []byte(u.Code), Element: u.Order, Src: u.Src})
	}
	res := emulate.Emulate(a.ctx, page, a.emulationOptions())
	a.emulated = true
	if res.Interrupted {
		a.note("emulation was cut off at its budget (%v): the page loops or stalls", a.e.opts.EmulationBudget)
	}
	for _, name := range res.Stalled {
		a.note("%s was cut off at the emulator's budget (it loops or stalls); the rest of the page ran", name)
	}
	for _, name := range res.NotRun {
		a.note("%s was not run by the emulator: larger than %d MiB", name, emulate.MaxScript>>20)
	}
	if res.DOMCut {
		a.note("the emulator kept the first %d nodes of the page's document; its scripts saw no more", emulate.MaxPageNodes)
	}
	for _, ev := range res.Events {
		a.events = append(a.events, observed{Event: ev, Source: "emulation"})
	}
	from := &scriptUnit{Name: "emulation", Source: "emulation", Doc: main.index}
	a.takeSentinelParams(res)
	for _, d := range res.Decoded {
		if a.sentinel != "" && strings.Contains(d.Text, a.sentinel) {
			a.templateConfirmed = true
		}
		a.addEmulated(d, from, "in emulation")
	}
	for _, ev := range res.Events {
		if a.sentinel != "" && strings.Contains(ev.Detail, a.sentinel) {
			a.templateConfirmed = true
		}
	}
	if asked(res, "confirm") && a.tally().verdict != Scam {
		a.emulateAnsweringOK(page, res, from)
	}
	if res.ReadUA && a.phoneMayDiffer(res) {
		a.emulateAsPhone(page, res, from)
	}
	a.emulateFrames(main, page)
}

// emulateFrames runs, each as a page of its own, the documents the
// emulated document's scripts gave a frame as markup (f.srcdoc = …, a Blob
// of HTML): a kit that serves an empty page puts its alert and its
// scripts there, and running the page alone never runs them.
func (a *analysis) emulateFrames(main *docFacts, parent emulate.Page) {
	for _, f := range a.frameDocs {
		if f.index >= len(a.docs) || !a.writtenInto(f.index, main.index) {
			continue
		}
		d := a.docs[f.index]
		page := emulate.Page{URL: parent.URL, HTML: []byte(f.html), UserAgent: parent.UserAgent, Language: cmp.Or(parent.Language, d.Lang)}
		var units []*scriptUnit
		for _, u := range a.scripts {
			if u.Doc == f.index && u.Depth == d.depth && u.Handler == "" && u.Source != "runtime" {
				units = append(units, u)
			}
		}
		if len(units) == 0 {
			continue
		}
		sort.SliceStable(units, func(i, j int) bool { return units[i].Order < units[j].Order })
		for _, u := range units {
			page.Scripts = append(page.Scripts, emulate.Script{Name: u.Name, Source: []byte(u.Code), Element: u.Order, Src: u.Src})
		}
		res := emulate.Emulate(a.ctx, page, a.emulationOptions())
		if res.Interrupted {
			a.note("emulation of %s was cut off at its budget (%v)", d.Name, a.e.opts.EmulationBudget)
		}
		for _, ev := range res.Events {
			a.events = append(a.events, observed{Event: ev, Source: "emulation"})
		}
		from := &scriptUnit{Name: "emulation of " + d.Name, Source: "emulation", Doc: f.index}
		for _, dec := range res.Decoded {
			a.addEmulated(dec, from, "in emulation")
		}
	}
}

// asked says whether the run showed a dialog of the kind (alert, confirm,
// prompt).
func asked(res emulate.Result, kind string) bool {
	for _, e := range res.Events {
		if e.Kind == capture.EventDialog && e.Reason == kind {
			return true
		}
	}
	return false
}

// emulateAnsweringOK runs the page again as a visitor who answers OK to
// its confirm() dialogs (the first run answered Cancel, as the sandbox's
// browser does): "Press OK to contact support" may lead to the call link
// that Cancel never reaches. What this run alone did is added.
func (a *analysis) emulateAnsweringOK(page emulate.Page, first emulate.Result, from *scriptUnit) {
	done := newRunsDone(func(capture.Event) bool { return true }, first)
	page.AnswersOK = true
	ok := emulate.Emulate(a.ctx, page, a.emulationOptions())
	if done.addNew(a, ok, from, "after the visitor answered OK", "in emulation answering OK") {
		a.note("the page asks the visitor to confirm: run again answering OK, it did more")
	}
}

// runsDone is what a page's earlier emulator runs did (the events keep
// counts, everything they wrote or decoded), so that a run as another
// visitor adds only what it alone did.
type runsDone struct {
	keep        func(capture.Event) bool
	seen, wrote map[string]bool
}

func newRunsDone(keep func(capture.Event) bool, first emulate.Result) *runsDone {
	d := &runsDone{keep: keep, seen: map[string]bool{}, wrote: map[string]bool{}}
	d.remember(first)
	return d
}

func (d *runsDone) remember(r emulate.Result) {
	for _, e := range r.Events {
		if d.keep(e) {
			d.seen[string(e.Kind)+"\x00"+e.Detail] = true
		}
	}
	for _, w := range r.Decoded {
		d.wrote[w.Text] = true
	}
}

// addNew adds to a's evidence what run r did and the earlier runs did not:
// its events, their reason ending in reason, and what it wrote or decoded,
// named where. It says whether there was any.
func (d *runsDone) addNew(a *analysis, r emulate.Result, from *scriptUnit, reason, where string) bool {
	added := false
	for _, e := range r.Events {
		if d.keep(e) && !d.seen[string(e.Kind)+"\x00"+e.Detail] {
			e.Reason = strings.TrimSpace(e.Reason + " " + reason)
			a.events = append(a.events, observed{Event: e, Source: "emulation"})
			added = true
		}
	}
	for _, w := range r.Decoded {
		if !d.wrote[w.Text] {
			a.addEmulated(w, from, where)
			added = true
		}
	}
	return added
}

// takeSentinelParams notes the number parameters the emulator handed the
// sentinel out for at run time (the page asked for them by name, which
// its obfuscated code hid from the static reading): what comes back out
// of the page with it is the URL's number.
func (a *analysis) takeSentinelParams(res emulate.Result) {
	for _, p := range res.SentinelParams {
		a.sentinel = sentinelNumber
		if !contains(a.runtimeParams, p) {
			a.runtimeParams = append(a.runtimeParams, p)
		}
	}
}

// emulationOptions are the emulator's options for this engine's budget.
func (a *analysis) emulationOptions() emulate.Options {
	most := maxEmulationBudget
	if a.obfuscatedOnly() {
		most = maxObfuscatedOnlyBudget
	}
	return emulate.Options{Budget: a.e.opts.EmulationBudget, MaxBudget: max(a.e.opts.EmulationBudget, most), Click: true,
		Sentinel: sentinelNumber, NumberParam: isNumberParam}
}

// addEmulated takes what a run wrote or ran (as a decoded document) or
// decoded on the way (as text); where says which run, for the segment's
// name.
func (a *analysis) addEmulated(d emulate.Decoded, from *scriptUnit, where string) {
	switch d.Method {
	case "document.write", "innerHTML", "eval", "Function", "setTimeout-string", "dom":
		a.addDecoded(d.Method, d.Text, from, 1, "emulation")
	default:
		if len(d.Text) >= 8 {
			a.decodedText = append(a.decodedText, segment{Name: d.Method + " " + where, Source: "emulation", Text: d.Text})
		}
	}
}

// navigates: e is a navigation, to a call or to a page.
func navigates(e capture.Event) bool {
	return e.Kind == capture.EventCallNavigation || e.Kind == capture.EventNavigation
}

// phoneMayDiffer says whether a page whose scripts read the user agent is
// worth a second run as a phone: a gateway (no content of its own), a
// page with a way to call, one the PC run navigated away from, or one
// with scare text or a locker. Most sites read the user agent (analytics,
// libraries); running each twice would double what emulation costs.
func (a *analysis) phoneMayDiffer(pc emulate.Result) bool {
	if a.looksEmpty() || len(a.callTargets) > 0 {
		return true
	}
	for _, e := range pc.Events {
		if navigates(e) {
			return true
		}
	}
	for _, d := range a.docs {
		for _, an := range d.Anchors {
			if callScheme(an.Href) != "" {
				return true
			}
		}
	}
	for _, f := range a.findings {
		if f.Category == "content" || f.Category == "locker" {
			return true
		}
	}
	return false
}

// emulateAsPhone runs the page again as an Android phone and as an
// iPhone when its scripts read what tells the visitor's device:
// click-to-call kits dial only on phones (an Apple-themed one only on
// iPhones), and gateways send each device somewhere else. What a phone
// run did that the runs before it did not is added: its call and page
// navigations (their reason says which phone) and what it wrote. A PC and
// a phone sent to different places is the user-agent cloak
// (detectEvents).
func (a *analysis) emulateAsPhone(page emulate.Page, pc emulate.Result, from *scriptUnit) {
	a.note("the page's scripts read the visitor's user agent: emulated again as an Android phone and as an iPhone")
	done := newRunsDone(navigates, pc)
	first := func(r emulate.Result) string {
		for _, e := range r.Events {
			if navigates(e) && !e.AfterGesture {
				return e.Detail
			}
		}
		return ""
	}
	// One device sent on while the other stays counts only on a page with
	// no content of its own: a gateway, not a site with a mobile version.
	where := func(u string) string {
		if u == "" {
			return "stays on the page"
		}
		return "is sent to " + clip(u, 80)
	}
	for _, device := range []struct{ profile, name string }{{"android", "an Android phone"}, {"iphone", "an iPhone"}} {
		page.UserAgent = capture.UserAgents[device.profile]
		phone := emulate.Emulate(a.ctx, page, a.emulationOptions())
		done.addNew(a, phone, from, "as "+device.name, "in emulation as "+device.name)
		if p, m := first(pc), first(phone); a.deviceCloak == "" && p != m && (p != "" && m != "" || a.looksEmpty()) {
			a.deviceCloak = "a PC " + where(p) + ", " + device.name + " " + where(m)
		}
		done.remember(phone)
	}
}

// emulatedDoc is the document the emulator runs: the page as served. A
// dynamic capture's first document is the DOM the browser ended with,
// whose external scripts came over the browser's network; the served
// copy of the page (capture.AddServed) carries them, and running the
// page's scripts again over their own results would not be the page.
func (a *analysis) emulatedDoc() *docFacts {
	if i := a.cap.Served; i > 0 && a.cap.Documents[0].Rendered && i < len(a.docs) && a.docs[i].index == i {
		return a.docs[i]
	}
	return a.docs[0]
}

// sentinelNumber is put into URL parameters the page reads but the URL does
// not carry, to see whether the page writes or dials them (a template).
const sentinelNumber = "18885550100"

// emulationURL is the page URL, plus the sentinel in every number-like
// parameter the scripts read and the URL lacks.
func (a *analysis) emulationURL() string {
	raw := a.cap.FinalURL
	if raw == "" {
		raw = a.cap.URL
	}
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		u = &url.URL{Scheme: "https", Host: "page.invalid", Path: "/"}
	}
	q := u.Query()
	added := false
	for _, p := range a.urlParams() {
		if q.Get(p) == "" {
			q.Set(p, sentinelNumber)
			added = true
		}
	}
	if added {
		u.RawQuery = q.Encode()
		a.sentinel = sentinelNumber
	}
	return u.String()
}

// urlParams lists the URL parameter names the page's scripts read.
func (a *analysis) urlParams() []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range a.scripts {
		for _, r := range a.urlReads(u) {
			if r.Param != "" && !seen[r.Param] && len(out) < 16 {
				seen[r.Param] = true
				out = append(out, r.Param)
			}
		}
	}
	return out
}

// urlReads are a script's reads of the page URL: its own, and its calls of
// a getParam-style helper that another script of the page defines, or of
// one whose definition is out of sight but whose name says what it does
// (getUrlParameter('phone') from a script that was not served).
func (a *analysis) urlReads(u *scriptUnit) []js.URLRead {
	if a.helpersFor != len(a.scripts) {
		// Scripts are added as emulation and decoding find them.
		a.helpersFor, a.urlHelpers = len(a.scripts), nil
		for _, v := range a.scripts {
			for _, h := range v.Facts.URLHelpers {
				if a.urlHelpers == nil {
					a.urlHelpers = map[string]int{}
				}
				a.urlHelpers[h] = v.Doc
			}
		}
	}
	var linked []js.URLRead
	for _, c := range u.Facts.Calls {
		if len(c.Args) == 0 || c.Args[0] == "" || len(linked) >= 16 {
			continue
		}
		doc, helper := a.urlHelpers[c.Callee]
		if helper && doc == u.Doc || !helper && urlGetterName(c.Callee) && isNumberParam(c.Args[0]) {
			linked = append(linked, js.URLRead{Expr: c.Callee, Param: c.Args[0], Offset: c.Offset})
		}
	}
	if len(linked) == 0 {
		return u.Facts.URLReads
	}
	return append(linked, u.Facts.URLReads...)
}

// urlGetterName says whether a plain function name reads like a URL
// parameter getter: getUrlParameter, getQueryVariable, getParamByName.
func urlGetterName(name string) bool {
	if strings.ContainsAny(name, ".()[]") {
		return false
	}
	l := strings.ToLower(name)
	for _, p := range urlGetterPrefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// urlGetterPrefixes begin the names of URL parameter getters (the
// prefilter's keywords for them too).
var urlGetterPrefixes = []string{"getparam", "getquery", "geturl", "getvar", "getarg", "getsearch", "getqs"}

func (a *analysis) readRuntime() {
	rt := a.cap.Runtime
	if rt == nil {
		return
	}
	a.report.Dynamic = true
	for _, ev := range rt.Events {
		a.events = append(a.events, observed{Event: ev, Source: "runtime"})
	}
	// The browser's text keeps the written order after a right-to-left
	// override character: it is read as shown (bidi.go).
	shown := func(t string) string {
		if strings.Contains(t, rlo) {
			return unoverride(t)
		}
		return t
	}
	if rt.VisibleText != "" {
		a.decodedText = append(a.decodedText, segment{Name: "visible text (browser)", Source: "runtime", Text: shown(rt.VisibleText)})
	}
	// Text shown outside the DOM's text (canvas, CSS content, SVG,
	// attributes, fields, text shown reversed, shadow roots, OCR) is page
	// text with its own source.
	for _, t := range rt.Texts {
		if t.Text != "" && t.Source != "" {
			a.decodedText = append(a.decodedText, segment{Name: t.Source + " text (browser)", Source: t.Source, Text: shown(t.Text)})
		}
	}
	if rt.OCR != "" {
		a.note("the screenshot was read by OCR in %v: %s", rt.OCRTook.Round(time.Millisecond), rt.OCR)
	}
	for _, q := range rt.Requests {
		a.report.Requests = append(a.report.Requests, Request{URL: q.URL, Type: q.Type, Status: q.Status, Blocked: q.Blocked, Reason: q.Reason})
	}
	if rt.Crashed {
		a.note("the page crashed the browser tab or was killed for exceeding a limit")
	}
	if rt.Interrupted {
		a.note("the page's scripts were cut off in the browser (endless loop or dialog storm)")
	}
}
