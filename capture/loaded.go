package capture

import (
	"bytes"
	"strings"
)

// maxLoaded bounds the scripts and the documents LoadedRefs lists for one
// document (each).
const maxLoaded = 32

// LoadedRefs lists the scripts and documents a document's own code loads
// by a constant address, which its tags do not name. Kits load their
// payload that way, and a reader of the tags alone never sees it.
//
// Scripts (KindLoadedScript): a <script src> written in a string
// (document.write), a script element given a src (s.src = "x.js",
// setAttribute("src", "x.js")), and jQuery's getScript("x.js"). A src
// given to an element other than a script is told apart by its path,
// which must end in .js (getScript and a written <script> need not).
//
// Documents (KindFrame): a page's address (.html, .php … IsPage) given as
// a frame's src (f.src = "alert.html", setAttribute("src", …)), put into
// the page by jQuery's load("popup.html"), fetched to be written in
// (fetch, $.get, an XMLHttpRequest's open("GET", …)), or opened in a
// window (window.open("scan.html")): each shows the visitor that page.
//
// It reads the code of the document's inline scripts, one pass for each
// form, and lists an address once, at most 32 of each kind; addresses in
// known are left out.
func LoadedRefs(scripts []string, known []Ref) []Ref {
	l := loadList{seen: map[string]bool{}}
	for _, r := range known {
		if r.Kind == KindScript || r.Kind == KindFrame {
			l.seen[string(r.Kind)+" "+r.Ref] = true
		}
	}
	for _, code := range scripts {
		if l.full() {
			break
		}
		l.read([]byte(code))
	}
	return l.out
}

type loadList struct {
	seen          map[string]bool
	out           []Ref
	scripts, docs int
}

// add lists address v: a script when it ends in .js (or, with anyScript,
// whatever its path: getScript, a written <script>), a document when its
// path is a page's (with docs: a place that takes documents).
func (l *loadList) add(v string, anyScript, docs bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 2048 || notLoadable(v) || strings.ContainsAny(v, "<>\"'`+ ") {
		return
	}
	// A loaded script is seen as a tag's would be: not loaded twice.
	kind, seenAs, count := KindLoadedScript, KindScript, &l.scripts
	switch {
	case anyScript || jsPath(v):
	case docs && pagePath(v):
		kind, seenAs, count = KindFrame, KindFrame, &l.docs
	default:
		return
	}
	key := string(seenAs) + " " + v
	if *count >= maxLoaded || l.seen[key] {
		return
	}
	l.seen[key] = true
	*count++
	l.out = append(l.out, Ref{Kind: kind, Ref: v, Offset: -1})
}

// full: no more of either kind.
func (l *loadList) full() bool { return l.scripts >= maxLoaded && l.docs >= maxLoaded }

// read adds the scripts and documents one script's code loads.
func (l *loadList) read(code []byte) {
	// <script … src=…> inside a string: its quotes may be escaped (\").
	for _, tag := range [][]byte{[]byte("<script"), []byte("<SCRIPT"), []byte("<Script")} {
		for at := 0; !l.full(); {
			i := bytes.Index(code[at:], tag)
			if i < 0 {
				break
			}
			at += i + len(tag)
			end := bytes.IndexByte(code[at:min(len(code), at+512)], '>')
			if end < 0 {
				continue
			}
			if v, ok := attrValue(code[at:at+end], "src"); ok {
				l.add(v, true, false)
			}
		}
	}
	// x.src = "…", setAttribute("src", "…"), getScript("…"), and the
	// calls that load a document: load, fetch, get, open.
	for _, p := range []struct {
		needle          string
		anyScript, docs bool
	}{{".src", false, true}, {"setAttribute(", false, true}, {"getScript(", true, false},
		{".load(", false, true}, {"fetch(", false, true}, {".get(", false, true}, {".open(", false, true}} {
		for at := 0; !l.full(); {
			i := bytes.Index(code[at:], []byte(p.needle))
			if i < 0 {
				break
			}
			at += i + len(p.needle)
			rest := code[at:min(len(code), at+2100)]
			switch p.needle {
			case ".src":
				rest = bytes.TrimLeft(rest, " \t")
				if len(rest) == 0 || rest[0] != '=' || len(rest) > 1 && rest[1] == '=' {
					continue
				}
				rest = rest[1:]
			case "setAttribute(":
				v, n, ok := quoted(rest)
				if !ok || !strings.EqualFold(v, "src") {
					continue
				}
				rest = bytes.TrimLeft(rest[n:], " \t")
				if len(rest) == 0 || rest[0] != ',' {
					continue
				}
				rest = rest[1:]
			case ".open(":
				// xhr.open("GET", "x.html"): the address is second.
				if v, n, ok := quoted(rest); ok && (strings.EqualFold(v, "GET") || strings.EqualFold(v, "POST")) {
					rest = bytes.TrimLeft(rest[n:], " \t")
					if len(rest) == 0 || rest[0] != ',' {
						continue
					}
					rest = rest[1:]
				}
			}
			if v, n, ok := quoted(rest); ok && !addedTo(rest[n:]) {
				l.add(v, p.anyScript, p.docs)
			}
		}
	}
}

// addedTo: what follows a string adds to it ('…/gtm.js?id=' + id), so
// the string is only the start of the address.
func addedTo(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '+'
}

// quoted reads a quoted string at the start of b (after spaces): its
// value and how many bytes it took.
func quoted(b []byte) (string, int, bool) {
	n := len(b)
	b = bytes.TrimLeft(b, " \t\r\n")
	skipped := n - len(b)
	if len(b) < 2 || b[0] != '"' && b[0] != '\'' {
		return "", 0, false
	}
	end := bytes.IndexByte(b[1:], b[0])
	if end < 0 {
		return "", 0, false
	}
	return string(b[1 : 1+end]), skipped + end + 2, true
}

// attrValue reads attribute name of a tag's text as a script's string
// holds it: quoted, its quotes perhaps escaped (src=\"x.js\"), or bare.
func attrValue(tag []byte, name string) (string, bool) {
	for at := 0; ; {
		i := bytes.Index(tag[at:], []byte(name))
		if i < 0 {
			return "", false
		}
		i += at
		at = i + len(name)
		if i > 0 && tag[i-1] != ' ' && tag[i-1] != '\t' && tag[i-1] != '\n' {
			continue
		}
		rest := bytes.TrimLeft(tag[at:], " \t")
		if len(rest) == 0 || rest[0] != '=' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t")
		rest = bytes.TrimPrefix(rest, []byte(`\`))
		if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
			q := rest[0]
			rest = rest[1:]
			end := bytes.IndexByte(rest, q)
			if end < 0 {
				return "", false
			}
			return strings.TrimSuffix(string(rest[:end]), `\`), true
		}
		end := bytes.IndexAny(rest, " \t\\>")
		if end < 0 {
			end = len(rest)
		}
		return string(rest[:end]), true
	}
}

// jsPath: the address's path ends in .js or .mjs (a query or fragment may
// follow).
func jsPath(v string) bool {
	v = strings.ToLower(pathPart(v))
	return strings.HasSuffix(v, ".js") || strings.HasSuffix(v, ".mjs")
}

// pagePath: the address's path is a page's (IsPage; a query or fragment
// may follow).
func pagePath(v string) bool { return IsPage(pathPart(v)) }

// pathPart is an address without its query and fragment.
func pathPart(v string) string {
	if i := strings.IndexAny(v, "?#"); i >= 0 {
		return v[:i]
	}
	return v
}
