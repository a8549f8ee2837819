package graphmock

import (
	"slices"
	"strings"
	"sync"
)

// assignment is immutable once stored: a PATCH stores a new value, so a reader can render the
// pointer it got without holding the lock.
type assignment struct {
	id         string
	target     any    // decoded JSON exactly as sent (nil: JSON null)
	targetV1   []byte // target rendered for the v1.0 model (beta-only target properties left out)
	targetBeta []byte // target rendered for the beta model
	source     string // beta: "direct" | "policySets"
	sourceID   *string
}

// configuration's props are immutable once stored; its assignments are guarded by the store's lock.
type configuration struct {
	id          string
	props       map[string]any // every property the client sent plus the server's (id, dates, version)
	assignments map[string]*assignment
	order       []string // assignment ids in creation order, for stable listings
}

// The store's maps are keyed by storeKey(id): a GUID matches whatever the case of its hex digits, as
// Graph's keys do, while every response shows the id as stored (lower case: the mock names entities).
type store struct {
	mu      sync.RWMutex
	configs map[string]*configuration
	order   []string
}

// storeKey is id in lower case when it is GUID-shaped (8-4-4-4-12 hex digits), else id itself.
func storeKey(id string) string {
	if len(id) != 36 {
		return id
	}
	upper := false
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return id
			}
		case '0' <= c && c <= '9' || 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			upper = true
		default:
			return id
		}
	}
	if !upper {
		return id
	}
	return strings.ToLower(id)
}

func newStore() *store { return &store{configs: map[string]*configuration{}} }

func (s *store) putConfiguration(c *configuration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := storeKey(c.id)
	if _, ok := s.configs[key]; !ok {
		s.order = append(s.order, c.id)
	}
	s.configs[key] = c
}

func (s *store) configuration(id string) (map[string]any, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.configs[storeKey(id)]
	if !ok {
		return nil, false
	}
	return c.props, true
}

func (s *store) configurations() []map[string]any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]map[string]any, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, s.configs[id].props)
	}
	return out
}

// deleteConfiguration removes a configuration and, with it, its assignments.
func (s *store) deleteConfiguration(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := storeKey(id)
	c, ok := s.configs[key]
	if !ok {
		return false
	}
	delete(s.configs, key)
	s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == c.id })
	return true
}

// assignments lists a configuration's assignments, with the configuration's id as stored;
// ok=false: no such configuration.
func (s *store) assignments(configID string) (out []*assignment, storedID string, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.configs[storeKey(configID)]
	if !ok {
		return nil, "", false
	}
	out = make([]*assignment, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.assignments[storeKey(id)])
	}
	return out, c.id, true
}

// assignment reports what exists: the configuration (with its id as stored), and the assignment
// inside it.
func (s *store) assignment(configID, id string) (a *assignment, storedConfigID string, configOK bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.configs[storeKey(configID)]
	if !ok {
		return nil, "", false
	}
	return c.assignments[storeKey(id)], c.id, true
}

// addAssignment stores a new assignment and returns its configuration's id as stored; false: no such
// configuration.
func (s *store) addAssignment(configID string, a *assignment) (storedConfigID string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.configs[storeKey(configID)]
	if !ok {
		return "", false
	}
	key := storeKey(a.id)
	if _, dup := c.assignments[key]; !dup {
		c.order = append(c.order, a.id)
	}
	c.assignments[key] = a
	return c.id, true
}

// updateAssignment replaces an existing assignment with update(old), atomically; it never creates
// one (no upsert). It returns the stored value, its configuration's id as stored, and what was missing.
func (s *store) updateAssignment(configID, id string, update func(old *assignment) *assignment) (a *assignment, storedConfigID string, configOK, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.configs[storeKey(configID)]
	if !ok {
		return nil, "", false, false
	}
	key := storeKey(id)
	old, ok := c.assignments[key]
	if !ok {
		return nil, c.id, true, false
	}
	a = update(old)
	c.assignments[key] = a
	return a, c.id, true, true
}

func (s *store) deleteAssignment(configID, id string) (configOK, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.configs[storeKey(configID)]
	if !ok {
		return false, false
	}
	key := storeKey(id)
	a, ok := c.assignments[key]
	if !ok {
		return true, false
	}
	delete(c.assignments, key)
	c.order = slices.DeleteFunc(c.order, func(x string) bool { return x == a.id })
	return true, true
}

// Counts reports how many configurations and assignments the store holds, for tests that check a
// run left nothing behind.
func (m *Mock) Counts() (configurations, assignments int) {
	m.store.mu.RLock()
	defer m.store.mu.RUnlock()
	for _, c := range m.store.configs {
		assignments += len(c.assignments)
	}
	return len(m.store.configs), assignments
}
