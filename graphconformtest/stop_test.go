package graphconformtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock"
)

// dying serves the mock for the first alive requests, then answers nothing: every later request waits until
// its client gives up.
type dying struct {
	alive   int
	release chan struct{} // closed when the test ends
	mu      sync.Mutex
	n       int
	hung    int
}

func (d *dying) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		d.n++
		dead := d.n > d.alive
		if dead {
			d.hung++
		}
		d.mu.Unlock()
		if dead {
			// Read the body first: the server notices the client going only once it reads past the body.
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-d.release:
			}
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (d *dying) hungRequests() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hung
}

// A target that stops answering (issue 10, item 9) cost every remaining request its timeout, and the run said
// nothing about it. Now three requests in a row without an answer stop the run: nothing more is sent, the
// scenarios not run say why, and the run ends in about that many timeouts.
func TestDeadTargetStopsTheRun(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	d := &dying{alive: 30, release: make(chan struct{})}
	s := graphmock.NewServer(graphmock.WithHandler(d.wrap))
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(d.release) }) // before Close, which waits for the handlers
	res, err := graphconformtest.Check(context.Background(),
		graphconformtest.Target{BaseURL: s.URL, Token: graphconformtest.StaticToken(s.Token), ReadToken: graphconformtest.StaticToken(s.ReadToken)},
		graphconformtest.Timeout(timeout), graphconformtest.Concurrency(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d scenarios: %d passed, %d failed, %d not run in %v; %d requests hung; %d leftovers",
		len(res.Outcomes), res.Count(graphconformtest.StatusPassed), res.Count(graphconformtest.StatusFailed),
		res.Count(graphconformtest.StatusNotRun), res.Duration.Round(time.Millisecond), d.hungRequests(), len(res.Leftovers))
	if res.Passed() {
		t.Fatal("the run passed against a target that stopped answering")
	}
	notRun := res.Count(graphconformtest.StatusNotRun)
	if notRun < len(res.Outcomes)/2 {
		t.Errorf("%d of %d scenarios not run; want most of them: the target died after 30 requests", notRun, len(res.Outcomes))
	}
	for _, o := range res.Outcomes {
		if o.Status == graphconformtest.StatusNotRun && !strings.Contains(o.Reason, "the target stopped answering: 3 requests in a row got no response") {
			t.Errorf("%s (%s) not run, reason %q; want it to say the target stopped answering", o.ID, o.Scenario, o.Reason)
			break
		}
	}
	// Three unanswered, and at most one more that was in flight beside them; nothing after.
	if hung := d.hungRequests(); hung > 4 {
		t.Errorf("%d requests reached the dead target; want at most 4", hung)
	}
	if res.Duration > 10*timeout+2*time.Second {
		t.Errorf("the run took %v; want about three request timeouts (%v each)", res.Duration, timeout)
	}
	// What the scenarios in flight created is on the target still, and said so.
	for _, l := range res.Leftovers {
		t.Logf("leftover: %s", l)
	}
	if c, _ := s.Mock().Counts(); c > 0 && !strings.Contains(strings.Join(res.Leftovers, "\n"), "could not delete") {
		t.Errorf("the target holds %d configurations; the leftovers do not say so: %q", c, res.Leftovers)
	}
}

// A run whose context ends (an interrupt, a deadline) starts no scenario after that: each is not run, with the
// cause; what the scenarios created is deleted, and nothing named after the run is left on the target.
func TestCancelledRunReportsNotRunWithTheCause(t *testing.T) {
	t.Parallel()
	cause := errors.New("stopped by the test after the 40th request")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	var mu sync.Mutex
	n := 0
	s := graphmock.NewServer(graphmock.WithHandler(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			if n++; n == 40 {
				cancel(cause)
			}
			mu.Unlock()
			next.ServeHTTP(w, r)
		})
	}))
	t.Cleanup(s.Close)
	res, err := graphconformtest.Check(ctx,
		graphconformtest.Target{BaseURL: s.URL, Token: graphconformtest.StaticToken(s.Token), ReadToken: graphconformtest.StaticToken(s.ReadToken)},
		graphconformtest.Concurrency(2))
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed() || res.Count(graphconformtest.StatusNotRun) == 0 {
		t.Fatalf("passed %v, %d not run; want a failed run with scenarios not run", res.Passed(), res.Count(graphconformtest.StatusNotRun))
	}
	for _, o := range res.Outcomes {
		if o.Status == graphconformtest.StatusNotRun && !strings.Contains(o.Reason, cause.Error()) {
			t.Errorf("%s not run, reason %q; want the cause", o.ID, o.Reason)
			break
		}
	}
	if c, a := s.Mock().Counts(); c != 0 || a != 0 || len(res.Leftovers) > 0 {
		t.Errorf("the target holds %d configurations, %d assignments; leftovers %q; want none", c, a, res.Leftovers)
	}
}
