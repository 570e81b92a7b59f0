package stix

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Namespace is the OASIS STIX 2.1 namespace for deterministic identifiers
// (section 2.9: 00abedb4-aa42-466c-9c01-fed23315a9b7).
var Namespace = uuid.MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7")

// nameID returns "typ--UUIDv5(Namespace, typ:parts...)": the identifier of an
// SDO or SRO named by what it is about. Parts never contain the separator
// except the last, so the name is unambiguous.
func nameID(typ string, parts ...string) string {
	name := typ + ":" + strings.Join(parts, ":")
	return typ + "--" + uuid.NewSHA1(Namespace, []byte(name)).String()
}

// scoID returns the identifier of an SCO whose only ID contributing property
// is a string: UUIDv5 over the RFC 8785 (JCS) serialisation of
// {"<prop>":"<value>"}.
func scoID(typ, prop, value string) string {
	var b strings.Builder
	b.WriteByte('{')
	jcsString(&b, prop)
	b.WriteByte(':')
	jcsString(&b, value)
	b.WriteByte('}')
	return typ + "--" + uuid.NewSHA1(Namespace, []byte(b.String())).String()
}

// jcsString writes s as an RFC 8785 string: '"' and '\' escaped, the
// controls that have a short escape use it, the other controls are \u00xx,
// and everything else (including U+2028, U+2029 and '<') is written as is.
// Invalid UTF-8 becomes U+FFFD.
func jcsString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}
