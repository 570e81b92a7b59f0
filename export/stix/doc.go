// Package stix writes tssguard's live indicators and campaigns as STIX 2.1
// (OASIS, "STIX Version 2.1", 10 June 2021): a producer identity, the TLP 2.0
// marking that covers everything, one indicator per domain, URL and phone
// number, a phone-number observable per number (a new SCO defined by an
// extension-definition), one campaign per campaign, and the relationships
// that tie them together.
//
// Objects builds the objects one at a time, for the bundle writer and the
// TAXII server alike; WriteBundle streams them as one bundle without ever
// holding more than the object being written and the campaign index.
//
// Every identifier is a UUIDv5 in the OASIS STIX namespace, so the same
// indicator gets the same id in every export and consumers update objects
// instead of duplicating them:
//
//   - SCOs (phone-number): over the JCS-canonical JSON of the ID contributing
//     properties, as section 2.9 requires ({"value":"+18005551234"}).
//   - SDOs and SROs: over "type:kind:value" (indicators), "campaign:ID",
//     "relationship:TYPE:SOURCE:TARGET" and so on. The spec lets producers
//     pick any UUID for these; a name-based one keeps re-exports stable.
package stix
