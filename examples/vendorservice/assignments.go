package enrollment

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

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

// readAssignment reads a create or update body of an assignment; on failure it has answered.
func readAssignment(q *request) (map[string]any, bool) {
	body, ok := readBody(q)
	if !ok {
		return nil, false
	}
	if bad := checkAssignment(body); bad != nil {
		invalid(q, bad.Error())
		return nil, false
	}
	return body, true
}

func (s *Service) createAssignment(q *request) {
	body, ok := readAssignment(q)
	if !ok {
		return
	}
	if _, given := body["target"]; !given {
		invalid(q, "/target: required to create an assignment")
		return
	}
	target, bad := checkTarget(body["target"])
	if bad != nil {
		invalid(q, bad.Error())
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
	body, ok := readAssignment(q)
	if !ok {
		return
	}
	if id, given := body["id"].(string); given && !strings.EqualFold(id, q.assignmentID) {
		invalid(q, "/id: an assignment's id cannot change")
		return
	}
	target, newTarget := body["target"]
	if newTarget {
		var bad *badRequest
		if target, bad = checkTarget(target); bad != nil {
			invalid(q, bad.Error())
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
