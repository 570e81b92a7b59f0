package analyze

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"

	"github.com/tssguard/tssguard/analyze/js"
	"github.com/tssguard/tssguard/internal/cpuclock"
)

// Scripts repeat: kits reuse their libraries and payloads across pages, and
// a directory scan or the service meets them again and again. What is
// learnt from a script (its facts, its de-obfuscated strings) is kept by
// content, within bounds.
const (
	factsCacheItems   = 256
	decodedCacheItems = 1024
	decodedCacheBytes = 32 << 20
	// minFactsCached: smaller scripts and event handler attributes have a
	// cache of their own, so that the many snippets kits repeat from page
	// to page do not push the libraries out. Hashing a snippet costs a
	// small part of analysing it (a few hundred nanoseconds against
	// microseconds): on the corpus, repeated snippets were an eighth of
	// the facts' processor time.
	minFactsCached       = 4 << 10
	smallFactsCacheItems = 4096
	smallFactsCacheBytes = 8 << 20
	smallFactsEntryExtra = 512 // facts beyond the code's size, roughly
	// deobTimeout bounds the de-obfuscation layers after the first pass.
	deobTimeout = 100 * time.Millisecond
)

// boundedCache keeps values by key, first in first out, within a number of
// items and of bytes. It is safe for concurrent use.
type boundedCache[K comparable, V any] struct {
	mu       sync.Mutex
	maxItems int
	maxBytes int // 0: no byte bound
	bytes    int
	items    map[K]cacheEntry[V]
	order    []K
}

type cacheEntry[V any] struct {
	v    V
	size int
}

func newBoundedCache[K comparable, V any](maxItems, maxBytes int) *boundedCache[K, V] {
	return &boundedCache[K, V]{maxItems: maxItems, maxBytes: maxBytes, items: map[K]cacheEntry[V]{}}
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	e, ok := c.items[k]
	c.mu.Unlock()
	return e.v, ok
}

// put keeps v unless the key is there already or v alone is over the byte
// bound; older values go to make room.
func (c *boundedCache[K, V]) put(k K, v V, size int) {
	if c.maxBytes > 0 && size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; ok {
		return
	}
	for len(c.order) > 0 && (len(c.order) >= c.maxItems || c.maxBytes > 0 && c.bytes+size > c.maxBytes) {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= c.items[old].size
		delete(c.items, old)
	}
	c.items[k] = cacheEntry[V]{v: v, size: size}
	c.order = append(c.order, k)
	c.bytes += size
}

// decodedKey: the same code de-obfuscated to another depth gives other
// results.
type decodedKey struct {
	code  [32]byte
	depth int
}

type scriptCache struct {
	facts      *boundedCache[[32]byte, *js.Facts] // scripts of minFactsCached bytes or more
	smallFacts *boundedCache[[32]byte, *js.Facts] // smaller scripts and handler attributes
	decoded    *boundedCache[decodedKey, []js.Decoded]
}

func newScriptCache() *scriptCache {
	return &scriptCache{
		facts:      newBoundedCache[[32]byte, *js.Facts](factsCacheItems, 0),
		smallFacts: newBoundedCache[[32]byte, *js.Facts](smallFactsCacheItems, smallFactsCacheBytes),
		decoded:    newBoundedCache[decodedKey, []js.Decoded](decodedCacheItems, decodedCacheBytes),
	}
}

// script returns the JavaScript facts of src and, when deobDepth > 0, the
// strings de-obfuscation recovers from it (to that many layers). What is
// not cached is computed from one parse of src shared by both.
// src is the code as bytes (it is not modified).
// globals are the values of the page's globals the script reads (see
// pageGlobals); they change its facts, not what de-obfuscation recovers.
func (e *Engine) script(src []byte, handler string, invoked map[string]js.Context, globals map[string]string, deobDepth int) (*js.Facts, []js.Decoded) {
	opts := js.Options{Handler: handler, MaxBytes: maxScriptBytes, Invoked: invoked, Globals: globals}
	factsCache, entrySize := e.cache.facts, 0
	if len(src) < minFactsCached || handler != "" {
		factsCache, entrySize = e.cache.smallFacts, len(src)+smallFactsEntryExtra
	}
	sum := sha256.Sum256(src)
	factsKey := sum
	if len(invoked) > 0 || handler != "" || len(globals) > 0 { // the same code invoked differently has other facts
		h := sha256.New()
		h.Write(sum[:])
		var n [8]byte
		for _, name := range sortedKeys(invoked) {
			h.Write([]byte{0})
			h.Write([]byte(name))
			binary.LittleEndian.PutUint64(n[:], uint64(invoked[name]))
			h.Write(n[:])
		}
		if handler != "" {
			h.Write([]byte{1})
			h.Write([]byte(handler))
		}
		for _, name := range sortedKeys(globals) {
			h.Write([]byte{2})
			h.Write([]byte(name))
			h.Write([]byte{0})
			h.Write([]byte(globals[name]))
		}
		copy(factsKey[:], h.Sum(nil))
	}
	facts, _ := factsCache.get(factsKey)
	var decoded []js.Decoded
	needDecoded := false
	decKey := decodedKey{sum, deobDepth}
	if deobDepth > 0 {
		decoded, needDecoded = e.cache.decoded.get(decKey)
		needDecoded = !needDecoded
	}
	dopts := js.DeobfuscateOptions{MaxDepth: deobDepth, Timeout: deobTimeout}
	both := facts == nil && needDecoded
	if facts == nil && !both {
		f := js.Analyze(src, opts)
		facts = &f
		factsCache.put(factsKey, facts, entrySize)
	}
	if needDecoded {
		clock, stop := cpuclock.Start() // the de-obfuscator's budget clock (CPU time)
		if both {
			// One walk gives the facts and the first layer of decodings.
			f, d := js.AnalyzeDeobfuscate(src, opts, dopts)
			facts, decoded = &f, d
			factsCache.put(factsKey, facts, entrySize)
		} else {
			decoded = js.Deobfuscate(src, dopts)
		}
		took := clock.Used()
		stop()
		// The layers after the first pass stop at a deadline that starts
		// after it: a result that took less than the timeout in all was
		// not cut short by the clock, and is what any later run would get.
		if took < deobTimeout {
			size := 0
			for _, d := range decoded {
				size += len(d.Text) + 64
			}
			e.cache.decoded.put(decKey, decoded, size)
		}
	}
	return facts, decoded
}
