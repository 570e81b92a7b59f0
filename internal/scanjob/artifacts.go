package scanjob

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/tssguard/tssguard/capture"
	"github.com/tssguard/tssguard/store"
)

// CaptureFile is one document or resource of a scan, as the analyst's
// request list shows it: what it was, how big, its SHA-256.
type CaptureFile struct {
	URL    string `json:"url"`
	Kind   string `json:"kind"` // document, script, stylesheet, ...
	Frame  string `json:"frame,omitempty"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	Error  string `json:"error,omitempty"`
}

// CaptureSummary is the capture.json artifact: the redirect chain and the
// files the page was made of. The report keeps verdicts; this keeps the
// material an analyst pivots on.
type CaptureSummary struct {
	Redirects []string      `json:"redirects,omitempty"`
	Files     []CaptureFile `json:"files"`
}

// maxSource caps the page source kept for showing evidence in context.
const maxSource = 1 << 20

func captureArtifacts(c *capture.Capture) []store.Artifact {
	sum := CaptureSummary{Redirects: c.Redirects, Files: []CaptureFile{}}
	file := func(url, kind, frame string, body []byte, errText string) CaptureFile {
		f := CaptureFile{URL: url, Kind: kind, Frame: frame, Size: len(body), Error: errText}
		if len(body) > 0 {
			h := sha256.Sum256(body)
			f.SHA256 = hex.EncodeToString(h[:])
		}
		return f
	}
	var out []store.Artifact
	for _, d := range c.Documents {
		kind := "document"
		if d.Rendered {
			kind = "dom"
		}
		sum.Files = append(sum.Files, file(d.URL, kind, d.Frame, d.Body, ""))
		if !d.Rendered && d.Frame == "main" && len(out) == 0 && len(d.Body) <= maxSource {
			out = append(out, store.Artifact{Name: "source.html", ContentType: "text/html", Data: d.Body})
		}
	}
	for _, r := range c.Resources {
		sum.Files = append(sum.Files, file(r.URL, string(r.Kind), "", r.Body, r.Err))
	}
	if b, err := json.Marshal(sum); err == nil {
		out = append(out, store.Artifact{Name: "capture.json", ContentType: "application/json", Data: b})
	}
	return out
}
