package queue

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tssguard/tssguard/internal/pgtest"
	"github.com/tssguard/tssguard/store"
)

// TestConcurrentStartOnFreshDatabase: servers and workers started together
// on an empty PostgreSQL database all migrate (ours and River's tables)
// and start; none fails on the others' half-done migration.
func TestConcurrentStartOnFreshDatabase(t *testing.T) {
	url := pgtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.OpenPostgres(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			_, errs[i] = New(ctx, db, nil, Options{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
}
