package analyze

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/capture"
)

// An alert held in a data: URL is read wherever the page embeds it as a
// document: an <iframe>, an <object> or an <embed> show it alike.
func TestEmbeddedDocumentsAreRead(t *testing.T) {
	const alert = `<h1>Windows Defender Security Alert</h1><p>Your computer is infected with a Trojan virus. Do not close this page or restart your computer.</p><p>Call Microsoft Support now: +1-855-494-7196 (toll free)</p>`
	url := "data:text/html;base64," + base64.StdEncoding.EncodeToString([]byte(alert))
	e := mustEngine(t, Options{NoEmulation: true})
	for name, tag := range map[string]string{
		"iframe": `<iframe src="` + url + `"></iframe>`,
		"object": `<object type="text/html" data="` + url + `"></object>`,
		"embed":  `<embed type="text/html" src="` + url + `">`,
	} {
		t.Run(name, func(t *testing.T) {
			c, err := capture.FromReader(context.Background(), strings.NewReader(`<html><body>`+tag+`</body></html>`), "page.html", capture.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r := e.Analyze(context.Background(), c); r.Verdict != Scam {
				t.Errorf("%s: %s (%s), %d documents", name, r.Verdict, r.Reason, len(c.Documents))
			}
		})
	}
}
