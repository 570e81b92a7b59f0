package hunt

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
)

// URLList is a plain list of URLs or host names, one a line ('#' starts a
// comment), in a file or at an HTTP(S) address. Over HTTP it sends the
// last ETag and Last-Modified and reads nothing when the list has not
// changed; a file is read again when its size or time changed.
type URLList struct {
	Location string // a path, or an http(s) URL
	Client   *http.Client
	Label    string // source name; default "list"

	etag         string
	lastModified string
	modTime      int64
	size         int64
}

func (l *URLList) Name() string {
	if l.Label != "" {
		return l.Label
	}
	return "list"
}

func (l *URLList) Fetch(ctx context.Context, emit func(Candidate) error) error {
	var body []byte
	if strings.HasPrefix(l.Location, "http://") || strings.HasPrefix(l.Location, "https://") {
		h := http.Header{}
		if l.etag != "" {
			h.Set("If-None-Match", l.etag)
		}
		if l.lastModified != "" {
			h.Set("If-Modified-Since", l.lastModified)
		}
		b, hdr, err := getBody(ctx, l.Client, l.Location, h)
		if err != nil {
			return err
		}
		if b == nil {
			return nil // 304: nothing new
		}
		l.etag, l.lastModified = hdr.Get("ETag"), hdr.Get("Last-Modified")
		body = b
	} else {
		fi, err := os.Stat(l.Location)
		if err != nil {
			return err
		}
		if fi.ModTime().UnixNano() == l.modTime && fi.Size() == l.size {
			return nil
		}
		if fi.Size() > maxBody {
			return errTooLarge(l.Location)
		}
		b, err := os.ReadFile(l.Location)
		if err != nil {
			return err
		}
		l.modTime, l.size = fi.ModTime().UnixNano(), fi.Size()
		body = b
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i == 0 {
			continue
		}
		if f := strings.Fields(line); len(f) > 0 {
			line = f[0]
		}
		if c, ok := NewCandidate(line, l.Name()); ok {
			if err := emit(c); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

type errTooLarge string

func (e errTooLarge) Error() string { return string(e) + ": the list is too large" }
