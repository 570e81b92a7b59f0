package server_test

import (
	"context"
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

// TestAllowlistTakesDomainsOnly: the allowlist takes registrable domains
// and host names, never a public suffix (pages.dev would allowlist every
// tenant) or something that is not a host name.
func TestAllowlistTakesDomainsOnly(t *testing.T) {
	db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() }) // after the queue stops
	a := start(t, db, server.Options{})
	for in, want := range map[string]string{
		"www.Example.COM":       "example.com",
		"example.co.uk.":        "example.co.uk",
		"scam-tenant.pages.dev": "scam-tenant.pages.dev",
		"bücher.example":        "xn--bcher-kva.example",
		"127.0.0.1":             "127.0.0.1",
		// refused:
		"pages.dev": "", "github.io": "", "blogspot.com": "", "co.uk": "", "com": "",
		"z13.web.core.windows.net": "", "exa mple.com": "", "x.example/path": "",
		"user@example.com": "", "*.example.com": "", "-x.example": "", "example.com:443": "",
		"https://example.com/": "", "": "",
	} {
		code, m, raw := a.do("POST", "/api/v1/allowlist", a.token, map[string]any{"domain": in})
		switch {
		case want != "" && (code != 201 || m["domain"] != want):
			t.Errorf("allow %q: %d %s, want %s", in, code, raw, want)
		case want == "" && (code != 400 || m["error"] != "bad_domain" || m["message"] == ""):
			t.Errorf("allow %q: %d %s, want 400 bad_domain", in, code, raw)
		}
	}
}
