package server

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/tssguard/tssguard/store"
)

// Health of the store, as /healthz reports it: a probe that writes and
// reads one row, run at most every probeEvery, and any request that failed
// for the database's sake in the last failureMemory. A database that
// answers reads but refuses writes (disk full, read-only standby) is not
// healthy.
const (
	probeEvery    = 5 * time.Second
	probeTimeout  = 5 * time.Second
	failureMemory = 10 * time.Second
)

type storeHealth struct {
	mu       sync.Mutex
	probed   time.Time
	probeErr error
	failed   time.Time
	failure  error
}

// storeFailure says whether err is the database's failure (full or
// unavailable) rather than the request's.
func storeFailure(err error) bool {
	return errors.Is(err, store.ErrFull) || errors.Is(err, store.ErrUnavailable)
}

// noteFailure remembers a request that failed for the database's sake.
func (h *storeHealth) noteFailure(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failed, h.failure = time.Now(), err
}

// check returns why the store is unhealthy, or nil.
func (h *storeHealth) check(ctx context.Context, probe func(context.Context) error) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	if h.failure != nil && now.Sub(h.failed) < failureMemory {
		return h.failure
	}
	if h.probed.IsZero() || now.Sub(h.probed) >= probeEvery {
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		h.probeErr = probe(pctx)
		cancel()
		h.probed = time.Now()
	}
	return h.probeErr
}
