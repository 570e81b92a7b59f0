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
	tb := &ix.byPrefix
	if tb.slots == nil {
		return dst
	}
	pos, tag := tb.home(prefixKey(p))
	for s := tb.slots[pos]; s != 0; s = tb.slots[pos] {
		if tb.tagOf(s) == tag {
			// The slot may have come from another home with the same tag.
			r := &ix.recs[tb.indexOf(s)]
			if prefix(r.hash) == p && r.verdict == Scam && live(r.expires, t) {
				dst = append(dst, r.hash)
			}
		}
		pos = (pos + 1) & tb.mask()
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
