package hunt

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tssguard/tssguard/analyze"
	"github.com/tssguard/tssguard/capture"
)

// replayPage is a hand-written lure page; the replay's web server serves
// it for the scam hosts that are live.
const replayPage = `<!doctype html><html><head><title>Security Warning</title></head>
<body onbeforeunload="return 'Your computer is locked'">
<h1>Microsoft Windows Security Alert</h1>
<p>Your computer has been infected with a Trojan spyware. Your passwords and banking details are at risk.</p>
<p>Do not restart your computer. Call Microsoft Support immediately at <a href="tel:+18885550147">+1-888-555-0147</a> (toll free).</p>
<script>for (var i = 0; i < 50; i++) { alert("Virus detected! Call +1-888-555-0147 now"); } document.documentElement.requestFullscreen();</script>
</body></html>`

const benignPage = `<!doctype html><html><head><title>Welcome</title></head><body><h1>Fresh bread every morning</h1>
<p>Visit our shop on Main Street. Call us at +1-212-555-0188 to order a cake.</p></body></html>`

var (
	benignWords = strings.Fields(`acme blue river stone maple north green craft bakery studio garden cloud data labs media shop store
		health clinic dental legal school travel coffee pizza auto motors design photo music art books games sports fitness yoga
		pet vet farm fresh home house realty homes build energy solar water bright star moon sun fox wolf bear lake hill city
		metro urban rural coast bay harbor valley peak summit alpha beta gamma delta omega nova atlas orbit pixel byte code dev`)
	benignTLDs  = []string{"com", "com", "com", "net", "org", "io", "co.uk", "de", "fr", "app", "dev", "shop", "online"}
	tenantZones = []string{"pages.dev", "netlify.app", "vercel.app", "web.app", "onrender.com", "azurewebsites.net", "github.io", "herokuapp.com"}
	lureBrands  = []string{"microsoft", "windows", "apple", "norton", "mcafee", "defender", "paypal", "amazon", "icloud", "geeksquad"}
	lureWords   = []string{"support", "alert", "error", "security", "helpdesk", "warning", "virus", "locked", "call", "tech", "critical", "fix"}
	riskTLDs    = []string{"com", "online", "site", "xyz", "live", "top", "info", "click"}
	lookalikes  = map[string][]string{"microsoft": {"micr0soft", "rnicrosoft", "microsofft", "micros0ft"}, "apple": {"app1e", "aplle"},
		"norton": {"n0rton", "nortton"}, "paypal": {"paypa1", "paypall"}, "windows": {"wind0ws", "windovvs"}, "mcafee": {"mcaffee", "mcafe"}}
)

// replayHost makes a host name: benign (popular-looking shops, services,
// tenants of free hosting) or scam (in the shapes of real lure hosts, some
// with no sign in the name at all).
func replayHost(r *rand.Rand, scam bool) string {
	w := func(list []string) string { return list[r.IntN(len(list))] }
	if !scam {
		switch r.IntN(6) {
		case 0:
			return fmt.Sprintf("%s-%s.%s", w(benignWords), w(benignWords), w(benignTLDs))
		case 1:
			return fmt.Sprintf("%s.%s%s.%s", w([]string{"www", "mail", "api", "shop", "blog", "cdn", "app"}), w(benignWords), w(benignWords), w(benignTLDs))
		case 2:
			return fmt.Sprintf("%s-%s-%d.%s", w(benignWords), w(benignWords), r.IntN(100), w(tenantZones))
		case 3:
			return fmt.Sprintf("%s%d.%s", w(benignWords), r.IntN(1000), w(benignTLDs))
		default:
			return fmt.Sprintf("%s%s.%s", w(benignWords), w(benignWords), w(benignTLDs))
		}
	}
	brand := w(lureBrands)
	if alts, ok := lookalikes[brand]; ok && r.IntN(3) == 0 {
		brand = w(alts)
	}
	switch r.IntN(5) {
	case 0:
		return fmt.Sprintf("%s-%s-%s.%s", brand, w(lureWords), w(lureWords), w(riskTLDs))
	case 1:
		return fmt.Sprintf("%s-%s-%d.%s", brand, w(lureWords), r.IntN(9000)+1000, w(tenantZones))
	case 2:
		return fmt.Sprintf("%s%s%d.%s", w(lureWords), brand, r.IntN(100), w(riskTLDs))
	case 3:
		// A throwaway tenant with no word of its own.
		return fmt.Sprintf("%c%c%c%d%c%c.%s", 'a'+r.IntN(26), 'a'+r.IntN(26), 'a'+r.IntN(26), r.IntN(900)+100, 'a'+r.IntN(26), 'a'+r.IntN(26), w(tenantZones))
	default:
		// A harmless-looking word pair: nothing in the name says scam.
		return fmt.Sprintf("%s%s.%s", w(benignWords), w(benignWords), w(tenantZones))
	}
}

// TestReplayDay replays a day of certificates through a log on loopback:
// certificates for mostly benign names and some lure hosts → candidates →
// scans (real static captures and analysis of what a local web server
// serves for each host: a lure page for the live scam hosts, an ordinary
// page otherwise) → scam verdicts. TSSGUARD_REPLAY_CERTS sets the number
// of certificates (default 3000).
func TestReplayDay(t *testing.T) {
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("TSSGUARD_REPLAY_CERTS")); err == nil && v > 0 {
		n = v
	}
	r := rand.New(rand.NewPCG(7, 13))
	l := newTestLog(t)
	l.pageCap = 256
	truth := map[string]bool{} // scam host → serving a lure page now
	scamHosts := 0
	for i := 0; i < n; i++ {
		scam := r.IntN(100) < 2 // 2% of new certificates are for lure hosts
		h := replayHost(r, scam)
		if scam {
			scamHosts++
			truth[h] = r.IntN(10) < 7 // most are live when scanned; some not yet
		}
		l.issue(t, r.IntN(2) == 0, h, "www."+h)
	}
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		host := strings.Trim(req.URL.Path, "/")
		w.Header().Set("Content-Type", "text/html")
		if truth[strings.TrimPrefix(host, "www.")] {
			fmt.Fprint(w, replayPage)
			return
		}
		fmt.Fprint(w, benignPage)
	}))
	defer web.Close()
	engine, err := analyze.New(analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	policy := capture.DefaultPolicy()
	policy.AllowPrivate = true
	fetcher := capture.NewFetcher(policy)
	scans, scams, found := 0, 0, map[string]bool{}
	h := &Hunter{Submit: func(ctx context.Context, c Candidate, s Score, prio int) error {
		scans++
		// The scan: fetch what the host serves (from the local server) and analyse it.
		cp, err := fetcher.Capture(ctx, web.URL+"/"+c.Host, capture.Options{Policy: policy})
		if err != nil {
			return err
		}
		if engine.Analyze(ctx, cp).Verdict == analyze.Scam {
			scams++
			found[strings.TrimPrefix(c.Host, "www.")] = true
		}
		return nil
	}}
	start := time.Now()
	src := &CTLog{URL: l.srv.URL}
	round, err := h.Run(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	live, liveFound, scamAbove := 0, 0, 0
	for host, isLive := range truth {
		if isLive {
			live++
			if found[host] {
				liveFound++
			}
		}
	}
	for _, c := range round.Candidates {
		if _, ok := truth[strings.TrimPrefix(c.Host, "www.")]; ok {
			scamAbove++
		}
	}
	t.Logf("replayed day: %d certificates (%d entries decoded) → %d names, %d hosts → %d scored ≥ %.1f (%d of them lure hosts, of %d) → %d scans → %d scam verdicts; %d of %d live lure pages found (%.0f%%); %.1fs",
		n, src.Entries, round.Read, round.Hosts, round.Above, DefaultThreshold, scamAbove, scamHosts, scans, scams, liveFound, live, 100*float64(liveFound)/float64(max(1, live)), took.Seconds())
	// Names alone find the lure hosts that say what they are (about
	// half here: the rest have throwaway or harmless names), and spend
	// almost no scans on benign hosts.
	if src.Entries != int64(n) || liveFound < live*4/10 || round.Above-scamAbove > round.Hosts/100 {
		t.Fatalf("replay: entries %d scans %d scams %d live %d found %d benign above %d", src.Entries, scans, scams, live, liveFound, round.Above-scamAbove)
	}
}
