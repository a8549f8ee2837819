package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/schema"
)

// declaredTargetType is the declared type of an assignment's target.
const declaredTargetType = "microsoft.graph." + string(schema.Target)

// Steps about the response body, and the reads that confirm a write's effect.
func (s *scenario) registerBody(sc *godog.ScenarioContext) {
	sc.Step(`^the response body validates against the "([^"]+)" schema$`, func(name string) error {
		return s.validates(schema.Name(name))
	})
	sc.Step(`^the response body is a Graph error$`, func() error { return s.validates(schema.Error) })
	sc.Step(`^the response body "([^"]*)" is the assignment's id$`, func(ptr string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		return check.JSONPointer(ex, ptr, s.addr.assignmentID)
	})
	sc.Step(`^the response body "([^"]*)" is the target sent$`, func(ptr string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		want, ok := check.Resolve(s.sent, "/target")
		if !ok {
			return fmt.Errorf("the scenario sent no JSON body with a target to compare with")
		}
		// Holding what was sent, not equal to it: the service may add properties (a beta target carries
		// its filter properties) and may leave out the type annotation of the declared type.
		return check.Contains(ex, ptr, want, declaredTargetType)
	})
	sc.Step(`^the response body matches the example response "([^"]+)"$`, func(name string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		f, err := s.fixture(name)
		if err != nil {
			return err
		}
		if len(f.response) == 0 {
			return fmt.Errorf("fixture %q has no response.json", name)
		}
		return check.MatchExample(ex, f.response, nil)
	})
	sc.Step(`^the assignment still has its original target$`, func(ctx context.Context) error {
		ex, err := s.send(ctx, http.MethodGet, s.assignmentURL(), nil, requestMods{})
		if err != nil {
			return err
		}
		if err := check.Status(ex, http.StatusOK); err != nil {
			return check.Within(err, "reading the assignment back")
		}
		if err := check.JSONPointer(ex, "/target", s.originalTarget); err != nil {
			return check.Within(err, "the refused request changed the assignment")
		}
		return nil
	})
	sc.Step(`^a GET of the same URL answers (\d{3})$`, func(ctx context.Context, code int) error {
		prev, err := s.lastExchange()
		if err != nil {
			return err
		}
		ex, err := s.send(ctx, http.MethodGet, prev.URL, nil, requestMods{})
		if err != nil {
			return err
		}
		if err := check.Status(ex, code); err != nil {
			return check.Within(err, "reading the same URL back")
		}
		return nil
	})
}

func (s *scenario) validates(name schema.Name) error {
	ex, err := s.lastExchange()
	if err != nil {
		return err
	}
	set, err := s.schemas()
	if err != nil {
		return err
	}
	return check.Schema(ex, set, s.env.version(), name)
}
