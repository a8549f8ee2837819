package graphconformtest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/cleanup"
	"github.com/graphconform/graphconform/steps"
)

// runLookup finds by displayName, and deletes, what a run created without its scenarios learning the id: the
// creates whose answer was lost (timed out, cut off) and, when the run stopped early, anything named after the
// run (a scenario stopped between its create and its clean-up). It touches nothing else: every name it deletes
// is the run's own, graphconform-<run id>-...
type runLookup struct {
	svc     cleanup.Service
	runID   string
	lost    map[string]time.Time // displayName -> when its create was lost
	stopped bool
	timeout time.Duration // per request
}

// do looks up and deletes, and returns the leftovers: what it found and could not delete, what it could not
// look up, and the lost creates it did not find (the service may list them later). It has its own deadline:
// ctx may already be cancelled (an interrupt).
func (l runLookup) do(ctx context.Context) []string {
	if len(l.lost) == 0 && !l.stopped {
		return nil
	}
	// A create the service answered late may land a little after its request gave up: a second look, at most
	// one request timeout after the last was lost, and the lists and deletes, each bounded by the timeout.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*l.timeout+5*time.Second)
	defer cancel()
	prefix := steps.NamePrefix + l.runID + "-"
	missing := maps.Clone(l.lost)
	match := func(name string) bool {
		if l.stopped && strings.HasPrefix(name, prefix) {
			return true
		}
		_, ok := missing[name]
		return ok
	}
	var leftovers []string
	unlisted := "the service did not list it by the end of the run; it may yet appear"
	for look := 0; ; look++ {
		deleted, failed, err := l.svc.Remove(ctx, match)
		for _, c := range deleted {
			delete(missing, c.Name)
		}
		for _, f := range failed {
			delete(missing, f.Name)
			leftovers = append(leftovers, fmt.Sprintf("%s: not deleted: %v", f.Config, f.Err))
		}
		if err != nil {
			leftovers = append(leftovers, fmt.Sprintf("what the run created and lost track of could not be looked up (configurations named %s*): %v", prefix, err))
			unlisted = "it could not be looked up"
			break
		}
		wait := time.Duration(0)
		for _, at := range missing {
			wait = max(wait, time.Until(at.Add(l.timeout)))
		}
		if len(missing) == 0 || look == 1 || wait <= 0 {
			break
		}
		l.stopped = false // the second look is for the missing names only
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	for _, name := range slices.Sorted(maps.Keys(missing)) {
		leftovers = append(leftovers, fmt.Sprintf("configuration named %q: its create got no answer, and %s", name, unlisted))
	}
	return leftovers
}
