package analyze

import (
	"bytes"
	"slices"
	"testing"
	"unicode/utf8"
)

// oldAffiliateCandidate is detectAffiliateLinks' test on a lower-cased
// document: some '=' after an affiliate parameter name.
func oldAffiliateCandidate(body []byte) bool { return len(oldAffiliateEqs(body)) > 0 }

// oldAffiliateEqs are the '='s detectAffiliateLinks looks at in a
// lower-cased document, in order.
func oldAffiliateEqs(body []byte) []int {
	var out []int
	for from := 0; from < len(body); {
		eq := bytes.IndexByte(body[from:], '=')
		if eq < 0 {
			return out
		}
		eq += from
		from = eq + 1
		k := eq
		for k > 0 && eq-k < 16 && isParamByte(body[k-1]) {
			k--
		}
		if k > 0 && k < eq && (body[k-1] == '?' || body[k-1] == '&' || body[k-1] == ';') && affiliateParams[string(body[k:eq])] {
			out = append(out, eq)
		}
	}
	return out
}

// The markup detectors skip making a document's lower case only when the
// lower case could not have what they look for.
func FuzzLowerCaseSkips(f *testing.F) {
	for _, s := range []string{
		`<a href="https://x.test/?AFF_ID=7">`, `<PROGRESS value=3>`, `<div ROLE="ProgressBar">`,
		"<a href='/?cl\u0130ckid=1'>", "\u212a<progress>", `?subid=`, `&Offer_Id=`, "&\u00c9affid=",
		`<a href="/x?aff=1&SubId=2;clickid=3&AFFILIATE_ID==">`, `?aff_sub2=&aff_sub2=`, "01234567?aff=\x80", "\u023a?aff=1", "\u2126 ?aff=1", "\u00e9\u00c9?Aff=1", "\xff?aff=1", "\u1e9e\u00df&aff_id=2",
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
		if oldAffiliateCandidate(low) && affiliateCandidate(b, 0) < 0 {
			t.Fatalf("affiliate parameter in the lower case only: %q", b)
		}
		if keeps := lowerKeepsOffsets(b); keeps && (len(low) != len(b) || !sameRuneStarts(low, b)) {
			t.Fatalf("lowerKeepsOffsets(%q) = %v; lower case %q", b, keeps, low)
		}
		if lowerKeepsOffsets(b) {
			// Such a document is read as it is: the same '='s, in order.
			var got []int
			for at := affiliateCandidate(b, 0); at >= 0; at = affiliateCandidate(b, at+1) {
				got = append(got, at)
			}
			if want := oldAffiliateEqs(low); !slices.Equal(got, want) {
				t.Fatalf("affiliate '='s of %q: %v, want %v", b, got, want)
			}
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

// sameRuneStarts: a and b have runes starting at the same offsets, and the
// same ASCII bytes, ASCII case aside.
func sameRuneStarts(a, b []byte) bool {
	for i := range a {
		if utf8.RuneStart(a[i]) != utf8.RuneStart(b[i]) || (a[i] < utf8.RuneSelf) != (b[i] < utf8.RuneSelf) {
			return false
		}
		if a[i] < utf8.RuneSelf && lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}
