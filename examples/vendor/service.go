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
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
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
		writeError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "access token is missing or not valid")
		return
	}
	q, allowed, ok := route(w, r)
	if !ok {
		writeError(w, r, http.StatusNotFound, "itemNotFound", "no resource at "+quote(r.URL.Path))
		return
	}
	if !contains(allowed, r.Method) {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, r, http.StatusMethodNotAllowed, "notAllowed", r.Method+" is not allowed here; allowed: "+strings.Join(allowed, ", "))
		return
	}
	write := r.Method != http.MethodGet
	if !contains(scopes, ScopeReadWrite) && (write || !contains(scopes, ScopeRead)) {
		writeError(w, r, http.StatusForbidden, "accessDenied", "the token does not grant the permission this request needs")
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
		segs[i] = id
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

// readBody reads a JSON object body; on failure it has answered.
func readBody(q *request) (map[string]any, bool) {
	mt, _, err := mime.ParseMediaType(q.r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		writeError(q.w, q.r, http.StatusUnsupportedMediaType, "notSupported", "the body must be sent as application/json")
		return nil, false
	}
	var rd io.Reader = http.MaxBytesReader(q.w, q.r.Body, maxBody)
	switch enc := q.r.Header.Get("Content-Encoding"); strings.ToLower(enc) {
	case "", "identity":
	case "gzip": // what Microsoft's Graph SDKs send by default
		zr, err := gzip.NewReader(rd)
		if err != nil {
			writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", "the body is not gzip data")
			return nil, false
		}
		rd = io.LimitReader(zr, maxBody+1) // a small body may inflate to a large one
	default:
		writeError(q.w, q.r, http.StatusUnsupportedMediaType, "notSupported", "Content-Encoding "+quote(enc)+" is not supported; send gzip or none")
		return nil, false
	}
	data, err := io.ReadAll(rd)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(data) > maxBody {
		writeError(q.w, q.r, http.StatusRequestEntityTooLarge, "invalidRequest", fmt.Sprintf("the body exceeds %d bytes", maxBody))
		return nil, false
	}
	if err != nil {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", "the body could not be read")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil || body == nil {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", "the body is not a JSON object")
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", "the body has data after its JSON object")
		return nil, false
	}
	return body, true
}

func (s *Service) listConfigurations(q *request) {
	s.mu.Lock()
	value := make([]any, 0, len(s.configs))
	for _, c := range s.configs {
		value = append(value, c.props)
	}
	s.mu.Unlock()
	sort.Slice(value, func(i, j int) bool {
		return value[i].(map[string]any)["id"].(string) < value[j].(map[string]any)["id"].(string)
	})
	writeJSON(q.w, http.StatusOK, map[string]any{
		"@odata.context": q.root + "/$metadata#deviceManagement/deviceEnrollmentConfigurations",
		"value":          value,
	})
}

func (s *Service) createConfiguration(q *request) {
	body, ok := readBody(q)
	if !ok {
		return
	}
	t, bad := checkConfiguration(body)
	if bad != nil {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", bad.Error())
		return
	}
	props := map[string]any{}
	for name, p := range configurationBase {
		props[name] = zero(p)
	}
	for name, p := range configurationTypes[t] {
		props[name] = zero(p)
	}
	for name, v := range body {
		props[name] = v
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	id := newID()
	props["@odata.type"] = "#" + t
	props["id"] = id
	props["createdDateTime"] = now
	props["lastModifiedDateTime"] = now
	if _, given := body["version"]; !given {
		props["version"] = 1
	}
	s.mu.Lock()
	s.configs[id] = &configuration{props: props, assignments: map[string]*assignment{}}
	s.mu.Unlock()
	q.w.Header().Set("Location", q.root+"/deviceManagement/deviceEnrollmentConfigurations/"+url.PathEscape(id))
	writeJSON(q.w, http.StatusCreated, entity(props, q.root+"/$metadata#deviceManagement/deviceEnrollmentConfigurations/$entity"))
}

// zero is what a property the create body leaves out holds: null where the
// metadata allows it, else the type's default.
func zero(p property) any {
	switch {
	case p.nullable:
		return nil
	case p.kind == kInt32:
		return 0
	case p.kind == kBool:
		return false
	case p.kind == kEnum:
		return p.members[0]
	}
	return nil
}

func (s *Service) getConfiguration(q *request) {
	s.mu.Lock()
	c, ok := s.configs[q.configID]
	var props map[string]any
	if ok {
		props = c.props
	}
	s.mu.Unlock()
	if !ok {
		notFound(q, "deviceEnrollmentConfiguration", q.configID)
		return
	}
	writeJSON(q.w, http.StatusOK, entity(props, q.root+"/$metadata#deviceManagement/deviceEnrollmentConfigurations/$entity"))
}

func (s *Service) deleteConfiguration(q *request) {
	s.mu.Lock()
	_, ok := s.configs[q.configID]
	delete(s.configs, q.configID)
	s.mu.Unlock()
	if !ok {
		notFound(q, "deviceEnrollmentConfiguration", q.configID)
		return
	}
	q.w.WriteHeader(http.StatusNoContent)
}

func (s *Service) listAssignments(q *request) {
	s.mu.Lock()
	c, ok := s.configs[q.configID]
	var value []any
	if ok {
		value = make([]any, 0, len(c.assignments))
		for _, a := range c.assignments {
			value = append(value, a.view())
		}
	}
	s.mu.Unlock()
	if !ok {
		notFound(q, "deviceEnrollmentConfiguration", q.configID)
		return
	}
	sort.Slice(value, func(i, j int) bool {
		return value[i].(map[string]any)["id"].(string) < value[j].(map[string]any)["id"].(string)
	})
	writeJSON(q.w, http.StatusOK, map[string]any{"@odata.context": assignmentsContext(q), "value": value})
}

func assignmentsContext(q *request) string {
	return q.root + "/$metadata#deviceManagement/deviceEnrollmentConfigurations('" + url.PathEscape(q.configID) + "')/assignments"
}

func (a *assignment) view() map[string]any {
	return map[string]any{"@odata.type": "#" + assignmentType, "id": a.id, "target": a.target}
}

func (s *Service) createAssignment(q *request) {
	body, ok := readBody(q)
	if !ok {
		return
	}
	if bad := checkAssignment(body); bad != nil {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", bad.Error())
		return
	}
	if body["target"] == nil {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", "/target: required to create an assignment")
		return
	}
	target, bad := checkTarget(body["target"])
	if bad != nil {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", bad.Error())
		return
	}
	a := &assignment{id: newID(), target: target} // the service keys assignments: a client's id is ignored
	s.mu.Lock()
	c, ok := s.configs[q.configID]
	if ok {
		c.assignments[a.id] = a
	}
	s.mu.Unlock()
	if !ok {
		notFound(q, "deviceEnrollmentConfiguration", q.configID)
		return
	}
	q.w.Header().Set("Location", q.root+"/deviceManagement/deviceEnrollmentConfigurations/"+url.PathEscape(q.configID)+"/assignments/"+url.PathEscape(a.id))
	writeJSON(q.w, http.StatusCreated, entity(a.view(), assignmentsContext(q)+"/$entity"))
}

// lookup finds the addressed assignment under the lock; on failure it has answered 404.
func (s *Service) lookup(q *request, then func(c *configuration, a *assignment)) bool {
	s.mu.Lock()
	c, ok := s.configs[q.configID]
	var a *assignment
	if ok {
		a = c.assignments[q.assignmentID]
	}
	if ok && a != nil {
		then(c, a)
	}
	s.mu.Unlock()
	switch {
	case !ok:
		notFound(q, "deviceEnrollmentConfiguration", q.configID)
	case a == nil:
		notFound(q, "enrollmentConfigurationAssignment", q.assignmentID)
	}
	return ok && a != nil
}

func (s *Service) getAssignment(q *request) {
	var view map[string]any
	if s.lookup(q, func(_ *configuration, a *assignment) { view = a.view() }) {
		writeJSON(q.w, http.StatusOK, entity(view, assignmentsContext(q)+"/$entity"))
	}
}

// patchAssignment replaces the target when the body has one (a complex value
// is replaced whole, not merged) and answers 200 with the assignment, as the
// Update enrollmentConfigurationAssignment page says. Never an upsert.
func (s *Service) patchAssignment(q *request) {
	body, ok := readBody(q)
	if !ok {
		return
	}
	if bad := checkAssignment(body); bad != nil {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", bad.Error())
		return
	}
	if id, given := body["id"].(string); given && id != q.assignmentID {
		writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", "/id: an assignment's id cannot change")
		return
	}
	target, newTarget := body["target"]
	if newTarget {
		var bad *badRequest
		if target, bad = checkTarget(target); bad != nil {
			writeError(q.w, q.r, http.StatusBadRequest, "invalidRequest", bad.Error())
			return
		}
	}
	var view map[string]any
	if s.lookup(q, func(_ *configuration, a *assignment) {
		if newTarget {
			a.target = target
		}
		view = a.view()
	}) {
		writeJSON(q.w, http.StatusOK, entity(view, assignmentsContext(q)+"/$entity"))
	}
}

func (s *Service) deleteAssignment(q *request) {
	if s.lookup(q, func(c *configuration, a *assignment) { delete(c.assignments, a.id) }) {
		q.w.WriteHeader(http.StatusNoContent)
	}
}

func notFound(q *request, what, id string) {
	writeError(q.w, q.r, http.StatusNotFound, "itemNotFound", fmt.Sprintf("no %s with id %s", what, quote(id)))
}

// entity is props with its @odata.context first in line, as a response body.
func entity(props map[string]any, context string) map[string]any {
	out := make(map[string]any, len(props)+1)
	for k, v := range props {
		out[k] = v
	}
	out["@odata.context"] = context
	return out
}

const jsonMediaType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"generalException","message":"the response could not be encoded"}}`)
	}
	w.Header().Set("Content-Type", jsonMediaType)
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	w.Write(body)
}

// writeError answers with Graph's error shape.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code":    code,
		"message": message,
		"innerError": map[string]any{
			"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
			"request-id":        w.Header().Get("request-id"),
			"client-request-id": w.Header().Get("client-request-id"),
		},
	}})
}

// quote quotes what a client sent for an error message, bounded.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// newID is a random GUID, as Graph keys these entities.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
