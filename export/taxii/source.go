package taxii

import (
	"context"

	"github.com/google/uuid"
	"github.com/tssguard/tssguard/export"
	"github.com/tssguard/tssguard/export/stix"
)

// DefaultCollectionID is the id of the collection of tssguard's live
// indicators: a UUIDv5 so it never changes.
var DefaultCollectionID = uuid.NewSHA1(stix.Namespace, []byte("taxii-collection:tssguard:indicators")).String()

// Indicators returns the default collection: every STIX object that
// stix.Objects builds from src. meta is called at each snapshot build, so
// its Generated (the expiry clock) is current.
func Indicators(src export.Source, meta func() export.Meta, version func() string) Collection {
	return Collection{
		ID:          DefaultCollectionID,
		Title:       "tssguard indicators",
		Description: "Live tech support scam domains, URLs and phone numbers, with their campaigns (STIX 2.1).",
		Alias:       "indicators",
		Objects: func(ctx context.Context, fn func(stix.Object) error) error {
			return stix.Objects(ctx, src, meta(), fn)
		},
		Version: version,
	}
}
