package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/internal/check"
)

// TestSendBoundsTheBodyReadByTheTimeout: a target that sends its headers at once and then trickles (here:
// withholds) the body is cut off by the per-request timeout, even with a client of no timeout of its own (a
// caller's http.Client): the body is read under the request's deadline.
func TestSendBoundsTheBodyReadByTheTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"value":[`))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the rest never comes; ends when the client gives up
	}))
	defer srv.Close()
	s := &scenario{env: &Env{
		BaseURL: srv.URL + "/v1.0",
		Token:   func(context.Context) (string, error) { return "tok", nil },
		Client:  &http.Client{},
		Timeout: 200 * time.Millisecond,
	}}
	start := time.Now()
	ex, err := s.send(context.Background(), http.MethodGet, srv.URL+"/v1.0/x", nil, requestMods{})
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("send took %v; want it cut off by the 200ms timeout", elapsed)
	}
	f, ok := check.AsFailure(err)
	if !ok || !strings.Contains(f.Actual, "status 200 OK, its body cut off after 10 bytes (context deadline exceeded)") || ex == nil || ex.Status != http.StatusOK {
		t.Errorf("got %v (ok %v, ex %+v); want a failure reading the body of the 200", err, ok, ex)
	}
}
