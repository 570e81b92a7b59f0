package stix

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tssguard/tssguard/export"
)

// Object is one STIX object, encoded.
type Object struct {
	Type string
	ID   string

	// Modified is the object's version: its modified property, or created
	// for objects that only have that (marking definitions). Zero for SCOs,
	// which are not versioned.
	Modified time.Time

	// Added is when tssguard last changed the object: Modified, or for an
	// SCO the modified time of the indicator it came with. The TAXII server
	// uses it as date_added.
	Added time.Time

	// JSON is the object as one line of JSON. It is only valid until the
	// callback returns: copy it to keep it.
	JSON []byte
}

// IdentityID is the tssguard identity, the producer of every object.
var IdentityID = nameID("identity", "tssguard")

// identityCreated is fixed so the identity never changes version.
var identityCreated = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// CampaignID returns the STIX id of a tssguard campaign.
func CampaignID(id string) string { return nameID("campaign", id) }

// IndicatorID returns the STIX id of the indicator for kind and value.
func IndicatorID(kind export.Kind, value string) string {
	return nameID("indicator", string(kind), value)
}

// RelationshipID returns the STIX id of the relationship of type typ from
// source to target.
func RelationshipID(typ, source, target string) string {
	return nameID("relationship", typ, source, target)
}

// Confidence maps a verdict to STIX confidence (0-100, Appendix A): "scam"
// is high, "suspicious" medium, anything else is left out.
func Confidence(verdict string) int {
	switch verdict {
	case "scam":
		return 85
	case "suspicious":
		return 50
	}
	return 0
}

// builder encodes objects into one reused buffer.
type builder struct {
	meta    export.Meta
	now     time.Time
	marking []string
	buf     bytes.Buffer
	enc     *json.Encoder
	fn      func(Object) error
}

// Objects builds the STIX objects for src and hands them to fn one at a
// time, in this order: the tssguard identity, the TLP marking-definition,
// the phone-number extension-definition, every campaign, then for each live
// indicator its phone-number SCO (numbers only), the indicator, and its
// relationships. Everything a later object refers to comes first.
//
// Indicators expired at meta.Generated (time.Now when zero) are skipped.
// Only the campaign index (campaign ID to STIX id) is held across calls, so
// memory does not grow with the number of indicators.
func Objects(ctx context.Context, src export.Source, meta export.Meta, fn func(Object) error) error {
	level, err := TLPLevel(meta.TLP)
	if err != nil {
		return err
	}
	b := &builder{meta: meta, now: meta.Generated, marking: []string{tlpIDs[level]}, fn: fn}
	if b.now.IsZero() {
		b.now = time.Now()
	}
	b.enc = json.NewEncoder(&b.buf)
	b.enc.SetEscapeHTML(false)

	if err := b.emit("identity", IdentityID, identityCreated, time.Time{}, b.identity()); err != nil {
		return err
	}
	if err := b.emit("marking-definition", tlpIDs[level], tlpCreated, time.Time{}, TLPMarking(level)); err != nil {
		return err
	}
	if err := b.emit("extension-definition", PhoneNumberExtension, phoneExtModified, time.Time{}, phoneExtension(IdentityID, b.marking)); err != nil {
		return err
	}

	camps := map[string]string{}
	err = src.Campaigns(ctx, func(c export.Campaign) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.ID == "" {
			return nil
		}
		if _, dup := camps[c.ID]; dup {
			return nil
		}
		camps[c.ID] = CampaignID(c.ID)
		return b.campaign(c)
	})
	if err != nil {
		return fmt.Errorf("stix: campaigns: %w", err)
	}
	err = src.Indicators(ctx, func(it export.Indicator) error {
		if !it.Live(b.now) {
			return nil
		}
		return b.indicator(it, camps[it.Campaign])
	})
	if err != nil {
		return fmt.Errorf("stix: indicators: %w", err)
	}
	return nil
}

// emit encodes v and hands it on. modified is the version; added, when
// zero, is modified.
func (b *builder) emit(typ, id string, modified, added time.Time, v any) error {
	b.buf.Reset()
	if err := b.enc.Encode(v); err != nil {
		return fmt.Errorf("stix: encode %s: %w", id, err)
	}
	if added.IsZero() {
		added = modified
	}
	return b.fn(Object{
		Type:     typ,
		ID:       id,
		Modified: ts(modified).Time,
		Added:    ts(added).Time,
		JSON:     bytes.TrimSuffix(b.buf.Bytes(), []byte{'\n'}),
	})
}

func (b *builder) common(typ, id string, created, modified time.Time) Common {
	c, m := ts(created), ts(modified)
	if c.IsZero() {
		c = ts(b.now)
	}
	if m.Before(c.Time) {
		m = c
	}
	return Common{
		Type:              typ,
		SpecVersion:       SpecVersion,
		ID:                id,
		CreatedByRef:      IdentityID,
		Created:           c,
		Modified:          m,
		ObjectMarkingRefs: b.marking,
	}
}

// identity is the producer. It has no created_by_ref: it would only point
// at itself.
func (b *builder) identity() Identity {
	title := b.meta.Title
	if title == "" {
		title = "tssguard tech support scam blocklist"
	}
	c := b.common("identity", IdentityID, identityCreated, identityCreated)
	c.CreatedByRef = ""
	return Identity{
		Common:             c,
		Name:               "tssguard",
		Description:        title,
		IdentityClass:      "system",
		ContactInformation: b.meta.Homepage,
	}
}

func (b *builder) campaign(c export.Campaign) error {
	id := CampaignID(c.ID)
	first, last := c.FirstSeen, c.LastSeen
	if first.IsZero() {
		first = last
	}
	com := b.common("campaign", id, first, last)
	if c.Brand != "" {
		com.Labels = []string{"brand:" + c.Brand}
	}
	com.ExternalReferences = []ExternalReference{{SourceName: "tssguard", ExternalID: c.ID}}
	name := c.Name
	if name == "" {
		name = "tssguard campaign " + c.ID
	}
	camp := Campaign{
		Common:      com,
		Name:        name,
		Description: campaignDescription(c),
		FirstSeen:   ts(c.FirstSeen),
		LastSeen:    ts(c.LastSeen),
	}
	if !camp.LastSeen.IsZero() && camp.LastSeen.Before(camp.FirstSeen.Time) {
		camp.LastSeen = camp.FirstSeen
	}
	return b.emit("campaign", id, com.Modified.Time, time.Time{}, camp)
}

func campaignDescription(c export.Campaign) string {
	var s strings.Builder
	s.WriteString("Tech support scam campaign")
	if c.Brand != "" {
		s.WriteString(" impersonating " + c.Brand)
	}
	fmt.Fprintf(&s, ": %d pages, %d phone numbers, %d domains", c.Pages, len(c.Numbers), len(c.Domains))
	if len(c.URLs) > 0 {
		fmt.Fprintf(&s, ", %d URL patterns", len(c.URLs))
	}
	s.WriteString(".")
	return s.String()
}

var kindNames = map[export.Kind]string{
	export.Domain: "domain",
	export.URL:    "URL",
	export.Number: "phone number",
}

// indicator emits the objects for one live indicator. campaign is the STIX
// id of its campaign, or "" when the campaign is not in the export.
func (b *builder) indicator(it export.Indicator, campaign string) error {
	pattern := Pattern(it.Kind, it.Value)
	if pattern == "" || it.Value == "" {
		return nil // a kind this version does not know
	}
	id := IndicatorID(it.Kind, it.Value)
	first := it.FirstSeen
	if first.IsZero() {
		first = b.now
	}
	com := b.common("indicator", id, first, it.LastSeen)
	com.Confidence = Confidence(it.Verdict)
	com.Labels = []string{"tech-support-scam"}
	if it.Verdict != "" {
		com.Labels = append(com.Labels, "verdict:"+it.Verdict)
	}
	if it.Brand != "" {
		com.Labels = append(com.Labels, "brand:"+it.Brand)
	}
	if it.Reference != "" {
		ref := ExternalReference{SourceName: "tssguard"}
		if strings.HasPrefix(it.Reference, "https://") || strings.HasPrefix(it.Reference, "http://") {
			ref.URL = it.Reference
		} else {
			ref.ExternalID = it.Reference
		}
		com.ExternalReferences = []ExternalReference{ref}
	}
	ind := Indicator{
		Common:         com,
		Name:           "Tech support scam " + kindNames[it.Kind] + ": " + it.Value,
		Description:    it.Evidence,
		IndicatorTypes: []string{"malicious-activity"},
		Pattern:        pattern,
		PatternType:    "stix",
		PatternVersion: SpecVersion,
		ValidFrom:      com.Created,
	}
	if u := ts(it.Expires); u.After(ind.ValidFrom.Time) {
		ind.ValidUntil = u
	}
	when := com.Modified.Time

	var number string
	if it.Kind == export.Number {
		number = PhoneNumberID(it.Value)
		sco := PhoneNumber{
			Type:              PhoneNumberType,
			SpecVersion:       SpecVersion,
			ID:                number,
			Value:             it.Value,
			NumberType:        it.NumberType,
			Region:            it.Region,
			ObjectMarkingRefs: b.marking,
			Extensions:        map[string]any{PhoneNumberExtension: map[string]string{"extension_type": "new-sco"}},
		}
		if err := b.emit(PhoneNumberType, number, time.Time{}, when, sco); err != nil {
			return err
		}
	}
	if err := b.emit("indicator", id, when, time.Time{}, ind); err != nil {
		return err
	}
	if campaign == "" {
		return nil
	}
	// indicator --indicates--> campaign (section 4.7.2).
	if err := b.relationship("indicates", id, campaign, com); err != nil {
		return err
	}
	if number != "" {
		// campaign --related-to--> phone-number: the spec defines no
		// specific relationship from a campaign to an observable, and
		// related-to is the one allowed between any two objects.
		if err := b.relationship("related-to", campaign, number, com); err != nil {
			return err
		}
	}
	return nil
}

// relationship emits an SRO versioned like the indicator it comes from.
func (b *builder) relationship(typ, source, target string, from Common) error {
	id := RelationshipID(typ, source, target)
	com := b.common("relationship", id, from.Created.Time, from.Modified.Time)
	rel := Relationship{Common: com, RelationshipType: typ, SourceRef: source, TargetRef: target}
	return b.emit("relationship", id, com.Modified.Time, time.Time{}, rel)
}
