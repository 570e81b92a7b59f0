package hunt

import (
	"encoding/json"
	"fmt"
)

// Resumable is a source whose cursor — what it has read so far — can be
// saved as text and restored, so that a round run by another process, or
// after a restart, goes on where the last round stopped. Every source here
// is Resumable.
type Resumable interface {
	Cursor() (string, error)
	SetCursor(string) error
}

// saveCursor and loadCursor keep cursors as JSON; the empty cursor is a
// source never read.
func saveCursor(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("hunt: cursor: %w", err)
	}
	return string(b), nil
}

func loadCursor(kind, s string, v any) error {
	if s == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("hunt: %s cursor %.60q: %w", kind, s, err)
	}
	return nil
}

type ctCursor struct {
	Next int64 `json:"next"`
}

// Cursor of a log: the index of the next entry. A log never read has none,
// and starts from its end.
func (l *CTLog) Cursor() (string, error) {
	if l.FromEnd {
		return "", nil
	}
	return saveCursor(ctCursor{l.Next})
}

func (l *CTLog) SetCursor(s string) error {
	if s == "" {
		return nil
	}
	var c ctCursor
	if err := loadCursor("ct", s, &c); err != nil {
		return err
	}
	if c.Next < 0 {
		return fmt.Errorf("hunt: ct cursor: negative index %d", c.Next)
	}
	l.Next, l.FromEnd = c.Next, false
	return nil
}

type listCursor struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	ModTime      int64  `json:"mod_time,omitempty"`
	Size         int64  `json:"size,omitempty"`
}

// Cursor of a list: the ETag and Last-Modified of the last version read
// over HTTP, or a file's time and size.
func (l *URLList) Cursor() (string, error) {
	return saveCursor(listCursor{l.etag, l.lastModified, l.modTime, l.size})
}

func (l *URLList) SetCursor(s string) error {
	var c listCursor
	if err := loadCursor("list", s, &c); err != nil {
		return err
	}
	l.etag, l.lastModified, l.modTime, l.size = c.ETag, c.LastModified, c.ModTime, c.Size
	return nil
}

type taxiiCursor struct {
	AddedAfter string `json:"added_after,omitempty"`
}

// Cursor of a collection: the date the newest object read was added.
func (t *TAXII) Cursor() (string, error) { return saveCursor(taxiiCursor{t.addedAfter}) }

func (t *TAXII) SetCursor(s string) error {
	var c taxiiCursor
	if err := loadCursor("taxii", s, &c); err != nil {
		return err
	}
	t.addedAfter = c.AddedAfter
	return nil
}

type mispCursor struct {
	Events map[string]int64 `json:"events,omitempty"`
}

// Cursor of a feed: the timestamp of each event read, so that an event
// is read again only when it changed.
func (m *MISPFeed) Cursor() (string, error) { return saveCursor(mispCursor{m.seen}) }

func (m *MISPFeed) SetCursor(s string) error {
	var c mispCursor
	if err := loadCursor("misp", s, &c); err != nil {
		return err
	}
	m.seen = c.Events
	return nil
}

type urlscanCursor struct {
	Newest []json.RawMessage `json:"newest,omitempty"`
}

// Cursor of a search: the sort key of the newest result read; the next
// round reads only results newer than it.
func (u *URLScan) Cursor() (string, error) { return saveCursor(urlscanCursor{u.newest}) }

func (u *URLScan) SetCursor(s string) error {
	var c urlscanCursor
	if err := loadCursor("urlscan", s, &c); err != nil {
		return err
	}
	u.newest = c.Newest
	return nil
}
