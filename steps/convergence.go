package steps

// Read-your-writes on collections. A list made right after a create should show the new item (SHOULD);
// a service whose lists are eventually consistent must show it within a bounded window (MUST), which
// the suite waits out by listing again with backoff.

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// Step expressions, compiled once: godog compiles a string expression every time a scenario registers it.
var (
	reHoldsAtOnce = regexp.MustCompile(`^the response collection holds the created entity at once$`)
)

// DefaultConvergence is how long a collection may lag a write when Env.Convergence is 0: none for a
// service on this machine (a mock), 30 s for any other (a replicated store).
func DefaultConvergence(local bool) time.Duration {
	if local {
		return 0
	}
	return 30 * time.Second
}

// Backoff between lists while waiting for a collection to converge.
const (
	firstPoll = 100 * time.Millisecond
	maxPoll   = 5 * time.Second
)

func (s *scenario) registerConvergence(sc *godog.ScenarioContext) {
	sc.Step(reHoldsAtOnce, func() error {
		_, _, err := s.collectionItem()
		return err
	})
}

func (s *scenario) convergence() time.Duration {
	switch {
	case s.env.Convergence < 0:
		return 0
	case s.env.Convergence > 0:
		return s.env.Convergence
	}
	return DefaultConvergence(s.env.local())
}

// awaitInCollection passes when the last list holds the created entity, or one made again within the
// convergence window does (that list becomes the last exchange, for the checks that follow).
func (s *scenario) awaitInCollection(ctx context.Context) error {
	_, _, err := s.collectionItem()
	window := s.convergence()
	first, lerr := s.lastExchange()
	if err == nil || window <= 0 || lerr != nil || first.Method != http.MethodGet || first.Status != http.StatusOK {
		return err
	}
	deadline := time.Now().Add(window)
	wait, lists := firstPoll, 1
	for {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		t := time.NewTimer(min(wait, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		ex, serr := s.send(ctx, http.MethodGet, first.URL, nil, requestMods{})
		if serr != nil {
			return serr
		}
		s.last = ex
		lists++
		if _, _, err = s.collectionItem(); err == nil {
			return nil
		}
		wait = min(2*wait, maxPoll)
	}
	return check.Within(err, fmt.Sprintf("still missing after %d lists over the convergence window of %s", lists, window))
}

// awaitAssignmentIDs lists the configuration's assignments until the list shows the scenario's own
// assignment or the convergence window is over, and returns the last list: a check that nothing else
// appeared or vanished then looks at a list that has caught up.
func (s *scenario) awaitAssignmentIDs(ctx context.Context) (*check.Exchange, []string, error) {
	ex, ids, err := s.assignmentIDs(ctx)
	deadline := time.Now().Add(s.convergence())
	for wait := firstPoll; err == nil && s.assignmentID != "" && !containsID(ids, s.assignmentID); wait = min(2*wait, maxPoll) {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		t := time.NewTimer(min(wait, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return ex, ids, ctx.Err()
		case <-t.C:
		}
		ex, ids, err = s.assignmentIDs(ctx)
	}
	return ex, ids, err
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}
