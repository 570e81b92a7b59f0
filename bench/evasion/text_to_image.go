package main

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// textToImage replaces each visible text node of the documents with an
// <img> showing the same text (a PNG data: URL): a reader sees the words,
// the markup holds none. Titles and script strings stay.
//
// Text the bench's font cannot draw (Go Regular: Latin, Greek, Cyrillic;
// not Vietnamese, Devanagari or Japanese) comes out as empty boxes: such a
// page detected anyway counts, and one missed is left out of the class
// (errUnmeasured), since the miss would measure the font, not the
// detector. Until December 2026 every page was drawn with a 7x13 ASCII
// face, lines cut at 200 characters, and the misses counted as losses.
func textToImage(p *Page, _ *rand.Rand) (string, error) {
	face, err := textFace()
	if err != nil {
		return "", err
	}
	var missing rune
	for i, d := range p.Docs {
		p.Docs[i] = rewriteHTML(d, func(text string, ctx textContext) string {
			line := strings.Join(strings.Fields(text), " ")
			if ctx != inHTML || line == "" {
				return escapeFor(text, ctx)
			}
			if r, ok := undrawable(face, line); !ok && missing == 0 {
				missing = r
			}
			return `<img alt="" src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(renderText(face, line)) + `">`
		}, nil)
	}
	if missing != 0 {
		return "", errUnmeasured{"pages missed whose script the bench's font cannot draw (" + string(missing) + ") are left out"}
	}
	return "", nil
}

// textFace is the face text is drawn with, made once. A face is not safe
// for concurrent use: whoever draws or measures with it holds drawMu.
var textFace = sync.OnceValues(func() (font.Face, error) {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	return opentype.NewFace(f, &opentype.FaceOptions{Size: 16, DPI: 72, Hinting: font.HintingFull})
})

var drawMu sync.Mutex

// undrawable returns the first letter of s the face has no glyph for.
func undrawable(face font.Face, s string) (rune, bool) {
	drawMu.Lock()
	defer drawMu.Unlock()
	for _, r := range s {
		if unicode.IsSpace(r) || !unicode.IsGraphic(r) {
			continue
		}
		if _, ok := face.GlyphAdvance(r); !ok {
			return r, false
		}
	}
	return 0, true
}

// renderText draws text black on white, wrapped at about 70 characters a
// line, 16 px Go Regular, at most 40 lines.
func renderText(face font.Face, s string) []byte {
	lines := wrap(s, 70)
	if len(lines) > 40 {
		lines = lines[:40]
	}
	drawMu.Lock()
	w := 8
	for _, l := range lines {
		w = max(w, font.MeasureString(face, l).Ceil()+12)
	}
	const lineHeight = 22
	img := image.NewRGBA(image.Rect(0, 0, w, lineHeight*len(lines)+8))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	dr := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		dr.Dot = fixed.P(6, 20+lineHeight*i)
		dr.DrawString(l)
	}
	drawMu.Unlock()
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// wrap breaks s at spaces into lines of about width characters.
func wrap(s string, width int) []string {
	var lines []string
	var cur []string
	n := 0
	for _, w := range strings.Fields(s) {
		if n > 0 && n+1+len([]rune(w)) > width {
			lines = append(lines, strings.Join(cur, " "))
			cur, n = nil, 0
		}
		if n > 0 {
			n++
		}
		cur = append(cur, w)
		n += len([]rune(w))
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines
}
