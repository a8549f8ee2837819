package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// Steps about the entity the scenario created: the one its POST answered
// with, read back, or the one provisioning put in the collection a list reads.
func (s *scenario) registerCreated(sc *godog.ScenarioContext) {
	sc.Step(`^the response body "([^"]*)" is a plausible entity key$`, func(ptr string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		if _, err := check.ID(ex, ptr); err != nil {
			return err
		}
		if id, err := s.createdFrom(ex, ptr); err == nil { // a POST's new entity, deleted after the scenario
			s.subjectID = id
		}
		return nil
	})
	sc.Step(`^the client reads the created entity$`, func(ctx context.Context) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		id, err := s.createdFrom(ex, "/id")
		if err != nil {
			return err
		}
		s.subjectID = id
		return s.sendRequest(ctx, http.MethodGet, strings.TrimSuffix(ex.URL, "/")+"/"+segment(id), nil)
	})
	// Within the convergence window: a list may lag a create (steps/convergence.go).
	sc.Step(`^the response collection holds the created entity$`, s.awaitInCollection)
	sc.Step(`^the created entity in the response collection matches the example entity of "([^"]+)" with the scenario's displayName and @odata.type$`, func(name string) error {
		ex, item, err := s.collectionItem()
		if err != nil {
			return err
		}
		want, err := s.expected(name)
		if err != nil {
			return err
		}
		// Match the item alone; the evidence still shows the exchange.
		one := *ex
		one.Body, _ = json.Marshal(item)
		return check.MatchExample(&one, want, nil)
	})
}

// collectionItem finds the created entity in the last response's "value".
func (s *scenario) collectionItem() (*check.Exchange, map[string]any, error) {
	ex, err := s.lastExchange()
	if err != nil {
		return nil, nil, err
	}
	doc, err := check.DecodeJSON(ex.Body)
	if err != nil {
		return ex, nil, failure(ex, "a JSON collection body", "a body that is not JSON")
	}
	items, _ := check.Resolve(doc, "/value")
	list, ok := items.([]any)
	if !ok {
		return ex, nil, failure(ex, `a "value" array`, "none")
	}
	for _, it := range list {
		if m, ok := it.(map[string]any); ok && m["id"] == s.subjectID {
			return ex, m, nil
		}
	}
	return ex, nil, failure(ex, fmt.Sprintf("an item with id %q (created by the scenario) in \"value\"", s.subjectID),
		fmt.Sprintf("%d item(s) without it", len(list)))
}
