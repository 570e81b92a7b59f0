package analyze

import (
	"strings"
)

// Visitor information. Alerts that name the visitor's own IP address, town
// and internet provider ("IP: 203.0.113.7 — Lyon, France — ISP: …") look
// like they come from someone who watches the machine. A page learns these
// from an IP-geolocation service and writes them into itself. Sites that
// tell visitors their address do the same, so this is a small piece of
// evidence that needs an alarm beside it.

const visitorInfoRule = "TSS-SCARE-VISITOR-IP"

func init() { behaviourRules[visitorInfoRule] = true }

// ipInfoHosts answer a visitor's IP address, location and provider.
var ipInfoHosts = []string{"ipwho.is", "ipwhois.app", "ipwhois.pro", "ipwhois.io", "ipapi.co", "ipapi.com", "ip-api.com", "ip-api.io", "ipinfo.io", "ipify.org", "geoplugin.net",
	"extreme-ip-lookup.com", "freegeoip.app", "ipgeolocation.io", "db-ip.com", "ipdata.co", "geojs.io", "ipregistry.co", "ipstack.com",
	"bigdatacloud.net", "ipbase.com", "ip2location.io", "seeip.org", "myip.com", "wtfismyip.com", "ipgeolocation.abstractapi.com", "iplocation.net"}

var ipInfoHostFinder = newHostFinder(ipInfoHosts)

func ipInfoHost(s string) string {
	if !ipInfoHostFinder.mayName(s) {
		return ""
	}
	l := strings.ToLower(s)
	if !strings.Contains(l, ".") {
		return ""
	}
	for _, h := range ipInfoHosts {
		if i := strings.Index(l, h); i >= 0 && (i == 0 || !isHostChar(l[i-1]) || l[i-1] == '.') {
			return h
		}
	}
	return ""
}

// detectVisitorInfo: a script asks an IP-geolocation service and writes
// into the page.
func (a *analysis) detectVisitorInfo() {
	for _, u := range a.scripts {
		host, at := "", 0
		for _, l := range u.Facts.Literals {
			if h := ipInfoHost(l.Value); h != "" {
				host, at = h, l.Offset
				break
			}
		}
		if _, _, writes := pageWrite(u); host == "" || !writes {
			continue
		}
		ev := a.scriptEvidence(u, at, host)
		ev.Snippet = "looks up the visitor's IP address and location (" + host + ") and writes into the page: " + ev.Snippet
		a.add(visitorInfoRule, ev, 1)
		return
	}
}
