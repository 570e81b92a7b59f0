package watch

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/tssguard/tssguard/internal/kittest"
	"github.com/tssguard/tssguard/internal/storetest"
	"github.com/tssguard/tssguard/store"
)

// TestWatchArrivesAsTheScansVisitor: a kit that shows its scam only to
// Japanese visitors from a search, found by a scan that arrived as one,
// is watched as that visitor: its re-capture finds it alive, where the
// default visitor would see a furniture shop and call it gone. The watch
// keeps the visitor, and so does the scan row each re-capture leaves.
func TestWatchArrivesAsTheScansVisitor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		srv := httptest.NewServer(kittest.AimedAtJapan(true))
		defer srv.Close()
		page := srv.URL + "/"
		visitor := store.Visitor{Lang: "ja", Referrer: "https://www.bing.com/search?q=support"}
		r := newRunner(t)
		s, err := db.CreateScan(ctx, store.Scan{URL: page, Visitor: store.Visitor{Lang: visitor.Lang, Referrer: visitor.Referrer}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Run(ctx, s)
		if err != nil || res.Verdict != "scam" {
			t.Fatalf("the scan as a Japanese visitor from a search: %s %v", res.Verdict, err)
		}
		if err := db.FinishScan(ctx, s.ID, res, nil); err != nil {
			t.Fatal(err)
		}
		w, err := db.Watch(ctx, page)
		if err != nil || w.Visitor != visitor {
			t.Fatalf("watch = %+v, %v; want the scan's visitor %+v", w, err, visitor)
		}
		check, _ := Check(ctx, r.Observe, w)
		if check.State != store.Alive || check.Verdict != "scam" {
			t.Errorf("re-capture as the scan's visitor: %s (%s), verdict %s; want alive", check.State, check.How, check.Verdict)
		}
		stranger := w
		stranger.Visitor = store.Visitor{}
		if c, _ := Check(ctx, r.Observe, stranger); c.Verdict == "scam" {
			t.Errorf("the default visitor saw the scam too (%s): the test page does not cloak", c.State)
		}
		check.Slot = 1
		if _, err := db.RecordCheck(ctx, check, nil); err != nil {
			t.Fatal(err)
		}
		scans, err := db.Scans(ctx, store.Scan{}.Submitted, 10)
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for _, sc := range scans {
			if sc.Origin == "watch" {
				rows++
				if sc.Visitor != visitor {
					t.Errorf("the re-capture's scan row arrives as %+v", sc.Visitor)
				}
			}
		}
		if rows != 1 {
			t.Errorf("%d scan rows of the re-capture, want 1", rows)
		}
	})
}
