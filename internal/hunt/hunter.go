package hunt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultThreshold is the least score that spends a scan.
const DefaultThreshold = 4.0

// Source yields candidate URLs. Fetch reads what is new since the last
// call (a source keeps its own cursor: an ETag, a log position, a
// timestamp) and calls emit for each; it stops at emit's first error.
type Source interface {
	Name() string
	Fetch(ctx context.Context, emit func(Candidate) error) error
}

// Submitter queues a scan of a candidate. Priority is 2 (best) to 4: the
// job queue runs what people submit (1) first.
type Submitter func(ctx context.Context, c Candidate, s Score, priority int) error

// Hunter scores what sources yield and queues the best.
type Hunter struct {
	Scorer    *Scorer
	Threshold float64
	// PerRound caps the scans one source may queue per round: with the
	// round interval it is the source's rate limit.
	PerRound int
	// MaxRead caps the candidates read from one source per round.
	MaxRead int
	// Seen records a host and says whether it is new (false: a repeat,
	// dropped). Nil keeps an in-memory set.
	Seen   func(ctx context.Context, host, source string, score float64) (bool, error)
	Submit Submitter
	// Claim, when set, does Seen and Submit in one step (one transaction
	// in the store): it queues the candidate unless its host was seen
	// before (false).
	Claim func(ctx context.Context, c Candidate, s Score, priority int) (bool, error)
	// FetchBudget bounds the reading of a source in a round (0: none);
	// what was read when it runs out is scored and queued, and the
	// source's cursor says where the next round goes on.
	FetchBudget time.Duration

	mu   sync.Mutex
	seen map[string]bool
}

// Round is what one round of one source did.
type Round struct {
	Source     string   `json:"source"`
	Read       int      `json:"read"`      // candidates the source yielded
	Hosts      int      `json:"hosts"`     // distinct hosts among them
	Above      int      `json:"above"`     // scoring at least the threshold
	Repeats    int      `json:"repeats"`   // of those, hosts queued before
	Queued     int      `json:"queued"`    // scans queued
	Deferred   int      `json:"deferred"`  // over the source's rate limit
	TopScore   float64  `json:"top_score"` // the best candidate's score
	Seconds    float64  `json:"seconds"`   // the round's time
	Candidates []Ranked `json:"candidates,omitempty"`
}

// Ranked is a scored candidate.
type Ranked struct {
	Candidate
	Score
	Priority int  `json:"priority"`
	Queued   bool `json:"queued"`
}

// errEnough stops a source once MaxRead candidates are read.
var errEnough = errors.New("hunt: enough candidates this round")

// Run reads one round from a source, scores every candidate, and queues
// the best (one URL per host, each host once ever) up to PerRound.
func (h *Hunter) Run(ctx context.Context, src Source) (Round, error) {
	start := time.Now()
	r := Round{Source: src.Name()}
	if h.Scorer == nil {
		h.Scorer = NewScorer(nil)
	}
	best := map[string]Ranked{}
	fctx := ctx
	if h.FetchBudget > 0 {
		var cancel context.CancelFunc
		fctx, cancel = context.WithTimeout(ctx, h.FetchBudget)
		defer cancel()
	}
	err := src.Fetch(fctx, func(c Candidate) error {
		r.Read++
		sc := h.Scorer.Score(c)
		// One site, one scan: "www." and the bare name are one host.
		key := strings.TrimPrefix(c.Host, "www.")
		if old, ok := best[key]; !ok || sc.Value > old.Value {
			best[key] = Ranked{Candidate: c, Score: sc}
		}
		if h.MaxRead > 0 && r.Read >= h.MaxRead {
			return errEnough
		}
		return nil
	})
	// What was read before an error is queued all the same: a source's
	// cursor has moved past it.
	var fetchErr error
	switch {
	case err == nil, errors.Is(err, errEnough):
	case fctx.Err() != nil && ctx.Err() == nil:
		// The budget ran out: the round ends here, the next goes on.
	default:
		fetchErr = fmt.Errorf("hunt: %s: %w", src.Name(), err)
	}
	if ctx.Err() != nil {
		if fetchErr == nil {
			fetchErr = ctx.Err()
		}
		return r, fetchErr
	}
	r.Hosts = len(best)
	var above []Ranked
	for _, c := range best {
		r.TopScore = max(r.TopScore, c.Value)
		if c.Value >= h.threshold() {
			c.Priority = priority(c.Value)
			above = append(above, c)
		}
	}
	r.Above = len(above)
	slices.SortFunc(above, func(a, b Ranked) int {
		switch {
		case a.Value > b.Value:
			return -1
		case a.Value < b.Value:
			return 1
		}
		return compareStrings(a.Host, b.Host)
	})
	for i := range above {
		c := &above[i]
		if h.PerRound > 0 && r.Queued >= h.PerRound {
			r.Deferred++
			continue
		}
		if h.Claim != nil {
			fresh, err := h.Claim(ctx, c.Candidate, c.Score, c.Priority)
			if err != nil {
				return r, fmt.Errorf("hunt: queue %s: %w", c.URL, err)
			}
			if !fresh {
				r.Repeats++
				continue
			}
			c.Queued = true
			r.Queued++
			continue
		}
		fresh, err := h.markSeen(ctx, strings.TrimPrefix(c.Host, "www."), src.Name(), c.Value)
		if err != nil {
			return r, err
		}
		if !fresh {
			r.Repeats++
			continue
		}
		if h.Submit != nil {
			if err := h.Submit(ctx, c.Candidate, c.Score, c.Priority); err != nil {
				return r, fmt.Errorf("hunt: queue %s: %w", c.URL, err)
			}
		}
		c.Queued = true
		r.Queued++
	}
	r.Candidates = above
	r.Seconds = time.Since(start).Seconds()
	return r, fetchErr
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (h *Hunter) threshold() float64 {
	if h.Threshold <= 0 {
		return DefaultThreshold
	}
	return h.Threshold
}

// priority maps a score to a River priority: 2 for the surest, 4 for the
// least sure worth a scan.
func priority(score float64) int {
	switch {
	case score >= 8:
		return 2
	case score >= 6:
		return 3
	}
	return 4
}

func (h *Hunter) markSeen(ctx context.Context, host, source string, score float64) (bool, error) {
	if h.Seen != nil {
		return h.Seen(ctx, host, source, score)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.seen == nil {
		h.seen = map[string]bool{}
	}
	if h.seen[host] {
		return false, nil
	}
	h.seen[host] = true
	return true, nil
}

// limits shared by the HTTP sources: sources are other people's servers,
// read with a time limit and a size cap.
const (
	maxBody     = 32 << 20
	httpTimeout = 30 * time.Second
)

func httpClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: httpTimeout}
}

// getJSON fetches a URL with optional headers and returns its body,
// capped; a status other than 200 is an error, except 304 (nil, nil).
func getBody(ctx context.Context, client *http.Client, u string, header http.Header) ([]byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := httpClient(client).Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, resp.Header, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", u, err)
	}
	if len(b) > maxBody {
		return nil, nil, fmt.Errorf("GET %s: larger than %d bytes", u, maxBody)
	}
	return b, resp.Header, nil
}
