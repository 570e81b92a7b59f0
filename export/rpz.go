package export

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// DefaultRPZOrigin is the RPZ zone name when Meta.RPZOrigin is empty.
const DefaultRPZOrigin = "rpz.tssguard.invalid."

// rpzTTL is the TTL of every record: how long resolvers may cache a
// block answer.
const rpzTTL = 300

// RPZ is a DNS Response Policy Zone in master-file format (BIND, Knot
// Resolver, PowerDNS Recursor, Unbound rpz:). Each domain has two
// records, "domain.origin. CNAME ." and "*.domain.origin. CNAME .": the
// NXDOMAIN action for the name and for every name under it. All names are
// absolute; the zone is Meta.RPZOrigin (default DefaultRPZOrigin). The
// SOA serial is Meta.Generated in Unix seconds, so it grows with every
// export, and its refresh is Meta.Refresh.
var RPZ = Format{
	Name:        "rpz",
	Description: "DNS Response Policy Zone (NXDOMAIN for each domain and its subdomains)",
	ContentType: "text/dns; charset=utf-8",
	Ext:         "rpz",
	Write:       writeRPZ,
}

// rpzOrigin normalises a zone name: lower case, absolute.
func rpzOrigin(meta Meta) (string, error) {
	o := meta.RPZOrigin
	if o == "" {
		o = DefaultRPZOrigin
	}
	bare := strings.ToLower(strings.TrimSuffix(o, "."))
	if !isLDH(bare, false) || len(bare) > 200 {
		return "", fmt.Errorf("export: invalid RPZ origin %q", o)
	}
	return bare + ".", nil
}

func writeRPZ(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	origin, err := rpzOrigin(meta)
	if err != nil {
		return err
	}
	g := generated(meta)
	ref := refresh(meta)
	secs := func(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }
	ref = max(ref, time.Minute)
	retry := max(ref/4, time.Minute)
	expire := max(10*ref, 7*24*time.Hour)
	serial := uint32(g.Unix())

	s := newSink(w)
	var st stats
	header(s, "; ", meta)
	ttl := " " + strconv.Itoa(rpzTTL) + " IN "
	s.str(origin + ttl + "SOA localhost. hostmaster." + origin + " " +
		strconv.FormatUint(uint64(serial), 10) + " " + secs(ref) + " " + secs(retry) + " " +
		secs(expire) + " 60\n")
	s.str(origin + ttl + "NS localhost.\n")
	// A name's presentation form without the final dot is at most 253
	// bytes; the wildcard adds "*.".
	maxDomain := 253 - len(origin) - 2
	err = domains(ctx, src, meta, &st, hashSet{}, func(d string, _ Indicator) error {
		if len(d) > maxDomain {
			st.written--
			st.invalid++
			return nil
		}
		s.str(d)
		s.byte('.')
		s.str(origin)
		s.str(ttl)
		s.str("CNAME .\n*.")
		s.str(d)
		s.byte('.')
		s.str(origin)
		s.str(ttl)
		s.str("CNAME .\n")
		return s.err
	})
	if err != nil {
		return err
	}
	trailer(s, "; ", &st)
	return s.flush()
}
