package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"0.2", 200 * time.Millisecond, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"-1", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"soon", 0, false},
		{"Sat, 28 Nov 2026 20:00:05 GMT", 5 * time.Second, true},
		{"Saturday, 28-Nov-26 20:00:10 GMT", 10 * time.Second, true}, // RFC 850, still allowed by RFC 9110
		{"Sat Nov 28 20:00:02 2026", 2 * time.Second, true},          // asctime
		{"Sat, 28 Nov 2026 19:59:00 GMT", 0, true},                   // already passed: go now
	}
	for _, tc := range tests {
		got, ok := ParseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

// script answers the i-th request with steps[i] (the last step repeats).
type script struct {
	mu     sync.Mutex
	steps  []func(w http.ResponseWriter, r *http.Request)
	bodies []string
	n      int
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := s.n
	s.n++
	b, _ := io.ReadAll(r.Body)
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	if i >= len(s.steps) {
		i = len(s.steps) - 1
	}
	s.steps[i](w, r)
}

func (s *script) count() int { s.mu.Lock(); defer s.mu.Unlock(); return s.n }

func status(code int, retryAfter string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.WriteHeader(code)
		io.WriteString(w, `{"error":{"code":"x"}}`)
	}
}

type sleepLog struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *sleepLog) sleep(_ context.Context, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.d = append(l.d, d)
	return nil
}

func newTestTransport(p RetryPolicy) (*RetryTransport, *sleepLog) {
	rt := NewRetryTransport(nil, p)
	l := &sleepLog{}
	rt.sleep = l.sleep
	return rt, l
}

func TestRetryHonoursRetryAfterAndReplaysBody(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(429, "0.25"), status(503, "2"), status(200, ""),
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt, l := newTestTransport(RetryPolicy{})
	c := &http.Client{Transport: rt}

	// A PATCH answered 429/503 was not processed, so it may be sent again.
	req, _ := http.NewRequest(http.MethodPatch, srv.URL, strings.NewReader(`{"a":1}`))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d; want 200 after two retries", resp.StatusCode)
	}
	if got := rt.Stats(); got.Retries != 2 || got.GaveUp != 0 {
		t.Errorf("stats %+v; want 2 retries", got)
	}
	want := []time.Duration{250 * time.Millisecond, 2 * time.Second}
	if len(l.d) != 2 || l.d[0] != want[0] || l.d[1] != want[1] {
		t.Errorf("waits %v; want %v", l.d, want)
	}
	for i, b := range s.bodies {
		if b != `{"a":1}` {
			t.Errorf("attempt %d sent body %q; want the original body replayed", i, b)
		}
	}
}

func TestRetryBoundedPerRequest(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "0")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt, _ := newTestTransport(RetryPolicy{MaxPerRequest: 2})
	resp, err := (&http.Client{Transport: rt}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 {
		t.Errorf("status %d; want the last 429 returned", resp.StatusCode)
	}
	if s.count() != 3 {
		t.Errorf("server saw %d requests; want 1 + 2 retries", s.count())
	}
	if st := rt.Stats(); st.Retries != 2 || st.GaveUp != 1 {
		t.Errorf("stats %+v; want 2 retries, 1 given up", st)
	}
}

func TestRetryBoundedPerRun(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "0")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt, _ := newTestTransport(RetryPolicy{MaxPerRequest: 3, MaxPerRun: 4})
	c := &http.Client{Transport: rt}
	for range 3 {
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// 3 + 1 retries spent on the first two requests, none left for the third.
	if s.count() != 4+3 {
		t.Errorf("server saw %d requests; want 3 originals + 4 retries", s.count())
	}
	if st := rt.Stats(); st.Retries != 4 {
		t.Errorf("retries %d; want the run budget of 4", st.Retries)
	}
}

func TestRetryDoesNotWaitBeyondMaxDelay(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "3600"), status(200, "")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt, l := newTestTransport(RetryPolicy{MaxDelay: time.Minute})
	resp, err := (&http.Client{Transport: rt}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || len(l.d) != 0 || s.count() != 1 {
		t.Errorf("got status %d after %d requests, waits %v; want the 429 at once", resp.StatusCode, s.count(), l.d)
	}
}

// failing fails every round trip, as a reset connection would.
type failing struct{ n int }

func (f *failing) RoundTrip(*http.Request) (*http.Response, error) {
	f.n++
	return nil, errors.New("connection reset by peer")
}

func TestRetryTransportErrorOnlyWhenIdempotent(t *testing.T) {
	for _, tc := range []struct {
		method string
		sends  int
	}{
		{http.MethodPost, 1}, {http.MethodPatch, 1}, // outcome unknown: never twice
		{http.MethodGet, 4}, {http.MethodDelete, 4}, // idempotent: 1 + 3 retries
	} {
		f := &failing{}
		rt := NewRetryTransport(f, RetryPolicy{})
		rt.sleep = (&sleepLog{}).sleep
		req, _ := http.NewRequest(tc.method, "http://127.0.0.1:1/x", strings.NewReader("{}"))
		if _, err := rt.RoundTrip(req); err == nil {
			t.Errorf("%s: got no error", tc.method)
		}
		if f.n != tc.sends {
			t.Errorf("%s sent %d times; want %d", tc.method, f.n, tc.sends)
		}
	}
}

func TestRetryNeverResendsUnreplayableBody(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "0"), status(200, "")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt, _ := newTestTransport(RetryPolicy{})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, io.NopCloser(strings.NewReader("{}")))
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || s.count() != 1 {
		t.Errorf("status %d after %d requests; want the 429 returned, no retry without GetBody", resp.StatusCode, s.count())
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	// The run is cancelled (an interrupt) while a retry waits out a Retry-After within the request's deadline.
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "30")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt := NewRetryTransport(nil, RetryPolicy{})
	ctx, cancel := context.WithCancel(context.Background())
	rt.sleep = func(ctx context.Context, d time.Duration) error {
		cancel()
		return sleepCtx(ctx, d)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	start := time.Now()
	_, err := rt.RoundTrip(req)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v; want the context's cancellation", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("waited %v; want the wait cut short by the context", time.Since(start))
	}
	// The retry was planned, never sent: it is not counted.
	if st := rt.Stats(); st.Retries != 0 || s.count() != 1 {
		t.Errorf("stats %+v after %d requests; want 0 retries counted for the one never sent", st, s.count())
	}
}

// TestRetryAfterBeyondTheRequestTimeout: a Retry-After longer than the request's timeout is not waited for (the
// wait would end in "no response"): the 429 comes back at once with the reason, and no retry is counted.
func TestRetryAfterBeyondTheRequestTimeout(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(429, "120"), status(200, "")}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	rt, l := newTestTransport(RetryPolicy{MaxDelay: time.Hour})
	c := &http.Client{Transport: rt, Timeout: 5 * time.Second}
	var reasons []string
	ctx := WithRetryReport(context.Background(), func(r string) { reasons = append(reasons, r) })
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("got %v; want the 429 response itself", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || len(l.d) != 0 || s.count() != 1 {
		t.Errorf("got status %d after %d requests, waits %v; want the 429 at once, no wait", resp.StatusCode, s.count(), l.d)
	}
	if st := rt.Stats(); st.Retries != 0 || st.GaveUp != 1 {
		t.Errorf("stats %+v; want 0 retries, 1 given up", st)
	}
	if len(reasons) != 1 || !strings.Contains(reasons[0], "Retry-After 120s exceeds the ") || !strings.HasSuffix(reasons[0], "s left of the request's timeout") {
		t.Errorf("reported %q; want one reason saying Retry-After 120s exceeds what is left of the request's timeout", reasons)
	}

	// A Retry-After within the timeout is honoured.
	s = &script{steps: []func(http.ResponseWriter, *http.Request){status(503, "0.5"), status(200, "")}}
	srv2 := httptest.NewServer(s)
	defer srv2.Close()
	resp, err = c.Get(srv2.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || rt.Stats().Retries != 1 {
		t.Errorf("got status %d, %d retries; want 200 after 1 retry", resp.StatusCode, rt.Stats().Retries)
	}
}
