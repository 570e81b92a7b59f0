package analyze

import "testing"

// The affiliate parameter evidence names is the first in the link, every
// time (it came from a map's order).
func TestAffiliateParamIsTheFirst(t *testing.T) {
	for range 20 {
		if p := affiliateParam("https://partner.example/go?offer_id=1&amp;aff_id=2&sub_id=3&aff_sub=4"); p != "offer_id" {
			t.Fatalf("affiliateParam = %q, want offer_id", p)
		}
	}
}
