package steps

// Steps for writes other than PATCH (a create, a delete), used to show that a token with read scopes
// only is refused on every method that writes, and that nothing changed.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// Step expressions, compiled once: godog compiles a string expression every time a scenario registers it.
var (
	reCreateAssignment = regexp.MustCompile(`^the client creates an assignment$`)
	reDeleteAssignment = regexp.MustCompile(`^the client deletes the assignment$`)
	reOnlyAssignment   = regexp.MustCompile(`^the configuration still has exactly its original assignment$`)
)

func (s *scenario) registerPermissions(sc *godog.ScenarioContext) {
	sc.Step(reCreateAssignment, func(ctx context.Context) error {
		// A group nobody is in, like provisioning's.
		body, _ := json.Marshal(map[string]any{"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": newGUID()}})
		return s.sendWrite(ctx, http.MethodPost, s.assignmentsURL(), body)
	})
	sc.Step(reDeleteAssignment, func(ctx context.Context) error {
		mods := s.next
		s.next = requestMods{}
		s.wrote = true
		ex, err := s.send(ctx, http.MethodDelete, s.addressedURL(), nil, mods)
		s.last = ex
		return err
	})
	sc.Step(reOnlyAssignment, func(ctx context.Context) error {
		ex, ids, err := s.awaitAssignmentIDs(ctx)
		if err != nil {
			return err
		}
		return s.onlyAssignment(ex, ids)
	})
}

// onlyAssignment fails unless ids is the scenario's assignment alone.
func (s *scenario) onlyAssignment(ex *check.Exchange, ids []string) error {
	if len(ids) == 1 && strings.EqualFold(ids[0], s.assignmentID) {
		return nil
	}
	return failure(ex, fmt.Sprintf("the configuration's assignments to be [%s], as before", s.assignmentID), fmt.Sprintf("%v", ids))
}
