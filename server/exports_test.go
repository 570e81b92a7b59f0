package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/server"
	"github.com/tssguard/tssguard/store"
)

// seed records finished scam scans straight into the store, as workers do.
func seed(t *testing.T, db *store.DB, domains ...string) {
	t.Helper()
	ctx := context.Background()
	exp := time.Now().Add(14 * 24 * time.Hour)
	for i, d := range domains {
		s, err := db.CreateScan(ctx, store.Scan{URL: "https://" + d + "/alert/"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		number := "+1888555014" + string(rune('0'+i%10))
		err = db.FinishScan(ctx, s.ID, store.Result{
			FinalURL: "https://" + d + "/alert/", Domain: d, Verdict: "scam", Score: 30, Report: []byte(`{}`),
			Campaign: "c-0000kit1", Brand: "microsoft", Evidence: "TSS-CALL-AUTODIAL",
			Hotlines: []store.HotlineSighting{{E164: number, Type: "toll_free", Region: "US", How: []string{"text"}, Expires: exp}},
			Domains:  []store.Listing{{Value: d, Domain: d, Expires: exp}},
			URLs:     []store.Listing{{Value: d + "/alert/", Domain: d, Expires: exp}},
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
}

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestExports serves every format from the store: allowlisted domains never
// appear, unchanged lists answer 304, the RPZ zone parses, TAXII and the
// MISP feed answer.
func TestExports(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		seed(t, db, "alert-win-defender.example", "secure-pc-help.example", "brand-support.example")
		a := start(t, db, server.Options{})
		if code, _, raw := a.do("POST", "/api/v1/allowlist", a.token, map[string]any{"domain": "brand-support.example"}); code != 201 {
			t.Fatalf("allow: %d %s", code, raw)
		}

		resp, body := get(t, a.url+"/api/v1/export/rpz")
		if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" {
			t.Fatalf("rpz: %d %v", resp.StatusCode, resp.Header)
		}
		zp := dns.NewZoneParser(strings.NewReader(string(body)), "", "")
		names := map[string]bool{}
		for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
			names[rr.Header().Name] = true
		}
		if err := zp.Err(); err != nil {
			t.Fatalf("rpz does not parse: %v\n%s", err, body)
		}
		for _, want := range []string{"alert-win-defender.example.", "*.secure-pc-help.example."} {
			found := false
			for n := range names {
				found = found || strings.HasPrefix(n, want)
			}
			if !found {
				t.Errorf("rpz lacks %s: %v", want, names)
			}
		}
		for n := range names {
			if strings.Contains(n, "brand-support") {
				t.Errorf("allowlisted domain in rpz: %s", n)
			}
		}
		if r2, _ := get(t, a.url+"/api/v1/export/rpz", "If-None-Match", resp.Header.Get("ETag")); r2.StatusCode != 304 {
			t.Errorf("unchanged rpz: %d, want 304", r2.StatusCode)
		}

		for _, f := range []string{"domains", "hosts", "abp", "dnsmasq", "unbound", "urlblocklist", "dnr", "suricata", "numbers", "stix"} {
			resp, body := get(t, a.url+"/api/v1/export/"+f)
			if resp.StatusCode != 200 || len(body) == 0 || strings.Contains(string(body), "brand-support") {
				t.Errorf("%s: %d, %d bytes", f, resp.StatusCode, len(body))
			}
		}
		if resp, body := get(t, a.url+"/api/v1/export/numbers"); !strings.Contains(string(body), "+18885550140") {
			t.Errorf("numbers export: %d %s", resp.StatusCode, body)
		}
		if resp, _ := get(t, a.url+"/api/v1/export/nope"); resp.StatusCode != 404 {
			t.Errorf("unknown format: %d", resp.StatusCode)
		}

		resp, body = get(t, a.url+"/api/v1/export/misp/manifest.json")
		var manifest map[string]map[string]any
		if err := json.Unmarshal(body, &manifest); err != nil || len(manifest) == 0 {
			t.Fatalf("misp manifest: %d %s", resp.StatusCode, body)
		}
		for uuid := range manifest {
			if r, _ := get(t, a.url+"/api/v1/export/misp/"+uuid+".json"); r.StatusCode != 200 {
				t.Errorf("misp event %s: %d", uuid, r.StatusCode)
			}
		}

		resp, body = get(t, a.url+"/taxii2/", "Accept", "application/taxii+json;version=2.1")
		if resp.StatusCode != 200 || !strings.Contains(string(body), "api_roots") {
			t.Fatalf("taxii discovery: %d %s", resp.StatusCode, body)
		}
		resp, body = get(t, a.url+"/taxii2/api/collections/", "Accept", "application/taxii+json;version=2.1")
		var cols struct {
			Collections []struct{ ID string } `json:"collections"`
		}
		if err := json.Unmarshal(body, &cols); err != nil || len(cols.Collections) != 1 {
			t.Fatalf("taxii collections: %d %s", resp.StatusCode, body)
		}
		resp, body = get(t, a.url+"/taxii2/api/collections/"+cols.Collections[0].ID+"/objects/?match[type]=indicator", "Accept", "application/taxii+json;version=2.1")
		if resp.StatusCode != 200 || !strings.Contains(string(body), "alert-win-defender.example") || strings.Contains(string(body), "brand-support") {
			t.Errorf("taxii objects: %d %.300s", resp.StatusCode, body)
		}
	})
}
