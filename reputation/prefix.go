package reputation

import "time"

// HashesWithPrefix appends to dst the full SHA-256 hashes of the live URL
// expressions listed as Scam whose 4-byte hash prefix is p, for clients
// that look URLs up by hash prefix (Safe Browsing style) and never send the
// URL itself.
func (ix *Index) HashesWithPrefix(dst [][32]byte, p uint32, now time.Time) [][32]byte {
	t := now.Unix()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	add := func(i int32) {
		r := &ix.recs[i]
		if r.verdict == Scam && live(r.expires, t) {
			dst = append(dst, r.hash)
		}
	}
	if i, ok := ix.byPrefix[p]; ok {
		add(i)
		for _, j := range ix.overflow[p] {
			add(j)
		}
	}
	return dst
}

// ScamDomains calls fn with each live registrable domain listed as Scam.
// The read lock is held throughout: fn must not call the index.
func (ix *Index) ScamDomains(now time.Time, fn func(domain string)) {
	t := now.Unix()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for d, r := range ix.domains {
		if r.verdict == Scam && live(r.expires, t) {
			fn(d)
		}
	}
}
