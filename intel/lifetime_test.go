package intel

import (
	"testing"
	"time"
)

func TestLifetimes(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var s []Sighting
	add := func(n string, offsets ...time.Duration) {
		for _, o := range offsets {
			s = append(s, Sighting{Number: n, Seen: t0.Add(o)})
		}
	}
	add("+18885550100", 0)                                 // seen once: 0
	add("+18885550101", 10*time.Minute, 0, 50*time.Minute) // 50m
	add("+18885550102", 0, 5*time.Hour)                    // 5h
	add("+18885550103", 0, 3*day)                          // 3d
	add("+18885550104", 20*day, 0)                         // 20d
	add("+18885550105", 0, 45*day)                         // 45d
	fl := FirstLast(s)
	if got := fl["+18885550101"]; !got[0].Equal(t0) || !got[1].Equal(t0.Add(50*time.Minute)) {
		t.Fatalf("first/last %v", got)
	}
	st := Lifetimes(fl)
	if st.Numbers != 6 || st.UnderDay != 3 || st.ShareUnderDay != 0.5 {
		t.Errorf("numbers %d, under a day %d (%.2f)", st.Numbers, st.UnderDay, st.ShareUnderDay)
	}
	if st.P50 != 5*time.Hour || st.P90 != 45*day || st.Max != 45*day {
		t.Errorf("p50 %v p90 %v max %v", st.P50, st.P90, st.Max)
	}
	want := []int{2, 1, 1, 1, 1}
	for i, b := range st.Buckets {
		if b.Count != want[i] {
			t.Errorf("bucket %s: %d, want %d", b.Label, b.Count, want[i])
		}
	}
	// Wrong order counts as the absolute difference.
	if st := Lifetimes(map[string][2]time.Time{"x": {t0.Add(2 * time.Hour), t0}}); st.Max != 2*time.Hour {
		t.Errorf("reversed pair: %v", st.Max)
	}
	if st := Lifetimes(nil); st.Numbers != 0 || len(st.Buckets) != 5 || st.P50 != 0 {
		t.Errorf("empty: %+v", st)
	}
}
