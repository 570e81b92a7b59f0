package intel

// Hashing is written out here rather than taken from hash/maphash: stored
// fingerprints must compare equal across processes and releases, so every
// hash is seeded with fixed constants.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mix64 is the SplitMix64 finaliser: a bijection on uint64 with full
// avalanche, used both to derive MinHash permutations and to combine hashes.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashBytes is FNV-1a over b, finalised with mix64.
func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return mix64(h)
}

// hashString is hashBytes for a string, without converting it.
func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return mix64(h)
}

// combine folds token hash t into running hash h (order-sensitive).
func combine(h, t uint64) uint64 {
	return mix64(h*0x9e3779b97f4a7c15 + t)
}

// seeds are the per-slot permutation seeds: slot i of a signature is the
// minimum over the set of mix64(x ^ seeds[i]).
var seeds = func() [sigSize]uint64 {
	var s [sigSize]uint64
	x := uint64(0x7453_5347_7561_7264) // "tSSGuard"; any fixed value works
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix64(x)
	}
	return s
}()

// minhash holds the running minima of one section of a signature.
type minhash struct {
	mins []uint32
	n    int // elements added (with repeats); 0 means the set is empty
}

func newMinhash(dst []uint32) minhash {
	for i := range dst {
		dst[i] = ^uint32(0)
	}
	return minhash{mins: dst}
}

// add folds element x into the minima. Repeats change nothing, so callers
// need not deduplicate: MinHash is over sets.
func (m *minhash) add(x uint64, seedOffset int) {
	m.n++
	for i := range m.mins {
		v := uint32(mix64(x^seeds[seedOffset+i]) >> 32)
		if v < m.mins[i] {
			m.mins[i] = v
		}
	}
}
