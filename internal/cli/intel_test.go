package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/tssguard/tssguard/store"
)

// seedData makes a data directory holding finished scans of two campaigns,
// as the workers would have recorded them.
func seedData(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exp := time.Now().Add(7 * 24 * time.Hour)
	for i, c := range []struct{ domain, number, campaign string }{
		{"win-alert-1.example", "+18885550101", "c-aaaa0001"},
		{"win-alert-2.example", "+18885550101", "c-aaaa0001"},
		{"mac-locked.example", "+18445550177", "c-bbbb0002"},
	} {
		s, err := db.CreateScan(ctx, store.Scan{URL: "https://" + c.domain + "/"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.FinishScan(ctx, s.ID, store.Result{
			FinalURL: "https://" + c.domain + "/", Domain: c.domain, Verdict: "scam", Score: 20 + float64(i), Report: []byte(`{}`),
			Campaign: c.campaign, Brand: "microsoft", Evidence: "TSS-LOCK-FULLSCREEN",
			Hotlines: []store.HotlineSighting{{E164: c.number, Type: "toll_free", Region: "US", How: []string{"text", "tel"}, Expires: exp}},
			Domains:  []store.Listing{{Value: c.domain, Domain: c.domain, Expires: exp}},
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestAPIKeyCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errs := runCLI(t, "", "apikey", "create", "soc", "--data", dir)
	if code != 0 || !strings.HasPrefix(out, store.TokenPrefix) || !strings.Contains(errs, "shown only now") {
		t.Fatalf("create: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(t, "", "apikey", "create", "soc", "--data", dir); code != ExitError || !strings.Contains(errs, "exists already") {
		t.Errorf("duplicate: %d %q", code, errs)
	}
	if code, out, _ := runCLI(t, "", "apikey", "list", "--data", dir); code != 0 || !strings.Contains(out, "soc") || !strings.Contains(out, "live") || strings.Contains(out, store.TokenPrefix) {
		t.Errorf("list: %d %q", code, out)
	}
	if code, _, _ := runCLI(t, "", "apikey", "revoke", "soc", "--data", dir); code != 0 {
		t.Errorf("revoke: %d", code)
	}
	if _, out, _ := runCLI(t, "", "apikey", "list", "--data", dir); !strings.Contains(out, "revoked") {
		t.Errorf("list after revoke: %q", out)
	}
	if code, _, errs := runCLI(t, "", "worker"); code != ExitError || !strings.Contains(errs, "--postgres") {
		t.Errorf("worker without postgres: %d %q", code, errs)
	}
}

func TestNumbersAndCampaigns(t *testing.T) {
	dir := seedData(t)
	code, out, errs := runCLI(t, "", "numbers", "--data", dir)
	if code != 0 || !strings.Contains(out, "+18885550101") || !strings.Contains(out, "win-alert-1.example win-alert-2.example") {
		t.Fatalf("numbers: %d %q %q", code, out, errs)
	}
	_, out, _ = runCLI(t, "", "numbers", "--data", dir, "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 3 || recs[0][0] != "e164" || recs[1][4] != "1" && recs[1][4] != "2" {
		t.Errorf("numbers csv: %v %q", err, out)
	}
	_, out, _ = runCLI(t, "", "numbers", "--data", dir, "--format", "json")
	var h store.Hotline
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &h); err != nil || h.E164 == "" {
		t.Errorf("numbers json: %v %q", err, out)
	}
	if _, out, _ := runCLI(t, "", "numbers", "--data", dir, "--since", "1h"); !strings.Contains(out, "+18445550177") {
		t.Errorf("numbers --since 1h lost recent numbers: %q", out)
	}
	if code, _, errs := runCLI(t, "", "numbers", "--data", dir, "--since", "yesterday"); code != ExitError || !strings.Contains(errs, "--since") {
		t.Errorf("bad --since: %d %q", code, errs)
	}
	if code, out, _ := runCLI(t, "", "numbers", "stats", "--data", dir); code != 0 || !strings.Contains(out, "2 numbers; 2 (100%) used for less than a day") {
		t.Errorf("stats: %q", out)
	}

	_, out, _ = runCLI(t, "", "campaigns", "--data", dir)
	if !strings.Contains(out, "c-aaaa0001") || !strings.Contains(out, "c-bbbb0002") {
		t.Errorf("campaigns: %q", out)
	}
	code, out, _ = runCLI(t, "", "campaigns", "show", "c-aaaa0001", "--data", dir)
	if code != 0 || !strings.Contains(out, "pages      2") || !strings.Contains(out, "+18885550101") || !strings.Contains(out, "win-alert-2.example") {
		t.Errorf("campaigns show: %d %q", code, out)
	}
	if code, _, errs := runCLI(t, "", "campaigns", "show", "c-nope", "--data", dir); code != ExitError || !strings.Contains(errs, "no campaign") {
		t.Errorf("unknown campaign: %d %q", code, errs)
	}
}

func TestExportCommand(t *testing.T) {
	dir := seedData(t)
	code, out, _ := runCLI(t, "", "export")
	for _, f := range []string{"abp", "dnr", "hosts", "misp", "numbers", "rpz", "stix", "suricata", "unbound", "urlblocklist"} {
		if !strings.Contains(out, f) {
			t.Errorf("format list lacks %s: %q", f, out)
		}
	}
	if code != 0 {
		t.Errorf("format list: %d", code)
	}
	zone := filepath.Join(t.TempDir(), "tssguard.rpz")
	if code, _, errs := runCLI(t, "", "export", "rpz", "-o", zone, "--data", dir, "--rpz-origin", "rpz.example.net"); code != 0 {
		t.Fatalf("export rpz: %d %q", code, errs)
	}
	f, _ := os.Open(zone)
	defer f.Close()
	zp := dns.NewZoneParser(f, "", "")
	n := 0
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if strings.HasSuffix(rr.Header().Name, ".rpz.example.net.") && rr.Header().Rrtype == dns.TypeCNAME {
			n++
		}
	}
	if zp.Err() != nil || n != 6 {
		t.Errorf("rpz: %v, %d CNAME records, want 3 apex + 3 wildcard", zp.Err(), n)
	}
	feed := t.TempDir() + "/feed/"
	if code, _, errs := runCLI(t, "", "export", "misp", "-o", feed, "--data", dir); code != 0 {
		t.Fatalf("export misp: %d %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(feed, "manifest.json")); err != nil {
		t.Errorf("misp feed: %v", err)
	}
	if code, _, errs := runCLI(t, "", "export", "bind9", "--data", dir); code != ExitError || !strings.Contains(errs, "formats: ") {
		t.Errorf("unknown format: %d %q", code, errs)
	}
	// A failed export leaves the previous file in place.
	before, _ := os.ReadFile(zone)
	if code, _, _ := runCLI(t, "", "export", "dnr", "-o", zone, "--data", dir, "--warning-url", "javascript:alert(1)"); code != ExitError {
		t.Errorf("dnr with a bad warning URL: %d", code)
	}
	if after, _ := os.ReadFile(zone); string(after) != string(before) {
		t.Error("a failed export replaced the previous file")
	}
}
