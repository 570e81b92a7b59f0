package server

import (
	"fmt"
	"hash/maphash"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter is a token bucket per key (an API key's ID or a client address):
// rate tokens a second, up to burst. A zero rate means no limit.
type limiter struct {
	rate, burst float64
	now         func() time.Time
	seed        maphash.Seed
	shards      [32]limiterShard
}

type limiterShard struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	l := &limiter{rate: rate, burst: float64(max(burst, 1)), now: time.Now, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = map[string]*bucket{}
	}
	return l
}

// allow takes a token for key, or says no and how long until the next
// token.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	sh := &l.shards[maphash.String(l.seed, key)%uint64(len(l.shards))]
	now := l.now()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.buckets[key]
	if b == nil {
		// Idle buckets are full buckets: drop them now and then so that a
		// flood of addresses cannot grow the map without end.
		if len(sh.buckets) > 4096 && now.Sub(sh.swept) > time.Second {
			for k, ob := range sh.buckets {
				if now.Sub(ob.last).Seconds()*l.rate >= l.burst {
					delete(sh.buckets, k)
				}
			}
			sh.swept = now
		}
		b = &bucket{tokens: l.burst, last: now}
		sh.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// rateLimited is the 429 answer, with Retry-After in whole seconds.
func rateLimited(w http.ResponseWriter, wait time.Duration) error {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return errorf(http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("too many requests: slow down and retry after %d s", secs))
}
