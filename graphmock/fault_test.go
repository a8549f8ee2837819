package graphmock

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	tests := []struct {
		spec    string
		want    Fault
		wantErr string
	}{
		{spec: "throttle:every=3,retry-after=0.2", want: Fault{Kind: "throttle", Every: 3, RetryAfter: "0.2"}},
		{spec: "throttle:every=1", want: Fault{Kind: "throttle", Every: 1}},
		{spec: " throttle:retry-after=2, every=5 ", want: Fault{Kind: "throttle", Every: 5, RetryAfter: "2"}},
		{spec: "unavailable:rate=0.25", want: Fault{Kind: "unavailable", Rate: 0.25, Seed: 1}},
		{spec: "unavailable:rate=1,seed=42,retry-after=0", want: Fault{Kind: "unavailable", Rate: 1, Seed: 42, RetryAfter: "0"}},
		{spec: "latency:50ms", want: Fault{Kind: "latency", Latency: 50 * time.Millisecond}},
		{spec: "latency:d=1s", want: Fault{Kind: "latency", Latency: time.Second}},

		{spec: "throttle", wantErr: "needs every=N"},
		{spec: "throttle:every=0", wantErr: "want an integer >= 1"},
		{spec: "throttle:every=x", wantErr: "want an integer >= 1"},
		{spec: "throttle:every=2,retry-after=-1", wantErr: "retry-after"},
		{spec: "throttle:every=2,retry-after=soon", wantErr: "retry-after"},
		{spec: "throttle:every=2,every=3", wantErr: "given twice"},
		{spec: "throttle:every=2,burst=3", wantErr: `unknown parameter "burst"`},
		{spec: "throttle:every", wantErr: "want key=value"},
		{spec: "unavailable", wantErr: "needs rate=P"},
		{spec: "unavailable:rate=1.5", wantErr: "probability"},
		{spec: "unavailable:rate=0.5,seed=-2", wantErr: "seed"},
		{spec: "latency", wantErr: "needs a duration"},
		{spec: "latency:fast", wantErr: "duration"},
		{spec: "latency:2h", wantErr: "duration"},
		{spec: "flood:every=2", wantErr: `unknown kind "flood"`},
		{spec: "", wantErr: "unknown kind"},
	}
	for _, tc := range tests {
		got, err := ParseFault(tc.spec)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseFault(%q) error = %v; want one containing %q", tc.spec, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseFault(%q) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
			continue
		}
		// String renders a spec that parses back to the same fault.
		if again, err := ParseFault(got.String()); err != nil || again != got {
			t.Errorf("ParseFault(%q.String() = %q) = %+v, %v; want a round trip", tc.spec, got.String(), again, err)
		}
	}
}

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
}

func serve(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestThrottleEveryN(t *testing.T) {
	f, _ := ParseFault("throttle:every=3,retry-after=0.2")
	fi := NewFaultInjector(f)
	h := fi.Wrap(okHandler())
	var got []int
	for range 7 {
		rec := serve(h, "/v1.0/deviceManagement/deviceEnrollmentConfigurations")
		got = append(got, rec.Code)
		if rec.Code == http.StatusTooManyRequests {
			if ra := rec.Header().Get("Retry-After"); ra != "0.2" {
				t.Errorf("Retry-After %q; want 0.2", ra)
			}
			if !strings.Contains(rec.Body.String(), `"code":"TooManyRequests"`) || rec.Header().Get("request-id") == "" {
				t.Errorf("429 body %s, headers %v; want Graph's error shape and a request-id", rec.Body, rec.Header())
			}
		}
	}
	want := []int{200, 200, 429, 200, 200, 429, 200}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v; want %v", got, want)
		}
	}
	if st := fi.Stats(); st.Throttled != 2 || st.Requests != 7 {
		t.Errorf("stats %+v; want 2 throttled of 7", st)
	}
	// Readiness probes are never faulted, nor counted.
	for range 5 {
		if rec := serve(h, "/healthz"); rec.Code != http.StatusOK {
			t.Fatalf("/healthz got %d; want 200", rec.Code)
		}
	}
}

func TestUnavailableIsDeterministicPerSeed(t *testing.T) {
	run := func(spec string) string {
		f, err := ParseFault(spec)
		if err != nil {
			t.Fatal(err)
		}
		h := NewFaultInjector(f).Wrap(okHandler())
		var b strings.Builder
		for range 200 {
			if serve(h, "/v1.0/x").Code == http.StatusServiceUnavailable {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	a, b := run("unavailable:rate=0.3,seed=7"), run("unavailable:rate=0.3,seed=7")
	if a != b {
		t.Errorf("same seed, different schedules:\n%s\n%s", a, b)
	}
	if c := run("unavailable:rate=0.3,seed=8"); c == a {
		t.Errorf("different seeds gave the same schedule")
	}
	if n := strings.Count(a, "x"); n < 30 || n > 90 {
		t.Errorf("%d of 200 unavailable at rate 0.3; want roughly 60", n)
	}
	if n := strings.Count(run("unavailable:rate=0"), "x"); n != 0 {
		t.Errorf("rate 0 injected %d faults", n)
	}
	if n := strings.Count(run("unavailable:rate=1"), "x"); n != 200 {
		t.Errorf("rate 1 injected %d of 200", n)
	}
}

func TestLatencyDelaysAndHonoursCancel(t *testing.T) {
	f, _ := ParseFault("latency:40ms")
	h := NewFaultInjector(f).Wrap(okHandler())
	start := time.Now()
	if rec := serve(h, "/v1.0/x"); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("served in %v; want at least 40ms", d)
	}

	f, _ = ParseFault("latency:1m")
	h = NewFaultInjector(f).Wrap(okHandler())
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start = time.Now()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/v1.0/x", nil).WithContext(ctx))
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a cancelled request waited %v", d)
	}
}

func TestNoFaultsIsPassThrough(t *testing.T) {
	next := okHandler()
	if h := NewFaultInjector().Wrap(next); serve(h, "/v1.0/x").Code != 200 {
		t.Error("no faults: want the handler's own answer")
	}
}
