package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// querier is what the shared SQL needs from either database. Queries are
// written with ? placeholders; the PostgreSQL side rebinds them to $n.
type querier interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	query(ctx context.Context, q string, args ...any) (rows, error)
	queryRow(ctx context.Context, q string, args ...any) row
}

type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

type row interface{ Scan(dest ...any) error }

type txq interface {
	querier
	Tx
	commit(ctx context.Context) error
	rollback(ctx context.Context) error
}

// backend is one database.
type backend interface {
	querier
	begin(ctx context.Context) (txq, error)
	name() string
	close() error
}

// mapErr turns driver errors into the store's own.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows), errors.Is(err, pgx.ErrNoRows):
		return ErrNotFound
	case errors.Is(err, ErrFull), errors.Is(err, ErrUnavailable):
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return ErrExists
	}
	if strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return ErrExists
	}
	if class := classify(err); class != nil {
		return fmt.Errorf("%w: %w", class, err)
	}
	return err
}

// classify tells the failures of the database itself (ErrFull,
// ErrUnavailable) from errors of a query, or returns nil.
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code
		case sqlite3.SQLITE_FULL:
			return ErrFull
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY,
			sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_PROTOCOL:
			return ErrUnavailable
		}
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "53100": // disk_full
			return ErrFull
		case strings.HasPrefix(pgErr.Code, "08"), // connection exception
			strings.HasPrefix(pgErr.Code, "53"),  // insufficient resources
			strings.HasPrefix(pgErr.Code, "57P"), // shutdown, cannot connect now
			pgErr.Code == "25006",                // read-only transaction (a standby)
			pgErr.Code == "58030":                // I/O error
			return ErrUnavailable
		}
		return nil
	}
	var connErr *pgconn.ConnectError
	var netErr net.Error
	if errors.As(err, &connErr) || errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || pgconn.SafeToRetry(err) {
		return ErrUnavailable
	}
	return nil
}

// --- SQLite through database/sql ---

type sqlQuerier interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

type sqlQ struct{ q sqlQuerier }

func (s sqlQ) exec(ctx context.Context, q string, args ...any) (int64, error) {
	if err := checkArgs(args); err != nil {
		return 0, err
	}
	res, err := s.q.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func (s sqlQ) query(ctx context.Context, q string, args ...any) (rows, error) {
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	r, err := s.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return sqlRows{r}, nil
}

func (s sqlQ) queryRow(ctx context.Context, q string, args ...any) row {
	if err := checkArgs(args); err != nil {
		return errRow{err}
	}
	return sqlRow{s.q.QueryRowContext(ctx, q, args...)}
}

// errRow is a row that could not be asked for.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

type sqlRow struct{ r *sql.Row }

func (r sqlRow) Scan(dest ...any) error { return mapErr(r.r.Scan(dest...)) }

type sqliteBackend struct {
	sqlQ
	db    *sql.DB // the one writer connection
	reads *sql.DB // readers (WAL lets them read beside the writer)
}

func (b *sqliteBackend) name() string { return "sqlite" }
func (b *sqliteBackend) close() error { return errors.Join(b.reads.Close(), b.db.Close()) }

// rwSplit sends statements to the writer connection and queries outside a
// transaction to the readers, so that reads (the API, the index) do not
// queue behind the job queue's writes. A reader sees every transaction
// committed before its query began.
type rwSplit struct{ w, r *sql.DB }

func (s rwSplit) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.w.ExecContext(ctx, q, args...)
}

func (s rwSplit) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.r.QueryContext(ctx, q, args...)
}

func (s rwSplit) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return s.r.QueryRowContext(ctx, q, args...)
}

func (b *sqliteBackend) begin(ctx context.Context) (txq, error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &sqliteTx{sqlQ{tx}, tx}, nil
}

type sqliteTx struct {
	sqlQ
	tx *sql.Tx
}

func (t *sqliteTx) Raw() any                       { return t.tx }
func (t *sqliteTx) commit(context.Context) error   { return t.tx.Commit() }
func (t *sqliteTx) rollback(context.Context) error { return t.tx.Rollback() }

// --- PostgreSQL through pgx ---

type pgQuerier interface {
	Exec(ctx context.Context, q string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, q string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) pgx.Row
}

type pgQ struct{ q pgQuerier }

func (p pgQ) exec(ctx context.Context, q string, args ...any) (int64, error) {
	if err := checkArgs(args); err != nil {
		return 0, err
	}
	tag, err := p.q.Exec(ctx, rebind(q), args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}

func (p pgQ) query(ctx context.Context, q string, args ...any) (rows, error) {
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	r, err := p.q.Query(ctx, rebind(q), args...)
	if err != nil {
		return nil, mapErr(err)
	}
	return r, nil
}

func (p pgQ) queryRow(ctx context.Context, q string, args ...any) row {
	if err := checkArgs(args); err != nil {
		return errRow{err}
	}
	return pgRow{p.q.QueryRow(ctx, rebind(q), args...)}
}

type pgRow struct{ r pgx.Row }

func (r pgRow) Scan(dest ...any) error { return mapErr(r.r.Scan(dest...)) }

type pgBackend struct {
	pgQ
	pool *pgxpool.Pool
}

func (b *pgBackend) name() string { return "postgres" }
func (b *pgBackend) close() error { b.pool.Close(); return nil }

func (b *pgBackend) begin(ctx context.Context) (txq, error) {
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return &pgTx{pgQ{tx}, tx}, nil
}

type pgTx struct {
	pgQ
	tx pgx.Tx
}

func (t *pgTx) Raw() any                           { return t.tx }
func (t *pgTx) commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t *pgTx) rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }

// rebind turns ? placeholders into PostgreSQL's $1, $2, … The shared SQL
// never has a ? inside a string literal.
func rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
