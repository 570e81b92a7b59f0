package queue

import (
	"sync"
	"time"
)

// politeness keeps one scan at a time per domain, and a gap between them,
// so that a batch of URLs on one host does not hammer it (and does not
// look like a crawler to a cloaking kit). It is per process: workers on
// other machines keep their own.
type politeness struct {
	gap time.Duration
	now func() time.Time

	mu   sync.Mutex
	busy map[string]bool
	last map[string]time.Time
}

func newPoliteness(gap time.Duration) *politeness {
	return &politeness{gap: gap, now: time.Now, busy: map[string]bool{}, last: map[string]time.Time{}}
}

// acquire takes the domain, or says how long to wait before trying again.
func (p *politeness) acquire(host string) time.Duration {
	if host == "" {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.busy[host] {
		return p.gap
	}
	if next := p.last[host].Add(p.gap); now.Before(next) {
		return next.Sub(now)
	}
	p.busy[host] = true
	p.last[host] = now
	return 0
}

func (p *politeness) release(host string) {
	if host == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.busy, host)
	// Forget hosts whose gap has passed, so the maps stay small.
	if len(p.last) > 10000 {
		cut := p.now().Add(-p.gap)
		for h, t := range p.last {
			if t.Before(cut) && !p.busy[h] {
				delete(p.last, h)
			}
		}
	}
}
