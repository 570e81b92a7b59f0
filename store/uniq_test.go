package store

import (
	"fmt"
	"slices"
	"testing"
)

// TestUniq: distinct non-empty strings in first-seen order, below and
// above the size where a set takes over.
func TestUniq(t *testing.T) {
	var u uniq
	var want []string
	for i := range 100 {
		s := fmt.Sprint(i % 40)
		if i < 40 {
			want = append(want, s)
		}
		u.add(s)
		u.add("")
	}
	if !slices.Equal(u.list, want) {
		t.Errorf("list = %v, want %v", u.list, want)
	}
}
