package export

import (
	"sort"
	"testing"
)

func TestRegistry(t *testing.T) {
	fs := Formats()
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
		if f.Description == "" || f.ContentType == "" || f.Ext == "" || f.Write == nil {
			t.Errorf("format %q is incomplete", f.Name)
		}
		g, ok := Lookup(f.Name)
		if !ok || g.Name != f.Name {
			t.Errorf("Lookup(%q) = %v, %v", f.Name, g.Name, ok)
		}
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("Formats not sorted: %v", names)
	}
	for _, n := range []string{"abp", "dnr", "dnsmasq", "domains", "hosts", "numbers", "rpz", "suricata", "unbound", "urlblocklist"} {
		if _, ok := Lookup(n); !ok {
			t.Errorf("no format %q", n)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Errorf("Lookup(nope) found something")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("Register of a duplicate did not panic")
			}
		}()
		Register(Hosts)
	}()
}
