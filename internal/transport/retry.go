package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RetryPolicy bounds how a RetryTransport retries throttled (429) and
// unavailable (503) responses. The zero value means the defaults below.
type RetryPolicy struct {
	// MaxPerRequest is how many times one request may be re-sent (default 3).
	MaxPerRequest int
	// MaxPerRun is how many retries all requests through the transport may
	// spend together (default 1000: a full run is a few hundred requests, and
	// a service throttling one in three must still be testable), so a target
	// that throttles everything fails the run in bounded time instead of
	// stretching it indefinitely.
	MaxPerRun int
	// MaxDelay caps one wait (default 30s). A Retry-After asking for longer
	// is not honoured by waiting less: the response is returned as it is.
	MaxDelay time.Duration
	// BaseDelay is the first wait when a response carries no usable
	// Retry-After (default 500ms); it doubles with each attempt.
	BaseDelay time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxPerRequest <= 0 {
		p.MaxPerRequest = 3
	}
	if p.MaxPerRun <= 0 {
		p.MaxPerRun = 1000
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	return p
}

// RetryStats is what a RetryTransport did, for the run summary.
type RetryStats struct {
	Retries int // requests re-sent after a 429, a 503 or a transport error (sent, not merely planned)
	GaveUp  int // retryable outcomes returned as they were (a bound was reached)
}

// RetryTransport is an http.RoundTripper that re-sends a request answered
// with 429 Too Many Requests or 503 Service Unavailable, waiting as long as
// the response's Retry-After asks, within the bounds of its RetryPolicy.
//
// A request whose outcome is unknown is re-sent only when it is idempotent:
// a 429 or 503 says the server did not process the request, so any method may
// be retried after one, but a transport error on a POST or PATCH may come
// after the server acted on it, and is returned rather than risking a second
// creation. A request body is replayed through Request.GetBody; a request
// with a body and no GetBody is never re-sent.
type RetryTransport struct {
	base   http.RoundTripper
	policy RetryPolicy
	// sleep waits for d or until ctx ends; replaced in tests.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time

	mu       sync.Mutex
	stats    RetryStats
	reserved int // retries waiting to be sent, held against MaxPerRun
}

// NewRetryTransport wraps base (nil: NewTransport()).
func NewRetryTransport(base http.RoundTripper, p RetryPolicy) *RetryTransport {
	if base == nil {
		base = NewTransport()
	}
	return &RetryTransport{base: base, policy: p.withDefaults(), sleep: sleepCtx, now: time.Now}
}

// Stats reports the retries spent so far.
func (t *RetryTransport) Stats() RetryStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats
}

// Base is the transport the requests go through, without the retries.
func (t *RetryTransport) Base() http.RoundTripper { return t.base }

// Retries is Stats().Retries.
func (t *RetryTransport) Retries() int { return t.Stats().Retries }

// RoundTrip implements http.RoundTripper.
//
// A wait that would not end before the request's deadline (the per-request
// timeout) is not begun: the 429 or 503 is returned as it is, and the reason
// goes to the request's retry report (see WithRetryReport), so a failure
// says "Retry-After 120s exceeds the 30s left of the request's timeout"
// rather than "no response". A retry is counted when it is sent, not when
// its wait begins.
func (t *RetryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 {
			r = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := t.base.RoundTrip(r)

		var delay time.Duration
		var what string // what asked for the wait, for the reason a retry is not sent
		switch {
		case err != nil:
			if !idempotent(req.Method) || ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return nil, err
			}
			delay = t.backoff(attempt)
			what = "a backoff of " + seconds(delay)
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
			d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), t.now())
			if ok {
				what = "Retry-After " + seconds(d)
			} else {
				d = t.backoff(attempt)
				what = "a backoff of " + seconds(d) + " (no usable Retry-After)"
			}
			delay = d
		default:
			return resp, nil
		}

		if why := t.refuse(ctx, replayable, attempt, delay, what); why != "" {
			t.mu.Lock()
			t.stats.GaveUp++
			t.mu.Unlock()
			reportRetry(ctx, why)
			return resp, err
		}
		if resp != nil {
			// Drain a little so the connection can be reused, then let it go.
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		serr := t.sleep(ctx, delay)
		t.mu.Lock()
		t.reserved--
		if serr == nil {
			t.stats.Retries++ // sent just below
		}
		t.mu.Unlock()
		if serr != nil {
			return nil, serr
		}
	}
}

// refuse says why the request is not retried after waiting delay, or ""
// when it is: then one retry of the run's budget is reserved until the wait
// ends (RoundTrip counts it when the retry is sent).
func (t *RetryTransport) refuse(ctx context.Context, replayable bool, attempt int, delay time.Duration, what string) string {
	switch {
	case !replayable:
		return "not retried: the request body cannot be sent again"
	case attempt >= t.policy.MaxPerRequest:
		return fmt.Sprintf("not retried again: %d retries of this request are the most allowed", attempt)
	case delay > t.policy.MaxDelay:
		return fmt.Sprintf("not retried: %s exceeds the longest wait allowed, %s", what, seconds(t.policy.MaxDelay))
	}
	if dl, ok := ctx.Deadline(); ok {
		if left := dl.Sub(t.now()); delay >= left {
			return fmt.Sprintf("not retried: %s exceeds the %s left of the request's timeout", what, seconds(left.Round(100*time.Millisecond)))
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stats.Retries+t.reserved >= t.policy.MaxPerRun {
		return fmt.Sprintf("not retried: the run's %d retries are spent", t.policy.MaxPerRun)
	}
	t.reserved++
	return ""
}

// seconds renders d as Retry-After does: "120s", "0.5s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

type retryReportKey struct{}

// WithRetryReport returns ctx carrying report, which a RetryTransport calls
// (in the goroutine that sent the request) with the reason it returned a
// 429, a 503 or a transport error without retrying it: the response alone
// does not say, and a failure's reason should.
func WithRetryReport(ctx context.Context, report func(reason string)) context.Context {
	return context.WithValue(ctx, retryReportKey{}, report)
}

func reportRetry(ctx context.Context, reason string) {
	if f, ok := ctx.Value(retryReportKey{}).(func(string)); ok && f != nil {
		f(reason)
	}
}

func (t *RetryTransport) backoff(attempt int) time.Duration {
	d := time.Duration(float64(t.policy.BaseDelay) * math.Pow(2, float64(attempt)))
	if d > t.policy.MaxDelay || d <= 0 {
		d = t.policy.MaxDelay
	}
	return d
}

// idempotent reports whether sending the request twice has the effect of
// sending it once (RFC 9110 section 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// ParseRetryAfter reads a Retry-After header value: delay-seconds (Graph also
// sends decimals such as "0.5", accepted here), or an HTTP-date, which is
// turned into the time left after now (zero when it has passed). ok is false
// for an empty or unreadable value.
func ParseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) || secs > float64(math.MaxInt64/int64(time.Second)) {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
