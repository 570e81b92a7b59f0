package capture

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
)

// maxFrames bounds the frame documents loaded per page (one level deep).
const maxFrames = 8

// maxNotes bounds Capture.Notes: a page with 10,000 broken references gets
// a summary, not 10,000 lines.
const maxNotes = 50

// builder assembles one Capture under the per-page limits shared by local
// and fetched pages.
type builder struct {
	c      *Capture
	policy Policy
	// enc is the encoding each document was read in ("" for UTF-8): its
	// scripts and style sheets inherit it, as in a browser.
	enc []string
	// taken counts scripts and style sheets against Policy.MaxResources.
	taken int
	// budget is what is left of the bytes all resources of the page may
	// use together, so 64 resources of 2 MiB cannot add up to 128 MiB.
	// Fetches charge it concurrently.
	budget atomic.Int64
	// dropped counts notes beyond maxNotes.
	dropped int
	// parse is Options.Parse.
	parse func(body []byte) (refs []Ref, base string, parsed any, ok bool)
}

// refs lists the references and the base of document doc: by
// Options.Parse when set, else by the scan.
func (b *builder) refs(doc int) ([]Ref, string) {
	d := &b.c.Documents[doc]
	if b.parse != nil {
		if refs, base, parsed, ok := b.parse(d.Body); ok {
			d.Parsed = parsed
			return refs, base
		}
	}
	return scanAll(d.Body)
}

func newBuilder(c *Capture, p Policy) *builder {
	b := &builder{c: c, policy: p}
	b.budget.Store(resourceBudget(p))
	return b
}

// resourceBudget is the byte budget for all resources of one page.
func resourceBudget(p Policy) int64 {
	return max(4*p.MaxPageBytes, p.MaxResourceBytes)
}

func (b *builder) note(format string, args ...any) {
	if len(b.c.Notes) >= maxNotes {
		b.dropped++
		return
	}
	b.c.Notes = append(b.c.Notes, fmt.Sprintf(format, args...))
}

// finish adds the count of notes left out.
func (b *builder) finish() {
	if b.dropped > 0 {
		b.c.Notes = append(b.c.Notes, fmt.Sprintf("%d more notes left out", b.dropped))
	}
}

// addDocument converts a document to UTF-8 and appends it; it returns the
// document's index. what names it in notes ("page", "frame x.html").
func (b *builder) addDocument(url, frame string, raw []byte, contentType string, truncated bool, what string) int {
	body, from, src := decodeText(raw, contentType, textHTML, "")
	// NUL becomes U+FFFD, as the HTML tokenizer does: a NUL byte must
	// neither end a string early nor slip between the words rules match.
	if bytes.IndexByte(body, 0) >= 0 {
		body = bytes.ReplaceAll(body, []byte{0}, []byte("\uFFFD"))
	}
	if n := convertNote(what, from, src); n != "" {
		b.note("%s", n)
	}
	if truncated {
		b.note("%s truncated at %d bytes", what, b.policy.MaxPageBytes)
	}
	b.c.Documents = append(b.c.Documents, Document{URL: url, Frame: frame, Body: body, Truncated: truncated})
	b.enc = append(b.enc, from)
	return len(b.c.Documents) - 1
}

// frameName is the Frame label of the next frame document.
func (b *builder) frameName() string {
	return fmt.Sprintf("main/frame[%d]", len(b.c.Documents))
}

// canAddFrame reports whether another frame document fits.
func (b *builder) canAddFrame() bool {
	return len(b.c.Documents) <= maxFrames
}

// take reserves a resource slot; false (with a note, once) when the page
// has used Policy.MaxResources.
func (b *builder) take() bool {
	if b.taken >= b.policy.MaxResources {
		if b.taken == b.policy.MaxResources {
			b.note("only the first %d scripts and style sheets were read", b.policy.MaxResources)
			b.taken++ // note once
		}
		return false
	}
	b.taken++
	return true
}

// hasBudget reports whether the page's resources may still use bytes.
func (b *builder) hasBudget() bool { return b.budget.Load() > 0 }

// spend charges n bytes to the page's resource budget. Safe for concurrent use.
func (b *builder) spend(n int64) { b.budget.Add(-n) }

// budgetErr is the Resource.Err of a resource refused for want of budget.
func (b *builder) budgetErr() string {
	return fmt.Sprintf("not read: the page's resources passed %d bytes in total", resourceBudget(b.policy))
}

// finishResource converts a read resource to UTF-8 and notes what matters.
func (b *builder) finishResource(r *Resource, raw []byte, contentType string) {
	kind := textScript
	if r.Kind == KindStylesheet {
		kind = textCSS
	}
	inherit := ""
	if r.Doc >= 0 && r.Doc < len(b.enc) {
		inherit = b.enc[r.Doc]
	}
	body, from, src := decodeText(raw, contentType, kind, inherit)
	r.Body = body
	if src != encInherited {
		if n := convertNote(string(r.Kind)+" "+clip(r.Ref), from, src); n != "" {
			b.note("%s", n)
		}
	}
	if r.Truncated {
		b.note("%s %s truncated at %d bytes", r.Kind, clip(r.Ref), b.policy.MaxResourceBytes)
	}
}

// dataResource decodes a data: URL script or style sheet.
func (b *builder) dataResource(r *Resource) {
	r.URL = clip(r.Ref)
	d, err := decodeDataURL(r.Ref, b.policy.MaxResourceBytes)
	if err != nil {
		r.Err = err.Error()
		return
	}
	r.Truncated = d.Truncated
	b.spend(int64(len(d.Body)))
	b.finishResource(r, d.Body, d.MediaType)
}

// inlineFrame adds a frame whose document needs no reading: srcdoc and
// data: URLs. It reports whether ref was one (handled, or refused with a
// note); the new document's index is returned when one was added, else -1.
func (b *builder) inlineFrame(ref Ref) (handled bool, doc int) {
	switch {
	case ref.Srcdoc != "" || ref.Ref == SrcdocURL:
		if strings.TrimSpace(ref.Srcdoc) == "" {
			return true, -1
		}
		// srcdoc is an attribute of a document already converted to UTF-8.
		raw := []byte(ref.Srcdoc)
		truncated := false
		if int64(len(raw)) > b.policy.MaxPageBytes {
			raw, truncated = raw[:b.policy.MaxPageBytes], true
		}
		return true, b.addDocument(SrcdocURL, b.frameName(), raw, "text/html; charset=utf-8", truncated, "srcdoc frame")
	case hasScheme(ref.Ref, "data"):
		d, err := decodeDataURL(ref.Ref, b.policy.MaxPageBytes)
		if err != nil {
			b.note("frame %s not read: %v", clip(ref.Ref), err)
			return true, -1
		}
		if err := sniff(d.Body, d.MediaType); err != nil {
			b.note("frame %s not read: %v", clip(ref.Ref), err)
			return true, -1
		}
		return true, b.addDocument(clip(ref.Ref), b.frameName(), d.Body, d.MediaType, d.Truncated, "data: frame")
	}
	return false, -1
}

// hasScheme reports whether a reference starts with scheme + ":",
// ignoring case and the leading space and controls a browser ignores.
func hasScheme(ref, scheme string) bool {
	ref = strings.TrimLeft(ref, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	return len(ref) > len(scheme) && ref[len(scheme)] == ':' && strings.EqualFold(ref[:len(scheme)], scheme)
}

// notLoadable reports references a browser does not load as a document or
// resource: call schemes, javascript:, about:, blob: and friends.
func notLoadable(ref string) bool {
	for _, s := range []string{"tel", "callto", "facetime", "facetime-audio", "sip", "sips", "skype", "javascript", "about", "blob", "mailto", "sms", "intent", "chrome", "view-source"} {
		if hasScheme(ref, s) {
			return true
		}
	}
	return false
}

// cleanRef prepares a reference for URL parsing the way a browser's URL
// parser does: leading and trailing C0 controls and spaces are removed,
// tabs and newlines anywhere are dropped, and backslashes are slashes
// (for http(s) and file URLs, so "..\..\x" climbs and "\\host" is a host).
func cleanRef(ref string) string {
	ref = strings.Trim(ref, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	if strings.ContainsAny(ref, "\t\n\r") {
		ref = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(ref)
	}
	return strings.ReplaceAll(ref, `\`, "/")
}

// clip shortens a long reference (a data: URL) for notes and Resource.URL.
func clip(s string) string {
	if len(s) > 80 {
		i := 80
		for i > 0 && s[i]&0xc0 == 0x80 {
			i-- // do not cut a character in two
		}
		return s[:i] + "…"
	}
	return s
}
