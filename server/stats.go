package server

import (
	"net/http"
	"time"

	"github.com/tssguard/tssguard/intel"
	"github.com/tssguard/tssguard/store"
)

// stats answers what the watch observed: how long numbers stay in use
// (from every sighting, re-captures included) and how long pages and
// domains live.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) error {
	firstLast := map[string][2]time.Time{}
	err := s.o.Store.Hotlines(r.Context(), time.Time{}, func(h store.Hotline) error {
		firstLast[h.E164] = [2]time.Time{h.FirstSeen, h.LastSeen}
		return nil
	})
	if err != nil {
		return err
	}
	ws, err := s.o.Store.WatchStatistics(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"numbers": intel.Lifetimes(firstLast), "watch": ws})
	return nil
}
