package server_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// TestExportDNRLimits: the extension asks the dnr export for its browser's
// limits (limit, max_regex); the server keeps the most recently seen
// listings, by the store's last-seen times, and the ETag follows the
// limits.
func TestExportDNRLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// d0 is seen first, d5 last; each scan lists its domain and a URL.
		for i := range 6 {
			seed(t, db, "d"+strconv.Itoa(i)+"-alert.example")
			time.Sleep(3 * time.Millisecond)
		}
		a := start(t, db, server.Options{})

		type rule struct {
			ID        int `json:"id"`
			Condition struct {
				RequestDomains []string `json:"requestDomains"`
				URLFilter      string   `json:"urlFilter"`
				RegexFilter    string   `json:"regexFilter"`
			} `json:"condition"`
		}
		fetch := func(query string) ([]rule, string) {
			t.Helper()
			resp, body := get(t, a.url+"/api/v1/export/dnr"+query)
			if resp.StatusCode != 200 {
				t.Fatalf("dnr%s: %d %s", query, resp.StatusCode, body)
			}
			var rules []rule
			if err := json.Unmarshal(body, &rules); err != nil {
				t.Fatalf("dnr%s: %v", query, err)
			}
			return rules, resp.Header.Get("ETag")
		}

		all, etagAll := fetch("")
		if len(all) != 7 { // one rule for the 6 domains, 6 URLs
			t.Fatalf("%d rules without limits, want 7", len(all))
		}
		// Newest first: d5's domain opens the domain rule, d5's URL next.
		if d := all[0].Condition.RequestDomains; len(d) != 6 || d[0] != "d5-alert.example" || d[5] != "d0-alert.example" {
			t.Errorf("domains %v, want newest first", d)
		}
		if !strings.Contains(all[1].Condition.RegexFilter, "d5-alert") {
			t.Errorf("second rule %+v, want d5's URL", all[1])
		}

		// 3 rules: the domain rule and the two newest URLs; of the
		// domains those that came with them and one more, which still fits
		// in the same rule. One regexFilter, for the newest URL.
		rules, etag := fetch("?limit=3&max_regex=1")
		if len(rules) != 3 {
			t.Fatalf("%d rules with limit=3", len(rules))
		}
		if d := strings.Join(rules[0].Condition.RequestDomains, " "); d != "d5-alert.example d4-alert.example d3-alert.example" {
			t.Errorf("domains %q, want the 3 newest", d)
		}
		if !strings.Contains(rules[1].Condition.RegexFilter, "d5-alert") || rules[2].Condition.URLFilter != "||d4-alert.example/alert/" {
			t.Errorf("URL rules %+v %+v: want d5 as regexFilter, d4 as urlFilter", rules[1], rules[2])
		}
		if etag == etagAll || etag == "" {
			t.Errorf("the same ETag %s with and without limits", etag)
		}
		if resp, _ := get(t, a.url+"/api/v1/export/dnr?limit=3&max_regex=1", "If-None-Match", etag); resp.StatusCode != 304 {
			t.Errorf("unchanged dnr with limits: %d, want 304", resp.StatusCode)
		}
		rules, _ = fetch("?limit=4&max_regex=0")
		for _, r := range rules {
			if r.Condition.RegexFilter != "" {
				t.Errorf("max_regex=0 wrote a regexFilter: %+v", r)
			}
		}

		for _, q := range []string{"?limit=0", "?limit=30001", "?limit=x", "?max_regex=1001", "?max_regex=-1"} {
			if resp, body := get(t, a.url+"/api/v1/export/dnr"+q); resp.StatusCode != 400 || !strings.Contains(string(body), "bad_limit") {
				t.Errorf("dnr%s: %d %s, want 400", q, resp.StatusCode, body)
			}
		}
	})
}
