package analyze

import (
	"encoding/base64"
	"strings"
)

// decodeBase64Loose decodes standard or URL-safe base64 with or without
// padding, ignoring white space (kits wrap long blobs).
func decodeBase64Loose(s string) ([]byte, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}
