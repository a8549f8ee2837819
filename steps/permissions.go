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
	"github.com/graphconform/graphconform/internal/guid"
)

// Step expressions, compiled once: godog compiles a string expression every time a scenario registers it.
var (
	reCreateAssignment = regexp.MustCompile(`^the client creates an assignment$`)
	reDeleteAssignment = regexp.MustCompile(`^the client deletes the assignment$`)
	reOnlyAssignment   = regexp.MustCompile(`^the configuration still holds exactly the assignments provisioning created$`)
)

func (s *scenario) registerPermissions(sc *godog.ScenarioContext) {
	sc.Step(reCreateAssignment, func(ctx context.Context) error {
		// A group nobody is in, like provisioning's.
		body, _ := json.Marshal(map[string]any{"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": guid.New()}})
		return s.sendRequest(ctx, http.MethodPost, s.assignmentsURL(), body)
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

// onlyAssignment fails unless ids are the assignments provisioning created: the scenario's own, or none
// when it created only the configuration (a create example's Background).
func (s *scenario) onlyAssignment(ex *check.Exchange, ids []string) error {
	var want []string
	if s.assignmentID != "" {
		want = []string{s.assignmentID}
	}
	if len(ids) == len(want) && (len(ids) == 0 || strings.EqualFold(ids[0], want[0])) {
		return nil
	}
	return failure(ex, fmt.Sprintf("the configuration's assignments to be %v, as provisioning left them", want), fmt.Sprintf("%v", ids))
}
