package analyze

import (
	"bytes"
	"testing"
)

// oldAffiliateCandidate is detectAffiliateLinks' test on a lower-cased
// document: some '=' after an affiliate parameter name.
func oldAffiliateCandidate(body []byte) bool {
	for from := 0; from < len(body); {
		eq := bytes.IndexByte(body[from:], '=')
		if eq < 0 {
			return false
		}
		eq += from
		from = eq + 1
		k := eq
		for k > 0 && eq-k < 16 && isParamByte(body[k-1]) {
			k--
		}
		if k > 0 && k < eq && (body[k-1] == '?' || body[k-1] == '&' || body[k-1] == ';') && affiliateParams[string(body[k:eq])] {
			return true
		}
	}
	return false
}

// The markup detectors skip making a document's lower case only when the
// lower case could not have what they look for.
func FuzzLowerCaseSkips(f *testing.F) {
	for _, s := range []string{
		`<a href="https://x.test/?AFF_ID=7">`, `<PROGRESS value=3>`, `<div ROLE="ProgressBar">`,
		"<a href='/?cl\u0130ckid=1'>", "\u212a<progress>", `?subid=`, `&Offer_Id=`, "&\u00c9affid=",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ascii := make([]byte, len(b))
		for i, c := range b {
			ascii[i] = lowerASCII(c)
		}
		for _, n := range []string{"<progress", "progressbar", "</script", "p"} {
			if got, want := indexFold(b, n), bytes.Index(ascii, []byte(n)); got != want {
				t.Fatalf("indexFold(%q, %q) = %d, want %d", b, n, got, want)
			}
		}
		if upperToASCII(b) {
			return // the lower case is made
		}
		low := lowerBytes(b)
		if bytes.Contains(low, []byte("<progress")) && indexFold(b, "<progress") < 0 {
			t.Fatalf("<progress in the lower case only: %q", b)
		}
		if bytes.Contains(low, []byte("progressbar")) && indexFold(b, "progressbar") < 0 {
			t.Fatalf("progressbar in the lower case only: %q", b)
		}
		if oldAffiliateCandidate(low) && !affiliateCandidate(b) {
			t.Fatalf("affiliate parameter in the lower case only: %q", b)
		}
	})
}

// Upper-case markup is still read.
func TestUpperCaseMarkupDetectors(t *testing.T) {
	r := analyzeHTML(t, `<html><body><p>Scanning your computer for viruses, please wait</p><PROGRESS VALUE=40 MAX=100></PROGRESS>
<a href="https://shop.example.test/buy?AFF_ID=1234&x=1">Buy</a></body></html>`)
	for _, id := range []string{"TSS-FAKE-PROGRESS", "TSS-CONVERT-AFFILIATE"} {
		if r.Finding(id) == nil {
			t.Errorf("no %s in %v", id, ruleIDs(r))
		}
	}
}
