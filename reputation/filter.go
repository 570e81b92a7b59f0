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

// exprFilter is a blocked Bloom filter over the listed URL expressions, one
// 64-bit word per key chosen by the host's hash and two bits in it by the
// path's, so that a lookup reads one word per host suffix to learn which
// of the URL's path variants may be listed under it. It replaces a probe
// of a host map per host suffix. Sized at 16 bits per expression: about
// four expressions per word, two bits each, so a few path variants in a
// hundred are probed in vain; it is rebuilt when it holds twice that.
type exprFilter struct {
	words []uint64
	n     int // keys added since the last rebuild
}

// pathBits is the two bits of a path's hash in a word.
func pathBits(path uint32) uint64 {
	return 1<<(path&63) | 1<<(path>>6&63)
}

// word returns the word of host; every path may be under a host when the
// filter is empty.
func (f *exprFilter) word(host uint64) uint64 {
	if f.words == nil {
		return ^uint64(0)
	}
	return f.words[host&uint64(len(f.words)-1)]
}

// add sets the bits of (host, path); it reports false when the filter is
// too small for its keys and must be rebuilt.
func (f *exprFilter) add(host uint64, path uint32) bool {
	if f.words == nil {
		return false
	}
	f.words[host&uint64(len(f.words)-1)] |= pathBits(path)
	f.n++
	return f.n*bitsPerKey <= len(f.words)*64*2
}

// reset empties the filter, sized for n keys.
func (f *exprFilter) reset(n int) {
	nbits := uint64(1) << bits.Len64(uint64(max(n, 1024)*bitsPerKey-1))
	f.words = make([]uint64, nbits/64)
	f.n = 0
}
