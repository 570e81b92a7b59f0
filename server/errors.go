package server

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/tssguard/tssguard/store"
)

// apiError is every error the API returns: a status and a sentence that
// says what to do about it.
type apiError struct {
	Status  int    `json:"status"`
	Code    string `json:"error"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Message }

func errorf(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg}
}

var (
	errUnauthorized = errorf(http.StatusUnauthorized, "unauthorized", "this endpoint needs an API key: send it as 'Authorization: Bearer KEY' (create one with: tssguard apikey create NAME)")
	errBadKey       = errorf(http.StatusUnauthorized, "unauthorized", "the API key is unknown or revoked")
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// asAPIError turns an error into the answer the client gets: the API's
// own errors as they are, the store's refusals of input as 400, anything
// else as 500.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var invalid *store.InvalidError
	switch {
	case errors.As(err, &invalid):
		return errorf(http.StatusBadRequest, "invalid_input", invalid.Error())
	case errors.Is(err, store.ErrFull):
		return errorf(http.StatusInsufficientStorage, "storage_full", "the database's disk is full: writes are refused until the operator frees space")
	case errors.Is(err, store.ErrUnavailable):
		return errorf(http.StatusServiceUnavailable, "store_unavailable", "the database is unavailable (down, read-only or damaged): retry later")
	}
	return errorf(http.StatusInternalServerError, "internal", "internal error; the server log has the details")
}

func writeError(w http.ResponseWriter, err error) {
	ae := asAPIError(err)
	if ae.Status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "5")
	}
	writeJSON(w, ae.Status, ae)
}
