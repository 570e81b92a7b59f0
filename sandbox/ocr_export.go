package sandbox

import (
	"context"
	"time"
)

// staticOCRWall is the wall-time backstop of ReadText: its processor time
// is bounded (ocrCPU), so a loaded machine may take long without the page
// losing its pictures' text.
const staticOCRWall = 60 * time.Second

// OCRAvailable says whether the tesseract command (with English) is
// installed, so that ReadText can work.
func OCRAvailable() bool {
	path, _ := tesseractTool()
	return path != ""
}

// ReadText reads the text in a PNG picture with tesseract, under the same
// limits as the screenshot OCR (processor time, wall time, input and output
// size, half the cores at once), in English plus the page's language when
// its pack is installed. The static engine uses it for pictures embedded
// in a page (analyze.Options.OCR).
func ReadText(ctx context.Context, png []byte, pageLang string) (string, error) {
	text, _, err := readTextWithin(ctx, png, pageLang, staticOCRWall)
	return text, err
}
