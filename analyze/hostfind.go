package analyze

import "strings"

// hostFinder tells cheaply that a string names none of a list of hosts (in
// lower case, each with a dot), so that most strings skip the lower-casing
// and one search per host that finding which one, and where, takes.
// Without U+0130 or U+212A (the two letters whose lower case is ASCII), a
// host in strings.ToLower(s) is the host in s with ASCII case ignored, its
// first dot a dot of s; the finder looks for the hosts at s's dots only.
type hostFinder struct {
	// after lists the hosts by the byte after their first dot.
	after [128][]hostDot
}

type hostDot struct {
	host string
	dot  int // where its first dot is
}

func newHostFinder(hosts []string) *hostFinder {
	f := &hostFinder{}
	for _, h := range hosts {
		dot := strings.IndexByte(h, '.')
		if dot < 0 || dot+1 >= len(h) || h[dot+1] >= 128 || strings.ToLower(h) != h {
			panic("hostFinder: " + h + " is not a lower-case host name")
		}
		f.after[h[dot+1]] = append(f.after[h[dot+1]], hostDot{host: h, dot: dot})
	}
	return f
}

// mayName is false when no host of the list is in strings.ToLower(s).
func (f *hostFinder) mayName(s string) bool {
	at := strings.IndexByte(s, '.')
	if at < 0 {
		return false
	}
	if strings.Contains(s, "\u0130") || strings.Contains(s, "\u212a") {
		return true
	}
	for at >= 0 {
		if next := at + 1; next < len(s) && s[next] < 128 {
			for _, h := range f.after[lowerASCII(s[next])] {
				if start := at - h.dot; start >= 0 && start+len(h.host) <= len(s) && foldsToString(s[start:start+len(h.host)], h.host) {
					return true
				}
			}
		}
		n := strings.IndexByte(s[at+1:], '.')
		if n < 0 {
			break
		}
		at += 1 + n
	}
	return false
}

// foldsToString: s is lower with ASCII case ignored (len(s) == len(lower)).
func foldsToString(s, lower string) bool {
	for i := range len(lower) {
		if lowerASCII(s[i]) != lower[i] {
			return false
		}
	}
	return true
}
