package graphconformtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/graphconform/graphconform/internal/transport"
)

// deadTargetAfter is how many requests in a row may go unanswered (a transport error or the per-request
// timeout, after any retry) before the run takes the target for dead: it stops sending, reports the
// scenarios it did not get to as not run with that reason, and ends. A run against a target that stopped
// answering then costs about deadTargetAfter request timeouts, not one per request left.
const deadTargetAfter = 3

// runStop is how a run stops early: its context, cancelled with the cause (the caller's ctx ending, such as an
// interrupt or a deadline, or the target no longer answering), and the time it stopped.
type runStop struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	mu     sync.Mutex
	at     time.Time // zero until the run stops
}

func newRunStop(parent context.Context) *runStop {
	ctx, cancel := context.WithCancelCause(parent)
	s := &runStop{ctx: ctx, cancel: cancel}
	context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.at = time.Now()
		s.mu.Unlock()
	})
	return s
}

// stoppedAt is when the run stopped; zero while it goes on.
func (s *runStop) stoppedAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.at
}

// why says why the run stopped, for a reason: the cause of the cancellation.
func (s *runStop) why() string {
	cause := context.Cause(s.ctx)
	switch {
	case cause == nil:
		return ""
	case errors.Is(cause, context.Canceled) && cause.Error() == context.Canceled.Error():
		return "the run was cancelled"
	}
	return cause.Error()
}

// deadTarget is a RoundTripper that counts the requests in a row that got no response. At deadTargetAfter it
// stops the run, and from then on it refuses to send: every request fails at once with the reason, the
// scenarios' clean-up included (what they created is then reported as left behind, with the way to sweep it).
// A failure that the run's own stop caused (its context ended) is not the target's and is not counted.
type deadTarget struct {
	base  http.RoundTripper
	stop  *runStop
	limit int

	mu    sync.Mutex
	fails int
	dead  error // set once the target is taken for dead
}

// errTargetDead says the run stopped because the target stopped answering.
type errTargetDead struct {
	n    int
	last error
}

func (e *errTargetDead) Error() string {
	return fmt.Sprintf("the target stopped answering: %d requests in a row got no response (the last: %v)", e.n, e.last)
}

func (d *deadTarget) RoundTrip(req *http.Request) (*http.Response, error) {
	d.mu.Lock()
	dead := d.dead
	d.mu.Unlock()
	if dead != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, fmt.Errorf("%w: %w", transport.ErrNotSent, dead)
	}
	resp, err := d.base.RoundTrip(req)
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case err == nil:
		d.fails = 0
	case d.stop.ctx.Err() != nil, errors.Is(err, context.Canceled):
		// the run's own stop, or a request its scenario gave up: not the target's silence
	default:
		d.fails++
		if d.fails >= d.limit && d.dead == nil {
			d.dead = &errTargetDead{n: d.fails, last: err}
			d.stop.cancel(d.dead)
		}
	}
	return resp, err
}
