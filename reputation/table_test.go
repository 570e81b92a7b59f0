package reputation

import "testing"

// TestTableSizes: a table sized for n records takes them at a load of at
// most 3/4, so that index+1 fits below the tag, up to maxRecords.
func TestTableSizes(t *testing.T) {
	for _, n := range []int{0, 1, 767, 768, 769, 1 << 20, 3 << 20, 3<<20 + 1, maxRecords} {
		b := tableBitsFor(n)
		if b < minTableBits || b > maxTableBits {
			t.Fatalf("tableBitsFor(%d) = %d", n, b)
		}
		if size := 1 << b; n > size/4*3 {
			t.Errorf("tableBitsFor(%d) = %d: load %.2f", n, b, float64(n)/float64(size))
		}
		if b > minTableBits && n <= (1<<(b-1))/4*3 {
			t.Errorf("tableBitsFor(%d) = %d: twice the size needed", n, b)
		}
	}
	var tb slotTable
	tb.reset(10)
	if !tb.fits(768) || tb.fits(769) {
		t.Errorf("a table of %d slots fits 768: %v, 769: %v", len(tb.slots), tb.fits(768), tb.fits(769))
	}
}
