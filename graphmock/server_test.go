package graphmock_test

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
)

// send makes one request to s with token ("" sends no Authorization header) and returns the status.
func send(t *testing.T, s *graphmock.Server, method, path, token, body string) int {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

const (
	listPath   = "/deviceManagement/deviceEnrollmentConfigurations"
	assignPath = listPath + "/" + graphmock.SeedConfigurationID + "/assignments/" + graphmock.SeedAssignmentID
	allDevices = `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`
)

func TestNewServer(t *testing.T) {
	s := graphmock.NewServer()
	t.Cleanup(s.Close)

	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/v1.0" {
		t.Errorf("URL: got %q; want http://127.0.0.1:PORT/v1.0", s.URL)
	}
	if len(s.Token) < 32 || len(s.ReadToken) < 32 || s.Token == s.ReadToken {
		t.Errorf("tokens: got %q and %q; want two different random values", s.Token, s.ReadToken)
	}
	other := graphmock.NewServer()
	t.Cleanup(other.Close)
	if other.Token == s.Token || other.ReadToken == s.ReadToken || other.URL == s.URL {
		t.Errorf("two servers share a token or a URL: %+v, %+v", s, other)
	}

	for _, tc := range []struct {
		name, method, path, token, body string
		want                            int
	}{
		{"no token: Client adds none", http.MethodGet, listPath, "", "", http.StatusUnauthorized},
		{"another server's token", http.MethodGet, listPath, other.Token, "", http.StatusUnauthorized},
		{"read with the read-only token", http.MethodGet, listPath, s.ReadToken, "", http.StatusOK},
		{"read with the read/write token", http.MethodGet, listPath, s.Token, "", http.StatusOK},
		{"unseeded store", http.MethodPatch, assignPath, s.Token, allDevices, http.StatusNotFound},
	} {
		if got := send(t, s, tc.method, tc.path, tc.token, tc.body); got != tc.want {
			t.Errorf("%s: %s %s: got %d; want %d", tc.name, tc.method, tc.path, got, tc.want)
		}
	}

	s.Mock().Seed()
	if got := send(t, s, http.MethodPatch, assignPath, s.ReadToken, allDevices); got != http.StatusForbidden {
		t.Errorf("PATCH with the read-only token: got %d; want 403", got)
	}
	if got := send(t, s, http.MethodPatch, assignPath, s.Token, allDevices); got != http.StatusOK {
		t.Errorf("PATCH with the read/write token: got %d; want 200", got)
	}
	if c, a := s.Mock().Counts(); c != 1 || a != 1 {
		t.Errorf("Counts after Seed: got %d configurations, %d assignments; want 1, 1", c, a)
	}
	if c, _ := other.Mock().Counts(); c != 0 {
		t.Errorf("another server's store: got %d configurations; want 0 (stores are not shared)", c)
	}
}

func TestServerClose(t *testing.T) {
	s := graphmock.NewServer()
	client := s.Client()
	s.Close()
	s.Close() // a second Close does nothing
	resp, err := client.Get(s.URL + listPath)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("GET after Close: got %s; want a connection error", resp.Status)
	}
}

func TestServerOptions(t *testing.T) {
	var order []string
	wrap := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	s := graphmock.NewServer(
		graphmock.WithVersion("beta"),
		graphmock.WithTokens("rw-token", ""),
		graphmock.WithHandler(wrap("inner")),
		graphmock.WithHandler(wrap("outer")),
	)
	t.Cleanup(s.Close)
	if !strings.HasSuffix(s.URL, "/beta") || s.Token != "rw-token" || s.ReadToken != "" {
		t.Errorf("got URL %q, tokens %q %q; want .../beta, rw-token and none", s.URL, s.Token, s.ReadToken)
	}
	if got := send(t, s, http.MethodGet, listPath, "rw-token", ""); got != http.StatusOK {
		t.Errorf("GET with the fixed token: got %d; want 200", got)
	}
	if strings.Join(order, ",") != "outer,inner" {
		t.Errorf("wrappers ran as %v; want outer,inner (the last WithHandler outermost)", order)
	}
}

func TestServerFaults(t *testing.T) {
	s := graphmock.NewServer(graphmock.WithFaults(graphmock.Fault{Kind: "throttle", Every: 2, RetryAfter: "1"}))
	t.Cleanup(s.Close)
	var got []int
	for range 4 {
		got = append(got, send(t, s, http.MethodGet, listPath, s.Token, ""))
	}
	if want := []int{200, 429, 200, 429}; !slices.Equal(got, want) {
		t.Errorf("statuses: got %v; want %v", got, want)
	}
	if st := s.FaultStats(); st.Requests != 4 || st.Throttled != 2 {
		t.Errorf("FaultStats: got %+v; want 4 requests, 2 throttled", st)
	}
	if st := graphmock.NewServer().FaultStats(); st != (graphmock.FaultStats{}) {
		t.Errorf("FaultStats without faults: got %+v; want zero", st)
	}
}

func TestNewServerPanicsOnBadOptions(t *testing.T) {
	for name, opt := range map[string]graphmock.ServerOption{
		"version with a slash": graphmock.WithVersion("v1.0/x"),
		"empty version":        graphmock.WithVersion(""),
		"empty token":          graphmock.WithTokens("", "r"),
		"equal tokens":         graphmock.WithTokens("t", "t"),
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if v := recover(); v == nil || !strings.HasPrefix(v.(string), "graphmock: ") {
					t.Errorf("got panic %v; want one starting \"graphmock: \"", v)
				}
			}()
			s := graphmock.NewServer(opt)
			s.Close()
		})
	}
}

// BenchmarkNewServer measures a server's start and stop: what each test that calls NewServer pays.
func BenchmarkNewServer(b *testing.B) {
	for b.Loop() {
		graphmock.NewServer().Close()
	}
}
