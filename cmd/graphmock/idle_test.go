package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestExitWhenIdle(t *testing.T) {
	const idle = time.Second // far above the 50ms between requests, so a loaded machine cannot fake an idle spell
	stopped := make(chan time.Time, 1)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	start := time.Now()
	h := exitWhenIdle(ok, idle, func() { stopped <- time.Now() })

	// Requests every 50ms keep it alive well past the idle time.
	var lastRequest time.Time
	for range 30 {
		lastRequest = time.Now() // before the handler resets its timer: the stop is at least idle after this
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))
		select {
		case <-stopped:
			t.Fatalf("stopped after %v although requests kept coming", time.Since(start))
		case <-time.After(50 * time.Millisecond):
		}
	}
	select {
	case at := <-stopped:
		// Never early; how late is the scheduler's business, not this test's.
		if got := at.Sub(lastRequest); got < idle {
			t.Errorf("stopped %v after the last request; want at least %v", got, idle)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("not stopped 30s after the last request")
	}
}
