package steps

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/schema"
)

// declaredTargetType is the declared type of an assignment's target.
const declaredTargetType = "microsoft.graph." + string(schema.Target)

// Steps about the response body.
func (s *scenario) registerBody(sc *godog.ScenarioContext) {
	sc.Step(`^the response body validates against the "([^"]+)" schema$`, func(name string) error {
		return s.validates(schema.Name(name))
	})
	sc.Step(`^the response body is a Graph error$`, func() error { return s.validates(schema.Error) })
	sc.Step(`^the response body "([^"]*)" is the id the request addressed$`, func(ptr string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		p, _, _ := strings.Cut(ex.URL, "?")
		id, err := url.PathUnescape(p[strings.LastIndex(p, "/")+1:])
		if err != nil {
			return fmt.Errorf("the request's path %s does not unescape: %w", p, err)
		}
		return check.JSONPointer(ex, ptr, id)
	})
	sc.Step(`^the response body "([^"]*)" contains the target sent$`, func(ptr string) error {
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
	sc.Step(`^the response body matches the example entity of "([^"]+)" with the scenario's displayName and @odata.type$`, func(name string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		want, err := s.expected(name)
		if err != nil {
			return err
		}
		return check.MatchExample(ex, want, nil)
	})
	sc.Step(`^the response has no body$`, func() error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(ex.Body)) == 0 {
			return nil
		}
		return failure(ex, "no body", fmt.Sprintf("a body of %d bytes", len(ex.Body)))
	})
}

// Reads that confirm a write's effect (or that a refused write had none).
func (s *scenario) registerReadBack(sc *godog.ScenarioContext) {
	sc.Step(`^the assignment still has its original target$`, func(ctx context.Context) error {
		if s.originalTarget == nil {
			return fmt.Errorf("the scenario read no original target to compare with: its Background provisions no assignment for a write (a feature bug, not a target failure)")
		}
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

// failure is a failed check of these steps, rendered like every check's
// (redacted, bounded, control characters visible): the ids it quotes come
// from the target.
func failure(ex *check.Exchange, want, got string) *check.Failure {
	return check.Fail(ex, want, got)
}
