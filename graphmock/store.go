package graphmock

import (
	"slices"
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

type store struct {
	mu      sync.RWMutex
	configs map[string]*configuration
	order   []string
}

func newStore() *store { return &store{configs: map[string]*configuration{}} }

func (s *store) putConfiguration(c *configuration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.configs[c.id]; !ok {
		s.order = append(s.order, c.id)
	}
	s.configs[c.id] = c
}

func (s *store) configuration(id string) (map[string]any, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.configs[id]
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
	if _, ok := s.configs[id]; !ok {
		return false
	}
	delete(s.configs, id)
	s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
	return true
}

// assignments lists a configuration's assignments; ok=false: no such configuration.
func (s *store) assignments(configID string) (out []*assignment, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.configs[configID]
	if !ok {
		return nil, false
	}
	out = make([]*assignment, 0, len(c.order))
	for _, id := range c.order {
		out = append(out, c.assignments[id])
	}
	return out, true
}

// lookup reports what exists: the configuration, and the assignment inside it.
func (s *store) assignment(configID, id string) (a *assignment, configOK bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.configs[configID]
	if !ok {
		return nil, false
	}
	return c.assignments[id], true
}

// addAssignment stores a new assignment; false: no such configuration.
func (s *store) addAssignment(configID string, a *assignment) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.configs[configID]
	if !ok {
		return false
	}
	if _, dup := c.assignments[a.id]; !dup {
		c.order = append(c.order, a.id)
	}
	c.assignments[a.id] = a
	return true
}

// updateAssignment replaces an existing assignment with update(old), atomically; it never creates
// one (no upsert). It returns the stored value, and what was missing.
func (s *store) updateAssignment(configID, id string, update func(old *assignment) *assignment) (a *assignment, configOK, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.configs[configID]
	if !ok {
		return nil, false, false
	}
	old, ok := c.assignments[id]
	if !ok {
		return nil, true, false
	}
	a = update(old)
	c.assignments[id] = a
	return a, true, true
}

func (s *store) deleteAssignment(configID, id string) (configOK, found bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.configs[configID]
	if !ok {
		return false, false
	}
	if _, ok := c.assignments[id]; !ok {
		return true, false
	}
	delete(c.assignments, id)
	c.order = slices.DeleteFunc(c.order, func(x string) bool { return x == id })
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
