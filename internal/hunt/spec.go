package hunt

import (
	"fmt"
	"strings"
)

// ParseSource reads a source named on the command line:
//
//	list:PATH-OR-URL          URLs or host names, one a line
//	ct:LOG-URL                a Certificate Transparency log, from its current end
//	taxii:COLLECTION-URL      a TAXII 2.1 collection (…/collections/ID/)
//	misp:FEED-URL             a MISP feed (the folder of manifest.json)
//	urlscan:SEARCH-URL        the JSON of a urlscan-style search
func ParseSource(spec string) (Source, error) {
	kind, loc, ok := strings.Cut(spec, ":")
	if !ok || loc == "" {
		return nil, fmt.Errorf("hunt source %q: want KIND:LOCATION (list, ct, taxii, misp, urlscan)", spec)
	}
	switch kind {
	case "list":
		return &URLList{Location: loc}, nil
	case "ct":
		return &CTLog{URL: loc, FromEnd: true}, nil
	case "taxii":
		return &TAXII{Collection: loc}, nil
	case "misp":
		return &MISPFeed{URL: loc}, nil
	case "urlscan":
		return &URLScan{URL: loc}, nil
	}
	return nil, fmt.Errorf("hunt source %q: unknown kind %q (list, ct, taxii, misp, urlscan)", spec, kind)
}
