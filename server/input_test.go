package server_test

import (
	"strings"
	"testing"

	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// TestTextFieldsValidated: text the databases would store differently (a
// NUL character: PostgreSQL refuses it, SQLite keeps it) is refused alike
// on both with a 400 that says what is wrong, never a 500; lengths are
// counted in characters, as the messages say.
func TestTextFieldsValidated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := start(t, db, server.Options{})
		for _, c := range []struct {
			name, method, path string
			body               any
			code               int
			msg                string
		}{
			{"NUL in a comment", "POST", "/api/v1/reports", map[string]any{"number": "+18885550147", "comment": "call\u0000me"}, 400, "comment"},
			{"NUL in a note", "POST", "/api/v1/allowlist", map[string]any{"domain": "example.org", "note": "ours\u0000"}, 400, "note"},
			{"NUL in a domain", "POST", "/api/v1/allowlist", map[string]any{"domain": "exam\u0000ple.org"}, 400, "domain"},
			{"NUL in a campaign ID", "GET", "/api/v1/campaigns/c-%00", nil, 400, "campaign"},
			{"bad UTF-8 in a campaign ID", "GET", "/api/v1/campaigns/c-%ff", nil, 400, "campaign"},
			{"NUL in a domain lookup", "GET", "/api/v1/domains/exa%00mple.org", nil, 400, "domain"},
			{"2000 two-byte characters", "POST", "/api/v1/reports", map[string]any{"number": "+18885550147", "comment": strings.Repeat("é", 2000)}, 202, ""},
			{"2001 characters", "POST", "/api/v1/reports", map[string]any{"number": "+18885550147", "comment": strings.Repeat("é", 2001)}, 400, "2000 characters"},
			{"500 characters of note", "POST", "/api/v1/allowlist", map[string]any{"domain": "example.org", "note": strings.Repeat("ü", 500)}, 201, ""},
		} {
			code, m, raw := a.do(c.method, c.path, a.token, c.body)
			msg, _ := m["message"].(string)
			if code != c.code || !strings.Contains(msg, c.msg) {
				t.Errorf("%s: %d %s, want %d and a message about %q", c.name, code, raw, c.code, c.msg)
			}
		}
	})
}
