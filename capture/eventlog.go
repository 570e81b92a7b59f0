package capture

// EventLog keeps the behaviours of one run, as the emulator and the
// browser sandbox record them. An event repeated under the same key (the
// recorder's idea of "the same") adds to its Count. Each kind keeps at
// most PerKind distinct events (0: no limit); past that, the kind's
// events add to the Count of its last one, so that a flood of one kind
// (300 navigations in a loop, 600 downloads) still counts in full and
// cannot push another kind (the call after it) out of the list.
type EventLog[K comparable] struct {
	PerKind int
	Events  []Event
	index   map[K]int
	kinds   map[EventKind]int // distinct events of each kind
	last    map[EventKind]int // the last distinct event of each kind
}

// Add records ev (its Count 1) under key.
func (l *EventLog[K]) Add(key K, ev Event) {
	if i, ok := l.index[key]; ok {
		l.Events[i].Count++
		return
	}
	if l.PerKind > 0 && l.kinds[ev.Kind] >= l.PerKind {
		l.Events[l.last[ev.Kind]].Count++
		return
	}
	if l.index == nil {
		l.index, l.kinds, l.last = map[K]int{}, map[EventKind]int{}, map[EventKind]int{}
	}
	l.kinds[ev.Kind]++
	l.last[ev.Kind] = len(l.Events)
	l.index[key] = len(l.Events)
	l.Events = append(l.Events, ev)
}
