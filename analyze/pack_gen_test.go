package analyze

import (
	"reflect"
	"testing"
)

// TestGeneratedPack: the Go form of the default pack (pack_gen.go) is what
// ParsePack makes of the embedded YAML, field for field, and every call
// builds a fresh copy (engines and --rules merges change their pack).
func TestGeneratedPack(t *testing.T) {
	if !generatedPackCurrent() {
		t.Fatal("analyze/pack_gen.go is out of date with rules/default.yaml: run go run ./analyze/packgen")
	}
	want, err := ParsePack(defaultPackYAML, "default rule pack")
	if err != nil {
		t.Fatal(err)
	}
	got, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got.Rules), len(want.Rules)) {
			if !reflect.DeepEqual(got.Rules[i], want.Rules[i]) {
				t.Fatalf("rule %s: generated %+v, YAML %+v", want.Rules[i].ID, got.Rules[i], want.Rules[i])
			}
		}
		t.Fatal("the generated pack differs from the YAML")
	}

	// Change everything a merge or validate may change in one copy.
	for i := range got.Rules {
		r := &got.Rules[i]
		if len(r.Phrases) > 0 {
			r.Phrases[0] = "changed"
		}
		if r.Near != nil {
			r.Near.Terms[0][0] = "changed"
			r.Near.Window++
		}
		if len(r.Samples.TP) > 0 {
			r.Samples.TP[0].HTML = "changed"
		}
	}
	for k := range got.Brands {
		got.Brands[k][0] = "changed"
	}
	for k := range got.Terms {
		got.Terms[k] = nil
	}
	got.Categories["brand"] = Category{}
	again, err := DefaultPack()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, want) {
		t.Error("DefaultPack's copies share memory")
	}
}
