package graphmock

import (
	"net/http"
	"net/url"
	"strings"
)

type routeKind int

const (
	routeNone           routeKind = iota
	routeConfigurations           // /{v}/deviceManagement/deviceEnrollmentConfigurations
	routeConfiguration            // .../deviceEnrollmentConfigurations/{id}
	routeAssignments              // .../{id}/assignments
	routeAssignment               // .../{id}/assignments/{aid}
)

// allowed lists the methods of each route, in the order the Allow header gives them.
var allowed = [...]string{
	routeConfigurations: "GET, POST",
	routeConfiguration:  "GET, DELETE",
	routeAssignments:    "GET, POST",
	routeAssignment:     "GET, PATCH, DELETE",
}

// request is one parsed API request.
type request struct {
	version      string // the URL's version segment, as sent
	kind         routeKind
	configID     string
	assignmentID string
	scopes       []string
}

// beta reports whether the request is answered in the beta type model (source, sourceId, filters);
// every other version segment (v1.0, the seed page's localtest) uses the v1.0 model.
func (q *request) beta() bool { return q.version == "beta" }

// route authenticates, matches the path and method, checks the scope, and dispatches.
// Order: not an API path (404, no auth needed) -> 401 -> unknown path 404 -> 405 -> 403 -> handler.
func (m *Mock) route(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		m.healthz(w, r)
		return
	}
	var segBuf [8]string // the longest route has 5 segments
	segs, ok := splitPath(segBuf[:0], r.URL.EscapedPath())
	if !ok || len(segs) == 0 || !validVersion(segs[0]) {
		WriteError(w, http.StatusNotFound, CodeItemNotFound, "no resource at "+r.URL.Path+
			"; the mock serves /{version}/deviceManagement/deviceEnrollmentConfigurations")
		return
	}
	scopes, ok := m.authenticate(w, r)
	if !ok {
		return
	}
	q := parseRoute(segs)
	q.scopes = scopes
	if q.kind == routeNone {
		WriteError(w, http.StatusNotFound, CodeItemNotFound, "resource not found for the segment path "+r.URL.Path)
		return
	}
	write := false
	switch {
	case r.Method == http.MethodGet:
	case r.Method == http.MethodPost && (q.kind == routeConfigurations || q.kind == routeAssignments):
		write = true
	case r.Method == http.MethodPatch && q.kind == routeAssignment:
		write = true
	case r.Method == http.MethodDelete && (q.kind == routeConfiguration || q.kind == routeAssignment):
		write = true
	default:
		w.Header().Set("Allow", allowed[q.kind])
		WriteError(w, http.StatusMethodNotAllowed, CodeNotAllowed,
			"method "+r.Method+" is not allowed on this resource; allowed: "+allowed[q.kind])
		return
	}
	if !authorize(w, scopes, write) {
		return
	}
	switch q.kind {
	case routeConfigurations:
		if write {
			m.createConfiguration(w, r, &q)
		} else {
			m.listConfigurations(w, r, &q)
		}
	case routeConfiguration:
		if write {
			m.deleteConfiguration(w, r, &q)
		} else {
			m.getConfiguration(w, r, &q)
		}
	case routeAssignments:
		if write {
			m.createAssignment(w, r, &q)
		} else {
			m.listAssignments(w, r, &q)
		}
	case routeAssignment:
		switch r.Method {
		case http.MethodGet:
			m.getAssignment(w, r, &q)
		case http.MethodPatch:
			m.patchAssignment(w, r, &q)
		default:
			m.deleteAssignment(w, r, &q)
		}
	}
}

func (m *Mock) healthz(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		WriteError(w, http.StatusMethodNotAllowed, CodeNotAllowed, "method "+r.Method+" is not allowed on /healthz")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Length", "3")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write([]byte("ok\n"))
	}
}

// splitPath appends the unescaped segments of an escaped path to segs; one trailing slash is tolerated.
func splitPath(segs []string, escaped string) ([]string, bool) {
	p := strings.TrimPrefix(escaped, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return nil, true
	}
	for s := range strings.SplitSeq(p, "/") {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return nil, false
		}
		segs = append(segs, u)
	}
	return segs, true
}

// validVersion: any segment of [A-Za-z0-9.]+ is a version (v1.0, beta, the seed page's localtest).
func validVersion(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.') {
			return false
		}
	}
	return true
}

// parseRoute matches segments after the version. Segment names compare case-insensitively, as
// Graph's OData paths do; keys may be given as a segment (/{id}) or in key syntax (('{id}')).
func parseRoute(segs []string) request {
	q := request{version: segs[0]}
	rest := segs[1:]
	if len(rest) < 2 || !strings.EqualFold(rest[0], "deviceManagement") {
		return q
	}
	key, rest, atCollection, ok := member(rest[1:], "deviceEnrollmentConfigurations")
	switch {
	case !ok:
		return q
	case atCollection:
		q.kind = routeConfigurations
		return q
	}
	q.configID = key
	if len(rest) == 0 {
		q.kind = routeConfiguration
		return q
	}
	key, rest, atCollection, ok = member(rest, "assignments")
	switch {
	case !ok:
	case atCollection:
		q.kind = routeAssignments
	case len(rest) == 0:
		q.assignmentID, q.kind = key, routeAssignment
	}
	return q
}

// member reads the collection segment name and the key of a member of it, as a segment of its own or in
// parentheses ("name('key')"), from the start of rest (not empty). atCollection: the path ends at the
// collection; ok false: the segment is not name.
func member(rest []string, name string) (key string, tail []string, atCollection, ok bool) {
	n, key, hasKey := keySegment(rest[0])
	if !strings.EqualFold(n, name) {
		return "", nil, false, false
	}
	rest = rest[1:]
	if !hasKey {
		if len(rest) == 0 {
			return "", nil, true, true
		}
		key, rest = rest[0], rest[1:]
	}
	return key, rest, false, true
}

// keySegment splits OData key syntax: "assignments('x')" -> ("assignments", "x", true).
func keySegment(s string) (name, key string, ok bool) {
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return s, "", false
	}
	key = s[open+1 : len(s)-1]
	if len(key) >= 2 && key[0] == '\'' && key[len(key)-1] == '\'' {
		key = strings.ReplaceAll(key[1:len(key)-1], "''", "'")
	}
	if key == "" {
		return s, "", false
	}
	return s[:open], key, true
}
