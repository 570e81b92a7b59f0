package analyze

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	_ "image/gif" // decoders for embedded pictures
	_ "image/jpeg"
	"image/png"
	"strings"
	"time"

	xdraw "golang.org/x/image/draw"
)

// Words in pictures. A kit can draw its whole warning, number included,
// into pictures embedded in the page (data: URLs), leaving the markup with
// no word a rule could read. When the page shows little text and already
// raises some alarm, and the engine was given an OCR reader (the
// sandbox's tesseract runner), the pictures are stacked into one image and
// read once; what OCR reads is page text like any other (source "ocr").
// The browser path (--dynamic) reads the screenshot instead.

const (
	maxImages        = 256      // pictures recorded per document
	maxImageBytes    = 2 << 20  // one data: URL
	maxImagesDecoded = 64       // pictures stacked for one OCR run
	maxOCRRuns       = 3        // runs per page, each bounded in processor time by the reader
	maxStackWidth    = 2000     // pixels
	maxStackHeight   = 8000     // pixels
	maxImagePixels   = 4 << 20  // one picture, decoded
	imageMinLine     = 36       // a picture lower than this is scaled up (OCR wants tall letters)
	imageMaxText     = 1000     // runes of visible text a page may show and still have its pictures read
	maxOCRStackBytes = 16 << 20 // the stacked PNG
)

// isDataImage says whether src is a picture embedded as a base64 data: URL
// of a format the decoders read.
func isDataImage(src string) bool {
	if len(src) < 22 || len(src) > maxImageBytes || !strings.EqualFold(src[:11], "data:image/") {
		return false
	}
	head := strings.ToLower(src[:min(len(src), 40)])
	return strings.Contains(head, ";base64,") &&
		(strings.HasPrefix(head, "data:image/png") || strings.HasPrefix(head, "data:image/jpeg") ||
			strings.HasPrefix(head, "data:image/jpg") || strings.HasPrefix(head, "data:image/gif"))
}

// imagesWorthReading: the main document embeds pictures, shows little text
// of its own, and the page already gives some evidence (a locker, audio, a
// number or call link, a template, a gateway...) without being a scam.
func (a *analysis) imagesWorthReading() bool {
	if len(a.docs) == 0 || len(a.docs[0].Images) == 0 {
		return false
	}
	if a.ownText() > imageMaxText {
		return false
	}
	for _, f := range a.findings {
		switch f.Category {
		case "locker", "media", "call", "hotline", "template", "gateway", "cloak", "conversion":
			return true
		}
	}
	// A brand named beside pictures large enough for a line of words, on
	// a page with little text of its own: the fake alert whose warning is
	// all drawn (a text-only kit turned into pictures read clean).
	if a.findings["TSS-BRAND"] != nil && holdsTextLine(a.docs[0].Images) {
		return true
	}
	return a.tally().score >= 3
}

// holdsTextLine says whether one of the pictures (its header read, the
// first 64 of them) is large enough to hold a line of words: not an icon,
// a spacer or a lazy-loading placeholder.
func holdsTextLine(pics []attrAt) bool {
	for _, p := range pics[:min(len(pics), 64)] {
		head, ok := base64Payload(p.Value)
		if !ok {
			continue
		}
		head = head[:min(len(head), 64<<10)&^3] // whole base64 quanta: the header is near the start
		raw, err := base64.StdEncoding.DecodeString(head)
		if err != nil && len(raw) == 0 {
			continue
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(raw)); err == nil && cfg.Width >= 48 && cfg.Height >= 10 {
			return true
		}
	}
	return false
}

// readImages reads the main document's pictures with OCR, up to
// maxImagesDecoded stacked per run and maxOCRRuns runs, evaluating again
// after each run and stopping once the page is a scam. It leaves the
// findings evaluated.
func (a *analysis) readImages() {
	d := a.docs[0]
	next, runs, read := 0, 0, 0
	start := time.Now()
	var texts []string
	for runs < maxOCRRuns && next < len(d.Images) {
		var pics []image.Image
		for ; next < len(d.Images) && len(pics) < maxImagesDecoded; next++ {
			if p := decodeDataImage(d.Images[next].Value); p != nil {
				pics = append(pics, p)
			}
		}
		if len(pics) == 0 {
			break
		}
		runs++
		var buf bytes.Buffer
		if err := png.Encode(&buf, stackImages(pics)); err != nil || buf.Len() > maxOCRStackBytes {
			continue
		}
		text, err := a.e.opts.OCR(a.ctx, buf.Bytes(), d.Lang)
		if err != nil {
			a.note("%d embedded pictures could not be read: %v", len(pics), err)
			continue
		}
		read += len(pics)
		if text = strings.TrimSpace(text); text == "" {
			continue
		}
		texts = append(texts, text)
		a.decodedText = append(a.decodedText, segment{Name: "embedded pictures (OCR)", Source: "ocr", Text: text})
		a.resetDerived()
		a.evaluate()
		if a.tally().verdict == Scam {
			break
		}
	}
	if len(texts) > 0 {
		a.note("%d embedded pictures read by OCR in %d runs, %v: %s", read, runs, time.Since(start).Round(time.Millisecond), clip(strings.Join(texts, "\n"), 200))
	}
}

// base64Payload is the base64 text of a data: URL picture.
func base64Payload(src string) (string, bool) {
	i := strings.Index(src, ";base64,")
	if i < 0 {
		return "", false
	}
	return strings.TrimSpace(src[i+len(";base64,"):]), true
}

// decodeDataImage decodes a data: URL picture within the size limits, or
// returns nil.
func decodeDataImage(src string) image.Image {
	payload, ok := base64Payload(src)
	if !ok {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return nil
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(raw))
	if err != nil || cfg.Width < 16 || cfg.Height < 8 || cfg.Width*cfg.Height > maxImagePixels {
		return nil // icons, spacers and bombs
	}
	img, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		return nil
	}
	return img
}

// stackImages draws the pictures one below the other on white, each
// scaled so that a line of text in it is tall enough for OCR and no wider
// than the stack.
func stackImages(pics []image.Image) image.Image {
	type placed struct {
		img  image.Image
		w, h int
	}
	var rows []placed
	width, height := 0, 0
	const gap = 12
	for _, p := range pics {
		b := p.Bounds()
		w, h := b.Dx(), b.Dy()
		if h < imageMinLine {
			k := min(4, (imageMinLine+h-1)/h)
			w, h = w*k, h*k
		}
		if w > maxStackWidth {
			h = h * maxStackWidth / w
			w = maxStackWidth
		}
		if h < 1 || height+h+gap > maxStackHeight {
			break
		}
		rows = append(rows, placed{p, w, h})
		width = max(width, w)
		height += h + gap
	}
	out := image.NewRGBA(image.Rect(0, 0, max(width+2*gap, 1), max(height+gap, 1)))
	xdraw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, xdraw.Src)
	y := gap
	for _, r := range rows {
		dst := image.Rect(gap, y, gap+r.w, y+r.h)
		xdraw.ApproxBiLinear.Scale(out, dst, r.img, r.img.Bounds(), xdraw.Over, nil)
		y += r.h + gap
	}
	return out
}
