package export

import (
	"context"
	"io"
	"strconv"
	"strings"
)

const (
	// SuricataSIDBase is the first SID the suricata format uses. SIDs run
	// from it to SuricataSIDBase + 2³⁰ - 1 (below 2³¹, for tools that
	// keep a signed 32-bit SID).
	SuricataSIDBase = 9_100_000
	sidSlots        = 1 << 29 // two SIDs a slot: DNS, TLS
)

// Suricata is a Suricata rules file: for each domain an alert on DNS
// queries (dns.query) and one on TLS client hellos (tls.sni) for the
// domain and its subdomains, matched with dotprefix + endswith. SIDs are
// derived from a hash of the domain (FNV-1a), so a domain keeps its SIDs
// from one export to the next; when two domains hash to the same slot,
// the one that comes first in the source keeps it and the other takes the
// next free slot.
var Suricata = Format{
	Name:        "suricata",
	Description: "Suricata rules: DNS query and TLS SNI alerts for each domain",
	ContentType: "text/plain; charset=utf-8",
	Ext:         "rules",
	Write:       writeSuricata,
}

// suricataEscape escapes the characters Suricata gives a meaning to inside
// a quoted option value.
func suricataEscape(v string) string {
	if !strings.ContainsAny(v, `;"\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case ';', '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// sidSlot is the home slot of a domain.
func sidSlot(d string) uint32 {
	h := fnv64(d)
	return uint32((h ^ h>>32) % sidSlots)
}

// sidAlloc hands out SID pairs: a domain's home slot, or the next free
// one after it.
type sidAlloc map[uint32]struct{}

// alloc returns the DNS rule's SID for a home slot; the TLS rule's is the
// next one.
func (a sidAlloc) alloc(slot uint32) int64 {
	for {
		if _, taken := a[slot]; !taken {
			break
		}
		slot = (slot + 1) % sidSlots
	}
	a[slot] = struct{}{}
	return int64(SuricataSIDBase) + 2*int64(slot)
}

func writeSuricata(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	s := newSink(w)
	var st stats
	header(s, "# ", meta, "SIDs", strconv.Itoa(SuricataSIDBase)+" to "+strconv.Itoa(SuricataSIDBase+2*sidSlots-1))
	sids := sidAlloc{}
	err := domains(ctx, src, meta, &st, hashSet{}, func(d string, it Indicator) error {
		sid := sids.alloc(sidSlot(d))

		msg := "tssguard TSS domain " + d
		if b := cleanText(it.Brand, 60); b != "" {
			msg += " - " + b
		}
		msg = suricataEscape(msg)
		var md strings.Builder
		md.WriteString("tssguard_verdict ")
		if v := token(it.Verdict, 20); v != "" {
			md.WriteString(v)
		} else {
			md.WriteString("listed")
		}
		if c := token(it.Campaign, 64); c != "" {
			md.WriteString(", tssguard_campaign ")
			md.WriteString(c)
		}
		if !it.FirstSeen.IsZero() {
			md.WriteString(", created_at ")
			md.WriteString(it.FirstSeen.UTC().Format("2006_01_02"))
		}
		if !it.LastSeen.IsZero() {
			md.WriteString(", updated_at ")
			md.WriteString(it.LastSeen.UTC().Format("2006_01_02"))
		}
		content := suricataEscape("." + d)

		s.str(`alert dns any any -> any any (msg:"`)
		s.str(msg)
		s.str(`"; dns.query; dotprefix; content:"`)
		s.str(content)
		s.str(`"; nocase; endswith; classtype:social-engineering; sid:`)
		s.int(sid)
		s.str("; rev:1; metadata:")
		s.str(md.String())
		s.str(";)\n")

		s.str(`alert tls any any -> any any (msg:"`)
		s.str(msg)
		s.str(` (TLS SNI)"; flow:established,to_server; tls.sni; dotprefix; content:"`)
		s.str(content)
		s.str(`"; nocase; endswith; classtype:social-engineering; sid:`)
		s.int(sid + 1)
		s.str("; rev:1; metadata:")
		s.str(md.String())
		s.str(";)\n")
		return s.err
	})
	if err != nil {
		return err
	}
	trailer(s, "# ", &st)
	return s.flush()
}
