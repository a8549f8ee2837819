package steps

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/graphconform/graphconform/fixtures"
	"github.com/graphconform/graphconform/internal/check"
)

func (s *scenario) fixture(name string) (*fixtures.Fixture, error) {
	return fixtures.Load(s.env.Fixtures, name)
}

var placeholder = regexp.MustCompile(`\{[^}]*\}`)

// resolvePath fills the page's placeholders with the ids the scenario addresses.
func (s *scenario) resolvePath(tmpl string) (string, error) {
	var unknown []string
	out := placeholder.ReplaceAllStringFunc(tmpl, func(p string) string {
		switch p {
		case configPlaceholder:
			return segment(s.addr.configID)
		case assignmentPlaceholder:
			return segment(s.addr.assignmentID)
		}
		unknown = append(unknown, p)
		return p
	})
	if len(unknown) > 0 {
		return "", fmt.Errorf("path %s: no value for %s", tmpl, strings.Join(unknown, ", "))
	}
	return out, nil
}

// exampleEntity returns the example's entity (at meta.json's "entity"
// pointer), or nil when the fixture shows no response.
func exampleEntity(fx *fixtures.Fixture) (map[string]any, error) {
	if len(fx.Response) == 0 {
		return nil, nil
	}
	doc, err := check.DecodeJSON(fx.Response)
	if err != nil {
		return nil, fmt.Errorf("fixture %q: response.json: %w", fx.Name, err)
	}
	v, ok := check.Resolve(doc, fx.Meta.Entity)
	entity, isObj := v.(map[string]any)
	if !ok || !isObj {
		return nil, fmt.Errorf("fixture %q: response.json has no entity at %q", fx.Name, fx.Meta.Entity)
	}
	return entity, nil
}

// expected is the example's entity as the service should hold it: with the
// displayName and @odata.type the scenario gave it in the example's place
// (s.overrides), or the values of those the last request's body sent.
func (s *scenario) expected(name string) ([]byte, error) {
	fx, err := s.fixture(name)
	if err != nil {
		return nil, err
	}
	entity, err := exampleEntity(fx)
	if err != nil {
		return nil, err
	}
	if entity == nil {
		return nil, fmt.Errorf("fixture %q shows no response entity", name)
	}
	sent, _ := s.sent.(map[string]any)
	for k, v := range s.overrides {
		if sv, ok := sent[k]; ok {
			v = sv
		}
		entity[k] = v
	}
	return json.Marshal(entity)
}
