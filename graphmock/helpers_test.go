package graphmock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/schema"
	"github.com/graphconform/graphconform/internal/syncio"
)

// Tokens of the test servers and the scopes they grant.
const (
	tokWrite       = "tok-write"        // DeviceManagementServiceConfig.ReadWrite.All
	tokConfigWrite = "tok-config-write" // DeviceManagementConfiguration.ReadWrite.All
	tokRead        = "tok-read"         // DeviceManagementServiceConfig.Read.All
	tokConfigRead  = "tok-config-read"  // DeviceManagementConfiguration.Read.All
	tokNoScope     = "tok-none"         // a valid token without any scope of the family
)

// The seed page's example request body.
const seedPatchBody = `{
  "@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}`

var guidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func testConfig() graphmock.Config {
	return graphmock.Config{Tokens: map[string][]string{
		tokWrite:       {graphmock.ScopeServiceConfigReadWrite},
		tokConfigWrite: {graphmock.ScopeConfigurationReadWrite},
		tokRead:        {graphmock.ScopeServiceConfigRead},
		tokConfigRead:  {graphmock.ScopeConfigurationRead},
		tokNoScope:     {"User.Read"},
	}}
}

// server is a seeded mock behind a real HTTP server on loopback.
type server struct {
	*httptest.Server
	mock *graphmock.Mock
}

func newServer(t testing.TB, cfg graphmock.Config) *server {
	t.Helper()
	m := graphmock.New(cfg)
	m.Seed()
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return &server{Server: srv, mock: m}
}

const (
	configsPath = "/v1.0/deviceManagement/deviceEnrollmentConfigurations"
	seedConfig  = configsPath + "/" + graphmock.SeedConfigurationID
	seedAssigns = seedConfig + "/assignments"
	seedAssign  = seedAssigns + "/" + graphmock.SeedAssignmentID
)

func versioned(version, path string) string {
	return strings.Replace(path, "/v1.0/", "/"+version+"/", 1)
}

// call is one request; zero fields mean: the writer token, JSON content type when there is a body.
type call struct {
	method, path, body string
	token              string // "" -> tokWrite; "-" -> no Authorization header
	header             map[string]string
}

type response struct {
	*http.Response
	body []byte
}

func (s *server) do(t testing.TB, c call) response {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(t.Context(), c.method, s.URL+c.path, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	switch c.token {
	case "":
		req.Header.Set("Authorization", "Bearer "+tokWrite)
	case "-":
	default:
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", c.method, c.path, err)
	}
	return response{Response: resp, body: b}
}

// checkGraphHeaders checks what every response carries, whatever its status.
func checkGraphHeaders(t testing.TB, r response, sentClientID string) {
	t.Helper()
	reqID := r.Header.Get("request-id")
	if !guidRE.MatchString(reqID) {
		t.Errorf("request-id: got %q; want a GUID", reqID)
	}
	want := sentClientID
	if want == "" {
		want = reqID
	}
	if got := r.Header.Get("client-request-id"); got != want {
		t.Errorf("client-request-id: got %q; want %q", got, want)
	}
	if got := r.Header.Get("OData-Version"); got != "4.0" {
		t.Errorf("OData-Version: got %q; want 4.0", got)
	}
	if d := r.Header.Get("Date"); d == "" {
		t.Errorf("Date: missing")
	} else if _, err := http.ParseTime(d); err != nil {
		t.Errorf("Date: got %q; want an HTTP date: %v", d, err)
	}
	if len(r.body) > 0 && r.Request.URL.Path != "/healthz" {
		checkJSONMediaType(t, r)
	}
}

func checkJSONMediaType(t testing.TB, r response) {
	t.Helper()
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		t.Errorf("Content-Type: got %q; want application/json with parameters", ct)
		return
	}
	for k, v := range map[string]string{"odata.metadata": "minimal", "odata.streaming": "true",
		"ieee754compatible": "false", "charset": "utf-8"} {
		if params[k] != v {
			t.Errorf("Content-Type parameter %s: got %q; want %q (in %q)", k, params[k], v, ct)
		}
	}
}

// graphError decodes Graph's error object and checks its shape against the response headers.
func graphError(t testing.TB, r response) (code, message string) {
	t.Helper()
	var e struct {
		Error struct {
			Code       *string `json:"code"`
			Message    *string `json:"message"`
			InnerError struct {
				Date            string `json:"date"`
				RequestID       string `json:"request-id"`
				ClientRequestID string `json:"client-request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body: %v; got %s", err, r.body)
	}
	if e.Error.Code == nil || *e.Error.Code == "" || e.Error.Message == nil || *e.Error.Message == "" {
		t.Fatalf("error body: code and message required; got %s", r.body)
	}
	in := e.Error.InnerError
	if in.RequestID != r.Header.Get("request-id") {
		t.Errorf("innerError.request-id: got %q; want the header's %q", in.RequestID, r.Header.Get("request-id"))
	}
	if in.ClientRequestID != r.Header.Get("client-request-id") {
		t.Errorf("innerError.client-request-id: got %q; want the header's %q", in.ClientRequestID, r.Header.Get("client-request-id"))
	}
	if _, err := time.Parse(time.RFC3339, in.Date); err != nil {
		t.Errorf("innerError.date: got %q; want RFC 3339: %v", in.Date, err)
	}
	return *e.Error.Code, *e.Error.Message
}

// object decodes a JSON object body.
func object(t testing.TB, r response) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body: %v; got %s", err, r.body)
	}
	return m
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// conforms checks a response body against the suite's response schema.
func conforms(t testing.TB, version string, name schema.Name, r response) {
	t.Helper()
	set, err := schema.Default()
	if err != nil {
		t.Fatalf("schemas: %v", err)
	}
	if err := set.Validate(version, name, json.RawMessage(r.body)); err != nil {
		t.Errorf("%s %s: %v; body: %s", r.Request.Method, r.Request.URL.Path, err, r.body)
	}
}

// newLogger logs as text into buf, safely from concurrent handlers.
func newLogger(buf *syncio.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
