package capture

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// write creates dir/name with body, making parent directories.
func write(t testing.TB, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// lab is a policy that may reach the tests' loopback servers.
func lab() Policy {
	p := DefaultPolicy()
	p.AllowPrivate = true
	p.Timeout = 5 * time.Second
	return p
}

// byRef indexes resources by reference: the body, or "error:" + Err.
func byRef(rs []Resource) map[string]string {
	got := map[string]string{}
	for _, r := range rs {
		if r.Err != "" {
			got[r.Ref] = "error:" + r.Err
		} else {
			got[r.Ref] = string(r.Body)
		}
	}
	return got
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
