package export

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestNumbers(t *testing.T) {
	out := run(t, Numbers, fixture(), testMeta())
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = len(NumbersHeader)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	want := [][]string{
		NumbersHeader,
		{"+18005551234", "toll_free", "US", "2025-05-12T12:00:00Z", "2025-05-31T12:00:00Z", "camp-1", "Microsoft", "active", "7"},
		{"+442071234567", "fixed_line", "GB", "", "", "", `'=HYPERLINK("x")`, "active", "1"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d:\n%s", len(recs), len(want), out)
	}
	for i := range want {
		sameList(t, "record", recs[i], want[i])
	}
}
