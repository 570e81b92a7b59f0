package intel

import (
	"encoding/binary"
	"encoding/hex"
	"slices"
	"sync"
)

// ClusterOptions configure a Clusterer. Zero fields take the defaults.
type ClusterOptions struct {
	// Threshold is the Similarity at or above which two pages belong to
	// one campaign (default 0.5).
	Threshold float64
	// Rows is the number of MinHash values per LSH band (default 4: each
	// section is cut into bands of 4, 32 bands in all). Fewer rows find
	// more distant candidates and verify more of them.
	Rows int
	// MaxBucket caps the pages remembered per LSH bucket (default 64).
	// Members of one campaign share most buckets, so a full bucket loses
	// nothing a page's other bands would not find; the cap keeps adding a
	// page O(bands) however large a campaign grows.
	MaxBucket int
}

func (o *ClusterOptions) defaults() {
	if o.Threshold <= 0 {
		o.Threshold = DefaultThreshold
	}
	if o.Rows <= 0 {
		o.Rows = 4
	}
	if o.MaxBucket <= 0 {
		o.MaxBucket = 64
	}
}

// DefaultThreshold is the default similarity for joining a campaign.
const DefaultThreshold = 0.5

// Clusterer groups pages into campaigns incrementally: pages whose
// fingerprints are at least Threshold similar are in one campaign, and
// so, transitively, are the pages similar to those (single linkage,
// kept with union-find). Candidates come from LSH banding over the
// signature, so a page is compared with its likely near-duplicates only.
//
// A campaign's ID is made when its first page is added and is kept when
// campaigns merge: the older campaign's ID wins, and the younger one
// becomes an alias of it. Given the same pages in the same order, the IDs
// are the same in every run. A Clusterer is safe for concurrent use.
type Clusterer struct {
	opts ClusterOptions

	mu      sync.RWMutex
	ids     []string    // page index -> page ID
	sigs    []Signature // page index -> fingerprint
	parent  []int32     // union-find; a root is its cluster's oldest page
	byPage  map[string]int32
	buckets map[uint64][]int32
	// Per root: the campaign ID and the members.
	names   map[int32]string
	members map[int32][]int32
	// Campaign ID -> root (live campaigns) or the ID it merged into.
	byName map[string]int32
	alias  map[string]string
	seen   map[int32]struct{} // scratch for Add
}

// NewClusterer makes an empty Clusterer.
func NewClusterer(opts ClusterOptions) *Clusterer {
	opts.defaults()
	return &Clusterer{
		opts:    opts,
		byPage:  map[string]int32{},
		buckets: map[uint64][]int32{},
		names:   map[int32]string{},
		members: map[int32][]int32{},
		byName:  map[string]int32{},
		alias:   map[string]string{},
		seen:    map[int32]struct{}{},
	}
}

// Add puts a page into its campaign and returns the campaign ID. A page
// similar to none before it starts a new campaign; one similar to pages
// of several campaigns merges them. Adding a page ID again changes
// nothing and returns its current campaign.
func (c *Clusterer) Add(pageID string, fp Signature) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i, ok := c.byPage[pageID]; ok {
		return c.names[c.find(i)]
	}
	idx := int32(len(c.ids))
	c.ids = append(c.ids, pageID)
	c.sigs = append(c.sigs, fp)
	c.parent = append(c.parent, idx)
	c.byPage[pageID] = idx
	c.members[idx] = []int32{idx}
	name := c.newName(pageID, fp)
	c.names[idx] = name
	c.byName[name] = idx

	keys := bandKeys(fp, c.opts.Rows)
	clear(c.seen)
	for _, k := range keys {
		for _, m := range c.buckets[k] {
			if _, ok := c.seen[m]; ok {
				continue
			}
			c.seen[m] = struct{}{}
			if c.find(m) == c.find(idx) {
				continue
			}
			if fp.Similarity(c.sigs[m]) >= c.opts.Threshold {
				c.union(idx, m)
			}
		}
	}
	for _, k := range keys {
		if b := c.buckets[k]; len(b) < c.opts.MaxBucket {
			c.buckets[k] = append(b, idx)
		}
	}
	return c.names[c.find(idx)]
}

// Campaign returns the campaign of a page, or "" for a page never added.
func (c *Clusterer) Campaign(pageID string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	i, ok := c.byPage[pageID]
	if !ok {
		return ""
	}
	return c.names[c.findRO(i)]
}

// Members returns the page IDs of a campaign in the order they were added.
// A campaign ID that was merged into an older one names that one.
func (c *Clusterer) Members(campaign string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	root, ok := c.rootOf(campaign)
	if !ok {
		return nil
	}
	idx := slices.Clone(c.members[root])
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, m := range idx {
		out[i] = c.ids[m]
	}
	return out
}

// Resolve returns the live campaign ID a (possibly merged) campaign ID
// now goes by, and whether it is known.
func (c *Clusterer) Resolve(campaign string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	root, ok := c.rootOf(campaign)
	if !ok {
		return "", false
	}
	return c.names[root], true
}

// Campaigns lists the live campaign IDs, oldest first.
func (c *Clusterer) Campaigns() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	roots := make([]int32, 0, len(c.names))
	for r := range c.names {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	out := make([]string, len(roots))
	for i, r := range roots {
		out[i] = c.names[r]
	}
	return out
}

// Len returns the number of pages added.
func (c *Clusterer) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.ids)
}

func (c *Clusterer) rootOf(campaign string) (int32, bool) {
	for range len(c.alias) + 1 {
		if r, ok := c.byName[campaign]; ok {
			return c.findRO(r), true
		}
		next, ok := c.alias[campaign]
		if !ok {
			return 0, false
		}
		campaign = next
	}
	return 0, false
}

// find returns the root of i, halving paths as it goes (writes: hold mu).
func (c *Clusterer) find(i int32) int32 {
	for c.parent[i] != i {
		c.parent[i] = c.parent[c.parent[i]]
		i = c.parent[i]
	}
	return i
}

// findRO is find without path compression, for readers.
func (c *Clusterer) findRO(i int32) int32 {
	for c.parent[i] != i {
		i = c.parent[i]
	}
	return i
}

// union merges the clusters of a and b; the older root (smaller index)
// stays root, so the older campaign ID survives.
func (c *Clusterer) union(a, b int32) {
	ra, rb := c.find(a), c.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	c.parent[rb] = ra
	ma, mb := c.members[ra], c.members[rb]
	if len(mb) > len(ma) {
		ma, mb = mb, ma
	}
	c.members[ra] = append(ma, mb...)
	delete(c.members, rb)
	loser := c.names[rb]
	delete(c.names, rb)
	delete(c.byName, loser)
	c.alias[loser] = c.names[ra]
}

// newName makes a short campaign ID from the first page and its
// fingerprint, lengthened in the unlikely case it is taken.
func (c *Clusterer) newName(pageID string, fp Signature) string {
	h := combine(hashString(pageID), fp.digest())
	for n := 4; ; n++ {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], h)
		name := "c-" + hex.EncodeToString(b[:min(n, 8)])
		_, live := c.byName[name]
		_, merged := c.alias[name]
		if !live && !merged {
			return name
		}
		if n >= 8 {
			h = mix64(h)
			n = 3
		}
	}
}

// bandKeys returns the LSH bucket keys of a signature: each non-empty
// section cut into bands of rows values; a band's key hashes its section,
// position and values, so equal bands of different sections never meet.
func bandKeys(fp Signature, rows int) []uint64 {
	keys := make([]uint64, 0, sigSize/rows+numSections)
	for s, sec := range sections {
		if fp.Sizes[s] == 0 {
			continue
		}
		for b := 0; b*rows < sec.size; b++ {
			h := combine(uint64(s)<<32|uint64(b), uint64(rows))
			for i := sec.off + b*rows; i < min(sec.off+(b+1)*rows, sec.off+sec.size); i++ {
				h = combine(h, uint64(fp.Mins[i]))
			}
			keys = append(keys, h)
		}
	}
	return keys
}
