package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// NamePrefix starts the displayName of everything the suite creates, so a
// sweep can find leftovers and nothing else is ever touched.
const NamePrefix = "graphconform-"

// cleanupTimeout bounds the After hook's requests. They run on a context
// that ignores the scenario's cancellation: a cancelled run still cleans up.
const cleanupTimeout = 30 * time.Second

func (s *scenario) registerProvisioning(sc *godog.ScenarioContext) {
	sc.Step(`^an enrollment configuration with one assignment$`, s.provision)
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		s.cleanup(cctx)
		return ctx, nil // err is the scenario's own; returning it would report it twice
	})
}

// provision creates a deviceEnrollmentLimitConfiguration with one assignment
// through the API, or adopts the existing ones the run was given.
func (s *scenario) provision(ctx context.Context) error {
	if s.env.ConfigID != "" || s.env.AssignmentID != "" {
		for _, id := range []string{s.env.ConfigID, s.env.AssignmentID} {
			if p := check.KeyProblem(id); p != "" {
				return fmt.Errorf("the given id %q cannot be a URL path segment: %s", id, p)
			}
		}
		s.configID, s.assignmentID = s.env.ConfigID, s.env.AssignmentID
		s.addr.configID, s.addr.assignmentID = s.configID, s.assignmentID
		return s.readOriginalTarget(ctx, "the given existing configuration and assignment")
	}
	base := s.env.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations"
	cfg, _ := json.Marshal(map[string]any{
		"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
		"displayName": s.displayName(),
		"description": "Created by the graphconform conformance suite for one scenario; deleted after it. Safe to delete.",
		"limit":       5,
	})
	id, err := s.create(ctx, base, cfg, "the enrollment configuration")
	if err != nil {
		return err
	}
	s.configID, s.provisioned = id, true
	// A group nobody is in: even on a real tenant the assignment reaches no device.
	asg, _ := json.Marshal(map[string]any{
		"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": newGUID()},
	})
	if s.assignmentID, err = s.create(ctx, base+"/"+segment(s.configID)+"/assignments", asg, "the assignment"); err != nil {
		return err
	}
	s.addr.configID, s.addr.assignmentID = s.configID, s.assignmentID
	return s.readOriginalTarget(ctx, "the assignment just created")
}

// create POSTs body to url and returns the new entity's id: a plausible key
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
	id, err := check.ID(ex, "/id")
	if err != nil {
		if !s.deletedWithParent(url) {
			s.leftover("%s was created (POST %s answered %d) without an id the suite can address, so it was not deleted: %s", what, url, ex.Status, firstLine(err, ex))
		}
		return "", provisioningFailed(what, err)
	}
	return id, nil
}

// deletedWithParent reports whether what a POST to collection creates goes
// when the scenario deletes what it created (an assignment goes with its
// configuration), so an unusable id in the answer leaves nothing behind.
func (s *scenario) deletedWithParent(collection string) bool {
	if s.provisioned && strings.HasPrefix(collection, s.configURL()+"/") {
		return true
	}
	if s.fam != nil {
		for _, c := range s.fam.created {
			if strings.HasPrefix(collection, c+"/") {
				return true
			}
		}
	}
	return false
}

// configURL is the URL of the scenario's configuration.
func (s *scenario) configURL() string {
	return s.env.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations/" + segment(s.configID)
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

// cleanup deletes what the scenario created or, on a user-given assignment
// it wrote to, restores the original target. Problems become leftovers:
// reported, never a failure of the requirement under test.
func (s *scenario) cleanup(ctx context.Context) {
	switch {
	case s.provisioned:
		ex, err := s.send(ctx, http.MethodDelete, s.configURL(), nil, requestMods{})
		if err == nil && (ex.Status/100 == 2 || ex.Status == http.StatusNotFound) {
			return
		}
		s.leftover("could not delete configuration %s (%s): %s", s.configID, s.displayName(), firstLine(err, ex))
	case s.wrote && s.originalTarget != nil:
		body, _ := json.Marshal(map[string]any{"target": s.originalTarget})
		ex, err := s.send(ctx, http.MethodPatch, s.assignmentURL(), body, requestMods{})
		if err == nil && ex.Status/100 == 2 {
			return
		}
		s.leftover("could not restore the target of assignment %s of configuration %s to %s: %s", s.assignmentID, s.configID, body, firstLine(err, ex))
	}
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
