// Package misp writes tssguard's live indicators as a MISP feed: the layout
// a MISP instance pulls from a URL or a directory ("Feeds", input source
// network or local, source format MISP Feed):
//
//	manifest.json     event uuid -> {info, date, analysis, threat_level_id, timestamp, Orgc, Tag}
//	hashes.csv        md5(attribute value),event uuid — one line per attribute
//	<event uuid>.json {"Event": {...,"Attribute": [...]}}
//
// One event per campaign holds the campaign's live domains, URLs and phone
// numbers. Indicators without a campaign go into one event per UTC day of
// their FirstSeen ("tssguard unclustered indicators first seen 2026-03-01"):
// an indicator never moves between those events, no event grows without
// bound (MISP handles events of many thousands of attributes poorly), and a
// day's event stops changing once its indicators expire.
//
// Every UUID is a UUIDv5 in Namespace, from what the thing is (campaign ID,
// day, event and value), so a re-export updates events in MISP instead of
// duplicating them. The event timestamp is Meta.Generated, so MISP sees each
// export as an update and applies removals; attribute timestamps are the
// indicator's LastSeen, so unchanged attributes stay unchanged.
//
// A feed is grouped by event, so Build holds the encoded feed in memory
// (about the size of the files); it does not stream like the line formats.
package misp
