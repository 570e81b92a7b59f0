package export

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// parseRPZ reads a zone back with miekg/dns and checks its shape: one SOA
// and one NS at the origin, then only "CNAME ." pairs for each domain.
func parseRPZ(t *testing.T, zone, origin string) (soa *dns.SOA, apex, wild []string) {
	t.Helper()
	zp := dns.NewZoneParser(strings.NewReader(zone), "", "test.rpz")
	var ns int
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		h := rr.Header()
		if h.Class != dns.ClassINET {
			t.Errorf("class %d: %v", h.Class, rr)
		}
		switch r := rr.(type) {
		case *dns.SOA:
			if soa != nil || h.Name != origin {
				t.Errorf("unexpected SOA %v", rr)
			}
			soa = r
		case *dns.NS:
			ns++
			if h.Name != origin {
				t.Errorf("NS not at the origin: %v", rr)
			}
		case *dns.CNAME:
			if r.Target != "." {
				t.Errorf("CNAME target %q: %v", r.Target, rr)
			}
			name, ok := strings.CutSuffix(h.Name, "."+origin)
			if !ok {
				t.Errorf("record outside the zone: %v", rr)
				continue
			}
			if d, ok := strings.CutPrefix(name, "*."); ok {
				wild = append(wild, d)
			} else {
				apex = append(apex, name)
			}
		default:
			t.Errorf("unexpected record %v", rr)
		}
	}
	if err := zp.Err(); err != nil {
		t.Fatalf("zone does not parse: %v", err)
	}
	if soa == nil || ns != 1 {
		t.Fatalf("SOA %v, %d NS", soa, ns)
	}
	return soa, apex, wild
}

func TestRPZ(t *testing.T) {
	out := run(t, RPZ, fixture(), testMeta())
	soa, apex, wild := parseRPZ(t, out, DefaultRPZOrigin)
	sameList(t, "apex names", apex, wantDomains)
	sameList(t, "wildcards", wild, wantDomains)
	if soa.Serial != uint32(gen.Unix()) {
		t.Errorf("serial %d, want %d", soa.Serial, gen.Unix())
	}
	if soa.Refresh != 36*3600 || soa.Minttl != 60 {
		t.Errorf("SOA timers %v", soa)
	}
	if !strings.HasSuffix(out, "; Entries: 4\n") {
		t.Errorf("no trailer")
	}

	m := testMeta()
	m.RPZOrigin = "Block.Example.NET"
	_, apex, _ = parseRPZ(t, run(t, RPZ, fixture(), m), "block.example.net.")
	sameList(t, "custom origin", apex, wantDomains)

	m.RPZOrigin = "bad origin;"
	if err := RPZ.Write(t.Context(), &strings.Builder{}, fixture(), m); err == nil {
		t.Errorf("bad origin accepted")
	}
}

// A domain that would make the owner name longer than 253 bytes under
// the origin is left out, and the zone still parses.
func TestRPZLongName(t *testing.T) {
	label := strings.Repeat("a", 63)
	long := label + "." + label + "." + label + "." + strings.Repeat("b", 50) + ".com" // 245 bytes
	src := Slice{Items: []Indicator{{Kind: Domain, Value: long}, {Kind: Domain, Value: "ok.example.com"}}}
	out := run(t, RPZ, src, testMeta())
	_, apex, wild := parseRPZ(t, out, DefaultRPZOrigin)
	sameList(t, "apex", apex, []string{"ok.example.com"})
	sameList(t, "wild", wild, []string{"ok.example.com"})
	if !strings.HasSuffix(out, "; Entries: 1\n") {
		t.Errorf("count wrong: %s", out[len(out)-20:])
	}
}
