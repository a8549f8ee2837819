package transport

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestCallersClientReadsBoundedHeaders: the client NewClient builds around a caller's client (a run's Target.Client, sweep's) refuses a response whose
// headers run past 64 KiB, for a caller's client with an *http.Transport of Go's default limit (10 MB) and for
// none, and leaves the caller's transport as it was.
func TestCallersClientReadsBoundedHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.Repeat("x", 2<<20)+`"`)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	callers := &http.Transport{}
	for name, c := range map[string]*http.Client{"caller's": {Transport: callers}, "nil": nil} {
		cl, _, release := NewClient(c, 5*time.Second)
		// A POST: the run's client retries a GET's transport error, with backoff.
		resp, err := cl.Post(srv.URL+"/v1.0/x", "application/json", strings.NewReader("{}"))
		release()
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s client: got %s with 2 MB of headers; want the response refused", name, resp.Status)
		} else if !strings.Contains(err.Error(), "exceeded") {
			t.Errorf("%s client: error %v; want it to say the headers exceeded the limit", name, err)
		}
	}
	if callers.MaxResponseHeaderBytes != 0 {
		t.Errorf("the caller's transport was changed: MaxResponseHeaderBytes %d", callers.MaxResponseHeaderBytes)
	}
}
