package capture

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// KindFrame marks a Ref to an iframe or frame document (loaded as a
// Document, not a Resource).
const KindFrame ResourceKind = "frame"

// SrcdocURL is the Ref and Document.URL of an <iframe srcdoc> document.
const SrcdocURL = "about:srcdoc"

// Ref is an external reference of a document.
type Ref struct {
	Kind ResourceKind
	// Ref is the value as written (src or href), leading and trailing
	// space removed; SrcdocURL for an <iframe srcdoc>.
	Ref string
	// Order is the position among the document's scripts, inline ones
	// included (1-based); 0 for style sheets and frames.
	Order int
	// Offset is the byte offset of the tag in the document.
	Offset int
	// Srcdoc is the document of an <iframe srcdoc> (which wins over its src).
	Srcdoc string
}

// MaxRefs bounds the references read from one document.
const MaxRefs = 1024

// References lists the external scripts, style sheets and frames of an HTML
// document in document order (a document an <object> or <embed> holds as a
// data: URL is a frame). It uses the tokenizer, not the tree builder:
// linear, no recursion, safe on 100,000-deep nesting.
//
// As in a browser with scripting on, <noscript> content is text, and of
// several attributes with the same name the first counts. An iframe's
// srcdoc wins over its src. At most 1024 references are listed.
func References(body []byte) []Ref {
	refs, _, _ := scanDocument(body)
	return refs
}

// AllReferences is References with the scripts the document's inline code
// loads after them (LoadedRefs): what a capture reads of a document.
func AllReferences(body []byte) []Ref {
	refs, _ := scanAll(body)
	return refs
}

// scanAll returns AllReferences and the first <base href> of a document.
func scanAll(body []byte) (refs []Ref, base string) {
	refs, base, inline := scanDocument(body)
	return append(refs, LoadedRefs(inline, refs)...), base
}

// maxInlineRead bounds the inline script text scanDocument keeps (what
// LoadedRefs reads).
const maxInlineRead = 4 << 20

// scanDocument returns the references, the first <base href> and the
// code of the inline scripts of a document.
func scanDocument(body []byte) (refs []Ref, base string, inline []string) {
	z := html.NewTokenizer(bytes.NewReader(body))
	offset, order, kept := 0, 0, 0
	inScript := false
	for len(refs) < MaxRefs {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		start := offset
		offset += len(z.Raw())
		if tt == html.TextToken && inScript && kept < maxInlineRead {
			code := string(z.Raw())
			kept += len(code)
			inline = append(inline, code)
		}
		inScript = false
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if len(name) > 6 || !interesting[string(name)] {
			continue
		}
		var a tagAttrs
		if hasAttr {
			a.read(z)
		}
		if string(name) == "script" && a.src == "" && tt == html.StartTagToken {
			inScript = true
		}
		if ref, ok, href, isBase := a.ref(string(name), start, &order); ok {
			refs = append(refs, ref)
		} else if isBase && base == "" {
			base = href
		}
	}
	return refs, base, inline
}

// ref is what a start tag of one of the interesting elements adds: a
// reference (ok), or, for <base>, its href (isBase). order counts the
// document's scripts so far.
func (a *tagAttrs) ref(name string, offset int, order *int) (ref Ref, ok bool, href string, isBase bool) {
	switch name {
	case "script":
		*order++
		if a.src != "" {
			return Ref{Kind: KindScript, Ref: a.src, Order: *order, Offset: offset}, true, "", false
		}
	case "link":
		if a.href != "" && hasToken(a.rel, "stylesheet") {
			return Ref{Kind: KindStylesheet, Ref: a.href, Offset: offset}, true, "", false
		}
	case "iframe", "frame":
		switch {
		case a.hasSrcdoc && name[0] == 'i':
			return Ref{Kind: KindFrame, Ref: SrcdocURL, Offset: offset, Srcdoc: a.srcdoc}, true, "", false
		case a.src != "":
			return Ref{Kind: KindFrame, Ref: a.src, Offset: offset}, true, "", false
		}
	case "object", "embed":
		// A document embedded as a data: URL or by a page's address
		// (data="alert.html") shows as a frame does; other embedded
		// content (plug-ins, media) is not read.
		src := a.src
		if name == "object" {
			src = a.data
		}
		if hasScheme(src, "data") || pagePath(src) && !notLoadable(src) {
			return Ref{Kind: KindFrame, Ref: src, Offset: offset}, true, "", false
		}
	case "base":
		return Ref{}, false, a.href, true
	}
	return Ref{}, false, "", false
}

// IsRefTag says whether a start tag of the element (lower-case name) may
// make a reference or set the base, as References reads them.
func IsRefTag(name string) bool { return len(name) <= 6 && interesting[name] }

// RefFromAttrs is what a start tag with these attributes (lower-case
// names, the first of duplicates) makes, read exactly as References reads
// it: a reference (ok), or, for <base>, its href (isBase). order counts
// the document's scripts so far (References' Ref.Order); offset is where
// the tag starts. A parser that reads every tag anyway can list the
// references with it (Options.Parse) and agree with References.
func RefFromAttrs(name string, attrs map[string]string, offset int, order *int) (ref Ref, ok bool, href string, isBase bool) {
	var a tagAttrs
	if v, ok := attrs["src"]; ok {
		a.src, a.hasSrc = strings.TrimSpace(v), true
	}
	if v, ok := attrs["href"]; ok {
		a.href, a.hasHref = strings.TrimSpace(v), true
	}
	if v, ok := attrs["rel"]; ok {
		a.rel, a.hasRel = v, true
	}
	if v, ok := attrs["srcdoc"]; ok {
		a.srcdoc, a.hasSrcdoc = v, true
	}
	if v, ok := attrs["data"]; ok {
		a.data, a.hasData = strings.TrimSpace(v), true
	}
	return a.ref(name, offset, order)
}

var interesting = map[string]bool{"script": true, "link": true, "iframe": true, "frame": true, "base": true, "object": true, "embed": true}

// tagAttrs holds the attributes References looks at.
type tagAttrs struct {
	src, href, rel, srcdoc, data string
	hasSrc, hasHref, hasRel      bool
	hasSrcdoc, hasData           bool
}

func (a *tagAttrs) read(z *html.Tokenizer) {
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		// The first of duplicate attributes wins, as in a browser.
		switch string(k) {
		case "src":
			if !a.hasSrc {
				a.src, a.hasSrc = strings.TrimSpace(string(v)), true
			}
		case "href":
			if !a.hasHref {
				a.href, a.hasHref = strings.TrimSpace(string(v)), true
			}
		case "rel":
			if !a.hasRel {
				a.rel, a.hasRel = string(v), true
			}
		case "srcdoc":
			if !a.hasSrcdoc {
				a.srcdoc, a.hasSrcdoc = string(v), true
			}
		case "data":
			if !a.hasData {
				a.data, a.hasData = strings.TrimSpace(string(v)), true
			}
		}
	}
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
