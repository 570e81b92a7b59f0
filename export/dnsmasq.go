package export

import (
	"context"
	"io"
)

// Dnsmasq is a dnsmasq configuration file: "address=/domain/0.0.0.0".
//
// dnsmasq matches an address= (and a server=/local=) domain against the
// name and every name under it, so one line blocks the domain and all its
// subdomains; queries for them are never forwarded. address= with 0.0.0.0
// is chosen over local=/domain/ (NXDOMAIN) because it is the form every
// dnsmasq version and dnsmasq-based blocker (Pi-hole, OpenWrt adblock)
// documents for blocklists, a null answer fails fast in the browser, and
// local= would still answer names found in /etc/hosts or DHCP leases. Load
// it with conf-file= or drop it in conf-dir=.
var Dnsmasq = Format{
	Name:        "dnsmasq",
	Description: "dnsmasq address=/domain/0.0.0.0 lines (domain and subdomains)",
	ContentType: "text/plain; charset=utf-8",
	Ext:         "conf",
	Write:       writeDnsmasq,
}

func writeDnsmasq(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	s := newSink(w)
	var st stats
	header(s, "# ", meta)
	err := domains(ctx, src, meta, &st, hashSet{}, func(d string, _ Indicator) error {
		s.str("address=/")
		s.str(d)
		s.str("/0.0.0.0\n")
		return s.err
	})
	if err != nil {
		return err
	}
	trailer(s, "# ", &st)
	return s.flush()
}
