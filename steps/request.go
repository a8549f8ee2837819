package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// fixtureMeta is fixtures/<resource>/<operation>/meta.json (see fixtures/README.md).
type fixtureMeta struct {
	Method         string            `json:"method"`
	Path           string            `json:"path"`
	Version        string            `json:"version"`
	RequestHeaders map[string]string `json:"requestHeaders"`
	Status         int               `json:"status"`
	Truncated      bool              `json:"truncated"`
}

type fixture struct {
	meta     fixtureMeta
	request  []byte
	response []byte
}

var fixtureName = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

func (s *scenario) fixture(name string) (*fixture, error) {
	if !fixtureName.MatchString(name) {
		return nil, fmt.Errorf("fixture %q: want <resource>/<operation>", name)
	}
	if s.env.Fixtures == nil {
		return nil, fmt.Errorf("fixture %q: no fixtures configured", name)
	}
	var f fixture
	meta, err := fs.ReadFile(s.env.Fixtures, path.Join(name, "meta.json"))
	if err != nil {
		return nil, fmt.Errorf("fixture %q: %w", name, err)
	}
	if err := json.Unmarshal(meta, &f.meta); err != nil {
		return nil, fmt.Errorf("fixture %q: meta.json: %w", name, err)
	}
	if f.request, err = fs.ReadFile(s.env.Fixtures, path.Join(name, "request.json")); err != nil && f.meta.Method != http.MethodGet && f.meta.Method != http.MethodDelete {
		return nil, fmt.Errorf("fixture %q: %w", name, err)
	}
	f.response, _ = fs.ReadFile(s.env.Fixtures, path.Join(name, "response.json"))
	return &f, nil
}

// resolvePath fills the page's placeholders with the ids the scenario addresses.
func (s *scenario) resolvePath(tmpl string) (string, error) {
	var unknown []string
	out := regexp.MustCompile(`\{[^}]*\}`).ReplaceAllStringFunc(tmpl, func(p string) string {
		switch p {
		case "{deviceEnrollmentConfigurationId}":
			return segment(s.addr.configID)
		case "{enrollmentConfigurationAssignmentId}":
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
		s.next.headers[name] = newGUID()
	})
	sc.Step(`^the request Content-Type is "([^"]+)"$`, func(ct string) { s.next.contentType = ct })
	sc.Step(`^the request addresses an unknown configuration$`, func() { s.addr.configID = newGUID() })
	sc.Step(`^the request addresses an unknown assignment$`, func() { s.addr.assignmentID = newGUID() })

	sc.Step(`^the client sends the example request "([^"]+)"$`, func(ctx context.Context, name string) error {
		return s.sendExample(ctx, name, "")
	})
	sc.Step(`^the client sends the example request "([^"]+)" with method "([A-Z]+)"$`, s.sendExample)
	sc.Step(`^the client sends (PATCH|PUT|POST) to the assignment with body:$`, func(ctx context.Context, method string, body *godog.DocString) error {
		return s.sendWrite(ctx, method, s.addressedURL(), []byte(body.Content))
	})
	sc.Step(`^the client gets the assignment$`, func(ctx context.Context) error {
		return s.sendRead(ctx, s.addressedURL())
	})
}

// sendExample sends a fixture's example request (with method instead of the
// documented one when given) to the scenario's addressed assignment.
func (s *scenario) sendExample(ctx context.Context, name, method string) error {
	f, err := s.fixture(name)
	if err != nil {
		return err
	}
	p, err := s.resolvePath(f.meta.Path)
	if err != nil {
		return err
	}
	if method == "" {
		method = f.meta.Method
	}
	body := f.request
	if method == http.MethodPost {
		body = s.fam.nameCreated(body)
	}
	return s.sendWrite(ctx, method, s.env.BaseURL+p, body)
}

// sendWrite sends a request with a body and remembers what was sent. The
// exchange is kept even on a transport failure, for the evidence.
func (s *scenario) sendWrite(ctx context.Context, method, url string, body []byte) error {
	mods := s.next
	s.next = requestMods{}
	s.sent, s.sentMods = nil, mods
	if v, err := check.DecodeJSON(body); err == nil {
		s.sent = v
	}
	s.wrote = true
	if method == http.MethodPost {
		// What a POST creates must be learnt even when the run is interrupted
		// meanwhile, or it could not be deleted (send bounds it by the timeout).
		ctx = context.WithoutCancel(ctx)
	}
	ex, err := s.send(ctx, method, url, body, mods)
	s.last = ex
	if err == nil && method == http.MethodPost && ex.Status/100 == 2 {
		// Deleted after the scenario, whichever step fails first; or, when the
		// answer holds no id the suite can address, reported as left behind.
		if _, err := s.fam.createdFrom(ex, "/id"); err != nil && !s.deletedWithParent(url) {
			s.leftover("POST %s answered %d with no usable id, so what it created was not deleted: %s", url, ex.Status, firstLine(err, ex))
		}
	}
	return err
}

func (s *scenario) sendRead(ctx context.Context, url string) error {
	mods := s.next
	s.next = requestMods{}
	ex, err := s.send(ctx, http.MethodGet, url, nil, mods)
	s.last = ex
	return err
}

func (s *scenario) addressedURL() string {
	return s.env.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations/" + segment(s.addr.configID) + "/assignments/" + segment(s.addr.assignmentID)
}
