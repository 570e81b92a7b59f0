package taxii

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tssguard/tssguard/export/stix"
)

// entry is one object of a snapshot.
type entry struct {
	added   time.Time // date_added
	version time.Time // modified, or created, or date_added for SCOs
	id      string
	typ     string
	json    []byte
}

func (e *entry) after(added time.Time, id string) bool {
	if c := e.added.Compare(added); c != 0 {
		return c > 0
	}
	return e.id > id
}

// snapshot is a collection's objects in TAXII order: date_added, then id.
type snapshot struct {
	key     string
	entries []entry
	byID    map[string]int
}

func build(ctx context.Context, key string, list func(context.Context, func(stix.Object) error) error) (*snapshot, error) {
	s := &snapshot{key: key, byID: map[string]int{}}
	now := time.Now().UTC()
	err := list(ctx, func(o stix.Object) error {
		e := entry{added: o.Added, version: o.Modified, id: o.ID, typ: o.Type}
		if e.added.IsZero() {
			e.added = e.version
		}
		if e.added.IsZero() {
			e.added = now
		}
		if e.version.IsZero() {
			e.version = e.added
		}
		if i, dup := s.byID[o.ID]; dup {
			// One version per object: keep the latest.
			if !e.version.After(s.entries[i].version) {
				return nil
			}
			e.json = slices.Clone(o.JSON)
			s.entries[i] = e
			return nil
		}
		e.json = slices.Clone(o.JSON)
		s.byID[o.ID] = len(s.entries)
		s.entries = append(s.entries, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(s.entries, func(a, b entry) int {
		if c := a.added.Compare(b.added); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	for i := range s.entries {
		s.byID[s.entries[i].id] = i
	}
	return s, nil
}

// collection caches the snapshot of one Collection.
type collection struct {
	Collection
	mu   sync.Mutex
	snap *snapshot
}

// snapshot returns the current snapshot, building it when the version
// changed (or always, without a Version func). Concurrent requests wait for
// one build.
func (c *collection) snapshot(ctx context.Context) (*snapshot, error) {
	key := ""
	if c.Version != nil {
		key = c.Version()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != nil && c.Version != nil && c.snap.key == key {
		return c.snap, nil
	}
	s, err := build(ctx, key, c.Objects)
	if err != nil {
		return nil, fmt.Errorf("taxii: collection %s: %w", c.ID, err)
	}
	if c.Version != nil {
		c.snap = s
	}
	return s, nil
}

// filter is what a request asks of a collection's objects.
type filter struct {
	addedAfter time.Time // zero: none
	ids        []string  // match[id]
	types      map[string]bool
	versions   []time.Time // match[version] timestamps; nil with allVersions
	anyVersion bool        // last, first or all: there is one version
	spec       bool        // match[spec_version] includes 2.1 (or is absent)
	cursor     *cursor
	limit      int
}

func (f *filter) match(e *entry) bool {
	if !f.spec {
		return false
	}
	if f.types != nil && !f.types[e.typ] {
		return false
	}
	if !f.addedAfter.IsZero() && !e.added.After(f.addedAfter) {
		return false
	}
	if f.cursor != nil && !e.after(f.cursor.added, f.cursor.id) {
		return false
	}
	if !f.anyVersion && !slices.ContainsFunc(f.versions, e.version.Equal) {
		return false
	}
	return true
}

// page returns up to f.limit matching entries and whether more follow.
func (s *snapshot) page(f *filter) ([]*entry, bool) {
	var candidates []int
	if f.ids != nil {
		for _, id := range f.ids {
			if i, ok := s.byID[id]; ok {
				candidates = append(candidates, i)
			}
		}
		slices.Sort(candidates)
		candidates = slices.Compact(candidates)
	}
	// Both bounds are monotonic in snapshot order, so the first entry past
	// them is found by binary search.
	start := sort.Search(len(s.entries), func(i int) bool {
		e := &s.entries[i]
		return (f.cursor == nil || e.after(f.cursor.added, f.cursor.id)) &&
			(f.addedAfter.IsZero() || e.added.After(f.addedAfter))
	})
	var out []*entry
	more := false
	visit := func(e *entry) bool {
		if !f.match(e) {
			return true
		}
		if len(out) == f.limit {
			more = true
			return false
		}
		out = append(out, e)
		return true
	}
	if candidates != nil {
		for _, i := range candidates {
			if i >= start && !visit(&s.entries[i]) {
				break
			}
		}
		return out, more
	}
	for i := start; i < len(s.entries); i++ {
		if !visit(&s.entries[i]) {
			break
		}
	}
	return out, more
}

// cursor is where the previous page ended. On the wire it is opaque:
// base64url of date_added (Unix nanoseconds, 8 bytes) and the object id.
type cursor struct {
	added time.Time
	id    string
}

func (c cursor) String() string {
	b := binary.BigEndian.AppendUint64(nil, uint64(c.added.UnixNano()))
	return base64.RawURLEncoding.EncodeToString(append(b, c.id...))
}

var errCursor = errors.New("next is not a value this server returned")

func parseCursor(s string) (*cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 9 {
		return nil, errCursor
	}
	return &cursor{added: time.Unix(0, int64(binary.BigEndian.Uint64(b))).UTC(), id: string(b[8:])}, nil
}
