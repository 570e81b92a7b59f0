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

// maxRefs bounds the references read from one document.
const maxRefs = 1024

// References lists the external scripts, style sheets and frames of an HTML
// document in document order. It uses the tokenizer, not the tree builder:
// linear, no recursion, safe on 100,000-deep nesting.
//
// As in a browser with scripting on, <noscript> content is text, and of
// several attributes with the same name the first counts. An iframe's
// srcdoc wins over its src. At most 1024 references are listed.
func References(body []byte) []Ref {
	refs, _ := scanRefs(body)
	return refs
}

// scanRefs returns the references and the first <base href> of a document.
func scanRefs(body []byte) (refs []Ref, base string) {
	z := html.NewTokenizer(bytes.NewReader(body))
	offset, order := 0, 0
	for len(refs) < maxRefs {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		start := offset
		offset += len(z.Raw())
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
		switch string(name) {
		case "script":
			order++
			if a.src != "" {
				refs = append(refs, Ref{Kind: KindScript, Ref: a.src, Order: order, Offset: start})
			}
		case "link":
			if a.href != "" && hasToken(a.rel, "stylesheet") {
				refs = append(refs, Ref{Kind: KindStylesheet, Ref: a.href, Offset: start})
			}
		case "iframe", "frame":
			switch {
			case a.hasSrcdoc && name[0] == 'i':
				refs = append(refs, Ref{Kind: KindFrame, Ref: SrcdocURL, Offset: start, Srcdoc: a.srcdoc})
			case a.src != "":
				refs = append(refs, Ref{Kind: KindFrame, Ref: a.src, Offset: start})
			}
		case "base":
			if base == "" {
				base = a.href
			}
		}
	}
	return refs, base
}

var interesting = map[string]bool{"script": true, "link": true, "iframe": true, "frame": true, "base": true}

// tagAttrs holds the attributes References looks at.
type tagAttrs struct {
	src, href, rel, srcdoc  string
	hasSrc, hasHref, hasRel bool
	hasSrcdoc               bool
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
