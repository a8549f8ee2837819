package steps

// Steps for an entity's key: a PATCH body that names another id is ignored or refused, and either way
// the assignment keeps its id and its URL.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/guid"
	"github.com/graphconform/graphconform/internal/schema"
)

// Step expressions, compiled once: godog compiles a string expression every time a scenario registers it.
var (
	rePatchOtherID = regexp.MustCompile(`^the client sends PATCH to the assignment with another id in the body$`)
	reKeptKey      = regexp.MustCompile(`^the assignment kept its id and URL$`)
)

func (s *scenario) registerKey(sc *godog.ScenarioContext) {
	var otherID string
	sc.Step(rePatchOtherID, func(ctx context.Context) error {
		otherID = guid.New()
		body, _ := json.Marshal(map[string]any{
			"id":     otherID,
			"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": guid.New()},
		})
		return s.sendRequest(ctx, http.MethodPatch, s.addressedURL(), body)
	})
	sc.Step(reKeptKey, func(ctx context.Context) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		switch {
		case ex.Status/100 == 2 && len(ex.Body) > 0:
			if err := idAt(ex, "/id", s.assignmentID); err != nil {
				return check.Within(err, "the PATCH answered with another id")
			}
		case ex.Status/100 == 4:
			set, err := s.schemas()
			if err != nil {
				return err
			}
			if err := check.Schema(ex, set, s.env.version(), schema.Error); err != nil {
				return check.Within(err, "the PATCH was refused")
			}
		case ex.Status/100 != 2:
			return failure(ex, "2xx (the id ignored) or 4xx with a Graph error (refused)", fmt.Sprintf("status %d", ex.Status))
		}
		got, err := s.send(ctx, http.MethodGet, s.assignmentURL(), nil, requestMods{})
		if err != nil {
			return err
		}
		if err := check.Status(got, http.StatusOK); err != nil {
			return check.Within(err, "the assignment's URL after the PATCH")
		}
		if err := idAt(got, "/id", s.assignmentID); err != nil {
			return check.Within(err, "the assignment's URL after the PATCH")
		}
		moved, err := s.send(ctx, http.MethodGet, s.assignmentsURL()+"/"+segment(otherID), nil, requestMods{})
		if err != nil {
			return err
		}
		if err := check.Status(moved, http.StatusNotFound); err != nil {
			return check.Within(err, "the id the body named")
		}
		return nil
	})
}
