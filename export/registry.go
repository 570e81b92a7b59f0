package export

import (
	"fmt"
	"sort"
	"sync"
)

var registry = struct {
	sync.RWMutex
	m map[string]Format
}{m: map[string]Format{}}

func init() {
	for _, f := range []Format{Domains, Hosts, ABP, RPZ, Dnsmasq, Unbound, URLBlocklist, DNR, Suricata, Numbers} {
		Register(f)
	}
}

// Register adds a format to the registry, so Lookup and Formats know it.
// Packages with more formats (STIX, MISP) call it from an init function,
// as database/sql drivers do. It panics if the name is empty or taken, or
// Write is nil: those are programming errors.
func Register(f Format) {
	if f.Name == "" || f.Write == nil {
		panic("export: Register of a format without a name or a Write")
	}
	registry.Lock()
	defer registry.Unlock()
	if _, dup := registry.m[f.Name]; dup {
		panic(fmt.Sprintf("export: Register called twice for format %q", f.Name))
	}
	registry.m[f.Name] = f
}

// Formats returns every registered format, sorted by name.
func Formats() []Format {
	registry.RLock()
	out := make([]Format, 0, len(registry.m))
	for _, f := range registry.m {
		out = append(out, f)
	}
	registry.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup returns the format registered under name.
func Lookup(name string) (Format, bool) {
	registry.RLock()
	defer registry.RUnlock()
	f, ok := registry.m[name]
	return f, ok
}
