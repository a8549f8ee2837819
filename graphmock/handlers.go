package graphmock

import (
	"encoding/json"
	"net/http"
	"time"
)

func notFoundConfiguration(w http.ResponseWriter, id string) {
	WriteError(w, http.StatusNotFound, CodeItemNotFound, "deviceEnrollmentConfiguration "+quote(id)+" was not found")
}

func notFoundAssignment(w http.ResponseWriter, configID, id string) {
	WriteError(w, http.StatusNotFound, CodeItemNotFound, "enrollmentConfigurationAssignment "+quote(id)+
		" was not found in deviceEnrollmentConfiguration "+quote(configID))
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func (m *Mock) listConfigurations(w http.ResponseWriter, r *http.Request, q *request) {
	all := m.store.configurations()
	value := make([]map[string]any, 0, len(all))
	for _, props := range all {
		value = append(value, configurationView(props, q, ""))
	}
	writeJSON(w, http.StatusOK, collection[map[string]any]{Context: contextConfigurations(r, q), Value: value})
}

func (m *Mock) getConfiguration(w http.ResponseWriter, r *http.Request, q *request) {
	props, ok := m.store.configuration(q.configID)
	if !ok {
		notFoundConfiguration(w, q.configID)
		return
	}
	writeJSON(w, http.StatusOK, configurationView(props, q, contextConfigurations(r, q)+"/$entity"))
}

func (m *Mock) deleteConfiguration(w http.ResponseWriter, r *http.Request, q *request) {
	if !m.store.deleteConfiguration(q.configID) {
		notFoundConfiguration(w, q.configID)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *Mock) listAssignments(w http.ResponseWriter, r *http.Request, q *request) {
	all, storedID, ok := m.store.assignments(q.configID)
	if !ok {
		notFoundConfiguration(w, q.configID)
		return
	}
	q.configID = storedID // @odata.context names the configuration as stored
	value := make([]assignmentJSON, 0, len(all))
	for _, a := range all {
		value = append(value, a.view(q, ""))
	}
	writeJSON(w, http.StatusOK, collection[assignmentJSON]{Context: contextAssignments(r, q), Value: value})
}

func (m *Mock) getAssignment(w http.ResponseWriter, r *http.Request, q *request) {
	a, storedID, configOK := m.store.assignment(q.configID, q.assignmentID)
	if assignmentFound(w, q, configOK, a != nil) {
		q.configID = storedID // @odata.context names the configuration as stored
		writeAssignment(w, http.StatusOK, r, q, a)
	}
}

func (m *Mock) deleteAssignment(w http.ResponseWriter, r *http.Request, q *request) {
	configOK, found := m.store.deleteAssignment(q.configID, q.assignmentID)
	if assignmentFound(w, q, configOK, found) {
		w.WriteHeader(http.StatusNoContent)
	}
}

// assignmentFound answers 404 when the configuration or the assignment q addresses does not exist.
func assignmentFound(w http.ResponseWriter, q *request, configOK, found bool) bool {
	switch {
	case !configOK:
		notFoundConfiguration(w, q.configID)
	case !found:
		notFoundAssignment(w, q.configID, q.assignmentID)
	default:
		return true
	}
	return false
}

type collection[T any] struct {
	Context string `json:"@odata.context"`
	Value   []T    `json:"value"`
}

// now is the server's clock in Graph's form (UTC, RFC 3339 with fractional seconds).
func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }
