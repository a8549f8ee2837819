package graphmock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

const (
	typeAssignment = "#microsoft.graph.enrollmentConfigurationAssignment"
	sourceDirect   = "direct"
)

// betaOnlyTarget are the properties deviceAndAppManagementAssignmentTarget has in beta only.
var betaOnlyTarget = []string{"deviceAndAppManagementAssignmentFilterId", "deviceAndAppManagementAssignmentFilterType"}

// betaOnlyConfiguration are the properties deviceEnrollmentConfiguration has in beta only.
var betaOnlyConfiguration = []string{"deviceEnrollmentConfigurationType", "roleScopeTagIds"}

// assignmentJSON is the wire form; the field order is the order Graph writes them in.
type assignmentJSON struct {
	Context  string          `json:"@odata.context,omitempty"`
	Type     string          `json:"@odata.type"`
	ID       string          `json:"id"`
	Target   json.RawMessage `json:"target"`
	Source   string          `json:"source,omitempty"`
	SourceID *string         `json:"sourceId,omitempty"`
}

// newAssignment builds a stored assignment, rendering its target once for each type model.
func newAssignment(id string, target any, source string, sourceID *string) *assignment {
	a := &assignment{id: id, target: target, source: source, sourceID: sourceID}
	a.targetBeta = marshal(target)
	if t, ok := target.(map[string]any); ok && hasAny(t, betaOnlyTarget) {
		a.targetV1 = marshal(without(t, betaOnlyTarget))
	} else {
		a.targetV1 = a.targetBeta
	}
	return a
}

// view is an assignment as a version's type model shows it.
func (a *assignment) view(q *request, context string) assignmentJSON {
	v := assignmentJSON{Context: context, Type: typeAssignment, ID: a.id, Target: a.targetV1}
	if q.beta() {
		v.Target = a.targetBeta
		v.Source, v.SourceID = a.source, a.sourceID
		if v.Source == "" {
			v.Source = sourceDirect
		}
	}
	return v
}

// configurationView is a configuration as a version's type model shows it, with its @odata.context
// (empty inside a collection).
func configurationView(props map[string]any, q *request, context string) map[string]any {
	out := make(map[string]any, len(props)+1)
	for k, v := range props {
		out[k] = v
	}
	if !q.beta() {
		for _, k := range betaOnlyConfiguration {
			delete(out, k)
		}
	}
	if context != "" {
		out["@odata.context"] = context
	}
	return out
}

// serviceRoot is scheme://host/version, from the request, for @odata.context and Location.
func serviceRoot(r *http.Request, q *request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/" + q.version
}

// odataKey quotes an id as an OData string key: ('a”b').
func odataKey(id string) string { return "('" + strings.ReplaceAll(id, "'", "''") + "')" }

func contextConfigurations(r *http.Request, q *request) string {
	return serviceRoot(r, q) + "/$metadata#deviceManagement/deviceEnrollmentConfigurations"
}

func contextAssignments(r *http.Request, q *request) string {
	return serviceRoot(r, q) + "/$metadata#deviceManagement/deviceEnrollmentConfigurations" +
		odataKey(q.configID) + "/assignments"
}

// writeJSON answers with a JSON body, headers first (they are dropped after WriteHeader).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only values the mock built itself reach here; failing to encode one is a bug.
		panic("graphmock: encoding a response: " + err.Error())
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	h := w.Header()
	h.Set("Content-Type", ContentTypeJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("graphmock: encoding a stored value: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func hasAny(m map[string]any, keys []string) bool {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

func without(m map[string]any, keys []string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}
