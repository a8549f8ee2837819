package auth

import (
	"strings"
	"sync"

	"github.com/graphconform/graphconform/internal/check"
)

// secretList collects values no output may show. Tokens are added as the
// credential acquires them, from any goroutine.
type secretList struct {
	mu   sync.Mutex
	vals []string
}

func (s *secretList) add(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, have := range s.vals {
		if have == v {
			return
		}
	}
	s.vals = append(s.vals, v)
}

func (s *secretList) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.vals...)
}

// redact replaces every secret in text, by the one rule of internal/check.
func (s *secretList) redact(text string) string {
	return check.Redact(text, s.list())
}
