package stix

import (
	"fmt"
	"strings"
	"time"
)

// TLP20Extension is the OASIS extension-definition that TLP 2.0 marking
// definitions use (property-extension, property tlp_2_0).
const TLP20Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// The TLP 2.0 marking-definition identifiers published by OASIS (STIX 2.1
// common objects). Consumers recognise them by id, so they are used as is,
// never regenerated.
const (
	TLPClear       = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
	TLPGreen       = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"
	TLPAmber       = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
	TLPAmberStrict = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
	TLPRed         = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
)

var tlpIDs = map[string]string{
	"clear":        TLPClear,
	"green":        TLPGreen,
	"amber":        TLPAmber,
	"amber+strict": TLPAmberStrict,
	"red":          TLPRed,
}

// tlpCreated is the created timestamp of the OASIS TLP 2.0 objects.
var tlpCreated = time.Date(2022, 10, 1, 0, 0, 0, 0, time.UTC)

// TLPLevel normalises a Meta.TLP value: "" and "white" (TLP 1.0) are
// "clear"; case and a "tlp:" prefix are ignored.
func TLPLevel(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "tlp:")
	switch s {
	case "", "white":
		return "clear", nil
	}
	if _, ok := tlpIDs[s]; !ok {
		return "", fmt.Errorf("stix: unknown TLP %q (want clear, green, amber, amber+strict or red)", s)
	}
	return s, nil
}

// TLPMarking returns the OASIS TLP 2.0 marking-definition for a level
// returned by TLPLevel.
func TLPMarking(level string) MarkingDefinition {
	return MarkingDefinition{
		Type:        "marking-definition",
		SpecVersion: SpecVersion,
		ID:          tlpIDs[level],
		Created:     ts(tlpCreated),
		Name:        "TLP:" + strings.ToUpper(level),
		Extensions: map[string]any{
			TLP20Extension: map[string]string{
				"extension_type": "property-extension",
				"tlp_2_0":        level,
			},
		},
	}
}
