package graphmock_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/graphmock"
)

// A client's test starts the mock in one line, seeds the doc page's assignment and updates it.
func ExampleNewServer() {
	s := graphmock.NewServer()
	defer s.Close()
	configID, assignmentID := s.Mock().Seed()

	patch := func(token string) {
		body := strings.NewReader(`{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget",
			"groupId": "b9a0ad8a-3c4b-4c2a-9e8f-2d1b5f0c7e11"}}`)
		req, err := http.NewRequest(http.MethodPatch,
			s.URL+"/deviceManagement/deviceEnrollmentConfigurations/"+configID+"/assignments/"+assignmentID, body)
		if err != nil {
			panic(err)
		}
		req.Header.Set("Authorization", "Bearer "+token) // Client does not authenticate
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.Client().Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	}
	patch(s.Token)
	patch(s.ReadToken)
	// Output:
	// 200 OK
	// 403 Forbidden
}

// Faults test a client's retries: here every second request is throttled with Retry-After.
func ExampleWithFaults() {
	s := graphmock.NewServer(graphmock.WithFaults(graphmock.Fault{Kind: "throttle", Every: 2, RetryAfter: "1"}))
	defer s.Close()
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/deviceManagement/deviceEnrollmentConfigurations", nil)
		req.Header.Set("Authorization", "Bearer "+s.ReadToken)
		resp, err := s.Client().Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After=%q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	fmt.Printf("%+v\n", s.FaultStats())
	// Output:
	// 200 Retry-After=""
	// 429 Retry-After="1"
	// {Requests:2 Throttled:1 Unavailable:0}
}

// WithHandler serves a deliberately broken variant: here one that drops the request-id header, which a
// conformance check must notice.
func ExampleWithHandler() {
	dropRequestID := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(headerDropper{w, "request-id"}, r)
		})
	}
	s := graphmock.NewServer(graphmock.WithHandler(dropRequestID))
	defer s.Close()
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/deviceManagement/deviceEnrollmentConfigurations", nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := s.Client().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Printf("%d request-id=%q\n", resp.StatusCode, resp.Header.Get("request-id"))
	// Output:
	// 200 request-id=""
}

// headerDropper removes one header just before the response is sent.
type headerDropper struct {
	http.ResponseWriter
	name string
}

func (d headerDropper) WriteHeader(code int) {
	d.Header().Del(d.name)
	d.ResponseWriter.WriteHeader(code)
}

func (d headerDropper) Write(b []byte) (int, error) {
	d.Header().Del(d.name)
	return d.ResponseWriter.Write(b)
}

// The store counts tell whether code under test cleaned up after itself.
func ExampleServer_Mock() {
	s := graphmock.NewServer()
	defer s.Close()
	s.Mock().Seed()
	req, _ := http.NewRequest(http.MethodDelete,
		s.URL+"/deviceManagement/deviceEnrollmentConfigurations/"+graphmock.SeedConfigurationID, nil)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := s.Client().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	configurations, assignments := s.Mock().Counts()
	fmt.Println(resp.StatusCode, configurations, assignments)
	// Output:
	// 204 0 0
}
