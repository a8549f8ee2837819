package graphmock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/graphconform/graphconform/internal/guid"
	"github.com/graphconform/graphconform/internal/schema"
)

const (
	typeNameAssignment    = "microsoft.graph.enrollmentConfigurationAssignment"
	typeNameConfiguration = "microsoft.graph.deviceEnrollmentConfiguration"
)

func stripHash(s string) string { return strings.TrimPrefix(s, "#") }

// checkEntityType answers 400 when the body's own @odata.type names another entity type.
func checkEntityType(w http.ResponseWriter, doc map[string]any, want string) bool {
	v, ok := doc["@odata.type"]
	if !ok {
		return true
	}
	if s, isStr := v.(string); isStr && stripHash(s) == want {
		return true
	}
	WriteError(w, http.StatusBadRequest, CodeInvalidRequest,
		"/@odata.type: got "+quote(jsonString(v))+"; want \"#"+want+"\"")
	return false
}

func jsonString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// checkID answers 400 when the body carries an id other than the path's: an entity's key cannot change.
func checkID(w http.ResponseWriter, doc map[string]any, pathID string) bool {
	v, ok := doc["id"]
	if !ok {
		return true
	}
	if s, isStr := v.(string); isStr && strings.EqualFold(s, pathID) {
		return true
	}
	WriteError(w, http.StatusBadRequest, CodeInvalidRequest,
		"/id: "+quote(jsonString(v))+" differs from the id in the path "+quote(pathID)+"; an assignment's id cannot change")
	return false
}

func (m *Mock) createConfiguration(w http.ResponseWriter, r *http.Request, q *request) {
	doc, ok := m.readObject(w, r)
	if !ok || !m.checkBody(w, q, schema.ConfigurationCreate, doc) {
		return
	}
	t, _ := doc["@odata.type"].(string)
	if t == "" || stripHash(t) == typeNameConfiguration {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "/@odata.type: deviceEnrollmentConfiguration is abstract; "+
			"name a derived type such as \"#microsoft.graph.deviceEnrollmentLimitConfiguration\"")
		return
	}
	if _, ok := doc["assignments"]; ok {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest,
			"/assignments: assignments are not created inline; POST each one to the configuration's assignments")
		return
	}
	props := make(map[string]any, len(doc)+5)
	for k, v := range doc {
		if !strings.Contains(k, "@") { // annotations (@odata.x, name@odata.x) are not stored; @odata.type is set below
			props[k] = v
		}
	}
	id, ts := guid.New(), now()
	props["@odata.type"] = "#" + stripHash(t)
	props["id"] = id
	props["createdDateTime"] = ts
	props["lastModifiedDateTime"] = ts
	if _, ok := props["version"]; !ok {
		props["version"] = json.Number("1")
	}
	if _, ok := props["priority"]; !ok {
		props["priority"] = json.Number("0")
	}
	m.store.putConfiguration(&configuration{id: id, props: props, assignments: map[string]*assignment{}})
	w.Header().Set("Location", serviceRoot(r, q)+"/deviceManagement/deviceEnrollmentConfigurations/"+url.PathEscape(id))
	writeJSON(w, http.StatusCreated, configurationView(props, q, contextConfigurations(r, q)+"/$entity"))
}

// createAssignment: the server names the assignment (an id in the body is ignored, as for any
// server-keyed entity set); target is required.
func (m *Mock) createAssignment(w http.ResponseWriter, r *http.Request, q *request) {
	doc, ok := m.readObject(w, r)
	if !ok || !m.checkBody(w, q, schema.AssignmentCreate, doc) || !checkEntityType(w, doc, typeNameAssignment) {
		return
	}
	target, ok := doc["target"]
	if !ok {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "/target: required property is missing")
		return
	}
	source, sourceID := sourceOf(doc, nil)
	a := newAssignment(guid.New(), target, source, sourceID)
	storedID, ok := m.store.addAssignment(q.configID, a)
	if !ok {
		notFoundConfiguration(w, q.configID)
		return
	}
	q.configID = storedID // Location and @odata.context name the configuration as stored
	w.Header().Set("Location", serviceRoot(r, q)+"/deviceManagement/deviceEnrollmentConfigurations/"+
		url.PathEscape(q.configID)+"/assignments/"+url.PathEscape(a.id))
	writeAssignment(w, http.StatusCreated, r, q, a)
}

// patchAssignment merges: a property the body leaves out keeps its value; target, when present, is
// replaced as a whole (a complex value is not merged property by property). Never an upsert.
func (m *Mock) patchAssignment(w http.ResponseWriter, r *http.Request, q *request) {
	doc, ok := m.readObject(w, r)
	if !ok || !m.checkBody(w, q, schema.AssignmentPatch, doc) ||
		!checkEntityType(w, doc, typeNameAssignment) || !checkID(w, doc, q.assignmentID) {
		return
	}
	a, storedID, configOK, found := m.store.updateAssignment(q.configID, q.assignmentID, func(old *assignment) *assignment {
		target := old.target
		if t, ok := doc["target"]; ok {
			target = t
		}
		source, sourceID := sourceOf(doc, old)
		return newAssignment(old.id, target, source, sourceID)
	})
	if assignmentFound(w, q, configOK, found) {
		q.configID = storedID
		writeAssignment(w, http.StatusOK, r, q, a)
	}
}

// sourceOf merges the beta properties source and sourceId from doc over old (nil: none). The request
// schema has already rejected them outside beta.
func sourceOf(doc map[string]any, old *assignment) (string, *string) {
	var source string
	var sourceID *string
	if old != nil {
		source, sourceID = old.source, old.sourceID
	}
	if v, ok := doc["source"]; ok {
		s, _ := v.(string)
		source = s
	}
	if v, ok := doc["sourceId"]; ok {
		if s, isStr := v.(string); isStr {
			sourceID = &s
		} else {
			sourceID = nil
		}
	}
	return source, sourceID
}
