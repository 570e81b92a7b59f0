package reputation

import "math/bits"

// bitFilter is a one-hash Bloom filter over uniformly distributed keys (hash
// prefixes, maphash values), kept at 16 bits per key (about 6% false
// positives). It sits in front of the maps so that most misses cost a
// cache-friendly bit test instead of a map probe. Bits are never cleared:
// the filter is rebuilt from the maps when it grows and after bulk removals.
type bitFilter struct {
	words []uint64
	mask  uint64
	n     int // keys added since the last rebuild
}

const bitsPerKey = 16

func (f *bitFilter) has(k uint64) bool {
	if f.words == nil {
		return true
	}
	i := k & f.mask
	return f.words[i>>6]&(1<<(i&63)) != 0
}

// add sets the bit of k; it reports false when the filter is too small for
// its keys and must be rebuilt (with add, after reset(n) for n keys).
func (f *bitFilter) add(k uint64) bool {
	if f.words == nil {
		return false
	}
	i := k & f.mask
	f.words[i>>6] |= 1 << (i & 63)
	f.n++
	return f.n*bitsPerKey <= len(f.words)*64*2
}

// reset empties the filter, sized for n keys.
func (f *bitFilter) reset(n int) {
	nbits := uint64(1) << bits.Len64(uint64(max(n, 1024)*bitsPerKey-1))
	f.words = make([]uint64, nbits/64)
	f.mask = nbits - 1
	f.n = 0
}
