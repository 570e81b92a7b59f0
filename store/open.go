package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // the embedded database
)

// DB is the Store on SQLite or PostgreSQL.
type DB struct {
	b    backend
	lock *os.File // SQLite: the data directory's lock, held while open
	path string   // SQLite: the database file
	now  func() time.Time

	schedule Schedule // of watches; zero: DefaultSchedule
}

var _ Store = (*DB)(nil)

// SQLiteFile is the database's name inside the data directory.
const SQLiteFile = "tssguard.db"

// OpenSQLite opens (creating if needed) the embedded database in dir and
// applies pending migrations. With exclusive set, it also takes the data
// directory's lock, so a second server on the same directory fails at once
// instead of corrupting the queue; read-only commands leave it unset.
func OpenSQLite(ctx context.Context, dir string, exclusive bool) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	d := &DB{now: time.Now, path: filepath.Join(dir, SQLiteFile)}
	if exclusive {
		f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return nil, fmt.Errorf("store: lock: %w", err)
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			return nil, fmt.Errorf("store: %s is in use by another tssguard server (%w)", dir, err)
		}
		d.lock = f
	}
	// Writes wait for each other (busy_timeout) instead of failing, and
	// start as writers (immediate) so that a read never has to upgrade.
	dsn := "file:" + filepath.Join(dir, SQLiteFile) +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(15000)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		d.unlock()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	// SQLite runs one writer at a time; one writer connection keeps the
	// job queue and the API from tripping over each other's locks.
	db.SetMaxOpenConns(1)
	// The writer makes the file and puts it in WAL mode before any reader
	// opens it.
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		d.unlock()
		return nil, fmt.Errorf("store: open sqlite: %w", mapErr(err))
	}
	// The readers map the file (up to 2 GiB, SQLite's own ceiling: about
	// 700,000 scans of bench/growth's). The campaign list and the exports
	// read rows all over it, and through SQLite's 2 MB page cache each row
	// was a read() once the database outgrew it: their cost per scan
	// doubled from 1,000 scans to 100,000 (bench/growth). Mapped pages are
	// the kernel's page cache: they count in the process's RSS but are
	// shared and reclaimable. The price: a file cut short under a running
	// process (a backup copied over it) stops the process with a bus error
	// where a read() would have failed the query or, as often, read on from
	// the page cache; the README says to stop serve first.
	reads, err := sql.Open("sqlite", "file:"+filepath.Join(dir, SQLiteFile)+"?_pragma=busy_timeout(15000)&_pragma=query_only(1)&_pragma=mmap_size(2147418112)")
	if err != nil {
		db.Close()
		d.unlock()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	reads.SetMaxOpenConns(4)
	reads.SetMaxIdleConns(4)
	d.b = &sqliteBackend{sqlQ{rwSplit{db, reads}}, db, reads}
	if exclusive {
		// The server checks the file before it serves from it: a damaged
		// database would otherwise start, answer some requests and fail
		// others. (Read-only commands skip it; 'tssguard db check' runs it.)
		if err := d.Check(ctx); err != nil {
			d.Close()
			return nil, err
		}
	}
	if err := d.migrate(ctx); err != nil {
		if errors.Is(err, ErrUnavailable) {
			// Say so when the file is damaged, rather than how a
			// migration tripped over it.
			if cerr := d.Check(ctx); cerr != nil {
				err = cerr
			}
		}
		d.Close()
		return nil, err
	}
	return d, nil
}

// OpenPostgres connects to PostgreSQL and applies pending migrations.
func OpenPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: postgres URL: %w", redactErr(err, dsn))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: postgres: %w", redactErr(err, dsn))
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: postgres at %s: %w", Redact(dsn), redactErr(err, dsn))
	}
	d := &DB{b: &pgBackend{pgQ{pool}, pool}, now: time.Now}
	if err := d.migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Check runs the database's own consistency check: PRAGMA quick_check on
// SQLite (it reads every page, so it takes a moment on a large database).
// PostgreSQL checks its pages as it reads them; there Check only asks for
// the schema version.
func (d *DB) Check(ctx context.Context) error {
	if d.b.name() != "sqlite" {
		var v int
		if err := d.b.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
			return fmt.Errorf("store: check: %w", err)
		}
		return nil
	}
	damaged := func(detail string) error {
		return fmt.Errorf("store: the database %s is damaged (PRAGMA quick_check: %s): restore it from a backup, or recover what is left with sqlite3's .recover into a new file", d.path, detail)
	}
	rs, err := d.b.query(ctx, `PRAGMA quick_check(20)`)
	if err != nil {
		return damaged(err.Error())
	}
	defer rs.Close()
	var problems []string
	for rs.Next() {
		var line string
		if err := rs.Scan(&line); err != nil {
			return damaged(err.Error())
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rs.Err(); err != nil {
		return damaged(err.Error())
	}
	if len(problems) > 0 {
		return damaged(strings.Join(problems, "; "))
	}
	return nil
}

// SQL returns the SQLite handle (for the job queue's driver), or nil.
func (d *DB) SQL() *sql.DB {
	if b, ok := d.b.(*sqliteBackend); ok {
		return b.db
	}
	return nil
}

// Pool returns the PostgreSQL pool (for the job queue's driver), or nil.
func (d *DB) Pool() *pgxpool.Pool {
	if b, ok := d.b.(*pgBackend); ok {
		return b.pool
	}
	return nil
}

// Backend says which database this is.
func (d *DB) Backend() string { return d.b.name() }

// Close closes the database and releases the data directory.
func (d *DB) Close() error {
	var err error
	if d.b != nil {
		err = d.b.close()
	}
	d.unlock()
	return err
}

func (d *DB) unlock() {
	if d.lock != nil {
		d.lock.Close()
		d.lock = nil
	}
}

// Redact hides the password in a database URL for logs and errors.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func redactErr(err error, dsn string) error {
	u, perr := url.Parse(dsn)
	if perr != nil || u.User == nil {
		return err
	}
	if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(err.Error(), pw) {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "xxxxx"))
	}
	return err
}
