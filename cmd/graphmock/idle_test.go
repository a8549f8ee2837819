package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestExitWhenIdle(t *testing.T) {
	stopped := make(chan time.Time, 1)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	start := time.Now()
	h := exitWhenIdle(ok, 200*time.Millisecond, func() { stopped <- time.Now() })

	// Requests every 50ms keep it alive well past the idle time.
	for range 8 {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))
		select {
		case <-stopped:
			t.Fatalf("stopped after %v although requests kept coming", time.Since(start))
		case <-time.After(50 * time.Millisecond):
		}
	}
	lastRequest := time.Now()
	select {
	case at := <-stopped:
		if idle := at.Sub(lastRequest); idle < 150*time.Millisecond {
			t.Errorf("stopped %v after the last request; want about 200ms", idle)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("not stopped 5s after the last request")
	}
}
