package sandbox

import (
	"context"
	"os/exec"
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

// OCRInstalled says whether the tesseract command is on the path: what
// OCRAvailable says without running it, so it may say yes where
// OCRAvailable says no (tesseract without English).
func OCRInstalled() bool {
	_, err := exec.LookPath("tesseract")
	return err == nil
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
