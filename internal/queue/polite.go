package queue

import (
	"context"
	"math/rand/v2"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/tssguard/tssguard/store"
)

// politeness keeps scans of one site from hammering it (and from looking
// like a crawler to a cloaking kit): by default one scan of a site at a
// time, with a gap between them. The lease lives in the database (the
// store's site table, shared with the watch), so every worker process on
// one database keeps it together; a lease left by a killed worker lapses
// after its hold.
type politeness struct {
	db      *store.DB
	gap     time.Duration // between two scans of a site; 0: none
	perHost bool          // one scan of a site at a time
	private bool          // loopback and private addresses are polite too
	hold    time.Duration // how long a running scan's lease lasts unreleased
	now     func() time.Time

	mu      sync.Mutex
	backoff map[string]backoff // per-host backoff after network timeouts
}

type backoff struct {
	until time.Time
	n     int
}

func newPoliteness(db *store.DB, o Options) *politeness {
	gap := o.Politeness
	if gap < 0 {
		gap = 0
	}
	return &politeness{db: db, gap: gap, perHost: !o.Concurrent, private: o.PolitePrivate,
		hold: o.JobTimeout + RescueMargin, now: time.Now, backoff: map[string]backoff{}}
}

// applies says whether scans of host wait for each other.
func (p *politeness) applies(host string) bool {
	if host == "" || (!p.perHost && p.gap == 0) {
		return false
	}
	return p.private || !labHost(host)
}

// labHost reports a loopback, private or link-local address, or localhost:
// the machines of a lab or a benchmark (reachable only with
// --allow-private), not somebody else's site.
func labHost(host string) bool {
	h := strings.ToLower(host)
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	if err != nil {
		return false
	}
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified()
}

// acquire takes the site for one scan, or says how long to wait; release
// (when not nil) must be called when the scan ends.
func (p *politeness) acquire(ctx context.Context, host string) (wait time.Duration, release func(), err error) {
	now := p.now()
	if w := p.backedOff(host, now); w > 0 {
		return w, nil, nil
	}
	if !p.applies(host) {
		return 0, nil, nil
	}
	hold := p.gap // several at once: the lease only spaces their starts
	if p.perHost {
		hold = p.hold
	}
	wait, err = p.db.ClaimSite(ctx, host, now, hold)
	if err != nil || wait > 0 {
		// A site held by a running scan says so with a far time: look
		// again soon rather than then, jittered so that waiting scans do
		// not come back together.
		wait = min(wait, max(p.gap, time.Second))
		return wait + time.Duration(rand.Int64N(int64(max(p.gap, 100*time.Millisecond)))), nil, err
	}
	if !p.perHost {
		return 0, nil, nil
	}
	return 0, func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), writeBudget)
		defer cancel()
		_ = p.db.ReleaseSite(rctx, host, p.now().Add(p.gap))
	}, nil
}

// maxBackoff bounds the wait of a host whose fetches keep timing out.
const maxBackoff = 2 * time.Minute

// timedOut records a network timeout on host: its next scans wait,
// longer each time, instead of holding workers on a host that stalls.
func (p *politeness) timedOut(host string) {
	if host == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.backoff[host]
	b.n++
	b.until = p.now().Add(min(maxBackoff, time.Duration(1<<min(b.n-1, 10))*5*time.Second))
	p.backoff[host] = b
	if len(p.backoff) > 10000 {
		for h, x := range p.backoff {
			if x.until.Before(p.now()) {
				delete(p.backoff, h)
			}
		}
	}
}

// answered clears a host's backoff once it answers again.
func (p *politeness) answered(host string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.backoff, host)
}

// probeWindow is how long the one scan let through after a backoff has to
// show that the host answers again, before the others follow it.
const probeWindow = 30 * time.Second

func (p *politeness) backedOff(host string, now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, ok := p.backoff[host]
	if !ok {
		return 0
	}
	if now.Before(b.until) {
		return b.until.Sub(now)
	}
	// Let this one through as a probe; the others wait for its outcome.
	b.until = now.Add(probeWindow)
	p.backoff[host] = b
	return 0
}
