package analyze

import (
	"strings"

	"github.com/tssguard/tssguard/capture"
)

// Words in SVG pictures. A kit can write its warning or its number as the
// vector text of an SVG picture embedded as a data: URL (an <img>, an
// <object>, a CSS background): the markup holds no word of it, and no
// OCR of raster pictures reads it, yet the browser draws it as words. The
// picture is decoded and its text read as page text (source "svg", as
// the browser's reading of inline SVG).

const (
	maxSVGPictures = 256       // per document: a kit may draw each line as a picture of its own
	maxSVGBytes    = 256 << 10 // one picture, decoded
	maxSVGTotal    = 2 << 20   // all of a document's pictures, decoded
)

// isSVGData says whether src is an SVG picture embedded as a data: URL.
func isSVGData(src string) bool {
	return len(src) > 20 && len(src) <= maxImageBytes && strings.EqualFold(src[:min(len(src), 18)], "data:image/svg+xml")
}

// svgPictureText returns the words of the document's SVG pictures: those
// of its elements and those its style sheets and style attributes draw as
// backgrounds (url(data:image/svg+xml…)).
func svgPictureText(d *docFacts) string {
	srcs := make([]string, 0, len(d.SVGPictures))
	for _, p := range d.SVGPictures {
		srcs = append(srcs, p.Value)
	}
	for _, st := range d.Styles {
		srcs = cssSVGURLs(st.Value, srcs)
	}
	var parts []string
	seen := map[string]bool{}
	size, decoded := 0, 0
	for _, src := range srcs[:min(len(srcs), maxSVGPictures)] {
		if decoded > maxSVGTotal {
			break
		}
		markup, ok := decodeDataURL(src)
		decoded += len(markup)
		if !ok || len(markup) > maxSVGBytes {
			continue
		}
		t := strings.TrimSpace(parseDoc("svg", []byte(markup)).Text)
		if t == "" || seen[t] || size+len(t) > maxHiddenText {
			continue
		}
		seen[t] = true
		size += len(t)
		parts = append(parts, t)
	}
	return strings.Join(parts, "\n")
}

// cssSVGURLs appends to srcs the SVG data: URLs of css's url(…) values,
// up to maxSVGPictures.
func cssSVGURLs(css string, srcs []string) []string {
	for from := 0; len(srcs) < maxSVGPictures; {
		i := indexFold(stringBytes(css[from:]), "data:image/svg+xml")
		if i < 0 {
			return srcs
		}
		start := from + i
		// The value ends at its quote, or at the closing parenthesis.
		end := start
		quote := byte(0)
		if start > 0 && (css[start-1] == '"' || css[start-1] == '\'') {
			quote = css[start-1]
		}
		for end < len(css) && end-start <= maxImageBytes {
			c := css[end]
			if quote != 0 && c == quote || quote == 0 && (c == ')' || c == ' ' || c == '\n') {
				break
			}
			end++
		}
		srcs = append(srcs, css[start:end])
		from = end
	}
	return srcs
}

// addSVGPictureText adds the words of a document's SVG pictures as page
// text.
func (a *analysis) addSVGPictureText(d *docFacts) {
	if len(d.SVGPictures) == 0 && !stylesHoldSVG(d.Styles) {
		return
	}
	if t := svgPictureText(d); t != "" {
		a.decodedText = append(a.decodedText, segment{Name: d.Name + " SVG pictures", Source: capture.TextSVG, Text: t})
	}
}

// stylesHoldSVG: some style sheet or style attribute may name an SVG
// data: URL (most hold none: a quick look first). It looks for "+xml",
// case folded as cssSVGURLs reads the URL: '+' is rare in style sheets,
// so the search skips ahead.
func stylesHoldSVG(styles []attrAt) bool {
	for _, st := range styles {
		if indexFold(stringBytes(st.Value), "+xml") >= 0 {
			return true
		}
	}
	return false
}
