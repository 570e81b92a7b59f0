package stix

import (
	_ "embed"
	"time"
)

// PhoneNumberType is the type of the phone-number SCO. STIX 2.1 has no
// telephone number observable, so tssguard defines one with a new-sco
// extension (section 7.3) whose only ID contributing property is value.
const PhoneNumberType = "phone-number"

// PhoneNumberSchemaURL is where the extension's JSON schema is published
// (the schema property of the extension-definition). The file is
// PhoneNumberSchema, kept next to this code.
const PhoneNumberSchemaURL = "https://github.com/tssguard/tssguard/blob/main/export/stix/phone-number.schema.json"

// PhoneNumberSchema is the JSON schema of the phone-number SCO.
//
//go:embed phone-number.schema.json
var PhoneNumberSchema []byte

// phoneExtVersion is the extension's version; its id does not depend on it,
// so a compatible revision keeps the id and bumps modified.
const phoneExtVersion = "1.0.0"

// phoneExtModified is when the extension-definition last changed. Bump it
// (and phoneExtVersion) with the schema.
var phoneExtModified = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// PhoneNumberExtension is the id of the extension-definition.
var PhoneNumberExtension = nameID("extension-definition", "tssguard", PhoneNumberType)

func phoneExtension(identity string, marking []string) ExtensionDefinition {
	return ExtensionDefinition{
		Common: Common{
			Type:              "extension-definition",
			SpecVersion:       SpecVersion,
			ID:                PhoneNumberExtension,
			CreatedByRef:      identity,
			Created:           ts(phoneExtModified),
			Modified:          ts(phoneExtModified),
			ObjectMarkingRefs: marking,
		},
		Name:           PhoneNumberType,
		Description:    "A telephone number as a cyber-observable: value (E.164), number_type and region (ISO 3166-1 alpha-2). Defined by tssguard for scam hotlines.",
		Schema:         PhoneNumberSchemaURL,
		Version:        phoneExtVersion,
		ExtensionTypes: []string{"new-sco"},
	}
}

// PhoneNumberID returns the id of the phone-number SCO for an E.164 number.
func PhoneNumberID(value string) string { return scoID(PhoneNumberType, "value", value) }
