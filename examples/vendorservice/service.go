// Package enrollment is Contoso's implementation of Microsoft Graph's device
// enrollment configurations and their assignments (v1.0): an in-memory
// http.Handler written from the Graph doc pages and CSDL metadata, the way a
// vendor of a Graph-compatible service would write one. Its test
// (conformance_test.go) checks it with graphconform's suite in one call.
//
// It serves, under /v1.0:
//
//	/deviceManagement/deviceEnrollmentConfigurations                        GET, POST
//	/deviceManagement/deviceEnrollmentConfigurations/{id}                   GET, DELETE
//	/deviceManagement/deviceEnrollmentConfigurations/{id}/assignments       GET, POST
//	/deviceManagement/deviceEnrollmentConfigurations/{id}/assignments/{id}  GET, PATCH, DELETE
package enrollment

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Permissions, as the Graph pages of these operations list them.
const (
	ScopeRead      = "DeviceManagementServiceConfig.Read.All"
	ScopeReadWrite = "DeviceManagementServiceConfig.ReadWrite.All"
)

// maxBody bounds a request body: more is answered 413.
const maxBody = 1 << 20

// Service is the handler. Tokens maps a bearer token to the scopes it grants.
type Service struct {
	tokens map[string][]string

	mu      sync.Mutex
	configs map[string]*configuration
}

type configuration struct {
	props       map[string]any // every property, as returned
	assignments map[string]*assignment
}

type assignment struct {
	id     string
	target any
}

// New returns a service that accepts the given tokens.
func New(tokens map[string][]string) *Service {
	return &Service{tokens: tokens, configs: map[string]*configuration{}}
}

// Len is the number of configurations stored.
func (s *Service) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.configs)
}

// request is what one request addresses.
type request struct {
	w            http.ResponseWriter
	r            *http.Request
	root         string // scheme://host/v1.0, for @odata.context and Location
	configID     string // "" when the path stops at the collection
	assignmentID string
	assignments  bool // the path reaches .../assignments
}

func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("request-id", newID())
	if c := r.Header.Get("client-request-id"); c != "" && len(c) <= 200 {
		w.Header().Set("client-request-id", c)
	}
	scopes, ok := s.authenticate(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "access token is missing or not valid")
		return
	}
	q, allowed, ok := route(w, r)
	if !ok {
		writeError(w, http.StatusNotFound, "itemNotFound", "no resource at "+quote(r.URL.Path))
		return
	}
	if !slices.Contains(allowed, r.Method) {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, http.StatusMethodNotAllowed, "notAllowed", r.Method+" is not allowed here; allowed: "+strings.Join(allowed, ", "))
		return
	}
	write := r.Method != http.MethodGet
	if !slices.Contains(scopes, ScopeReadWrite) && (write || !slices.Contains(scopes, ScopeRead)) {
		writeError(w, http.StatusForbidden, "accessDenied", "the token does not grant the permission this request needs")
		return
	}
	switch {
	case q.assignmentID != "":
		switch r.Method {
		case http.MethodGet:
			s.getAssignment(q)
		case http.MethodPatch:
			s.patchAssignment(q)
		case http.MethodDelete:
			s.deleteAssignment(q)
		}
	case q.assignments:
		switch r.Method {
		case http.MethodGet:
			s.listAssignments(q)
		case http.MethodPost:
			s.createAssignment(q)
		}
	case q.configID != "":
		switch r.Method {
		case http.MethodGet:
			s.getConfiguration(q)
		case http.MethodDelete:
			s.deleteConfiguration(q)
		}
	default:
		switch r.Method {
		case http.MethodGet:
			s.listConfigurations(q)
		case http.MethodPost:
			s.createConfiguration(q)
		}
	}
}

const collectionPath = "/v1.0/deviceManagement/deviceEnrollmentConfigurations"

// route parses the path into what it addresses and the methods it allows.
func route(w http.ResponseWriter, r *http.Request) (*request, []string, bool) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), collectionPath)
	if !ok {
		return nil, nil, false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	q := &request{w: w, r: r, root: scheme + "://" + r.Host + "/v1.0"}
	segs := strings.Split(rest, "/")[1:] // rest is "" or starts with "/"
	for i, seg := range segs {
		id, err := url.PathUnescape(seg)
		if err != nil || id == "" {
			return nil, nil, false
		}
		// Keys are GUIDs, which Graph matches in any case: the service stores them in lower case.
		segs[i] = strings.ToLower(id)
	}
	switch {
	case len(segs) == 0:
		return q, []string{http.MethodGet, http.MethodPost}, true
	case len(segs) == 1:
		q.configID = segs[0]
		return q, []string{http.MethodGet, http.MethodDelete}, true
	case len(segs) == 2 && segs[1] == "assignments":
		q.configID, q.assignments = segs[0], true
		return q, []string{http.MethodGet, http.MethodPost}, true
	case len(segs) == 3 && segs[1] == "assignments":
		q.configID, q.assignments, q.assignmentID = segs[0], true, segs[2]
		return q, []string{http.MethodGet, http.MethodPatch, http.MethodDelete}, true
	}
	return nil, nil, false
}

func (s *Service) authenticate(r *http.Request) ([]string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, false
	}
	scopes, ok := s.tokens[tok]
	return scopes, ok
}
