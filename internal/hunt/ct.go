package hunt

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// CTLog reads a Certificate Transparency log (RFC 6962): get-sth for the
// tree size, then get-entries from its cursor, decoding each Merkle tree
// leaf — an X.509 certificate or a precertificate — into the host names it
// names (subject alternative names and common name). Lure hosts get
// certificates minutes before they go live, so the names arrive early.
type CTLog struct {
	URL    string // the log's base URL, before /ct/v1/
	Client *http.Client
	// Next is the index of the next entry to read; Start from the tree's
	// end with FromEnd.
	Next    int64
	FromEnd bool
	Batch   int   // entries asked per get-entries (default 256)
	Max     int64 // entries read per Fetch (default 100,000)
	Label   string

	// Entries counts the entries decoded, Errors those that did not decode.
	Entries, Errors int64
}

func (l *CTLog) Name() string {
	if l.Label != "" {
		return l.Label
	}
	return "ct"
}

type sth struct {
	TreeSize  int64 `json:"tree_size"`
	Timestamp int64 `json:"timestamp"`
}

type entries struct {
	Entries []struct {
		LeafInput []byte `json:"leaf_input"`
		ExtraData []byte `json:"extra_data"`
	} `json:"entries"`
}

func (l *CTLog) base() string { return strings.TrimSuffix(l.URL, "/") + "/ct/v1/" }

// Fetch reads the entries added since the last call.
func (l *CTLog) Fetch(ctx context.Context, emit func(Candidate) error) error {
	b, _, err := getBody(ctx, l.Client, l.base()+"get-sth", nil)
	if err != nil {
		return err
	}
	var head sth
	if err := json.Unmarshal(b, &head); err != nil {
		return fmt.Errorf("ct: get-sth: %w", err)
	}
	if l.FromEnd {
		l.Next, l.FromEnd = head.TreeSize, false
	}
	batch := int64(l.Batch)
	if batch <= 0 {
		batch = 256
	}
	limit := l.Max
	if limit <= 0 {
		limit = 100_000
	}
	for read := int64(0); l.Next < head.TreeSize && read < limit; {
		end := min(l.Next+batch, head.TreeSize) - 1
		b, _, err := getBody(ctx, l.Client, fmt.Sprintf("%sget-entries?start=%d&end=%d", l.base(), l.Next, end), nil)
		if err != nil {
			return err
		}
		var es entries
		if err := json.Unmarshal(b, &es); err != nil {
			return fmt.Errorf("ct: get-entries: %w", err)
		}
		if len(es.Entries) == 0 {
			return fmt.Errorf("ct: get-entries %d-%d: no entries", l.Next, end)
		}
		// A log may answer with fewer entries than asked: go on from there.
		for _, e := range es.Entries {
			l.Next++
			read++
			names, err := LeafNames(e.LeafInput, e.ExtraData)
			if err != nil {
				l.Errors++
				continue
			}
			l.Entries++
			for _, n := range names {
				if c, ok := NewCandidate(n, l.Name()); ok {
					if err := emit(c); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// Leaf entry types (RFC 6962 section 3.4).
const (
	x509Entry    = 0
	precertEntry = 1
)

// LeafNames decodes a MerkleTreeLeaf and returns the host names of its
// certificate. A precertificate's names are read from the
// precertificate in extra_data (its TBSCertificate in the leaf has no
// signature for crypto/x509 to parse).
func LeafNames(leaf, extra []byte) ([]string, error) {
	// version(1) leaf_type(1) timestamp(8) entry_type(2)
	if len(leaf) < 12 || leaf[0] != 0 || leaf[1] != 0 {
		return nil, errors.New("ct: not a v1 timestamped entry")
	}
	entryType := binary.BigEndian.Uint16(leaf[10:12])
	rest := leaf[12:]
	var der []byte
	switch entryType {
	case x509Entry:
		c, _, err := opaque24(rest)
		if err != nil {
			return nil, err
		}
		der = c
	case precertEntry:
		// extra_data: PrecertChainEntry { ASN.1Cert pre_certificate; … }
		c, _, err := opaque24(extra)
		if err != nil {
			return nil, fmt.Errorf("ct: precert extra data: %w", err)
		}
		der = c
	default:
		return nil, fmt.Errorf("ct: entry type %d", entryType)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("ct: certificate: %w", err)
	}
	names := cert.DNSNames
	if cn := cert.Subject.CommonName; cn != "" && strings.Contains(cn, ".") && !contains(names, cn) {
		names = append(names, cn)
	}
	return names, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// opaque24 reads a TLS opaque value with a 3-byte length.
func opaque24(b []byte) ([]byte, []byte, error) {
	if len(b) < 3 {
		return nil, nil, errors.New("ct: short entry")
	}
	n := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
	if len(b) < 3+n {
		return nil, nil, errors.New("ct: truncated entry")
	}
	return b[3 : 3+n], b[3+n:], nil
}

// EncodeLeaf builds a MerkleTreeLeaf for a certificate (precert false) or
// the leaf and extra data of a precertificate: what a log serves, for
// tests and replays.
func EncodeLeaf(der []byte, precert bool, tbs []byte, timestampMs uint64) (leaf, extra []byte) {
	leaf = []byte{0, 0}
	leaf = binary.BigEndian.AppendUint64(leaf, timestampMs)
	if !precert {
		leaf = binary.BigEndian.AppendUint16(leaf, x509Entry)
		leaf = append24(leaf, der)
		leaf = append(leaf, 0, 0) // no extensions
		return leaf, append24(nil, nil)
	}
	leaf = binary.BigEndian.AppendUint16(leaf, precertEntry)
	leaf = append(leaf, make([]byte, 32)...) // issuer key hash
	leaf = append24(leaf, tbs)
	leaf = append(leaf, 0, 0)
	extra = append24(nil, der)
	extra = append24(extra, nil) // the chain, empty here
	return leaf, extra
}

func append24(b, v []byte) []byte {
	n := len(v)
	b = append(b, byte(n>>16), byte(n>>8), byte(n))
	return append(b, v...)
}

// EntriesJSON is the get-entries answer for leaves, for test logs.
func EntriesJSON(leaves, extras [][]byte) []byte {
	type entry struct {
		LeafInput string `json:"leaf_input"`
		ExtraData string `json:"extra_data"`
	}
	out := struct {
		Entries []entry `json:"entries"`
	}{}
	for i := range leaves {
		out.Entries = append(out.Entries, entry{base64.StdEncoding.EncodeToString(leaves[i]), base64.StdEncoding.EncodeToString(extras[i])})
	}
	b, _ := json.Marshal(out)
	return b
}
