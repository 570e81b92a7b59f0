// Package kittest serves test pages that behave as scam kits do towards
// their visitors, for tests of the ways tssguard arrives as a victim.
package kittest

import (
	"fmt"
	"net/http"
	"strings"
)

// AimedAtJapan is a kit aimed at Japanese visitors: it serves its scam
// only to a browser that asks for Japanese (Accept-Language) and, when
// fromSearch, that arrives from a search on bing.com (its Referer), and
// dials its number (+81 3 5555 0142, built from character codes) only for
// a browser whose navigator.language is Japanese. The page declares no
// language: only the visitor's tells the emulator. Everyone else gets a
// garden furniture shop.
func AimedAtJapan(fromSearch bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Accept-Language"), "ja") || fromSearch && !strings.Contains(r.Referer(), "bing.com") {
			fmt.Fprint(w, `<html><body><h1>Garden furniture</h1><p>Teak benches and chairs, made to order.</p></body></html>`)
			return
		}
		fmt.Fprint(w, `<html><head><title>Security alert</title></head><body oncontextmenu="return false"><h1>Your computer has been blocked</h1><p>Trojan spyware detected.</p>
<script>var k = [116,101,108,58,43,56,49,51,53,53,53,53,48,49,52,50], s = ''; for (var i = 0; i < k.length; i++) s += String.fromCharCode(k[i]);
window.onbeforeunload = function () { return ''; };
if (navigator.language.indexOf('ja') === 0) location.href = s;</script></body></html>`)
	})
}
