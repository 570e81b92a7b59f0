// Package pgtest gives tests a fresh PostgreSQL database on the server that
// TSSGUARD_TEST_POSTGRES names (scripts/postgres starts one on loopback).
// Without it the tests skip, unless TSSGUARD_REQUIRE_POSTGRES is set, as CI
// sets it: there a missing server fails instead of passing quietly.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// URL creates an empty database for this test, drops it at cleanup, and
// returns its URL.
func URL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("TSSGUARD_TEST_POSTGRES")
	if admin == "" {
		if os.Getenv("TSSGUARD_REQUIRE_POSTGRES") != "" {
			t.Fatal("TSSGUARD_TEST_POSTGRES is not set (start one with scripts/postgres)")
		}
		t.Skip("no PostgreSQL: set TSSGUARD_TEST_POSTGRES (scripts/postgres starts one on loopback)")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("TSSGUARD_TEST_POSTGRES: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "tssguard_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("postgres: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			return
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}
