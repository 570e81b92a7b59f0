package analyze

import (
	"encoding/base64"
	"net/url"
	"testing"
)

// TestSVGPictureText: the words of an SVG picture embedded as a data: URL
// (an <img>, an <object>, a CSS background, base64 or percent-encoded)
// are page text with source svg: a number only there is the hotline. An
// icon without text adds nothing.
func TestSVGPictureText(t *testing.T) {
	e := mustEngine(t, Options{NoFastPath: true, NoEmulation: true})
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="0" y="30">Call <tspan>+1 (844) 555-0142</tspan></text></svg>`
	b64 := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg))
	pct := "data:image/svg+xml," + url.PathEscape(svg)
	alert := `<title>Windows Security</title><h1>Windows Defender Security Center</h1><p>Your computer is infected with Trojan spyware.</p><p>Call Microsoft support:</p>`
	for name, pic := range map[string]string{
		"img base64":      `<img src="` + b64 + `">`,
		"img percent":     `<img src='` + pct + `'>`,
		"object":          `<object type="image/svg+xml" data="` + b64 + `"></object>`,
		"style element":   `<style>.n { background: url("` + b64 + `") no-repeat }</style><div class="n"></div>`,
		"style attribute": `<div style="width:400px;height:40px;background-image:url(` + b64 + `)"></div>`,
		// media types are case-insensitive
		"upper case": `<div style="background-image:url(DATA:IMAGE/SVG+XML;BASE64,` + b64[len("data:image/svg+xml;base64,"):] + `)"></div>`,
	} {
		r := e.Analyze(t.Context(), SampleCapture(Sample{HTML: alert + pic}))
		if len(r.Hotlines) == 0 || r.Hotlines[0].E164 != "+18445550142" || !evidenceSources(r)["svg"] {
			t.Errorf("%s: verdict %s, hotlines %+v, sources %v", name, r.Verdict, r.Hotlines, evidenceSources(r))
		}
	}
	icon := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h24v24H0z"/></svg>`))
	c := SampleCapture(Sample{HTML: `<p>Fresh bread every morning.</p><img src="` + icon + `">`})
	if r := e.Analyze(t.Context(), c); len(r.Findings) > 0 {
		t.Errorf("an icon: findings %+v", r.Findings)
	}
}

// TestFastPathSeesSVGPictures: the fast path does not call clean a page
// whose whole alert is an SVG picture's text (base64 or percent-encoded):
// it reads decoded blobs as the engine reads the picture.
func TestFastPathSeesSVGPictures(t *testing.T) {
	e := mustEngine(t, Options{})
	svg := `<svg xmlns="http://www.w3.org/2000/svg"><text>Your computer has been blocked. Trojan spyware detected.</text><text>Call Microsoft Support +1 (844) 555-0142</text></svg>`
	for _, src := range []string{
		"data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg)),
		"data:image/svg+xml," + url.PathEscape(svg),
	} {
		page := `<html><head><title>Notice</title></head><body><img src="` + src + `"></body></html>`
		if ok, why := e.pre.fastClean(staticCapture(page)); ok {
			t.Errorf("%.40s…: fast path taken (%s)", src, why)
		}
		if r := e.Analyze(t.Context(), staticCapture(page)); r.Verdict == Clean {
			t.Errorf("%.40s…: clean (%s)", src, r.Reason)
		}
	}
}
