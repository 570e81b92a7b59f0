package hunt

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// testLog is an RFC 6962 log on loopback serving leaves built from
// certificates the test issues. It answers at most pageCap entries per
// get-entries, as real logs do.
type testLog struct {
	mu      sync.Mutex
	leaves  [][]byte
	extras  [][]byte
	pageCap int
	srv     *httptest.Server
	key     *ecdsa.PrivateKey
	serial  int64
}

func newTestLog(t testing.TB) *testLog {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	l := &testLog{pageCap: 100, key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ct/v1/get-sth", func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		n := len(l.leaves)
		l.mu.Unlock()
		fmt.Fprintf(w, `{"tree_size":%d,"timestamp":%d,"sha256_root_hash":"","tree_head_signature":""}`, n, time.Now().UnixMilli())
	})
	mux.HandleFunc("GET /ct/v1/get-entries", func(w http.ResponseWriter, r *http.Request) {
		start, err1 := strconv.Atoi(r.URL.Query().Get("start"))
		end, err2 := strconv.Atoi(r.URL.Query().Get("end"))
		l.mu.Lock()
		defer l.mu.Unlock()
		if err1 != nil || err2 != nil || start < 0 || end < start || start >= len(l.leaves) {
			http.Error(w, "bad range", http.StatusBadRequest)
			return
		}
		end = min(end, len(l.leaves)-1, start+l.pageCap-1)
		w.Write(EntriesJSON(l.leaves[start:end+1], l.extras[start:end+1]))
	})
	l.srv = httptest.NewServer(mux)
	t.Cleanup(l.srv.Close)
	return l
}

var poisonOID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 11129, 2, 4, 3}

// issue adds a certificate (or a precertificate) for names to the log.
func (l *testLog) issue(t testing.TB, precert bool, names ...string) {
	l.mu.Lock()
	l.serial++
	serial := l.serial
	l.mu.Unlock()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(90 * 24 * time.Hour),
	}
	if precert {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: poisonOID, Critical: true, Value: []byte{5, 0}}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &l.key.PublicKey, l.key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	leaf, extra := EncodeLeaf(der, precert, cert.RawTBSCertificate, uint64(time.Now().UnixMilli()))
	l.mu.Lock()
	l.leaves = append(l.leaves, leaf)
	l.extras = append(l.extras, extra)
	l.mu.Unlock()
}

// TestCTLog reads certificates and precertificates from a log on
// loopback, across pages shorter than asked, and goes on from its cursor.
func TestCTLog(t *testing.T) {
	l := newTestLog(t)
	for i := 0; i < 150; i++ {
		l.issue(t, i%2 == 1, fmt.Sprintf("host%d.example.com", i), fmt.Sprintf("www.host%d.example.com", i))
	}
	l.issue(t, true, "microsoft-security-alert-0x80070.pages.dev")
	src := &CTLog{URL: l.srv.URL, Batch: 64}
	var got []string
	emit := func(c Candidate) error { got = append(got, c.Host); return nil }
	if err := src.Fetch(context.Background(), emit); err != nil {
		t.Fatal(err)
	}
	if src.Entries != 151 || src.Errors != 0 || src.Next != 151 || len(got) != 301 {
		t.Fatalf("entries %d errors %d next %d names %d", src.Entries, src.Errors, src.Next, len(got))
	}
	if got[len(got)-1] != "microsoft-security-alert-0x80070.pages.dev" {
		t.Fatalf("last name %q", got[len(got)-1])
	}
	// Nothing new: nothing read. Then only the new entry.
	got = nil
	if err := src.Fetch(context.Background(), emit); err != nil || len(got) != 0 {
		t.Fatalf("second fetch: %v %v", got, err)
	}
	l.issue(t, false, "norton-renewal-billing.site")
	if err := src.Fetch(context.Background(), emit); err != nil || len(got) != 1 || got[0] != "norton-renewal-billing.site" {
		t.Fatalf("third fetch: %v %v", got, err)
	}
}

// TestCTHostileEntries: garbage leaves are counted, never a panic.
func TestCTHostileEntries(t *testing.T) {
	for _, leaf := range [][]byte{nil, {0}, {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0xff, 0xff, 0xff}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}} {
		if _, err := LeafNames(leaf, []byte{0, 0, 9}); err == nil {
			t.Errorf("%x decoded", leaf)
		}
	}
}

func BenchmarkCTIngest(b *testing.B) {
	l := newTestLog(b)
	l.pageCap = 256
	const n = 4096
	for i := 0; i < n; i++ {
		l.issue(b, i%2 == 0, fmt.Sprintf("shop%d.example.com", i))
	}
	s := NewScorer(nil)
	b.ResetTimer()
	var entries int64
	for i := 0; i < b.N; i++ {
		src := &CTLog{URL: l.srv.URL}
		if err := src.Fetch(context.Background(), func(c Candidate) error { s.Score(c); return nil }); err != nil {
			b.Fatal(err)
		}
		entries += src.Entries
	}
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}

func BenchmarkScore(b *testing.B) {
	s := NewScorer([]string{"windows-helpdesk-alert.com"})
	var cands []Candidate
	for _, l := range readLabelled(b) {
		c, _ := NewCandidate(l.url, "b")
		cands = append(cands, c)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Score(cands[i%len(cands)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "candidates/s")
}

// BenchmarkCTDecode: decoding leaves alone (no HTTP, no scoring).
func BenchmarkCTDecode(b *testing.B) {
	l := newTestLog(b)
	for i := 0; i < 256; i++ {
		l.issue(b, i%2 == 0, fmt.Sprintf("shop%d.example.com", i))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(l.leaves)
		if _, err := LeafNames(l.leaves[k], l.extras[k]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
