package enrollment

import (
	"net/http"
	"net/url"
	"sort"
	"time"
)

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
		invalid(q, bad.Error())
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
