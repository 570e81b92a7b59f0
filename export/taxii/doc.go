// Package taxii serves STIX objects over TAXII 2.1 (OASIS, "TAXII Version
// 2.1", 10 June 2021), read-only: discovery, one API root ("api"), its
// collections, and per collection the objects, one object, its versions and
// the manifest. Writes (POST, DELETE) and status resources are not offered:
// every collection has can_write false.
//
// Mount the Server under a prefix, e.g.
//
//	mux.Handle("/taxii2/", taxii.NewServer(taxii.Options{Prefix: "/taxii2", ...}))
//
// which answers GET /taxii2/ (discovery), /taxii2/api/,
// /taxii2/api/collections/, /taxii2/api/collections/{id}/,
// .../objects/, .../objects/{object-id}/, .../objects/{object-id}/versions/
// and .../manifest/.
//
// Each collection is a snapshot of its objects, sorted by date_added (the
// object's modified time) then id. A snapshot is built on request and kept
// while Collection.Version reports the same string, so the lead bumps the
// version when the data changes; without Version every request rebuilds it.
// A snapshot holds every object's JSON in memory.
package taxii
