// Package intel turns analysed pages into intelligence about the people
// behind them: template fingerprints that survive the swaps scammers make
// between deployments of one kit (numbers, hosts, URL parameters, tracking
// IDs), campaign clustering over those fingerprints, hotline lifetimes, and
// the URL patterns to publish when a trusted site is made to reflect a
// scam number.
//
// Fingerprints are MinHash signatures: comparing two costs a few hundred
// integer comparisons, and the Clusterer finds a page's near-duplicates
// through locality-sensitive hashing (LSH banding) instead of comparing it
// with every page seen before.
package intel
