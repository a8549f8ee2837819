package defects

// Defects in how a service reads what HTTP and OData let a client spell more than one way.

import (
	"mime"
	"net/http"
	"regexp"
	"strings"

	"github.com/graphconform/graphconform/graphmock"
)

// charsetRefused compares Content-Type as a string: "application/json; charset=utf-8" is refused.
func charsetRefused(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && len(params) > 0 {
			graphmock.WriteError(w, http.StatusUnsupportedMediaType, graphmock.CodeNotSupported,
				"Content-Type "+r.Header.Get("Content-Type")+" is not supported; send application/json")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// acceptJSONOnly answers 406 to any Accept header other than exactly application/json.
func acceptJSONOnly(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := strings.TrimSpace(r.Header.Get("Accept")); a != "" && a != "application/json" {
			graphmock.WriteError(w, http.StatusNotAcceptable, "notAcceptable", "cannot produce "+a)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var upperGUID = regexp.MustCompile(`(?:^|/)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?:/|$)`)

// guidCaseSensitive looks keys up byte for byte: an id with an upper-case hex digit is not found.
func guidCaseSensitive(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, m := range upperGUID.FindAllString(r.URL.Path, -1) {
			if strings.ToLower(m) != m {
				graphmock.WriteError(w, http.StatusNotFound, graphmock.CodeItemNotFound, "no resource at "+r.URL.Path)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
