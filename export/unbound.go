package export

import (
	"context"
	"io"
)

// Unbound is an unbound.conf fragment: a "server:" clause of
// `local-zone: "domain." always_nxdomain` lines. A local zone covers the
// name and everything under it, and always_nxdomain answers NXDOMAIN even
// where local-data exists. Load it with include: in unbound.conf.
var Unbound = Format{
	Name:        "unbound",
	Description: "unbound local-zone always_nxdomain lines under server:",
	ContentType: "text/plain; charset=utf-8",
	Ext:         "conf",
	Write:       writeUnbound,
}

func writeUnbound(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	s := newSink(w)
	var st stats
	header(s, "# ", meta)
	s.str("server:\n")
	err := domains(ctx, src, meta, &st, hashSet{}, func(d string, _ Indicator) error {
		s.str("\tlocal-zone: \"")
		s.str(d)
		s.str(".\" always_nxdomain\n")
		return s.err
	})
	if err != nil {
		return err
	}
	trailer(s, "# ", &st)
	return s.flush()
}
