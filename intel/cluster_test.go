package intel

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// variant is kitPage with operator-specific values swapped in.
func variant(i int) Signature {
	r := strings.NewReplacer("888", fmt.Sprint(800+i%100), "0142", fmt.Sprintf("%04d", i),
		"scam-host-a", fmt.Sprintf("host-%d", i), "98431", fmt.Sprint(i*7))
	return FingerprintHTML([]byte(r.Replace(kitPage)))
}

func TestClustererGroupsVariants(t *testing.T) {
	c := NewClusterer(ClusterOptions{})
	first := c.Add("kit-1", variant(0))
	if !regexp.MustCompile(`^c-[0-9a-f]{8}$`).MatchString(first) {
		t.Fatalf("campaign ID %q: want c- and 8 hex digits", first)
	}
	for i := 1; i < 20; i++ {
		if got := c.Add(fmt.Sprintf("kit-%d", i+1), variant(i)); got != first {
			t.Fatalf("variant %d: campaign %s, want %s", i, got, first)
		}
	}
	other := c.Add("news", FingerprintHTML([]byte(otherPage)))
	if other == first {
		t.Fatal("unrelated page joined the kit's campaign")
	}
	if got := c.Add("kit-1", FingerprintHTML([]byte(otherPage))); got != first {
		t.Errorf("re-adding a page moved it to %s", got)
	}
	if m := c.Members(first); len(m) != 20 || m[0] != "kit-1" || m[19] != "kit-20" {
		t.Errorf("members %v", m)
	}
	if got := c.Campaigns(); !slices.Equal(got, []string{first, other}) {
		t.Errorf("campaigns %v, want [%s %s]", got, first, other)
	}
	if c.Campaign("missing") != "" || c.Members("c-00000000") != nil {
		t.Error("unknown page or campaign should give nothing")
	}
}

// TestClustererMergeKeepsOlderID: a page like two campaigns merges them,
// and the older campaign's ID survives (the younger becomes an alias).
func TestClustererMergeKeepsOlderID(t *testing.T) {
	mk := func(vals ...uint32) Signature {
		var s Signature
		for i := range s.Mins {
			s.Mins[i] = vals[i*len(vals)/sigSize]
		}
		s.Sizes = [numSections]uint32{1, 1, 1}
		return s
	}
	a := mk(1, 2, 3, 4)  // quarters of the signature
	b := mk(5, 6, 7, 8)  // shares nothing with a
	ab := mk(1, 2, 7, 8) // half of each
	c := NewClusterer(ClusterOptions{Threshold: 0.4, Rows: 2})
	ca := c.Add("a", a)
	cb := c.Add("b", b)
	if ca == cb {
		t.Fatal("disjoint pages share a campaign")
	}
	if got := c.Add("ab", ab); got != ca {
		t.Fatalf("bridge page: campaign %s, want the older %s", got, ca)
	}
	if c.Campaign("b") != ca {
		t.Error("b not merged into the older campaign")
	}
	if r, ok := c.Resolve(cb); !ok || r != ca {
		t.Errorf("Resolve(%s) = %s, %v; want %s", cb, r, ok, ca)
	}
	if m := c.Members(cb); !slices.Equal(m, []string{"a", "b", "ab"}) {
		t.Errorf("members via the merged ID: %v", m)
	}
	if got := c.Campaigns(); !slices.Equal(got, []string{ca}) {
		t.Errorf("campaigns %v", got)
	}
}

// TestClustererDeterministic: the same pages in the same order give the
// same campaign IDs (stored campaigns survive a rebuild).
func TestClustererDeterministic(t *testing.T) {
	run := func() []string {
		c := NewClusterer(ClusterOptions{})
		var out []string
		for i := range 30 {
			fp := variant(i)
			if i%3 == 0 {
				fp = FingerprintHTML([]byte(strings.Repeat(otherPage, i%5+1) + fmt.Sprint(i)))
			}
			out = append(out, c.Add(fmt.Sprint("p", i), fp))
		}
		return out
	}
	if a, b := run(), run(); !slices.Equal(a, b) {
		t.Fatalf("runs differ:\n%v\n%v", a, b)
	}
}

func TestClustererEmptyJoinsNothing(t *testing.T) {
	c := NewClusterer(ClusterOptions{})
	a, b := c.Add("e1", Signature{}), c.Add("e2", Signature{})
	if a == b {
		t.Error("empty fingerprints clustered together")
	}
}

func TestClustererConcurrent(t *testing.T) {
	c := NewClusterer(ClusterOptions{})
	sigs := make([]Signature, 64)
	for i := range sigs {
		sigs[i] = variant(i)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(sigs); i += 4 {
				id := fmt.Sprint("p", i)
				camp := c.Add(id, sigs[i])
				_ = c.Members(camp)
				_ = c.Campaign(id)
				_ = c.Campaigns()
			}
		})
	}
	wg.Wait()
	if got := c.Campaigns(); len(got) != 1 || len(c.Members(got[0])) != len(sigs) {
		t.Errorf("campaigns %v", got)
	}
}
