package steps

// Steps for what a request says about itself and how a service must read it: any request header,
// and keys in the path spelled in another case.

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// Step expressions, compiled once: godog compiles a string expression every time a scenario registers it.
var (
	reRequestHeader = regexp.MustCompile(`^the request header "([^"]+)" is "([^"]*)"$`)
	reGetUpperCase  = regexp.MustCompile(`^the client gets the assignment by its ids in upper case$`)
	reIDAnyCase     = regexp.MustCompile(`^the response body "([^"]*)" is the assignment's id, in any case$`)
)

func (s *scenario) registerNegotiation(sc *godog.ScenarioContext) {
	sc.Step(reRequestHeader, func(name, value string) {
		if s.next.headers == nil {
			s.next.headers = map[string]string{}
		}
		s.next.headers[name] = value
	})
	sc.Step(reGetUpperCase, func(ctx context.Context) error {
		url := s.env.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations/" + segment(strings.ToUpper(s.addr.configID)) +
			"/assignments/" + segment(strings.ToUpper(s.addr.assignmentID))
		return s.sendRequest(ctx, http.MethodGet, url, nil)
	})
	sc.Step(reIDAnyCase, func(ptr string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		return idAt(ex, ptr, s.assignmentID)
	})
}

// idAt fails unless the body has, at ptr, the id want: GUIDs compare without regard to case.
func idAt(ex *check.Exchange, ptr, want string) error {
	doc, err := check.DecodeJSON(ex.Body)
	if err != nil {
		return check.JSONPointer(ex, ptr, want) // says why the body is not JSON
	}
	got, _ := check.Resolve(doc, ptr)
	if id, ok := got.(string); ok && strings.EqualFold(id, want) {
		return nil
	}
	return failure(ex, fmt.Sprintf("%s = %q (any case)", ptr, want), fmt.Sprintf("%s = %v", ptr, got))
}

// assignmentsURL is the URL of the scenario's configuration's assignments.
func (s *scenario) assignmentsURL() string {
	return s.env.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations/" + segment(s.configID) + "/assignments"
}

// assignmentIDs lists the ids the configuration's assignments collection holds.
func (s *scenario) assignmentIDs(ctx context.Context) (*check.Exchange, []string, error) {
	ex, err := s.send(ctx, http.MethodGet, s.assignmentsURL(), nil, requestMods{})
	if err != nil {
		return ex, nil, err
	}
	if err := check.Status(ex, http.StatusOK); err != nil {
		return ex, nil, check.Within(err, "listing the configuration's assignments")
	}
	ids, err := collectionIDs(ex)
	return ex, ids, err
}
