package intel

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// sigSize is the number of MinHash values in a signature.
const sigSize = 128

// Sections of a signature.
const (
	secDOM = iota
	secText
	secCode
	numSections
)

// sections lay out the signature: each kind of evidence has its own
// slots, so that Similarity can weigh it and LSH can band it separately.
// The weights say how much each kind tells about a kit: structure and
// code are what operators copy unchanged; wording gets translated.
var sections = [numSections]struct {
	name      string
	off, size int
	weight    float64
}{
	secDOM:  {"dom", 0, 48, 0.35},
	secText: {"text", 48, 40, 0.25},
	secCode: {"code", 88, 40, 0.40},
}

// Signature is a page's template fingerprint: a MinHash signature in
// three sections (DOM structure, visible text, code) and how many
// shingles went into each. Its zero value is the empty signature.
// Signatures are comparable with ==.
type Signature struct {
	// Mins are the MinHash values, section after section.
	Mins [sigSize]uint32
	// Sizes counts the shingles added to each section (with repeats);
	// zero marks an empty section, which matches nothing.
	Sizes [numSections]uint32
}

// Empty reports whether nothing went into the signature.
func (s Signature) Empty() bool {
	return s.Sizes == [numSections]uint32{}
}

// Similarity estimates how alike two pages' templates are, from 0 to 1: the
// weighted mean over sections of the estimated Jaccard similarity of their
// shingle sets. A section empty on both pages is left out (two pages
// without scripts are not alike for that); empty on one side only, it
// counts as 0. Empty signatures are similar to nothing.
func (s Signature) Similarity(t Signature) float64 {
	var sum, weight float64
	for i, sec := range sections {
		if s.Sizes[i] == 0 && t.Sizes[i] == 0 {
			continue
		}
		weight += sec.weight
		if s.Sizes[i] == 0 || t.Sizes[i] == 0 {
			continue
		}
		sum += sec.weight * s.SectionSimilarity(t, i)
	}
	if weight == 0 {
		return 0
	}
	return sum / weight
}

// SectionSimilarity is the estimated Jaccard similarity of one section
// (0 dom, 1 text, 2 code) of two signatures.
func (s Signature) SectionSimilarity(t Signature, section int) float64 {
	if section < 0 || section >= numSections {
		return 0
	}
	sec := sections[section]
	same := 0
	for i := sec.off; i < sec.off+sec.size; i++ {
		if s.Mins[i] == t.Mins[i] {
			same++
		}
	}
	return float64(same) / float64(sec.size)
}

// ID is a short, stable hex digest of the signature for display and as a
// key: equal signatures have equal IDs.
func (s Signature) ID() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], s.digest())
	return hex.EncodeToString(b[:])
}

func (s Signature) digest() uint64 {
	h := uint64(fnvOffset)
	for _, v := range s.Sizes {
		h = combine(h, uint64(min(v, 1)))
	}
	for _, v := range s.Mins {
		h = combine(h, uint64(v))
	}
	return h
}

// String is the ID.
func (s Signature) String() string { return s.ID() }

// Binary form: magic "TFP", a version byte, the section sizes and the
// MinHash values, all little-endian uint32.
const (
	sigMagic   = "TFP"
	sigVersion = 1
	sigBytes   = 4 + 4*numSections + 4*sigSize
)

// ErrFingerprint is returned by ParseFingerprint for bytes that are not
// a fingerprint of this version.
var ErrFingerprint = errors.New("not a template fingerprint")

// MarshalBinary encodes the signature (532 bytes). It never fails.
func (s Signature) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, sigBytes)
	b = append(b, sigMagic...)
	b = append(b, sigVersion)
	for _, v := range s.Sizes {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range s.Mins {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary produced.
func (s *Signature) UnmarshalBinary(b []byte) error {
	if len(b) < 4 || string(b[:3]) != sigMagic {
		return fmt.Errorf("%w: bad magic", ErrFingerprint)
	}
	if b[3] != sigVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrFingerprint, b[3], sigVersion)
	}
	if len(b) != sigBytes {
		return fmt.Errorf("%w: %d bytes, want %d", ErrFingerprint, len(b), sigBytes)
	}
	b = b[4:]
	for i := range s.Sizes {
		s.Sizes[i] = binary.LittleEndian.Uint32(b)
		b = b[4:]
	}
	for i := range s.Mins {
		s.Mins[i] = binary.LittleEndian.Uint32(b)
		b = b[4:]
	}
	return nil
}

// ParseFingerprint decodes a fingerprint encoded by MarshalBinary.
func ParseFingerprint(b []byte) (Signature, error) {
	var s Signature
	if err := s.UnmarshalBinary(b); err != nil {
		return Signature{}, err
	}
	return s, nil
}
