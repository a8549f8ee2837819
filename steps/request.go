package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/guid"
)

func (s *scenario) registerRequest(sc *godog.ScenarioContext) {
	sc.Step(`^the request has no Authorization header$`, func() { s.next.auth = authNone })
	sc.Step(`^the request carries an invalid bearer token$`, func() { s.next.auth = authInvalid })
	sc.Step(`^the request carries the read-only token$`, func() error {
		if s.env.ReadToken == nil {
			return skip("the target has no read-only token")
		}
		s.next.auth = authReader
		return nil
	})
	sc.Step(`^the request header "([^"]+)" is a new GUID$`, func(name string) {
		if s.next.headers == nil {
			s.next.headers = map[string]string{}
		}
		s.next.headers[name] = guid.New()
	})
	sc.Step(`^the request Content-Type is "([^"]+)"$`, func(ct string) { s.next.contentType = ct })
	sc.Step(`^the request addresses an unknown configuration$`, func() { s.addr.configID = guid.New() })
	sc.Step(`^the request addresses an unknown assignment$`, func() { s.addr.assignmentID = guid.New() })

	sc.Step(`^the client sends the example request "([^"]+)"$`, func(ctx context.Context, name string) error {
		return s.sendExample(ctx, name, "", false)
	})
	sc.Step(`^the client sends the example request "([^"]+)" with a displayName naming the run$`, func(ctx context.Context, name string) error {
		return s.sendExample(ctx, name, "", true)
	})
	sc.Step(`^the client sends the example request "([^"]+)" with method "([A-Z]+)"$`, func(ctx context.Context, name, method string) error {
		return s.sendExample(ctx, name, method, false)
	})
	sc.Step(`^the client sends the example request "([^"]+)" with body:$`, func(ctx context.Context, name string, body *godog.DocString) error {
		fx, err := s.fixture(name)
		if err != nil {
			return err
		}
		p, err := s.resolvePath(fx.Meta.Path)
		if err != nil {
			return err
		}
		return s.sendRequest(ctx, fx.Meta.Method, s.env.BaseURL+p, []byte(body.Content))
	})
	sc.Step(`^the client sends (PATCH|PUT|POST) to the assignment with body:$`, func(ctx context.Context, method string, body *godog.DocString) error {
		return s.sendRequest(ctx, method, s.addressedURL(), []byte(body.Content))
	})
	sc.Step(`^the client gets the assignment$`, func(ctx context.Context) error {
		return s.sendRequest(ctx, http.MethodGet, s.addressedURL(), nil)
	})
}

// sendExample sends a fixture's example request, with method instead of the
// documented one when given, to what the scenario addresses. named gives
// the body's displayName the run's own graphconform- name; without it a POST
// that would create an entity under the example's name is refused, since a
// sweep could not find that entity if the run died before its cleanup.
func (s *scenario) sendExample(ctx context.Context, name, method string, named bool) error {
	f, err := s.fixture(name)
	if err != nil {
		return err
	}
	p, err := s.resolvePath(f.Meta.Path)
	if err != nil {
		return err
	}
	if method == "" {
		method = f.Meta.Method
	}
	body := f.Request
	_, hasName := displayNameOf(body)
	switch {
	case named && !hasName:
		return fmt.Errorf("the example request of %q has no displayName to name for the run (a feature bug, not a target failure)", name)
	case named:
		if body, err = s.nameForRun(body); err != nil {
			return err
		}
	case method == http.MethodPost && hasName:
		return fmt.Errorf("the example request of %q creates an entity under the example's displayName, which a sweep cannot find; "+
			"send it \"with a displayName naming the run\" (a feature bug, not a target failure)", name)
	}
	return s.sendRequest(ctx, method, s.env.BaseURL+p, body)
}

// displayNameOf returns a JSON object body's string displayName.
func displayNameOf(body []byte) (map[string]any, bool) {
	doc, err := check.DecodeJSON(body)
	obj, isObj := doc.(map[string]any)
	if err != nil || !isObj {
		return nil, false
	}
	_, ok := obj["displayName"].(string)
	return obj, ok
}

// nameForRun gives the body's displayName the run's own graphconform- name;
// the expected entity follows (see s.overrides).
func (s *scenario) nameForRun(body []byte) ([]byte, error) {
	obj, _ := displayNameOf(body)
	obj["displayName"] = s.displayName()
	s.override("displayName", obj["displayName"])
	return json.MarshalIndent(obj, "", "  ")
}

// sendRequest sends one request of the scenario under test: it takes the
// modifiers the Given steps set, remembers the body sent (for the checks
// that compare with it) and the exchange (for the Then steps), even on a
// transport failure, for the evidence.
func (s *scenario) sendRequest(ctx context.Context, method, url string, body []byte) error {
	mods := s.next
	s.next = requestMods{}
	if body != nil {
		s.sent = nil
		if v, err := check.DecodeJSON(body); err == nil {
			s.sent = v
		}
	}
	if method != http.MethodGet && method != http.MethodHead {
		s.wrote = true
	}
	ex, err := s.send(ctx, method, url, body, mods)
	s.last = ex
	if err == nil && method == http.MethodPost && ex.Status/100 == 2 {
		// Deleted after the scenario, whichever step fails first; or, when the
		// answer holds no id the suite can address, reported as left behind.
		if _, err := s.createdFrom(ex, "/id"); err != nil && !s.createdAbove(url) {
			s.leftover("POST %s answered %d with no usable id, so what it created was not deleted: %s", url, ex.Status, firstLine(err, ex))
		}
	}
	return err
}

func (s *scenario) addressedURL() string {
	return s.env.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations/" + segment(s.addr.configID) + "/assignments/" + segment(s.addr.assignmentID)
}
