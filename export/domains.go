package export

import (
	"context"
	"io"
)

// Domains is a plain list: one domain a line, '#' comments. A listed
// domain stands for itself and its subdomains, as in most DNS blockers
// that load plain lists (Pi-hole, AdGuard Home, Blocky).
var Domains = Format{
	Name:        "domains",
	Description: "plain domain list, one a line, with # comments",
	ContentType: "text/plain; charset=utf-8",
	Ext:         "txt",
	Write:       writeDomains,
}

func writeDomains(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	s := newSink(w)
	var st stats
	header(s, "# ", meta)
	err := domains(ctx, src, meta, &st, hashSet{}, func(d string, _ Indicator) error {
		s.str(d)
		s.byte('\n')
		return s.err
	})
	if err != nil {
		return err
	}
	trailer(s, "# ", &st)
	return s.flush()
}
