package hunt

import (
	"fmt"
	"net/http"
	"strings"
)

// ParseSource reads a source named on the command line:
//
//	list:PATH-OR-URL          URLs or host names, one a line
//	ct:LOG-URL                a Certificate Transparency log, from its current end
//	taxii:COLLECTION-URL      a TAXII 2.1 collection (…/collections/ID/)
//	misp:FEED-URL             a MISP feed (the folder of manifest.json)
//	urlscan:SEARCH-URL        the JSON of a urlscan-style search
func ParseSource(spec string) (Source, error) { return NewSource(spec, "", nil) }

// NewSource is ParseSource with the source's name (its candidates'
// Source; default the kind) and an HTTP client (nil: the default, with a
// time limit).
func NewSource(spec, name string, client *http.Client) (Source, error) {
	kind, loc, ok := strings.Cut(spec, ":")
	if !ok || loc == "" {
		return nil, fmt.Errorf("hunt source %q: want KIND:LOCATION (list, ct, taxii, misp, urlscan)", spec)
	}
	switch kind {
	case "list":
		return &URLList{Location: loc, Label: name, Client: client}, nil
	case "ct":
		return &CTLog{URL: loc, FromEnd: true, Label: name, Client: client}, nil
	case "taxii":
		return &TAXII{Collection: loc, Label: name, Client: client}, nil
	case "misp":
		return &MISPFeed{URL: loc, Label: name, Client: client}, nil
	case "urlscan":
		return &URLScan{URL: loc, Label: name, Client: client}, nil
	}
	return nil, fmt.Errorf("hunt source %q: unknown kind %q (list, ct, taxii, misp, urlscan)", spec, kind)
}
