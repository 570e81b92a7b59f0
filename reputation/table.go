package reputation

import "math/bits"

// slotTable is an open-addressing hash table (linear probing) of indices
// into Index.recs, under a 64-bit key computed from the record. A slot is 0
// when empty, else tag<<bits | (index+1), where len(slots) is 1<<bits and
// the tag is the top 32-bits bits of the key: a probe reads a record only
// when the tags agree, which at a million records is one time in 2048 for
// a slot of another key. (A slot's home position and its tag are 32 bits
// of the key; a slot may sit after its home, among another home's.)
//
// Keeping the load at most 3/4 keeps index+1 below 1<<bits. Several
// records may share a key; callers tell them apart by the record.
type slotTable struct {
	slots []uint32
	bits  uint
}

const (
	minTableBits = 10
	maxTableBits = 31 // a slot keeps at least one tag bit
)

// maxRecords is the most records the tables can index: 3/4 of the largest
// table.
const maxRecords = 3 << (maxTableBits - 2)

// tableBitsFor returns the size, as a power of two, of a table for n
// records at a load of at most 3/4.
func tableBitsFor(n int) uint {
	least := (4*max(n, 1) + 2) / 3 // 2^b must be at least 4n/3
	return max(uint(bits.Len(uint(least-1))), minTableBits)
}

// reset empties the table, sized for n records.
func (t *slotTable) reset(n int) {
	t.bits = tableBitsFor(n)
	t.slots = make([]uint32, 1<<t.bits)
}

// fits reports whether the table can take n records.
func (t *slotTable) fits(n int) bool {
	return t.slots != nil && n <= len(t.slots)/4*3
}

func (t *slotTable) mask() uint64 { return uint64(len(t.slots) - 1) }

// home returns the first position to probe for key and the tag of key.
func (t *slotTable) home(key uint64) (pos uint64, tag uint32) {
	return key & t.mask(), uint32(key >> (32 + t.bits))
}

// tagOf and indexOf split a full slot.
func (t *slotTable) tagOf(s uint32) uint32  { return s >> t.bits }
func (t *slotTable) indexOf(s uint32) int32 { return int32(s&(1<<t.bits-1)) - 1 }

// insert adds record i under key.
func (t *slotTable) insert(key uint64, i int32) {
	pos, tag := t.home(key)
	for t.slots[pos] != 0 {
		pos = (pos + 1) & t.mask()
	}
	t.slots[pos] = tag<<t.bits | uint32(i+1)
}

// position returns the position of the slot of record i under key; the
// record must be in the table.
func (t *slotTable) position(key uint64, i int32) uint64 {
	pos, _ := t.home(key)
	for t.indexOf(t.slots[pos]) != i {
		pos = (pos + 1) & t.mask()
	}
	return pos
}

// repoint makes the slot of record from under key point at record to.
func (t *slotTable) repoint(key uint64, from, to int32) {
	pos := t.position(key, from)
	t.slots[pos] = t.slots[pos]&^(1<<t.bits-1) | uint32(to+1)
}

// remove empties the slot of record i under key, shifting back the slots
// after it that would otherwise no longer be reachable from their home
// (keyOf gives the key of a record).
func (t *slotTable) remove(key uint64, i int32, keyOf func(int32) uint64) {
	m := t.mask()
	hole := t.position(key, i)
	for j := (hole + 1) & m; t.slots[j] != 0; j = (j + 1) & m {
		home, _ := t.home(keyOf(t.indexOf(t.slots[j])))
		// The slot at j may move to the hole unless its home lies
		// cyclically in (hole, j].
		if (j-home)&m >= (j-hole)&m {
			t.slots[hole] = t.slots[j]
			hole = j
		}
	}
	t.slots[hole] = 0
}
