package analyze

import (
	"bytes"
	"context"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/testdirs"
)

// The affiliate parameter evidence names is the first in the link, every
// time (it came from a map's order).
func TestAffiliateParamIsTheFirst(t *testing.T) {
	for range 20 {
		if p := affiliateParam("https://partner.example/go?offer_id=1&amp;aff_id=2&sub_id=3&aff_sub=4"); p != "offer_id" {
			t.Fatalf("affiliateParam = %q, want offer_id", p)
		}
	}
}

// lowerBytes is bytes.ToLower: on every fixture and corpus file, and on
// random bytes (invalid UTF-8, letters that change length when lowered).
func TestLowerBytesIsToLower(t *testing.T) {
	dirs := testdirs.All()
	files := 0
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			files++
			if !bytes.Equal(lowerBytes(b), bytes.ToLower(b)) {
				t.Errorf("%s: lowerBytes differs from bytes.ToLower", path)
			}
			return nil
		})
	}
	pieces := []string{"A", "z", "Ä", "ß", "İ", "Ω", "ẞ", "\xff", "\xe2\x82", "\xed\xa0\x80", "\uFFFD", "К", "ǅ", " ", "<P>", "Ⅻ", "ｗ"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var sb strings.Builder
		for range rng.IntN(30) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		b := []byte(sb.String())
		if got, want := lowerBytes(b), bytes.ToLower(b); !bytes.Equal(got, want) {
			t.Fatalf("lowerBytes(%q) = %q, want %q", b, got, want)
		}
	}
	if files == 0 {
		t.Fatal("no files")
	}
}

// A fake scan lists the visitor's files with a drive and forward slashes
// ("C:/Users/Documents/banking_info.xlsx") as often as with backslashes;
// a URL's scheme is no drive.
func TestSystemPathsWithSlashes(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true, NoEmulation: true})
	scan := `<script>var files = ['C:/Users/Documents/banking_info.xlsx', 'C:/Users/Downloads/passwords.db', 'C:/Program Files/x/keys.dat', 'D:/Windows/System32/drivers.sys'];</script>`
	if r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: scan})); r.Finding("TSS-SCAN-SYSTEM-PATHS") == nil {
		t.Errorf("paths with slashes: not found (%v)", r.Findings)
	}
	links := `<script>var links = ['https://users.example/', 'https://windows.example/a', 'http://program.example/', 'https://docs.example/u'];</script>`
	if r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: links})); r.Finding("TSS-SCAN-SYSTEM-PATHS") != nil {
		t.Errorf("URLs read as system paths: %v", r.Finding("TSS-SCAN-SYSTEM-PATHS"))
	}
}

// What a script plays on a page whose only media are audio elements is
// sound, whatever the variable's name (voiceAlert.play() in a timer);
// on a page with a video it may be the muted hero video.
func TestAudioElementPlayed(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true, NoEmulation: true})
	play := `<script>var v = document.getElementById('voiceAlert'); setInterval(function () { v.play() }, 3000);</script>`
	for _, tc := range []struct {
		name, media string
		want        bool
	}{
		{"audio", `<audio id="voiceAlert" loop><source src="alert.mp3"></audio>`, true},
		{"muted audio", `<audio id="voiceAlert" muted><source src="alert.mp3"></audio>`, false},
		{"video too", `<audio id="a"></audio><video id="voiceAlert" muted src="hero.mp4"></video>`, false},
		{"no media", ``, false},
	} {
		r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: tc.media + play}))
		if got := r.Finding("TSS-MEDIA-AUTOPLAY") != nil; got != tc.want {
			t.Errorf("%s: TSS-MEDIA-AUTOPLAY %v, want %v", tc.name, got, tc.want)
		}
	}
}

// A frame, an embed or an object of a sound file plays it at once: kits
// sound their alarm with <iframe src="alert.mp3" allow="autoplay">. A
// page's frame, or an embed told not to start, does not.
func TestAudioInFrames(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true, NoEmulation: true})
	for _, tc := range []struct {
		html string
		want bool
	}{
		{`<iframe src="sound/alert.mp3?v=2" allow="autoplay" style="display:none"></iframe>`, true},
		{`<embed src="alarm.WAV" loop="true" hidden="true">`, true},
		{`<object data="beep.ogg" type="audio/ogg"></object>`, true},
		{`<embed src="alarm.mp3" autostart="false">`, false},
		{`<iframe src="page.html"></iframe><iframe src="https://player.example/track/mp3"></iframe>`, false},
	} {
		r := e.Analyze(context.Background(), SampleCapture(Sample{HTML: tc.html}))
		if got := r.Finding("TSS-MEDIA-AUTOPLAY") != nil; got != tc.want {
			t.Errorf("%s: TSS-MEDIA-AUTOPLAY %v, want %v", tc.html, got, tc.want)
		}
	}
}
