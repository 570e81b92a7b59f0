package analyze

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/sandbox"
)

func dataPNG(t *testing.T, w, h int) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

func TestEmbeddedPictureLimits(t *testing.T) {
	for _, c := range []struct {
		src  string
		want bool
	}{
		{dataPNG(t, 300, 20), true},
		{"DATA:IMAGE/PNG;BASE64," + strings.TrimPrefix(dataPNG(t, 300, 20), "data:image/png;base64,"), true},
		{"data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", false}, // no decoder, and text would be in the markup
		{"data:image/png,rawbytes", false},
		{"img/alert.png", false},
	} {
		if got := isDataImage(c.src); got != c.want {
			t.Errorf("isDataImage(%.40q) = %v, want %v", c.src, got, c.want)
		}
	}
	if decodeDataImage(dataPNG(t, 10, 10)) != nil {
		t.Error("an icon-sized picture was decoded")
	}
	if decodeDataImage(dataPNG(t, 300, 20)) == nil {
		t.Error("a line of text was not decoded")
	}
	// A picture that declares more pixels than allowed is not decoded (a
	// decompression bomb), nor is garbage.
	if decodeDataImage(dataPNG(t, 5000, 1000)) != nil {
		t.Error("a 5-megapixel picture was decoded")
	}
	if decodeDataImage("data:image/png;base64,"+base64.StdEncoding.EncodeToString([]byte("not a png"))) != nil {
		t.Error("garbage decoded")
	}
	// Short lines are scaled up for OCR, wide ones down to the stack width.
	pics := []image.Image{image.NewGray(image.Rect(0, 0, 300, 13)), image.NewGray(image.Rect(0, 0, 3000, 60))}
	b := stackImages(pics).Bounds()
	if b.Dx() > maxStackWidth+24 || b.Dy() < 13*3+40+12 {
		t.Errorf("stack %v: want lines scaled for OCR within %d px", b, maxStackWidth)
	}
}

// The fixture's warning and number are one embedded picture: with OCR the
// static engine reads them and calls the page a scam; without, it cannot.
func TestEmbeddedPicturesAreRead(t *testing.T) {
	if !sandbox.OCRAvailable() {
		t.Skip("tesseract not installed (apt-get install -y tesseract-ocr)")
	}
	body, err := os.ReadFile("../fixtures/scam/image-datauri-alert.html")
	if err != nil {
		t.Fatal(err)
	}
	c := &capture.Capture{URL: "file:///fixtures/image-datauri-alert.html", Documents: []capture.Document{{URL: "file:///fixtures/image-datauri-alert.html", Frame: "main", Body: body}}}
	without, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := without.Analyze(context.Background(), c); r.Verdict == Scam {
		t.Fatalf("scam without reading the picture (%.1f): the fixture does not test OCR", r.Score)
	}
	with, err := New(Options{OCR: sandbox.ReadText})
	if err != nil {
		t.Fatal(err)
	}
	r := with.Analyze(context.Background(), c)
	if r.Verdict != Scam {
		t.Fatalf("verdict %s (%.1f), want scam; notes %v", r.Verdict, r.Score, r.Notes)
	}
	found := false
	for _, h := range r.Hotlines {
		found = found || h.E164 == "+18885550163"
	}
	if !found {
		t.Errorf("the pictured number was not read: %+v", r.Hotlines)
	}
}

// A page with little text that names a brand beside a picture large enough
// for a line of words gets its pictures read: a text-only fake alert
// drawn into pictures read clean. A brand beside icons or lazy-loading
// placeholders, or a picture with no brand and no alarm, is not read.
func TestBrandedPicturesAreRead(t *testing.T) {
	calls := 0
	ocr := func(context.Context, []byte, string) (string, error) {
		calls++
		return "Your McAfee subscription has expired. Quick scan complete: 5 viruses found on your PC. Your personal data will be deleted. Call McAfee support +1 888 555 0163", nil
	}
	e, err := New(Options{OCR: ocr, OCRAvailable: func() bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	page := func(body string) *capture.Capture {
		return &capture.Capture{URL: "file:///p.html", Documents: []capture.Document{{URL: "file:///p.html", Frame: "main", Body: []byte(body)}}}
	}
	line, pixel := dataPNG(t, 300, 20), dataPNG(t, 1, 1)
	for _, c := range []struct {
		name, body string
		read       bool
	}{
		{"brand and a line", `<html><head><title>McAfee</title></head><body><img src="` + line + `"><img src="` + line + `"></body></html>`, true},
		{"brand and placeholders", `<html><head><title>McAfee</title></head><body><img src="` + pixel + `"><img src="` + dataPNG(t, 16, 16) + `"></body></html>`, false},
		{"no brand, no alarm", `<html><head><title>Our garden</title></head><body><img src="` + line + `"></body></html>`, false},
	} {
		calls = 0
		r := e.Analyze(context.Background(), page(c.body))
		if (calls > 0) != c.read {
			t.Errorf("%s: OCR ran %d times, want read %v", c.name, calls, c.read)
		}
		if c.read && r.Verdict != Scam {
			t.Errorf("%s: %s %.1f %v", c.name, r.Verdict, r.Score, ruleIDs(r))
		}
	}
}

// Words read from the pictures can make the page worth running: its
// warning drawn, its auto-dial in a string timer the static reading does
// not follow. It was left unrun, and read clean.
func TestPicturesThenEmulation(t *testing.T) {
	ocr := func(context.Context, []byte, string) (string, error) {
		return "macOS has detected malware. Call Apple support to prevent data loss.", nil
	}
	e, err := New(Options{OCR: ocr, OCRAvailable: func() bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	body := `<html><head><title>Apple Security</title></head><body><img src="` + dataPNG(t, 400, 20) + `">
<script>var n = '18775550186'; setTimeout("document.location.href='te" + "l:+'+n", 400);</script></body></html>`
	r := e.Analyze(context.Background(), &capture.Capture{URL: "file:///p.html", Documents: []capture.Document{{URL: "file:///p.html", Frame: "main", Body: []byte(body)}}})
	if r.Verdict != Scam || r.Finding("TSS-CALL-AUTODIAL") == nil {
		t.Errorf("%s %.1f %v", r.Verdict, r.Score, ruleIDs(r))
	}
}
