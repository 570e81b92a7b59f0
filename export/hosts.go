package export

import (
	"context"
	"io"
	"strings"
)

// Hosts is a hosts file: "0.0.0.0 name" lines. Hosts files match names
// exactly, with no wildcards, so each domain is listed with its "www."
// variant; other subdomains are not covered (use a DNS format for that).
var Hosts = Format{
	Name:        "hosts",
	Description: "hosts file (0.0.0.0 name), each domain and its www. variant",
	ContentType: "text/plain; charset=utf-8",
	Ext:         "hosts",
	Write:       writeHosts,
}

func writeHosts(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	s := newSink(w)
	var st stats
	header(s, "# ", meta)
	// Names, not domains, are de-duplicated: "www.example.com" may come
	// both as an indicator and as the variant of "example.com".
	names := hashSet{}
	err := each(ctx, src, meta, &st, onlyDomains, func(it Indicator) error {
		d, err := NormalizeDomain(it.Value)
		if err != nil {
			st.invalid++
			return nil
		}
		wrote := false
		put := func(name string) {
			if names.add(name) {
				s.str("0.0.0.0 ")
				s.str(name)
				s.byte('\n')
				wrote = true
			}
		}
		put(d)
		if !strings.HasPrefix(d, "www.") && len(d) <= 253-4 {
			put("www." + d)
		}
		if wrote {
			st.written++
		} else {
			st.dup++
		}
		return s.err
	})
	if err != nil {
		return err
	}
	trailer(s, "# ", &st)
	return s.flush()
}
