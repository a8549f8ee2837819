package graphmock_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/syncio"
)

// TestConcurrentWrites: parallel clients create, patch, list and delete over the wire (run with -race);
// every answer is the expected one and the store ends as it began.
func TestConcurrentWrites(t *testing.T) {
	s := newServer(t, testConfig())
	const workers, rounds = 16, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				if err := round(t, s, w, i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c, a := s.mock.Counts(); c != 1 || a != 1 {
		t.Errorf("Counts: got %d configurations, %d assignments; want the seed's 1, 1", c, a)
	}
}

// round is one worker's life cycle of a configuration, with PATCHes of the shared seeded assignment.
func round(t *testing.T, s *server, w, i int) error {
	step := func(c call, want int) (response, error) {
		r := s.do(t, c)
		if r.StatusCode != want {
			return r, fmt.Errorf("worker %d round %d: %s %s: got %d; want %d: %s", w, i, c.method, c.path, r.StatusCode, want, r.body)
		}
		return r, nil
	}
	r, err := step(call{method: "POST", path: configsPath, body: `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","limit":1}`}, 201)
	if err != nil {
		return err
	}
	cfg := configsPath + "/" + object(t, r)["id"].(string)
	var ids []string
	for range 3 {
		r, err := step(call{method: "POST", path: cfg + "/assignments", body: `{"target":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}}`}, 201)
		if err != nil {
			return err
		}
		ids = append(ids, object(t, r)["id"].(string))
	}
	group := fmt.Sprintf(`{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"w%d-r%d"}}`, w, i)
	if r, err = step(call{method: "PATCH", path: seedAssign, body: group}, 200); err != nil {
		return err
	}
	if !strings.Contains(string(r.body), "groupAssignmentTarget") {
		return fmt.Errorf("worker %d: PATCH answered %s", w, r.body)
	}
	if _, err := step(call{method: "PATCH", path: cfg + "/assignments/" + ids[0], body: group}, 200); err != nil {
		return err
	}
	if r, err = step(call{method: "GET", path: cfg + "/assignments"}, 200); err != nil {
		return err
	}
	if n := strings.Count(string(r.body), `"id"`); n != 3 {
		return fmt.Errorf("worker %d: listed %d assignments; want 3: %s", w, n, r.body)
	}
	if _, err := step(call{method: "GET", path: configsPath}, 200); err != nil {
		return err
	}
	if _, err := step(call{method: "DELETE", path: cfg + "/assignments/" + ids[1]}, 204); err != nil {
		return err
	}
	if _, err := step(call{method: "DELETE", path: cfg}, 204); err != nil {
		return err
	}
	_, err = step(call{method: "PATCH", path: cfg + "/assignments/" + ids[2], body: group}, 404)
	return err
}

// TestPanicBecomes500: a panic inside the handler chain answers a 500 in Graph's shape with Graph's
// headers, and is logged with its stack.
func TestPanicBecomes500(t *testing.T) {
	var logs syncio.Buffer
	cfg := testConfig()
	cfg.Logger = newLogger(&logs)
	cfg.Middleware = []func(http.Handler) http.Handler{func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Panic") != "" {
				panic("boom")
			}
			next.ServeHTTP(w, r)
		})
	}}
	s := newServer(t, cfg)
	r := s.do(t, call{method: "GET", path: seedAssign, header: map[string]string{"X-Panic": "1", "client-request-id": "c1"}})
	checkError(t, r, errorCase{status: 500, code: graphmock.CodeGeneralException, call: call{header: map[string]string{"client-request-id": "c1"}}})
	logged := logs.String()
	if !strings.Contains(logged, "boom") || !strings.Contains(logged, "goroutine") {
		t.Errorf("log: got %q; want the panic and its stack", logged)
	}
	// The server still serves.
	wantStatus(t, s.do(t, call{method: "GET", path: seedAssign}), http.StatusOK)
}

// TestOversizedChunkedBody: a body without Content-Length is cut at the limit by MaxBytesReader: 413.
func TestOversizedChunkedBody(t *testing.T) {
	cfg := testConfig()
	cfg.MaxBodyBytes = 64
	s := newServer(t, cfg)
	body := `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"` + strings.Repeat("g", 100) + `"}}`
	req, _ := http.NewRequestWithContext(context.Background(), "PATCH", s.URL+seedAssign, io.NopCloser(strings.NewReader(body)))
	req.ContentLength = -1 // chunked
	req.Header.Set("Authorization", "Bearer "+tokWrite)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkError(t, response{Response: resp, body: b}, errorCase{status: 413, code: graphmock.CodeInvalidRequest, mentions: "64 bytes"})
	// Under the limit is fine.
	wantStatus(t, s.do(t, call{method: "PATCH", path: seedAssign, body: `{}`}), http.StatusOK)
}

// TestErrorOutsideTheMock: WriteError gives wrappers of the mock the same shape and ids.
func TestErrorOutsideTheMock(t *testing.T) {
	rec := httptest.NewRecorder()
	graphmock.WriteError(rec, http.StatusTooManyRequests, "TooManyRequests", "slow down")
	req := httptest.NewRequest("GET", "/v1.0/x", nil)
	r := response{Response: rec.Result(), body: rec.Body.Bytes()}
	r.Request = req
	checkGraphHeaders(t, r, "")
	graphError(t, r)
}
