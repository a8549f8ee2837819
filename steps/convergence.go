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
	lists := 1
	perr := poll(ctx, window, func() (bool, error) {
		ex, serr := s.send(ctx, http.MethodGet, first.URL, nil, requestMods{})
		if serr != nil {
			return false, serr
		}
		s.last = ex
		lists++
		_, _, err = s.collectionItem()
		return err == nil, nil
	})
	if perr != nil || err == nil {
		return perr
	}
	return check.Within(err, fmt.Sprintf("still missing after %d lists over the convergence window of %s", lists, window))
}

// awaitAssignmentIDs lists the configuration's assignments until the list shows the scenario's own
// assignment or the convergence window is over, and returns the last list: a check that nothing else
// appeared or vanished then looks at a list that has caught up.
func (s *scenario) awaitAssignmentIDs(ctx context.Context) (*check.Exchange, []string, error) {
	ex, ids, err := s.assignmentIDs(ctx)
	settled := func() bool { return err != nil || s.assignmentID == "" || containsID(ids, s.assignmentID) }
	if settled() {
		return ex, ids, err
	}
	if perr := poll(ctx, s.convergence(), func() (bool, error) {
		ex, ids, err = s.assignmentIDs(ctx)
		return settled(), nil
	}); perr != nil {
		return ex, ids, perr
	}
	return ex, ids, err
}

// poll calls try again and again, waiting firstPoll before the first call and twice as long before each
// next (maxPoll at the most), until try says it is done or fails (its error), ctx ends (ctx.Err()), or
// window has passed since the call (nil: the caller's last result stands).
func poll(ctx context.Context, window time.Duration, try func() (done bool, err error)) error {
	deadline := time.Now().Add(window)
	for wait := firstPoll; ; wait = min(2*wait, maxPoll) {
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		t := time.NewTimer(min(wait, left))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		if done, err := try(); done || err != nil {
			return err
		}
	}
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if strings.EqualFold(x, id) {
			return true
		}
	}
	return false
}
