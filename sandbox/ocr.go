package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/tssguard/tssguard/capture"
)

// OCR of the screenshot: kits that paint their alert into an image or a
// canvas leave no text to read, so the sandbox reads the pixels with the
// tesseract command (Debian: tesseract-ocr, plus tesseract-ocr-deu, -fra,
// -spa, -ita, -jpn for other languages). Without it OCR is skipped and the
// capture says so. Each run is bounded in time (its whole process group is
// killed at the deadline) and in input and output size.

// errNoTesseract: the tesseract command is not installed.
var errNoTesseract = errors.New("tesseract is not installed (Debian/Ubuntu: apt-get install -y tesseract-ocr)")

const (
	// A run may use ocrCPU of processor time — tesseract needs about 0.4 s
	// for a desktop viewport — and ocrTimeout of wall time, which a busy
	// machine stretches.
	ocrCPU       = 3 * time.Second
	ocrTimeout   = 15 * time.Second
	maxOCRInput  = 8 << 20
	maxOCROutput = 256 << 10
	maxOCRText   = 16 << 10
)

// ocrSlots bounds how many tesseract processes run at once.
var ocrSlots = make(chan struct{}, max(1, runtime.NumCPU()/2))

var tesseract struct {
	once  sync.Once
	path  string
	langs map[string]bool
}

// tesseractTool finds the command and the languages it has, once.
func tesseractTool() (string, map[string]bool) {
	tesseract.once.Do(func() {
		p, err := exec.LookPath("tesseract")
		if err != nil {
			return
		}
		tesseract.langs = map[string]bool{}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, p, "--list-langs").Output()
		if err != nil {
			return
		}
		for _, l := range strings.Fields(string(out)) {
			if !strings.Contains(l, ":") && !strings.Contains(l, "\"") {
				tesseract.langs[l] = true
			}
		}
		if tesseract.langs["eng"] {
			tesseract.path = p
		}
	})
	return tesseract.path, tesseract.langs
}

// ocrLangs are tesseract's names for the page languages the rules know.
var ocrLangs = map[string]string{"de": "deu", "fr": "fra", "es": "spa", "it": "ita", "ja": "jpn", "pt": "por", "nl": "nld", "ru": "rus",
	"pl": "pol", "tr": "tur", "vi": "vie", "hi": "hin", "id": "ind"}

// ocrLanguages is English plus the page's language when its pack is
// installed (each added language slows tesseract down).
func ocrLanguages(pageLang string, installed map[string]bool) string {
	langs := "eng"
	l := strings.ToLower(strings.TrimSpace(pageLang))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if t := ocrLangs[l]; t != "" && installed[t] {
		langs += "+" + t
	}
	return langs
}

// readText runs tesseract over a PNG and returns the text it read, cleaned.
func readText(ctx context.Context, png []byte, pageLang string) (string, error) {
	text, _, err := readTextCPU(ctx, png, pageLang)
	return text, err
}

// readTextCPU is readText that also says how much processor time tesseract
// used.
func readTextCPU(ctx context.Context, png []byte, pageLang string) (text string, cpu time.Duration, err error) {
	return readTextWithin(ctx, png, pageLang, ocrTimeout)
}

// readTextWithin is readTextCPU with wall as the wall-time backstop (the
// processor-time limit ocrCPU applies either way).
func readTextWithin(ctx context.Context, png []byte, pageLang string, wall time.Duration) (text string, cpu time.Duration, err error) {
	path, installed := tesseractTool()
	if path == "" {
		return "", 0, errNoTesseract
	}
	if len(png) == 0 || len(png) > maxOCRInput {
		return "", 0, fmt.Errorf("ocr: screenshot of %d bytes", len(png))
	}
	// Tesseract is CPU-bound: runs beyond half the cores only slow each
	// other down past their deadline. Wait for a slot, then start the clock.
	select {
	case ocrSlots <- struct{}{}:
		defer func() { <-ocrSlots }()
	case <-ctx.Done():
		return "", 0, fmt.Errorf("ocr: %w", ctx.Err())
	}
	ctx, cancel := context.WithTimeout(ctx, wall)
	defer cancel()
	cmd := exec.Command(path, "stdin", "stdout", "-l", ocrLanguages(pageLang, installed))
	cmd.Stdin = bytes.NewReader(png)
	var out capped
	out.max = maxOCROutput
	cmd.Stdout = &out
	// One thread: the machine's cores belong to the browsers.
	cmd.Env = []string{"OMP_THREAD_LIMIT=1"}
	if d := os.Getenv("TESSDATA_PREFIX"); d != "" {
		cmd.Env = append(cmd.Env, "TESSDATA_PREFIX="+d)
	}
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return "", 0, fmt.Errorf("ocr: %w", err)
	}
	// What the process used; after Wait returned.
	used := func() time.Duration {
		if cmd.ProcessState == nil {
			return 0
		}
		return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				return "", used(), fmt.Errorf("ocr: tesseract: %w", err)
			}
			return cleanOCR(out.String()), used(), nil
		case <-tick.C:
			if t, ok := cpuTime(cmd.Process.Pid); ok && t > ocrCPU {
				killProcessGroup(cmd)
				<-done
				return "", used(), fmt.Errorf("ocr: stopped after %v of processor time", ocrCPU)
			}
		case <-ctx.Done():
			killProcessGroup(cmd)
			<-done
			return "", used(), fmt.Errorf("ocr: stopped after %v: %w", wall, ctx.Err())
		}
	}
}

// capped is a buffer that keeps at most max bytes.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// cleanOCR keeps the lines that read as text: at least three letters or
// digits, and mostly letters, digits, spaces and punctuation — not the
// noise OCR makes of icons and photographs.
func cleanOCR(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		alnum, other, total := 0, 0, 0
		for _, r := range line {
			total++
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				alnum++
			case r == ' ' || strings.ContainsRune(".,:;!?'\"()-+/&%@#*", r):
			default:
				other++
			}
		}
		if alnum < 3 || other*4 > total || b.Len()+len(line) > maxOCRText {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String()
}

// ocrScreenshot takes a screenshot of the viewport for OCR — in CSS
// pixels, twice that on a phone page laid out for the phone's width, at most
// about 2.5 million pixels — and adds what tesseract reads in it to texts as
// source ocr. A missing tesseract or a failed run is a note, never an error.
func ocrScreenshot(ctx context.Context, c *capture.Capture, texts *textSet, why string, main frameTexts, prof profile) {
	start := time.Now()
	c.Runtime.OCR = why
	if path, _ := tesseractTool(); path == "" {
		c.Notes = append(c.Notes, "OCR skipped ("+why+"): "+errNoTesseract.Error())
		return
	}
	w, h := main.VW, main.VH
	if w < 1 || h < 1 || w > 1e5 || h > 1e5 {
		w, h = float64(prof.width), float64(prof.height)
	}
	scale := 1.0 // output pixels per CSS pixel
	if w < 600 {
		scale = 2
	}
	if px := w * h * scale * scale; px > 2.5e6 {
		scale *= math.Sqrt(2.5e6 / px)
	}
	// The clip's scale multiplies the device scale factor: divide it out.
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	res, err := chromedp.Call(sctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng,
		Clip:   &page.Viewport{X: 0, Y: 0, Width: w, Height: h, Scale: scale / prof.scale},
	})
	cancel()
	if err != nil {
		c.Notes = append(c.Notes, "OCR skipped ("+why+"): screenshot: "+err.Error())
		return
	}
	text, cpu, err := readTextCPU(ctx, res.Data, main.Lang)
	c.Runtime.OCRTook, c.Runtime.OCRCPU = time.Since(start), cpu
	if err != nil {
		c.Notes = append(c.Notes, "OCR failed ("+why+"): "+err.Error())
		return
	}
	texts.add(capture.TextOCR, text)
}
