package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrInvalid marks input the store refuses. Both databases refuse the same
// input: PostgreSQL cannot keep a NUL character or invalid UTF-8 in text,
// and SQLite would keep them, so the store checks before either sees them.
var ErrInvalid = errors.New("invalid input")

// InvalidError says which field is wrong and why. It matches ErrInvalid.
type InvalidError struct {
	Field  string
	Reason string
}

func (e *InvalidError) Error() string { return e.Field + " " + e.Reason }
func (e *InvalidError) Unwrap() error { return ErrInvalid }

// Limits of free-text fields, in characters.
const (
	MaxComment = 2000 // a user report's comment
	MaxNote    = 500  // an allowlist entry's note
)

// CheckText checks a text field: valid UTF-8, no NUL character, and at
// most maxChars characters (runes) when maxChars > 0.
func CheckText(field, s string, maxChars int) error {
	switch {
	case !utf8.ValidString(s):
		return &InvalidError{field, "is not valid UTF-8"}
	case strings.IndexByte(s, 0) >= 0:
		return &InvalidError{field, `contains a NUL character (\u0000)`}
	case maxChars > 0 && utf8.RuneCountInString(s) > maxChars:
		return &InvalidError{field, fmt.Sprintf("is longer than %d characters", maxChars)}
	}
	return nil
}

// checkArgs is the backstop under every query: a text argument that one
// database would refuse is refused on both, before the query runs.
func checkArgs(args []any) error {
	for _, a := range args {
		if s, ok := a.(string); ok {
			if err := CheckText("text", s, 0); err != nil {
				return err
			}
		}
	}
	return nil
}
