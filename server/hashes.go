package server

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/tssguard/tssguard/reputation"
)

// Hash-prefix lookups (GET /api/v1/hashes?prefix=<hex8>[&prefix=…]), as
// Safe Browsing's full-hash requests: a client hashes the host-suffix/
// path-prefix expressions of a URL itself (urlx.Expressions) and sends only
// the 4-byte prefixes; the answer is the full SHA-256 hashes of listed
// expressions with those prefixes, which the client compares with its own.
// No URL is ever sent. A listed domain answers as its expression "domain/".
const (
	maxHashPrefixes = 32 // a URL has at most 30 expressions
	// hashCacheSeconds is how long a client may keep an answer.
	hashCacheSeconds = 300
	// domainHashRefresh is the least time between two rebuilds of the
	// domain hashes after the index changed.
	domainHashRefresh = 10 * time.Second
)

type hashesResponse struct {
	Hashes       []string `json:"hashes"`
	CacheSeconds int      `json:"cache_seconds"`
}

func (s *Server) hashes(w http.ResponseWriter, r *http.Request) error {
	raw := r.URL.Query()["prefix"]
	if len(raw) == 0 || len(raw) > maxHashPrefixes {
		return errorf(http.StatusBadRequest, "bad_prefix", "give 1 to 32 prefix parameters, each 8 hex digits (the first 4 bytes of a SHA-256 hash)")
	}
	prefixes := make([]uint32, 0, len(raw))
	for _, p := range raw {
		b, err := hex.DecodeString(p)
		if err != nil || len(b) != 4 {
			return errorf(http.StatusBadRequest, "bad_prefix", "a prefix is 8 hex digits, the first 4 bytes of a SHA-256 hash")
		}
		prefixes = append(prefixes, binary.BigEndian.Uint32(b))
	}
	now := time.Now()
	doms := domainHashesOf(s.o.Index).get(s.o.Index, now)
	resp := hashesResponse{Hashes: []string{}, CacheSeconds: hashCacheSeconds}
	var found [][32]byte
	seen := map[[32]byte]bool{}
	for _, p := range prefixes {
		found = s.o.Index.HashesWithPrefix(found[:0], p, now)
		found = append(found, doms[p]...)
		for _, h := range found {
			if !seen[h] {
				seen[h] = true
				resp.Hashes = append(resp.Hashes, hex.EncodeToString(h[:]))
			}
		}
	}
	w.Header().Set("Cache-Control", "private, max-age=300")
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// domainHashes holds the hashes of "domain/" for the listed domains, by
// prefix, rebuilt when the index changes (at most every domainHashRefresh).
type domainHashes struct {
	mu      sync.Mutex
	version uint64
	built   time.Time
	ok      bool
	byPre   map[uint32][][32]byte
}

// domainHashCaches maps an index to its domain hashes; one server has one
// index, tests a few.
var domainHashCaches sync.Map // *reputation.Index → *domainHashes

func domainHashesOf(ix *reputation.Index) *domainHashes {
	v, _ := domainHashCaches.LoadOrStore(ix, &domainHashes{})
	return v.(*domainHashes)
}

func (d *domainHashes) get(ix *reputation.Index, now time.Time) map[uint32][][32]byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	v := ix.Version()
	if d.ok && (v == d.version || now.Sub(d.built) < domainHashRefresh) {
		return d.byPre
	}
	m := map[uint32][][32]byte{}
	ix.ScamDomains(now, func(dom string) {
		h := sha256.Sum256([]byte(dom + "/"))
		p := binary.BigEndian.Uint32(h[:4])
		m[p] = append(m[p], h)
	})
	d.byPre, d.version, d.built, d.ok = m, v, now, true
	return m
}
