package stix

// SpecVersion is the STIX version every object here conforms to.
const SpecVersion = "2.1"

// Common holds the common properties of SDOs and SROs (section 3.2):
// type, spec_version, id, created and modified are required; the rest are
// optional and omitted when empty.
type Common struct {
	Type               string              `json:"type"`
	SpecVersion        string              `json:"spec_version"`
	ID                 string              `json:"id"`
	CreatedByRef       string              `json:"created_by_ref,omitempty"`
	Created            Timestamp           `json:"created"`
	Modified           Timestamp           `json:"modified"`
	Labels             []string            `json:"labels,omitempty"`
	Confidence         int                 `json:"confidence,omitempty"`
	ExternalReferences []ExternalReference `json:"external_references,omitempty"`
	ObjectMarkingRefs  []string            `json:"object_marking_refs,omitempty"`
	Extensions         map[string]any      `json:"extensions,omitempty"`
}

// ExternalReference points outside STIX (section 2.5): source_name is
// required, and at least one of description, url or external_id.
type ExternalReference struct {
	SourceName  string `json:"source_name"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	ExternalID  string `json:"external_id,omitempty"`
}

// Identity is the producer (section 4.5).
type Identity struct {
	Common
	Name               string `json:"name"`
	Description        string `json:"description,omitempty"`
	IdentityClass      string `json:"identity_class,omitempty"`
	ContactInformation string `json:"contact_information,omitempty"`
}

// MarkingDefinition is a data marking (section 7.2). The TLP 2.0 ones are
// published by OASIS and carry no created_by_ref or modified.
type MarkingDefinition struct {
	Type        string         `json:"type"`
	SpecVersion string         `json:"spec_version"`
	ID          string         `json:"id"`
	Created     Timestamp      `json:"created"`
	Name        string         `json:"name,omitempty"`
	Extensions  map[string]any `json:"extensions,omitempty"`
}

// ExtensionDefinition defines an extension (section 7.3): name, schema,
// version and extension_types are required.
type ExtensionDefinition struct {
	Common
	Name           string   `json:"name"`
	Description    string   `json:"description,omitempty"`
	Schema         string   `json:"schema"`
	Version        string   `json:"version"`
	ExtensionTypes []string `json:"extension_types"`
}

// Campaign is a grouping of adversarial behaviour over time (section 4.2).
type Campaign struct {
	Common
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Aliases     []string  `json:"aliases,omitempty"`
	FirstSeen   Timestamp `json:"first_seen,omitzero"`
	LastSeen    Timestamp `json:"last_seen,omitzero"`
}

// Indicator is a pattern that detects suspicious or malicious activity
// (section 4.7): pattern, pattern_type and valid_from are required, and
// valid_until, when present, is later than valid_from.
type Indicator struct {
	Common
	Name           string    `json:"name,omitempty"`
	Description    string    `json:"description,omitempty"`
	IndicatorTypes []string  `json:"indicator_types,omitempty"`
	Pattern        string    `json:"pattern"`
	PatternType    string    `json:"pattern_type"`
	PatternVersion string    `json:"pattern_version,omitempty"`
	ValidFrom      Timestamp `json:"valid_from"`
	ValidUntil     Timestamp `json:"valid_until,omitzero"`
}

// Relationship links two objects (section 5.1): relationship_type,
// source_ref and target_ref are required.
type Relationship struct {
	Common
	RelationshipType string    `json:"relationship_type"`
	Description      string    `json:"description,omitempty"`
	SourceRef        string    `json:"source_ref"`
	TargetRef        string    `json:"target_ref"`
	StartTime        Timestamp `json:"start_time,omitzero"`
	StopTime         Timestamp `json:"stop_time,omitzero"`
}

// PhoneNumber is the phone-number SCO that PhoneNumberExtension defines.
// SCOs have no created, modified or created_by_ref (section 3.2).
type PhoneNumber struct {
	Type              string         `json:"type"`
	SpecVersion       string         `json:"spec_version"`
	ID                string         `json:"id"`
	Value             string         `json:"value"`
	NumberType        string         `json:"number_type,omitempty"`
	Region            string         `json:"region,omitempty"`
	ObjectMarkingRefs []string       `json:"object_marking_refs,omitempty"`
	Extensions        map[string]any `json:"extensions"`
}
