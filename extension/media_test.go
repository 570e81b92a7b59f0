package extension_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"
)

// toneWAV is one second of a 440 Hz tone, 8 kHz 8-bit mono.
func toneWAV() []byte {
	const rate = 8000
	data := make([]byte, rate)
	for i := range data {
		data[i] = byte(128 + 100*math.Sin(2*math.Pi*440*float64(i)/rate))
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+len(data)))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate), uint16(1), uint16(8)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	return b.Bytes()
}

// scareAudioPage is a hand-written scare page with looping audio, one
// element in the page and one made by script.
const scareAudioPage = `<!doctype html><html><head><title>Windows Defender Security Center</title></head><body>
<h1>Windows Defender - Security Warning</h1>
<p>Access to this PC has been blocked for security reasons. Your computer has been infected with a Trojan spyware.</p>
<p>Do not close this window. Call Windows Support immediately: 1-844-555-0142 (toll free).</p>
<audio id="siren" autoplay loop src="/tone.wav"></audio>
<script>window.alarm = new Audio('/tone.wav'); window.alarm.loop = true; window.alarm.play();</script>
</body></html>`

// TestAudioSilenced: a page that scores as a scam has its audio muted and
// paused, the script-made element included; plain Chromium plays it.
func TestAudioSilenced(t *testing.T) {
	wav := toneWAV()
	site := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/tone.wav" {
			w.Header().Set("Content-Type", "audio/wav")
			w.Write(wav)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, scareAudioPage)
	}))
	const probe = `[document.getElementById('siren').paused || document.getElementById('siren').muted, window.alarm.paused || window.alarm.muted]`
	for _, ext := range []bool{false, true} {
		b := startBrowser(t, ext)
		tb := b.open(t, site+"/", 3500*time.Millisecond)
		var silent []any
		tb.evalJSON(t, probe, &silent)
		var warned bool
		tb.eval(t, `!!document.getElementById('tssguard-warning')`, &warned)
		want := ext
		if len(silent) != 2 || silent[0] != want || silent[1] != want || warned != ext {
			t.Errorf("extension %v: audio silenced %v (element, script), warning %v; want %v", ext, silent, warned, want)
		}
		b.cancel()
	}
}
