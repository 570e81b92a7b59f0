// Package storetest runs a test on both databases: a fresh SQLite data
// directory and a fresh PostgreSQL database (see pgtest).
package storetest

import (
	"context"
	"testing"

	"github.com/tssguard/tssguard/internal/pgtest"
	"github.com/tssguard/tssguard/store"
)

// Each runs fn as two subtests, "sqlite" and "postgres". The store closes
// after everything fn registered with t.Cleanup.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := store.OpenSQLite(context.Background(), t.TempDir(), true)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := store.OpenPostgres(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
}
