package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/fixtures"
	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/guid"
)

// NamePrefix starts the displayName of everything the suite creates, so a
// sweep can find leftovers and nothing else is ever touched.
const NamePrefix = "graphconform-"

// cleanupTimeout bounds the After hook's requests. They run on a context
// that ignores the scenario's cancellation: a cancelled run still cleans up.
const cleanupTimeout = 30 * time.Second

// The placeholders of the family's paths.
const (
	configPlaceholder     = "{deviceEnrollmentConfigurationId}"
	assignmentPlaceholder = "{enrollmentConfigurationAssignmentId}"
)

// created is an entity the scenario created, deleted after it.
type created struct {
	url  string
	name string // its displayName, when it has one: what a sweep finds it by
}

func (c created) String() string {
	if c.name == "" {
		return c.url
	}
	return c.url + " (" + c.name + ")"
}

func (s *scenario) registerProvisioning(sc *godog.ScenarioContext) {
	sc.Step(`^the resources the example "([^"]+)" addresses exist$`, s.provision)
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		s.cleanup(cctx)
		// err is the scenario's own: returning it makes godog report every
		// failure as "after scenario hook failed".
		return ctx, nil
	})
}

// provision makes what the example's path addresses exist, parents first:
// each {placeholder} is an entity of the collection before it.
//   - The entity a GET or DELETE is about (the path's last placeholder, or an
//     item of the collection a list reads) is created from the example
//     response's properties, so that the response can be compared with them.
//   - The entity a PATCH or PUT changes is created with a minimal body (or is
//     the user's existing assignment, restored afterwards), so that the
//     example's write changes something; its target is remembered.
//   - Parents get a minimal body, or are the user's existing configuration
//     (created under, never deleted). A POST example only needs its parents.
func (s *scenario) provision(ctx context.Context, name string) error {
	fx, err := s.fixture(name)
	if err != nil {
		return err
	}
	entity, err := exampleEntity(fx)
	if err != nil {
		return err
	}
	meta := &fx.Meta
	segs := strings.Split(strings.Trim(meta.Path, "/"), "/")
	last := len(segs) - 1
	subjectIsLast := meta.Method != http.MethodPost && strings.HasPrefix(segs[last], "{")
	writes := meta.Method == http.MethodPatch || meta.Method == http.MethodPut
	url := s.env.BaseURL
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			url += "/" + seg
			continue
		}
		if i == 0 {
			return fmt.Errorf("path %s starts with a placeholder; no collection to create %s in", meta.Path, seg)
		}
		collection := segs[i-1]
		subject := i == last && subjectIsLast
		var id string
		switch {
		case subject && !writes:
			id, err = s.createFromExample(ctx, url, collection, entity, meta)
		case subject && seg == assignmentPlaceholder && s.env.AssignmentID != "":
			id, s.givenAssignment, err = s.env.AssignmentID, true, givenKey(s.env.AssignmentID)
		case !subject && seg == configPlaceholder && s.env.ConfigID != "":
			id, err = s.env.ConfigID, givenKey(s.env.ConfigID)
		default:
			id, err = s.createDefault(ctx, url, collection)
		}
		if err != nil {
			return err
		}
		if subject {
			s.subjectID = id
		}
		s.bind(seg, id)
		url += "/" + segment(id)
	}
	switch {
	case meta.Method == http.MethodGet && !subjectIsLast:
		// a list: one item the response must hold
		s.subjectID, err = s.createFromExample(ctx, url, segs[last], entity, meta)
		return err
	case writes && subjectIsLast && segs[last] == assignmentPlaceholder:
		what := "the assignment just created"
		if s.givenAssignment {
			what = "the given existing assignment"
		}
		return s.readOriginalTarget(ctx, what)
	}
	return nil
}

// givenKey checks an existing id the run was given before it goes into a path.
func givenKey(id string) error {
	if p := check.KeyProblem(id); p != "" {
		return fmt.Errorf("the given id %q cannot be a URL path segment: %s", id, p)
	}
	return nil
}

// bind records the id a placeholder resolves to, where the other steps look.
func (s *scenario) bind(placeholder, id string) {
	switch placeholder {
	case configPlaceholder:
		s.configID, s.addr.configID = id, id
	case assignmentPlaceholder:
		s.assignmentID, s.addr.assignmentID = id, id
	}
}

// createDefault creates a minimal entity in a collection of the family.
func (s *scenario) createDefault(ctx context.Context, url, collection string) (string, error) {
	var body map[string]any
	switch collection {
	case "deviceEnrollmentConfigurations":
		body = map[string]any{
			"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
			"displayName": s.displayName(),
			"description": "Created by the graphconform conformance suite for one scenario; deleted after it. Safe to delete.",
			"limit":       5,
		}
	case "assignments":
		// A group nobody is in: even on a real tenant the assignment reaches no device.
		body = map[string]any{"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": guid.New()}}
	default:
		return "", fmt.Errorf("provisioning: the suite does not know how to create an entity in %q", collection)
	}
	data, _ := json.Marshal(body)
	return s.create(ctx, url, data, "an entity of "+collection)
}

// createFromExample creates the example's entity: its properties but for
// what the service generates, with a displayName the sweep recognises and a
// concrete type when the example names an abstract one (both remembered in
// s.overrides, for the comparisons).
func (s *scenario) createFromExample(ctx context.Context, url, collection string, entity map[string]any, meta *fixtures.Meta) (string, error) {
	if entity == nil {
		return s.createDefault(ctx, url, collection)
	}
	body := map[string]any{}
	for k, v := range entity {
		if slices.Contains(check.ServerGenerated, k) || (strings.HasPrefix(k, "@odata.") && k != "@odata.type") {
			continue
		}
		body[k] = v
	}
	if meta.ProvisionType != "" {
		body["@odata.type"] = meta.ProvisionType
		s.override("@odata.type", meta.ProvisionType)
	}
	if _, ok := body["displayName"].(string); ok {
		body["displayName"] = s.displayName()
		s.override("displayName", body["displayName"])
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	return s.create(ctx, url, data, "the example's "+strings.TrimSuffix(collection, "s"))
}

func (s *scenario) override(key string, v any) {
	if s.overrides == nil {
		s.overrides = map[string]any{}
	}
	s.overrides[key] = v
}

// create POSTs body to url, returns the new entity's id and remembers the
// entity for deletion after the scenario. The id must be a plausible key
// (check.ID), or the requirement fails and nothing is sent to what the
// service answered, which is reported as left behind.
func (s *scenario) create(ctx context.Context, url string, body []byte, what string) (string, error) {
	ex, err := s.send(ctx, http.MethodPost, url, body, requestMods{})
	if err != nil {
		return "", provisioningFailed(what, err)
	}
	if ex.Status != http.StatusCreated && ex.Status != http.StatusOK {
		return "", provisioningFailed(what, check.Status(ex, http.StatusCreated))
	}
	id, err := s.createdFrom(ex, "/id")
	if err != nil {
		if !s.createdAbove(url) {
			s.leftover("%s was created (POST %s answered %d) without an id the suite can address, so it was not deleted: %s", what, url, ex.Status, firstLine(err, ex))
		}
		return "", provisioningFailed(what, err)
	}
	return id, nil
}

// createdFrom reads the id a successful POST answered with and remembers
// the new entity for deletion after the scenario. An id that is not a
// plausible key (check.ID) fails the requirement, and no request is built from it.
func (s *scenario) createdFrom(ex *check.Exchange, ptr string) (string, error) {
	if ex.Method != http.MethodPost || ex.Status/100 != 2 {
		return "", failure(ex, "a created entity (a 2xx answer to a POST) with an id", fmt.Sprintf("%s answered %d", ex.Method, ex.Status))
	}
	id, err := check.ID(ex, ptr)
	if err != nil {
		return "", err
	}
	url := strings.TrimSuffix(ex.URL, "/") + "/" + segment(id)
	for _, c := range s.created {
		if c.url == url {
			return id, nil
		}
	}
	var body struct {
		DisplayName string `json:"displayName"`
	}
	_ = json.Unmarshal(ex.Body, &body)
	s.created = append(s.created, created{url: url, name: body.DisplayName})
	return id, nil
}

// readOriginalTarget remembers the assignment's target as the service
// returns it, to check later that a refused write changed nothing.
func (s *scenario) readOriginalTarget(ctx context.Context, what string) error {
	ex, err := s.send(ctx, http.MethodGet, s.assignmentURL(), nil, requestMods{})
	if err != nil {
		return provisioningFailed(what, err)
	}
	if err := check.Status(ex, http.StatusOK); err != nil {
		return provisioningFailed(what, err)
	}
	doc, err := check.DecodeJSON(ex.Body)
	if err != nil {
		return provisioningFailed(what, check.JSONPointer(ex, "/target", "a target"))
	}
	t, ok := check.Resolve(doc, "/target")
	if !ok {
		return provisioningFailed(what, check.JSONPointer(ex, "/target", "a target"))
	}
	s.originalTarget = t
	return nil
}

// provisioningFailed says the precondition failed; the requirement cannot be
// judged, and the scenario fails rather than pass untested.
func provisioningFailed(what string, err error) error {
	return check.Within(err, "provisioning "+what)
}

// cleanup deletes what the scenario created, last first, and restores the
// original target of a user-given assignment it may have written to. An
// entity under another the scenario created goes with it (an assignment with
// its configuration), so only the outermost are deleted. Problems become
// leftovers: reported, never a failure of the requirement under test.
func (s *scenario) cleanup(ctx context.Context) {
	for i := len(s.created) - 1; i >= 0; i-- {
		c := s.created[i]
		if s.createdAbove(c.url) {
			continue
		}
		ex, err := s.send(ctx, http.MethodDelete, c.url, nil, requestMods{})
		if err == nil && (ex.Status/100 == 2 || ex.Status == http.StatusNotFound) {
			continue
		}
		s.leftover("could not delete %s: %s", c, firstLine(err, ex))
	}
	s.created = nil
	if s.givenAssignment && s.wrote && s.originalTarget != nil {
		body, _ := json.Marshal(map[string]any{"target": s.originalTarget})
		ex, err := s.send(ctx, http.MethodPatch, s.assignmentURL(), body, requestMods{})
		if err == nil && ex.Status/100 == 2 {
			return
		}
		s.leftover("could not restore the target of assignment %s of configuration %s to %s: %s", s.assignmentID, s.configID, body, firstLine(err, ex))
	}
}

// createdAbove reports whether the scenario created an entity that contains url.
func (s *scenario) createdAbove(url string) bool {
	for _, c := range s.created {
		if strings.HasPrefix(url, c.url+"/") {
			return true
		}
	}
	return false
}

func (s *scenario) leftover(format string, args ...any) {
	if s.env.Leftover != nil {
		s.env.Leftover(check.Redact(fmt.Sprintf(format, args...), s.env.secrets()))
	}
}

func firstLine(err error, ex *check.Exchange) string {
	if err != nil {
		l, _, _ := strings.Cut(err.Error(), "\n")
		return l
	}
	return fmt.Sprintf("status %d", ex.Status)
}

var notNameChar = regexp.MustCompile(`[^A-Za-z0-9]+`)

// displayName is graphconform-<runID>-<scenario>, short enough for any service.
func (s *scenario) displayName() string {
	slug := strings.Trim(notNameChar.ReplaceAllString(s.name, "-"), "-")
	if s.req != "" {
		slug = s.req + "-" + slug
	}
	if len(slug) > 80 {
		slug = slug[:80]
	}
	return NamePrefix + s.env.RunID + "-" + strings.Trim(slug, "-")
}
