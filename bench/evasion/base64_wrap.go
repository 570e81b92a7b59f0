package main

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
)

// base64Wrap hides each script behind one layer of base64: inline scripts
// become eval(atob("…")) or document.write(atob("…")) of a <script>,
// external files eval(atob("…")). UTF-8 survives through
// decodeURIComponent(escape(…)).
func base64Wrap(p *Page, rng *rand.Rand) (string, error) {
	wrap := func(code string, inline bool) string {
		if strings.TrimSpace(code) == "" {
			return code
		}
		if inline && rng.IntN(2) == 0 {
			enc := base64.StdEncoding.EncodeToString([]byte("<script>" + safeScriptText(code) + "</script>"))
			return `document.write(decodeURIComponent(escape(atob("` + enc + `"))));`
		}
		enc := base64.StdEncoding.EncodeToString([]byte(code))
		return `eval(decodeURIComponent(escape(atob("` + enc + `"))));`
	}
	p.rewrite(nil, wrap)
	return "", nil
}
