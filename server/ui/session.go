package ui

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/tssguard/tssguard/store"
)

const (
	cookieName  = "tssguard_session"
	sessionLife = 12 * time.Hour
	maxSessions = 10000
)

// session is a browser's: an anonymous random ID (its CSRF token derives
// from it, so anonymous visitors cost no memory) and, after login, the key
// it logged in with.
type session struct {
	id    string
	login *login
}

type login struct {
	keyID, name string
	expires     time.Time
}

func (s *session) LoggedIn() bool { return s != nil && s.login != nil }

func (s *session) user() string {
	if s.LoggedIn() {
		return s.login.name
	}
	return ""
}

type sessions struct {
	secret [32]byte
	mu     sync.Mutex
	byID   map[string]*login
}

func newSessions() *sessions {
	s := &sessions{byID: map[string]*login{}}
	_, _ = rand.Read(s.secret[:])
	return s
}

func randomID() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func setCookie(w http.ResponseWriter, id string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", MaxAge: maxAge,
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// get returns the request's session, starting an anonymous one (a cookie,
// no server state) for a new browser.
func (ss *sessions) get(w http.ResponseWriter, r *http.Request) *session {
	if c, err := r.Cookie(cookieName); err == nil && len(c.Value) == 43 {
		s := &session{id: c.Value}
		ss.mu.Lock()
		if l := ss.byID[c.Value]; l != nil {
			if time.Now().Before(l.expires) {
				s.login = l
			} else {
				delete(ss.byID, c.Value)
			}
		}
		ss.mu.Unlock()
		return s
	}
	s := &session{id: randomID()}
	setCookie(w, s.id, 0)
	return s
}

// start logs a session in under a fresh ID (no fixation).
func (ss *sessions) start(w http.ResponseWriter, old *session, k store.APIKey) {
	id := randomID()
	ss.mu.Lock()
	now := time.Now()
	if len(ss.byID) >= maxSessions {
		for sid, l := range ss.byID {
			if now.After(l.expires) || len(ss.byID) >= maxSessions {
				delete(ss.byID, sid)
			}
		}
	}
	if old != nil {
		delete(ss.byID, old.id)
	}
	ss.byID[id] = &login{keyID: k.ID, name: k.Name, expires: now.Add(sessionLife)}
	ss.mu.Unlock()
	setCookie(w, id, int(sessionLife.Seconds()))
}

func (ss *sessions) end(w http.ResponseWriter, s *session) {
	ss.mu.Lock()
	delete(ss.byID, s.id)
	ss.mu.Unlock()
	setCookie(w, randomID(), 0)
}

// csrf is the session's form token: an HMAC of its ID.
func (ss *sessions) csrf(s *session) string {
	if s == nil {
		return ""
	}
	m := hmac.New(sha256.New, ss.secret[:])
	m.Write([]byte("csrf:" + s.id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (ss *sessions) validCSRF(s *session, token string) bool {
	want := ss.csrf(s)
	return token != "" && want != "" && hmac.Equal([]byte(token), []byte(want))
}

// active says whether the session is logged in with a key that is still
// valid: a revoked key ends its sessions at their next write.
func (ss *sessions) active(ctx context.Context, db *store.DB, s *session) bool {
	if !s.LoggedIn() {
		return false
	}
	keys, err := db.Keys(ctx)
	if err != nil {
		return false
	}
	for _, k := range keys {
		if k.ID == s.login.keyID {
			return k.Revoked.IsZero()
		}
	}
	return false
}

func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey).(*session)
	return s
}

func urlEscape(s string) string { return url.QueryEscape(s) }
