package analyze

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// TestOCRAvailableAskedWhenNeeded: Options.OCRAvailable (running tesseract
// to list its languages) is asked once, when a page first embeds
// pictures, never for pages without; and the engine then behaves as it
// did with OCR set or not from the start.
func TestOCRAvailableAskedWhenNeeded(t *testing.T) {
	body, err := os.ReadFile("../fixtures/scam/image-datauri-alert.html")
	if err != nil {
		t.Fatal(err)
	}
	doc := func(b []byte) *capture.Capture {
		return &capture.Capture{URL: "file:///p.html", Documents: []capture.Document{{URL: "file:///p.html", Frame: "main", Body: b}}}
	}
	plain, pictured := doc([]byte("<html><body><p>Call us for your order.</p></body></html>")), doc(body)
	ocrCalls := 0
	ocr := func(context.Context, []byte, string) (string, error) {
		ocrCalls++
		return "Windows Security Alert. Access to this PC has been suspended. Call Windows Support now: +1 (888) 555-0163", nil
	}
	summary := func(r *Report) []any {
		var ids []string
		for _, f := range r.Findings {
			ids = append(ids, f.Rule)
		}
		return []any{r.Verdict, r.Score, ids, r.Hotlines}
	}
	for _, avail := range []bool{false, true} {
		asked := 0
		e, err := New(Options{OCR: ocr, OCRAvailable: func() bool { asked++; return avail }})
		if err != nil {
			t.Fatal(err)
		}
		e.Analyze(context.Background(), plain)
		if asked != 0 {
			t.Fatalf("available %v: asked for a page without pictures", avail)
		}
		ocrCalls = 0
		got := summary(e.Analyze(context.Background(), pictured))
		e.Analyze(context.Background(), pictured)
		if asked != 1 {
			t.Errorf("available %v: asked %d times, want once", avail, asked)
		}
		if (ocrCalls > 0) != avail {
			t.Errorf("available %v: OCR ran %d times", avail, ocrCalls)
		}
		ref := Options{}
		if avail {
			ref.OCR = ocr
		}
		re, err := New(ref)
		if err != nil {
			t.Fatal(err)
		}
		if want := summary(re.Analyze(context.Background(), pictured)); !reflect.DeepEqual(got, want) {
			t.Errorf("available %v: %v, want %v as with OCR %v from the start", avail, got, want, avail)
		}
	}
}

// TestOCRInstalledDecidesTheFastPath: with OCRInstalled set, the fast path
// asks it (not OCRAvailable) whether a page's pictures could be read. A
// small page with a picture and nothing else takes the fast path only when
// OCR is not installed, and the full pipeline, which finds the picture not
// worth reading, never asks OCRAvailable.
func TestOCRInstalledDecidesTheFastPath(t *testing.T) {
	// A 1×1 PNG in a page with no words any rule needs.
	page := &capture.Capture{URL: "file:///p.html", Documents: []capture.Document{{URL: "file:///p.html", Frame: "main",
		Body: []byte(`<html><body><p>Our garden in spring.</p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="></body></html>`)}}}
	ocr := func(context.Context, []byte, string) (string, error) { return "", nil }
	for _, installed := range []bool{false, true} {
		asked, probed := 0, 0
		e, err := New(Options{OCR: ocr,
			OCRAvailable: func() bool { probed++; return installed },
			OCRInstalled: func() bool { asked++; return installed }})
		if err != nil {
			t.Fatal(err)
		}
		r := e.Analyze(context.Background(), page)
		if r.Verdict != Clean {
			t.Fatalf("installed %v: verdict %v", installed, r.Verdict)
		}
		if asked != 1 || probed != 0 {
			t.Errorf("installed %v: OCRInstalled asked %d times, OCRAvailable %d; want 1 and 0", installed, asked, probed)
		}
		if r.FastPath == installed {
			t.Errorf("installed %v: fast path %v", installed, r.FastPath)
		}
	}
}
