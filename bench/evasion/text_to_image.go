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

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// textToImage replaces each visible text node of the documents with an
// <img> showing the same text (a PNG data: URL): a reader sees the words,
// the markup holds none. Titles and script strings stay.
func textToImage(p *Page, _ *rand.Rand) (string, error) {
	for i, d := range p.Docs {
		p.Docs[i] = rewriteHTML(d, func(text string, ctx textContext) string {
			line := strings.Join(strings.Fields(text), " ")
			if ctx != inHTML || line == "" {
				return escapeFor(text, ctx)
			}
			return `<img alt="" src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(renderText(line)) + `">`
		}, nil)
	}
	return "", nil
}

// renderText draws one line of text (at most 200 characters) black on
// white with the basic 7x13 font.
func renderText(s string) []byte {
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	face := basicfont.Face7x13
	w := font.MeasureString(face, s).Ceil() + 8
	img := image.NewRGBA(image.Rect(0, 0, max(w, 8), 20))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	dr := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face, Dot: fixed.P(4, 15)}
	dr.DrawString(s)
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}
