package steps

// Steps for concurrent writers: several PATCHes of one assignment at once, each with a distinct target.
// Whatever order a service applies them in, each answers 2xx or a Graph error, and afterwards the stored
// target is exactly one of those sent: an update that is not atomic (the type from one writer, the
// group id from another) shows as a mix.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/guid"
	"github.com/graphconform/graphconform/internal/schema"
)

// Step expressions, compiled once: godog compiles a string expression every time a scenario registers it.
var (
	reConcurrentRounds  = regexp.MustCompile(`^several clients PATCH the assignment at once with distinct targets, round after round$`)
	reConcurrentStatus  = regexp.MustCompile(`^every concurrent PATCH answered a success or a Graph error, never a server error$`)
	reConcurrentOutcome = regexp.MustCompile(`^after each round the assignment's target was exactly one of the targets sent$`)
)

// writersAndRounds: against a service on this machine enough rounds that a rare interleaving shows;
// against any other a few short rounds (each round is writers+1 requests).
func writersAndRounds(local bool) (writers, rounds int) {
	if local {
		return 4, 16
	}
	return 3, 3
}

type concurrent struct {
	s          *scenario
	rounds     int
	statusErr  error // the first write answered with a 5xx or without a Graph error
	outcomeErr error // the first round that left something else than one of its targets
}

func (s *scenario) registerConcurrency(sc *godog.ScenarioContext) {
	c := &concurrent{s: s}
	sc.Step(reConcurrentRounds, c.run)
	sc.Step(reConcurrentStatus, func() error {
		if c.rounds == 0 {
			return fmt.Errorf("no concurrent round was run (a feature bug)")
		}
		return c.statusErr
	})
	sc.Step(reConcurrentOutcome, func() error {
		if c.rounds == 0 {
			return fmt.Errorf("no concurrent round was run (a feature bug)")
		}
		return c.outcomeErr
	})
}

// roundTargets are writers targets no two of which share a type or a value, so that any mix of two
// (the type of one, the properties of another) is none of them.
func roundTargets(writers int) []any {
	kinds := []func() map[string]any{
		func() map[string]any {
			return map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": guid.New()}
		},
		func() map[string]any {
			return map[string]any{"@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": guid.New()}
		},
		func() map[string]any {
			return map[string]any{"@odata.type": "#microsoft.graph.exclusionGroupAssignmentTarget", "groupId": guid.New()}
		},
		func() map[string]any {
			return map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}
		},
		func() map[string]any {
			return map[string]any{"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}
		},
	}
	out := make([]any, writers)
	for i := range out {
		out[i] = kinds[i%len(kinds)]()
	}
	return out
}

func (c *concurrent) run(ctx context.Context) error {
	s := c.s
	set, err := s.schemas()
	if err != nil {
		return err
	}
	writers, rounds := writersAndRounds(s.env.local())
	before := s.originalTarget
	s.wrote = true
	for range rounds {
		targets := roundTargets(writers)
		exs := make([]*check.Exchange, writers)
		errs := make([]error, writers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, t := range targets {
			body, _ := json.Marshal(map[string]any{"target": t})
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				exs[i], errs[i] = s.send(ctx, http.MethodPatch, s.assignmentURL(), body, requestMods{})
			}()
		}
		close(start) // all at once
		wg.Wait()
		c.rounds++
		var observed []any
		for i, ex := range exs {
			if errs[i] != nil {
				return errs[i] // no answer: the requirement cannot be judged
			}
			if ex.Status/100 == 2 {
				continue
			}
			observed = []any{before} // a refused write leaves room for the target before
			if c.statusErr != nil {
				continue
			}
			if err := check.NotServerError(ex); err != nil {
				c.statusErr = err
			} else if err := check.Schema(ex, set, s.env.version(), schema.Error); err != nil {
				c.statusErr = check.Within(err, "a refused concurrent PATCH")
			}
		}
		ex, err := s.send(ctx, http.MethodGet, s.assignmentURL(), nil, requestMods{})
		if err != nil {
			return err
		}
		if err := check.Status(ex, http.StatusOK); err != nil {
			return check.Within(err, "reading the assignment after a round")
		}
		if err := check.OneOf(ex, "/target", targets, observed, declaredTargetType); err != nil && c.outcomeErr == nil {
			c.outcomeErr = check.Within(err, fmt.Sprintf("after round %d of %d concurrent PATCHes by %d writers", c.rounds, rounds, writers))
		}
		doc, _ := check.DecodeJSON(ex.Body)
		before, _ = check.Resolve(doc, "/target")
		if c.statusErr != nil && c.outcomeErr != nil {
			break
		}
	}
	return nil
}
