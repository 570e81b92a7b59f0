package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tssguard/tssguard/store"
)

// TestDBCheck: 'tssguard db check' says ok for a sound database and names
// the damage of a damaged one.
func TestDBCheck(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenSQLite(context.Background(), dir, true)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if _, err := db.CreateScan(context.Background(), store.Scan{URL: fmt.Sprintf("https://s%d.example/%s", i, strings.Repeat("p", 200))}, nil); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if code, out, errOut := runCLI(t, "", "db", "check", "--data", dir); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("check of a sound database: %d %s %s", code, out, errOut)
	}
	path := filepath.Join(dir, store.SQLiteFile)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, 4096), (st.Size()/4096/2)*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if code, _, errOut := runCLI(t, "", "db", "check", "--data", dir); code != ExitError || !strings.Contains(errOut, "damaged") {
		t.Errorf("check of a damaged database: %d %s", code, errOut)
	}
}
