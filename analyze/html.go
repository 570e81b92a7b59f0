package analyze

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/tssguard/tssguard/analyze/htmltok"
	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/internal/lang"
)

// Limits for one document pass; attacker pages can be endless lists of tags.
const (
	maxTextBytes    = 2 << 20
	maxItems        = 4096 // of each kind of element recorded
	maxInlineScript = 4096
)

// docFacts is what one pass of the HTML tokenizer records about a document.
// The tokenizer (not the tree builder) is used on purpose: it is linear, keeps
// no stack (100,000 nested tags cost nothing) and gives raw offsets.
type docFacts struct {
	Name string // location for evidence: URL or "decoded from …"
	Lang string
	// Declared lists the languages the document declares: lang and
	// xml:lang of <html> and <body>, <meta http-equiv=content-language>,
	// og:locale. Lang is the first lang attribute.
	Declared []string
	// LinkRegions are the regions of localised sites it links to
	// ("…/fr-fr/…" → FR), one per link.
	LinkRegions []string
	Title       string
	// Text is the visible text, title included, joined as a browser shows
	// it: text in inline elements runs on ("<b>1</b>-<b>844</b>" is
	// "1-844"), block elements and table cells are separated by a line
	// break, which phrase matching reads as a space and number scanning as
	// the end of a number.
	Text string
	// Scripts lists every <script> in document order: inline ones carry
	// Code, external ones Src.
	Scripts  []scriptRef
	Handlers []handlerAttr
	// TextDropped and ScriptsDropped count what was past the limits
	// (maxTextBytes of text, maxInlineScript scripts, maxItems handlers)
	// and not recorded.
	TextDropped    int
	ScriptsDropped int
	Anchors        []anchor // links with a call scheme, and links with download
	Refresh        []attrAt // meta refresh content
	Frames         []attrAt // iframe/frame/embed/object src with a call scheme
	Forms          []form
	Media          []media
	Styles         []attrAt // <style> text and style attributes
	Buttons        []string // button labels and input values (part of Text too)
	Images         []attrAt // pictures embedded as data: URLs, for OCR (images.go)
	SVGPictures    []attrAt // SVG pictures embedded as data: URLs: their text is words (svgtext.go)
	// AttrText is the prose of title, alt and aria-label attributes outside
	// hidden elements (what the browser shows as a tooltip, instead of a
	// picture, or reads aloud); DataText that of data-* attributes, which a
	// script may put in the page (hiddentext.go). Each within maxHiddenText.
	AttrText  []string
	DataText  []string
	attrSeen  map[string]bool // what AttrText and DataText hold
	attrBytes int
	Templates []string // server-side template parameters ($_GET['x'], {{x}})
	Shape     []byte   // tag sequence for the template fingerprint
	Tags      int

	// refs are the document's references as capture.References lists
	// them (ParseForCapture); refsInexact is set when they may not be (a
	// tag with more attributes than readAttrs keeps).
	refs        []capture.Ref
	refsBase    string
	refsInexact bool

	// Set by the analysis, not the parser:
	Source string // "" (served HTML), rendered, decoded, written, emulation
	index  int    // position in analysis.docs
	depth  int    // decoding depth
	parent int    // for a decoded document, the index of the one whose script wrote it
}

type scriptRef struct {
	Order  int
	Src    string // external reference as written
	Code   string // inline code
	Offset int
	Type   string
}

type handlerAttr struct {
	Element string // e.g. "body", "a#call"
	Attr    string // onclick, onload, ...
	Code    string
	Offset  int
}

type anchor struct {
	Href, ID, Class string
	Download        bool
	Offset          int
}

type attrAt struct {
	Value  string
	Offset int
	Tag    string
}

type form struct {
	Action, ID string
	Offset     int
}

type media struct {
	Tag, Src              string
	Autoplay, Loop, Muted bool
	Offset                int
}

// callSchemes are the URL schemes that open a phone, video-call or VoIP app.
var callSchemes = []string{"tel:", "callto:", "facetime:", "facetime-audio:", "sip:", "sips:", "skype:"}

// schemeStart: the first bytes of callSchemes, in either case.
var schemeStart = func() (t [utf8.RuneSelf]bool) {
	for _, sc := range callSchemes {
		t[sc[0]], t[sc[0]-'a'+'A'] = true, true
	}
	return t
}()

// callScheme returns the call scheme s starts with (after trimming), or "".
func callScheme(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n' || s[0] == '\f' || s[0] == 0) {
		s = s[1:]
	}
	if len(s) < 4 {
		return ""
	}
	if c := s[0]; c < utf8.RuneSelf && !schemeStart[c] {
		// An ASCII byte is its own lower case, also in strings.ToLower
		// of a head that is not all ASCII: no scheme starts with it.
		return ""
	}
	if isASCII(s[:min(len(s), 16)]) {
		// What strings.ToLower makes of ASCII: no copy needed to compare.
		for _, sc := range callSchemes {
			if len(s) >= len(sc) && foldsToString(s[:len(sc)], sc) {
				return sc
			}
		}
		return ""
	}
	head := strings.ToLower(s[:min(len(s), 16)])
	for _, sc := range callSchemes {
		if strings.HasPrefix(head, sc) {
			return sc
		}
	}
	return ""
}

var templateParam = regexp.MustCompile(`\$_(?:GET|REQUEST|POST)\s*\[\s*['"]?([A-Za-z0-9_\-]{1,40})|\{\{\s*([A-Za-z][A-Za-z0-9_]{0,30})\s*\}\}|<\?(?:=|php\s+echo)\s*\$([A-Za-z][A-Za-z0-9_]{0,30})`)

// IsJSType says whether a script element of type t runs as JavaScript
// (no type, a JavaScript MIME type, or a module): others are data or
// templates.
func IsJSType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "" || strings.Contains(t, "javascript") || strings.Contains(t, "ecmascript") ||
		t == "module" || strings.Contains(t, "jscript")
}

// blockTags end a line of text where they start and end: block elements,
// line breaks, table cells (two numbers in neighbouring cells are two
// numbers), form controls. Other elements (span, b, a, font, …) are
// inline: their text runs on without a separator.
var blockTags = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields(`address article aside blockquote body br button caption center dd details dialog dir div dl dt
		fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe legend li listing
		main marquee menu nav noscript ol optgroup option p plaintext pre section select summary table tbody td template
		textarea tfoot th thead title tr ul xmp`) {
		m[t] = true
	}
	return m
}()

// hiddenTextTags hold text that is never shown as text. Template and
// noscript content is kept: kits keep their alert in a <template> that a
// script clones into the page.
var hiddenTextTags = map[string]bool{"script": true, "style": true}

// spaceBounds returns where t is without its leading and trailing white
// space (unicode.IsSpace), as strings.TrimSpace finds it.
func spaceBounds(t string) (lo, hi int) {
	for lo < len(t) {
		if c := t[lo]; c < utf8.RuneSelf {
			if asciiClass[c] < asciiSpace {
				break
			}
			lo++
			continue
		}
		r, n := utf8.DecodeRuneInString(t[lo:])
		if !unicode.IsSpace(r) {
			break
		}
		lo += n
	}
	hi = len(t)
	for hi > lo {
		if c := t[hi-1]; c < utf8.RuneSelf {
			if asciiClass[c] < asciiSpace {
				break
			}
			hi--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(t[lo:hi])
		if !unicode.IsSpace(r) {
			break
		}
		hi -= n
	}
	return lo, hi
}

// parseDoc runs the tokenizer over body.
func parseDoc(name string, body []byte) *docFacts {
	d := &docFacts{Name: name}
	z := htmltok.New(body)
	// The visible text, a string at the end. It is a fifth of a page's
	// bytes or less as a rule: room for that saves growing it step by step.
	text := make([]byte, 0, min(len(body)/5+64, maxTextBytes))
	offset := 0
	order := 0
	refOrder := 0    // capture.References' count of scripts
	hiddenDepth := 0 // inside script/style/noscript/template
	var inTag string // the raw-text element we are in, if any
	var pendingScript *scriptRef
	inTitle := false
	shape := make([]byte, 0, 1024)
	var attrs attrList
	// pending is the separator owed before the next text: 0, a space, or a
	// line break for a block boundary.
	var pending byte
	gap := func(c byte) {
		if pending != '\n' { // a line break is never weakened to a space
			pending = c
		}
	}
	var decoy decoyState       // decoys.go
	var reversed reversedState // bidi.go
	// The classes the style elements so far hide, read when an element
	// with a class first stands inside a word (most pages have none).
	hidden := classRules{decls: hidingDecls}
	// The same for classes that show their text reversed, asked only once
	// a style element overrides the direction (cssOverrides).
	overriding := classRules{decls: overridesRTL}
	cssOverrides := false
	addText := func(t string) {
		if len(text) >= maxTextBytes {
			d.TextDropped += len(strings.TrimSpace(t))
			return
		}
		lo, hi := spaceBounds(t)
		if lo == hi {
			gap(' ')
			return
		}
		body := t[lo:hi]
		if strings.Contains(body, rlo) {
			body = unoverride(body) // bidi.go
		}
		if decoy.closed {
			// The word goes on after a hidden decoy: the decoy is out.
			if lo == 0 && pending == 0 && len(text) == decoy.to && startsWord(body) && decoy.hides(&hidden, d.Styles) {
				text = text[:decoy.from]
			}
			decoy.closed = false
		}
		if lo > 0 {
			gap(' ') // leading white space
		}
		if len(text) > 0 && pending != 0 {
			text = append(text, pending)
		}
		pending = 0
		// Line breaks and tabs in the source are spaces on screen; '\n'
		// in Text marks block boundaries only. (They are ASCII: no byte
		// of a longer UTF-8 sequence is one of them.)
		from := len(text)
		text = append(text, body...)
		for i, c := range text[from:] {
			if c == '\n' || c == '\r' || c == '\f' || c == '\t' {
				text[from+i] = ' '
			}
		}
		if hi < len(t) {
			gap(' ') // trailing white space
		}
	}
	addBlock := func(t string) {
		gap('\n')
		addText(t)
		gap('\n')
	}
	for {
		tt := z.Next()
		if tt == htmltok.ErrorToken {
			break
		}
		raw := z.Raw()
		start := offset
		offset += len(raw)
		switch tt {
		case htmltok.TextToken:
			switch {
			case pendingScript != nil:
				pendingScript.Code += string(z.Text())
			case inTag == "style":
				if len(d.Styles) < maxItems {
					css := z.Text()
					d.Styles = append(d.Styles, attrAt{Value: string(css), Offset: start, Tag: "style"})
					cssOverrides = cssOverrides || indexFold(css, "bidi-override") >= 0
				}
			case inTitle:
				t := strings.Join(strings.Fields(string(z.Text())), " ")
				d.Title = strings.TrimSpace(d.Title + " " + t)
				addBlock(t)
			case hiddenDepth == 0:
				if t := z.Text(); len(t) > 0 {
					// A view of the tokenizer's bytes, not a copy: addText
					// copies what it keeps and keeps nothing else (of
					// white space alone, a gap).
					addText(unsafe.String(unsafe.SliceData(t), len(t)))
				}
			}
		case htmltok.CommentToken:
			collectTemplates(d, raw)
		case htmltok.StartTagToken, htmltok.SelfClosingTagToken, htmltok.EndTagToken:
			var tag string
			var flags tagFlags
			if tt == htmltok.EndTagToken {
				tag, flags = readEndTag(z, raw)
			} else {
				tag, flags = readStartTag(z, raw, &attrs)
			}
			if flags&tagBlock != 0 && hiddenDepth == 0 {
				gap('\n')
			}
			if reversed.tag != "" && tag == reversed.tag {
				// Text shown reversed ends with its element.
				switch {
				case tt == htmltok.StartTagToken:
					reversed.depth++
				case tt == htmltok.EndTagToken && reversed.depth > 0:
					reversed.depth--
				case tt == htmltok.EndTagToken:
					reverseRunes(text[min(reversed.from, len(text)):])
					reversed.tag = ""
				}
			} else if reversed.tag == "" && tt == htmltok.StartTagToken && hiddenDepth == 0 && showsReversed(tag, &attrs, &overriding, d.Styles, cssOverrides) {
				from := len(text)
				if pending != 0 && from > 0 {
					from++ // the separator owed comes before the element's text
				}
				reversed = reversedState{tag: tag, from: from}
			}
			if decoy.tag != "" {
				// The hidden element closes with nothing but its text in
				// it, short and inside a word: a decoy if the word goes on.
				n := len(text) - decoy.from
				if tt == htmltok.EndTagToken && tag == decoy.tag && n > 0 && n <= maxDecoy && pending == 0 && !bytes.ContainsAny(text[decoy.from:], " \n") {
					decoy.closed, decoy.to = true, len(text)
				}
				decoy.tag = ""
			} else if tt == htmltok.StartTagToken && decoyTags[tag] && pending == 0 && hiddenDepth == 0 && endsWithWord(text) && mayHide(&attrs) {
				from := len(text)
				if decoy.closed && decoy.to == from && decoy.hides(&hidden, d.Styles) {
					from = decoy.from // decoys side by side: one cut
				}
				decoy = newDecoy(tag, from, &attrs)
			}
			if tt == htmltok.EndTagToken {
				switch tag {
				case "script":
					if pendingScript != nil {
						d.addScriptRef(*pendingScript)
						pendingScript = nil
					}
				case "title":
					inTitle = false
				}
				if flags&tagHidden != 0 && hiddenDepth > 0 {
					hiddenDepth--
				}
				if tag == inTag {
					inTag = ""
				}
				continue
			}
			d.Tags++
			if len(shape) < 64<<10 {
				shape = append(shape, tag...)
				shape = append(shape, '>')
			}
			if len(d.refs) < capture.MaxRefs && flags&tagRef != 0 {
				d.refsInexact = d.refsInexact || attrs.len() > maxAttrs
				if ref, ok, href, isBase := capture.RefFromAttrs(tag, attrs.refAttrs(), start, &refOrder); ok {
					d.refs = append(d.refs, ref)
				} else if isBase && d.refsBase == "" {
					d.refsBase = href
				}
			}
			collectTemplatesAttrs(d, &attrs)
			d.element(tag, &attrs, start, &order, &pendingScript)
			d.attributeText(&attrs, hiddenDepth == 0)
			switch tag {
			case "title":
				inTitle = tt == htmltok.StartTagToken
			case "style":
				inTag = "style"
			case "input", "textarea":
				// A button's label, and what a field shows in its box:
				// its value and its placeholder (a number in a read-only
				// field is on the screen as any text is).
				typ := strings.ToLower(strings.TrimSpace(attrs.get("type")))
				v := attrs.get("value")
				switch {
				case tag == "textarea":
				case v != "" && (typ == "button" || typ == "submit" || typ == "reset"):
					d.Buttons = append(d.Buttons, v)
					addBlock(v)
				case v != "" && hiddenDepth == 0 && showsValue(typ) && prose(v):
					addBlock(v)
				}
				if p := attrs.get("placeholder"); p != "" && hiddenDepth == 0 && prose(p) {
					addBlock(p)
				}
			}
			if flags&tagHidden != 0 && tt == htmltok.StartTagToken {
				hiddenDepth++
			}
		}
	}
	if pendingScript != nil {
		d.addScriptRef(*pendingScript) // unterminated <script>
	}
	d.Text = unsafe.String(unsafe.SliceData(text), len(text)) // text is not written again
	d.Shape = shape
	return d
}

// ParseForCapture is a capture.Options.Parse: it parses a document as the
// analysis does and lists its references with the same pass, so that a
// page captured with it is tokenized once. The analysis of the capture
// takes the parse over (readDocuments).
func ParseForCapture(body []byte) (refs []capture.Ref, base string, parsed any, ok bool) {
	d := parseDoc("", body)
	if d.refsInexact {
		return nil, "", nil, false
	}
	refs, base = d.refs, d.refsBase
	d.refs = nil
	var inline []string
	for _, s := range d.Scripts {
		if s.Src == "" && s.Code != "" {
			inline = append(inline, s.Code)
		}
	}
	refs = append(refs, capture.LoadedRefs(inline, refs)...)
	return refs, base, &parsedDoc{facts: d, body: unsafe.SliceData(body), n: len(body)}, true
}

// parsedDoc is a document parsed while it was captured. The first analysis
// of the capture takes it (claimed); any other parses the document again,
// as the analysis changes what it takes.
type parsedDoc struct {
	facts   *docFacts
	body    *byte // the Body parsed, which must still be the Document's
	n       int
	claimed atomic.Bool
}

// DeclaredLanguage is the language c's page declares for itself (the
// lang attribute of its html or body element, as a tag), "" when it
// declares none: the visitor it was made for speaks it. The emulator takes
// it for its visitor; a browser loading the page can be made that visitor
// too. It reads the parse made at capture when there is one.
func DeclaredLanguage(c *capture.Capture) string {
	if c == nil || len(c.Documents) == 0 {
		return ""
	}
	doc := c.Documents[0]
	var lang string
	if p := parsedOf(doc); p != nil {
		lang = p.facts.Lang
	} else {
		lang = parseDoc("", doc.Body).Lang
	}
	if tag, ok := capture.LanguageTag(lang); ok {
		return tag
	}
	return ""
}

// takeParsed returns the facts of doc parsed at capture, or nil.
func takeParsed(doc capture.Document) *docFacts {
	p := parsedOf(doc)
	if p == nil || !p.claimed.CompareAndSwap(false, true) {
		return nil
	}
	return p.facts
}

// parsedOf is the parse made of doc at capture, nil when there is none or
// it is of other bytes (the body was replaced since).
func parsedOf(doc capture.Document) *parsedDoc {
	p, ok := doc.Parsed.(*parsedDoc)
	if !ok || p.body != unsafe.SliceData(doc.Body) || p.n != len(doc.Body) {
		return nil
	}
	return p
}

// addScriptRef records a script up to maxInlineScript a document; past
// that, up to as many again, the external ones and the inline ones that
// may matter (mayMatter): a kit that put thousands of empty scripts
// before its payload must not push the payload out.
func (d *docFacts) addScriptRef(s scriptRef) {
	if len(d.Scripts) < maxInlineScript || len(d.Scripts) < 2*maxInlineScript && (s.Src != "" || mayMatter(s.Code)) {
		d.Scripts = append(d.Scripts, s)
		return
	}
	d.ScriptsDropped++
}

func (d *docFacts) element(tag string, attrs *attrList, offset int, order *int, pending **scriptRef) {
	// The element's label ("a#call") is made only for what records it.
	label := ""
	labelOf := func() string {
		if label == "" {
			label = tag
			if id := attrs.get("id"); id != "" {
				label += "#" + id
			}
		}
		return label
	}
	var handlers []attr
	for _, a := range attrs.list {
		if len(a.key) > 2 && a.key[0] == 'o' && a.key[1] == 'n' && len(a.val) > 0 {
			handlers = append(handlers, a)
		}
	}
	if len(handlers) > 1 { // in the order of their names, as reports have always listed them
		sort.Slice(handlers, func(i, j int) bool { return bytes.Compare(handlers[i].key, handlers[j].key) < 0 })
	}
	for _, h := range handlers {
		if len(d.Handlers) < maxItems {
			d.Handlers = append(d.Handlers, handlerAttr{Element: labelOf(), Attr: string(h.key), Code: string(h.val), Offset: offset})
		} else {
			d.ScriptsDropped++
		}
	}
	if st := attrs.get("style"); st != "" && len(d.Styles) < maxItems {
		d.Styles = append(d.Styles, attrAt{Value: st, Offset: offset, Tag: labelOf()})
	}
	switch tag {
	case "html", "body":
		for _, k := range []string{"lang", "xml:lang"} {
			if v := strings.TrimSpace(attrs.get(k)); v != "" {
				if d.Lang == "" && k == "lang" {
					d.Lang = v
				}
				d.declare(v)
			}
		}
	case "script":
		*order++
		s := scriptRef{Order: *order, Src: strings.TrimSpace(attrs.get("src")), Offset: offset, Type: attrs.get("type")}
		if !IsJSType(s.Type) {
			return
		}
		if s.Src != "" {
			d.addScriptRef(s)
			return
		}
		*pending = &s
	case "a", "area":
		href := attrs.get("href")
		d.linkRegion(href)
		dl := attrs.has("download")
		if (callScheme(href) != "" || dl) && len(d.Anchors) < maxItems {
			d.Anchors = append(d.Anchors, anchor{Href: href, ID: attrs.get("id"), Class: attrs.get("class"), Download: dl, Offset: offset})
		}
	case "meta":
		equiv := attrs.get("http-equiv")
		if strings.EqualFold(equiv, "refresh") && len(d.Refresh) < maxItems {
			d.Refresh = append(d.Refresh, attrAt{Value: attrs.get("content"), Offset: offset, Tag: "meta"})
		}
		if strings.EqualFold(equiv, "content-language") || strings.EqualFold(attrs.get("property"), "og:locale") || strings.EqualFold(attrs.get("name"), "language") {
			for _, v := range strings.Split(attrs.get("content"), ",") { // "fr, en"
				d.declare(v)
			}
		}
	case "link":
		d.linkRegion(attrs.get("href"))
	case "iframe", "frame", "embed", "object":
		src := attrs.get("src")
		if src == "" {
			src = attrs.get("data")
		}
		if callScheme(src) != "" && len(d.Frames) < maxItems {
			d.Frames = append(d.Frames, attrAt{Value: src, Offset: offset, Tag: labelOf()})
		}
		if pic := strings.TrimSpace(src); (tag == "object" || tag == "embed") && isSVGData(pic) && len(d.SVGPictures) < maxSVGPictures {
			d.SVGPictures = append(d.SVGPictures, attrAt{Value: pic, Offset: offset, Tag: tag})
		}
		// A frame, an embed or an object of a sound file plays it at once
		// (<iframe src="alert.mp3" allow="autoplay" hidden>): what kits
		// use to sound their alarm without a click.
		if audioPath(src) && len(d.Media) < maxItems && !strings.EqualFold(attrs.get("autostart"), "false") {
			d.Media = append(d.Media, media{Tag: "audio", Src: src, Autoplay: true, Loop: attrs.has("loop"), Muted: attrs.has("muted"), Offset: offset})
		}
	case "form":
		if action := attrs.get("action"); callScheme(action) != "" && len(d.Forms) < maxItems {
			d.Forms = append(d.Forms, form{Action: action, ID: attrs.get("id"), Offset: offset})
		}
	case "audio", "video", "source", "bgsound":
		auto := attrs.has("autoplay")
		loop := attrs.has("loop")
		muted := attrs.has("muted")
		if tag == "bgsound" {
			auto = true
		}
		if len(d.Media) < maxItems {
			d.Media = append(d.Media, media{Tag: tag, Src: attrs.get("src"), Autoplay: auto, Loop: loop, Muted: muted, Offset: offset})
		}
	case "img", "input":
		if src := strings.TrimSpace(attrs.get("src")); isDataImage(src) && len(d.Images) < maxImages {
			d.Images = append(d.Images, attrAt{Value: src, Offset: offset, Tag: tag})
		} else if isSVGData(src) && len(d.SVGPictures) < maxSVGPictures {
			d.SVGPictures = append(d.SVGPictures, attrAt{Value: src, Offset: offset, Tag: tag})
		}
	case "button":
		// button text arrives as text tokens
	}
}

// declare records a language the document declares.
func (d *docFacts) declare(tag string) {
	tag = strings.TrimSpace(tag)
	if tag == "" || len(tag) > 35 || len(d.Declared) >= 8 || contains(d.Declared, tag) {
		return
	}
	d.Declared = append(d.Declared, tag)
}

// linkRegion records the region of a localised site href points to.
func (d *docFacts) linkRegion(href string) {
	if len(d.LinkRegions) >= maxLinkRegions || href == "" {
		return
	}
	if r := lang.LinkRegion(href); r != "" {
		d.LinkRegions = append(d.LinkRegions, r)
	}
}

const maxLinkRegions = 64

// hasTemplateMarker: b may hold a server-side template parameter.
func hasTemplateMarker(b []byte) bool {
	// Searched for by their rarer byte ('<' starts every tag), with
	// IndexByte: cheaper than bytes.Contains on a short tag.
	return hasPair(b, '$', '_', 1) || hasPair(b, '{', '{', 1) || hasPair(b, '?', '<', -1)
}

// hasPair says whether b has c with d at offset off (1 after, -1 before).
func hasPair(b []byte, c, d byte, off int) bool {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], c)
		if j < 0 {
			return false
		}
		i += j
		if k := i + off; k >= 0 && k < len(b) && b[k] == d {
			return true
		}
		i++
	}
	return false
}

func collectTemplates(d *docFacts, raw []byte) {
	if !hasTemplateMarker(raw) {
		return
	}
	// A PHP page served unrendered shows its template slots: <?=$phone?>.
	for _, m := range templateParam.FindAllSubmatch(raw, 8) {
		d.addTemplate(string(m[1]) + string(m[2]) + string(m[3]))
	}
}

func collectTemplatesAttrs(d *docFacts, attrs *attrList) {
	if attrs.raw != nil && !hasTemplateMarker(attrs.raw) {
		return // nor has any value, each a piece of the raw tag
	}
	var hits []string
	for _, a := range attrs.list {
		if hasTemplateMarker(a.val) {
			hits = append(hits, string(a.val))
		}
	}
	sort.Strings(hits) // in the order reports have always listed them
	for _, v := range hits {
		collectTemplates(d, []byte(v))
	}
}

func (d *docFacts) addTemplate(p string) {
	for _, q := range d.Templates {
		if q == p {
			return
		}
	}
	if len(d.Templates) < 32 {
		d.Templates = append(d.Templates, p)
	}
}

// audioPath: an address whose path is a sound file's (a query or fragment
// may follow).
func audioPath(v string) bool {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, "?#"); i >= 0 {
		v = v[:i]
	}
	dot := strings.LastIndexByte(v, '.')
	if dot < 0 || len(v)-dot > 5 {
		return false
	}
	switch strings.ToLower(v[dot:]) {
	case ".mp3", ".wav", ".ogg", ".oga", ".m4a", ".aac", ".opus", ".weba", ".flac", ".mid", ".midi":
		return true
	}
	return false
}

// showsValue: an input of this type shows its value as text in its box
// (not hidden, a password's dots, a box to tick, a file or colour picker).
func showsValue(typ string) bool {
	switch typ {
	case "", "text", "tel", "search", "email", "url", "number":
		return true
	}
	return false
}
