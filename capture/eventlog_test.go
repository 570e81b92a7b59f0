package capture

import "testing"

// TestEventLog: repeats fold under their key, and a kind past its share
// folds into its last event without pushing another kind out.
func TestEventLog(t *testing.T) {
	l := EventLog[string]{PerKind: 3}
	for i := 0; i < 10; i++ {
		key := string(rune('a' + i))
		l.Add(key, Event{Kind: EventNavigation, Detail: key, Count: 1})
	}
	l.Add("a", Event{Kind: EventNavigation, Detail: "a", Count: 1})
	l.Add("call", Event{Kind: EventCallNavigation, Detail: "tel:+18445550142", Count: 1})
	if len(l.Events) != 4 {
		t.Fatalf("%d distinct events, want 3 navigations and the call: %+v", len(l.Events), l.Events)
	}
	total := 0
	for _, e := range l.Events {
		if e.Kind == EventNavigation {
			total += e.Count
		}
	}
	if total != 11 || l.Events[0].Count != 2 || l.Events[3].Kind != EventCallNavigation {
		t.Errorf("navigations counted %d (want 11), first %d (want 2), last %+v", total, l.Events[0].Count, l.Events[3])
	}
	var free EventLog[int]
	for i := 0; i < 1000; i++ {
		free.Add(i, Event{Kind: EventDownload, Count: 1})
	}
	if len(free.Events) != 1000 {
		t.Errorf("no limit: %d distinct events, want 1000", len(free.Events))
	}
}
