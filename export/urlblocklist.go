package export

import (
	"container/heap"
	"context"
	"io"
	"sort"
	"strings"
	"time"
)

// URLBlocklistMax is the number of entries Chrome and Edge read from the
// URLBlocklist policy; they ignore the rest.
const URLBlocklistMax = 1000

// URLBlocklist is the Chrome / Edge URLBlocklist policy as JSON,
// {"URLBlocklist": [...]}, for managed browsers (a JSON file under
// /etc/opt/chrome/policies/managed/, or the same list pushed by GPO or
// MDM). In the policy's filter format "example.com" blocks the domain and
// every subdomain on every scheme, and "host/path" every URL whose path
// starts with path; a query token "param=" becomes "param=*" (any value).
//
// The policy takes 1,000 entries, so the writer keeps the most active:
// more Sightings first, then the most recent LastSeen, then by value, in
// a bounded heap of 1,000 while it streams. The output is in that order,
// whatever order the source gives.
var URLBlocklist = Format{
	Name:        "urlblocklist",
	Description: "Chrome/Edge URLBlocklist policy JSON (the 1,000 most active entries)",
	ContentType: "application/json",
	Ext:         "json",
	Write:       writeURLBlocklist,
}

type ubEntry struct {
	v         string
	sightings int
	last      time.Time
}

// better reports whether a ranks before b.
func (a ubEntry) better(b ubEntry) bool {
	if a.sightings != b.sightings {
		return a.sightings > b.sightings
	}
	if c := a.last.Compare(b.last); c != 0 {
		return c > 0
	}
	return a.v < b.v
}

// ubHeap is a min-heap: the worst kept entry at the root.
type ubHeap []ubEntry

func (h ubHeap) Len() int           { return len(h) }
func (h ubHeap) Less(i, j int) bool { return h[j].better(h[i]) }
func (h ubHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *ubHeap) Push(x any)        { *h = append(*h, x.(ubEntry)) }
func (h *ubHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// chromeFilter is the URLBlocklist filter for a normalised URL.
func chromeFilter(u string) string {
	q := strings.IndexByte(u, '?')
	if q < 0 {
		return u
	}
	toks := strings.Split(u[q+1:], "&")
	for i, t := range toks {
		if strings.HasSuffix(t, "=") {
			toks[i] = t + "*"
		}
	}
	return u[:q+1] + strings.Join(toks, "&")
}

func writeURLBlocklist(ctx context.Context, w io.Writer, src Source, meta Meta) error {
	var st stats
	seen := hashSet{}
	h := make(ubHeap, 0, URLBlocklistMax)
	err := targets(ctx, src, meta, &st, seen, chromeFilter, func(v string, it Indicator) error {
		e := ubEntry{v: v, sightings: it.Sightings, last: it.LastSeen}
		if len(h) < URLBlocklistMax {
			heap.Push(&h, e)
		} else if e.better(h[0]) {
			h[0] = e
			heap.Fix(&h, 0)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Slice(h, func(i, j int) bool { return h[i].better(h[j]) })
	s := newSink(w)
	s.str("{\"URLBlocklist\": [")
	for i, e := range h {
		if i > 0 {
			s.byte(',')
		}
		s.str("\n  ")
		jsonString(s, e.v)
	}
	s.str("\n]}\n")
	return s.flush()
}

// jsonString writes v as a JSON string.
func jsonString(s *sink, v string) {
	const hex = "0123456789abcdef"
	s.byte('"')
	start := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
			continue
		}
		s.str(v[start:i])
		switch c {
		case '"', '\\':
			s.byte('\\')
			s.byte(c)
		default:
			s.str("\\u00")
			s.byte(hex[c>>4])
			s.byte(hex[c&15])
		}
		start = i + 1
	}
	s.str(v[start:])
	s.byte('"')
}
