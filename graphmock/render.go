package graphmock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

const (
	typeAssignment = "#" + typeNameAssignment
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

// appendView appends the JSON of a.view(q, context), byte for byte what encoding/json encodes of it
// (TestAssignmentRendering), without reflection.
func (a *assignment) appendView(dst []byte, q *request, context []byte) []byte {
	v := a.view(q, "")
	dst = append(dst, '{')
	if len(context) > 0 {
		dst = append(dst, `"@odata.context":`...)
		dst = appendJSONString(dst, context)
		dst = append(dst, ',')
	}
	dst = append(dst, `"@odata.type":`...)
	dst = appendJSONString(dst, v.Type)
	dst = append(dst, `,"id":`...)
	dst = appendJSONString(dst, v.ID)
	dst = append(dst, `,"target":`...)
	if len(v.Target) == 0 {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, v.Target...) // rendered by marshal: compact already
	}
	if v.Source != "" {
		dst = append(dst, `,"source":`...)
		dst = appendJSONString(dst, v.Source)
	}
	if v.SourceID != nil {
		dst = append(dst, `,"sourceId":`...)
		dst = appendJSONString(dst, *v.SourceID)
	}
	return append(dst, '}')
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
func serviceRoot(r *http.Request, q *request) string { return string(appendServiceRoot(nil, r, q)) }

func appendServiceRoot(dst []byte, r *http.Request, q *request) []byte {
	if r.TLS != nil {
		dst = append(dst, "https://"...)
	} else {
		dst = append(dst, "http://"...)
	}
	dst = append(dst, r.Host...)
	dst = append(dst, '/')
	return append(dst, q.version...)
}

// appendODataKey appends an id quoted as an OData string key: in (' ') with each ' doubled.
func appendODataKey(dst []byte, id string) []byte {
	dst = append(dst, "('"...)
	for {
		i := strings.IndexByte(id, '\'')
		if i < 0 {
			break
		}
		dst = append(dst, id[:i+1]...)
		dst = append(dst, '\'')
		id = id[i+1:]
	}
	dst = append(dst, id...)
	return append(dst, "')"...)
}

func contextConfigurations(r *http.Request, q *request) string {
	return serviceRoot(r, q) + "/$metadata#deviceManagement/deviceEnrollmentConfigurations"
}

func contextAssignments(r *http.Request, q *request) string {
	return string(appendContextAssignments(nil, r, q))
}

func appendContextAssignments(dst []byte, r *http.Request, q *request) []byte {
	dst = appendServiceRoot(dst, r, q)
	dst = append(dst, "/$metadata#deviceManagement/deviceEnrollmentConfigurations"...)
	dst = appendODataKey(dst, q.configID)
	return append(dst, "/assignments"...)
}

// writeAssignment answers with an assignment as q's type model shows it, with its @odata.context.
func writeAssignment(w http.ResponseWriter, status int, r *http.Request, q *request, a *assignment) {
	buf := getBuffer()
	defer putBuffer(buf)
	var scratch [256]byte
	context := append(appendContextAssignments(scratch[:0], r, q), "/$entity"...)
	*buf = a.appendView((*buf)[:0], q, context)
	writeBody(w, status, *buf)
}

// writeJSON answers with v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := getBuffer()
	defer putBuffer(buf)
	b, err := appendEncoded((*buf)[:0], v)
	if err != nil {
		// Only values the mock built itself reach here; failing to encode one is a bug.
		panic("graphmock: encoding a response: " + err.Error())
	}
	*buf = b
	writeBody(w, status, b)
}

// writeBody answers with a JSON body, headers first (they are dropped after WriteHeader).
func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = contentTypeJSON
	if rec, ok := w.(*recorder); ok {
		rec.values[2] = strconv.Itoa(len(body))
		h["Content-Length"] = rec.values[2:3:3]
	} else {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// Response bodies are rendered into pooled buffers; one that grew past maxPooled (a long listing) is
// left to the collector rather than kept.
var bufferPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxPooled = 64 << 10

func getBuffer() *[]byte { return bufferPool.Get().(*[]byte) }

func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooled {
		*b = (*b)[:0]
		bufferPool.Put(b)
	}
}

// marshal renders a stored value as encoding/json does with SetEscapeHTML(false).
func marshal(v any) []byte {
	if b, ok := appendJSON(make([]byte, 0, 128), v); ok {
		return b
	}
	b, err := appendEncoded(nil, v)
	if err != nil {
		panic("graphmock: encoding a stored value: " + err.Error())
	}
	return b
}

// appendEncoded appends v as encoding/json encodes it with SetEscapeHTML(false), without the
// encoder's trailing newline.
func appendEncoded(dst []byte, v any) ([]byte, error) {
	b := bytes.NewBuffer(dst)
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
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
