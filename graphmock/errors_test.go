package graphmock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/schema"
)

// errorCase is one request the mock must refuse with status, Graph's error object and its headers.
type errorCase struct {
	name       string
	call       call
	status     int
	code       string            // "" -> not checked
	mentions   string            // a word the message must contain (the property named), "" -> not checked
	wantHeader map[string]string // header -> exact value
}

// TestErrors: each client mistake answers its 4xx status with Graph's error object and headers, never a 5xx.
func TestErrors(t *testing.T) {
	const (
		unknownID = "00000000-0000-0000-0000-000000000000"
	)
	cases := []errorCase{
		// 401
		{name: "no Authorization header", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, token: "-"},
			status: 401, code: graphmock.CodeUnauthenticated, wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="graphmock"`}},
		{name: "unknown token", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, token: "nope"},
			status: 401, code: graphmock.CodeUnauthenticated, wantHeader: map[string]string{"WWW-Authenticate": `Bearer realm="graphmock", error="invalid_token"`}},
		{name: "Basic scheme", call: call{method: "GET", path: seedAssign, header: map[string]string{"Authorization": "Basic " + tokWrite}},
			status: 401, code: graphmock.CodeUnauthenticated},
		{name: "Bearer without token", call: call{method: "GET", path: seedAssign, header: map[string]string{"Authorization": "Bearer "}},
			status: 401, code: graphmock.CodeUnauthenticated},
		{name: "401 before 404 on an unknown path", call: call{method: "GET", path: "/v1.0/nothing/here", token: "-"}, status: 401},
		// 403
		{name: "read token PATCH", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, token: tokRead},
			status: 403, code: graphmock.CodeAccessDenied, mentions: graphmock.ScopeServiceConfigReadWrite},
		{name: "config read token DELETE", call: call{method: "DELETE", path: seedAssign, token: tokConfigRead}, status: 403},
		{name: "read token POST configuration", call: call{method: "POST", path: configsPath, body: `{}`, token: tokRead}, status: 403},
		{name: "read token POST assignment", call: call{method: "POST", path: seedAssigns, body: `{}`, token: tokRead}, status: 403},
		{name: "read token DELETE configuration", call: call{method: "DELETE", path: seedConfig, token: tokRead}, status: 403},
		{name: "no scope GET", call: call{method: "GET", path: seedAssign, token: tokNoScope}, status: 403, code: graphmock.CodeAccessDenied},
		// 404
		{name: "unknown configuration PATCH", call: call{method: "PATCH", path: configsPath + "/" + unknownID + "/assignments/" + graphmock.SeedAssignmentID, body: seedPatchBody},
			status: 404, code: graphmock.CodeItemNotFound, mentions: unknownID},
		{name: "unknown assignment PATCH (no upsert)", call: call{method: "PATCH", path: seedAssigns + "/" + unknownID, body: seedPatchBody},
			status: 404, code: graphmock.CodeItemNotFound, mentions: unknownID},
		{name: "unknown configuration GET", call: call{method: "GET", path: configsPath + "/" + unknownID}, status: 404},
		{name: "unknown configuration DELETE", call: call{method: "DELETE", path: configsPath + "/" + unknownID}, status: 404},
		{name: "unknown configuration list", call: call{method: "GET", path: configsPath + "/" + unknownID + "/assignments"}, status: 404},
		{name: "unknown configuration POST assignment", call: call{method: "POST", path: configsPath + "/" + unknownID + "/assignments",
			body: `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`}, status: 404},
		{name: "unknown assignment GET", call: call{method: "GET", path: seedAssigns + "/" + unknownID}, status: 404},
		{name: "unknown assignment DELETE", call: call{method: "DELETE", path: seedAssigns + "/" + unknownID}, status: 404},
		{name: "unknown segment", call: call{method: "GET", path: "/v1.0/deviceManagement/managedDevices"}, status: 404},
		{name: "too deep", call: call{method: "GET", path: seedAssign + "/target"}, status: 404},
		{name: "not a version", call: call{method: "GET", path: "/v-1/deviceManagement/deviceEnrollmentConfigurations", token: "-"}, status: 404},
		{name: "root", call: call{method: "GET", path: "/", token: "-"}, status: 404},
		// 405
		{name: "PUT assignment", call: call{method: "PUT", path: seedAssign, body: seedPatchBody},
			status: 405, code: graphmock.CodeNotAllowed, wantHeader: map[string]string{"Allow": "GET, PATCH, DELETE"}},
		{name: "POST assignment by id", call: call{method: "POST", path: seedAssign, body: seedPatchBody},
			status: 405, wantHeader: map[string]string{"Allow": "GET, PATCH, DELETE"}},
		{name: "PATCH assignments", call: call{method: "PATCH", path: seedAssigns, body: seedPatchBody},
			status: 405, wantHeader: map[string]string{"Allow": "GET, POST"}},
		{name: "PATCH configuration", call: call{method: "PATCH", path: seedConfig, body: `{}`},
			status: 405, wantHeader: map[string]string{"Allow": "GET, DELETE"}},
		{name: "DELETE configurations", call: call{method: "DELETE", path: configsPath},
			status: 405, wantHeader: map[string]string{"Allow": "GET, POST"}},
		{name: "HEAD assignment", call: call{method: "HEAD", path: seedAssign},
			status: 405, wantHeader: map[string]string{"Allow": "GET, PATCH, DELETE"}},
		// 415
		{name: "text/plain", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, header: map[string]string{"Content-Type": "text/plain"}},
			status: 415, code: graphmock.CodeNotSupported, mentions: "application/json"},
		{name: "no Content-Type", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, header: map[string]string{"Content-Type": ""}},
			status: 415, mentions: "Content-Type"},
		{name: "unparsable Content-Type", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, header: map[string]string{"Content-Type": "application/json;;;="}},
			status: 415},
		{name: "latin1 charset", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, header: map[string]string{"Content-Type": "application/json; charset=iso-8859-1"}},
			status: 415, mentions: "iso-8859-1"},
		{name: "form POST", call: call{method: "POST", path: seedAssigns, body: "a=b", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
			status: 415},
		{name: "brotli body", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, header: map[string]string{"Content-Encoding": "br"}},
			status: 415, code: graphmock.CodeNotSupported, mentions: "br"},
		// 413
		{name: "oversized body", call: call{method: "PATCH", path: seedAssign, body: `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"` +
			strings.Repeat("x", graphmock.DefaultMaxBodyBytes) + `"}}`}, status: 413, code: graphmock.CodeInvalidRequest},
		{name: "gzip body inflating past the limit", call: call{method: "PATCH", path: seedAssign,
			body:   gzipped(`{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"` + strings.Repeat("x", graphmock.DefaultMaxBodyBytes) + `"}}`),
			header: map[string]string{"Content-Encoding": "gzip"}}, status: 413, code: graphmock.CodeInvalidRequest},
		// 400 (the mock's own rules; schema-driven cases are in TestValidation)
		{name: "gzip header, plain body", call: call{method: "PATCH", path: seedAssign, body: seedPatchBody, header: map[string]string{"Content-Encoding": "gzip"}},
			status: 400, code: graphmock.CodeInvalidRequest, mentions: "gzip"},
		{name: "gzip body cut short", call: call{method: "PATCH", path: seedAssign, body: gzipped(seedPatchBody)[:30], header: map[string]string{"Content-Encoding": "gzip"}},
			status: 400, code: graphmock.CodeInvalidRequest},
		{name: "malformed JSON", call: call{method: "PATCH", path: seedAssign, body: `{"target": {`}, status: 400, code: graphmock.CodeInvalidRequest, mentions: "malformed"},
		{name: "trailing garbage", call: call{method: "PATCH", path: seedAssign, body: `{} x`}, status: 400, mentions: "malformed"},
		{name: "two objects", call: call{method: "PATCH", path: seedAssign, body: `{}{}`}, status: 400},
		{name: "array body", call: call{method: "PATCH", path: seedAssign, body: `[]`}, status: 400, mentions: "object"},
		{name: "string body", call: call{method: "PATCH", path: seedAssign, body: `"x"`}, status: 400, mentions: "object"},
		{name: "whitespace body", call: call{method: "PATCH", path: seedAssign, body: " \n"}, status: 400, mentions: "empty"},
		{name: "id differs", call: call{method: "PATCH", path: seedAssign, body: `{"id":"` + unknownID + `"}`}, status: 400, mentions: "id"},
		{name: "id not a string", call: call{method: "PATCH", path: seedAssign, body: `{"id":5}`}, status: 400, mentions: "id"},
		{name: "other entity type", call: call{method: "PATCH", path: seedAssign, body: `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration"}`},
			status: 400, mentions: "@odata.type"},
		{name: "POST assignment without target", call: call{method: "POST", path: seedAssigns, body: `{}`}, status: 400, mentions: "target"},
		{name: "POST configuration without type", call: call{method: "POST", path: configsPath, body: `{"displayName":"x"}`}, status: 400, mentions: "@odata.type"},
		{name: "POST abstract configuration", call: call{method: "POST", path: configsPath, body: `{"@odata.type":"#microsoft.graph.deviceEnrollmentConfiguration"}`},
			status: 400, mentions: "@odata.type"},
	}
	s := newServer(t, testConfig())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, tc.call)
			checkError(t, r, tc)
		})
	}
	// None of the refused writes changed the store.
	if c, a := s.mock.Counts(); c != 1 || a != 1 {
		t.Errorf("Counts: got %d configurations, %d assignments; want the seed's 1, 1", c, a)
	}
}

func checkError(t *testing.T, r response, tc errorCase) {
	t.Helper()
	if r.StatusCode != tc.status {
		t.Fatalf("status: got %d; want %d; body: %s", r.StatusCode, tc.status, r.body)
	}
	checkGraphHeaders(t, r, tc.call.header["client-request-id"])
	for k, v := range tc.wantHeader {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s: got %q; want %q", k, got, v)
		}
	}
	if tc.call.method == http.MethodHead {
		return
	}
	checkJSONMediaType(t, r)
	conforms(t, "v1.0", schema.Error, r)
	code, msg := graphError(t, r)
	if tc.code != "" && code != tc.code {
		t.Errorf("error.code: got %q; want %q", code, tc.code)
	}
	if tc.mentions != "" && !strings.Contains(msg, tc.mentions) {
		t.Errorf("error.message: got %q; want it to mention %q", msg, tc.mentions)
	}
}

// TestHeaders: request-id is new per response; client-request-id is echoed when sent.
func TestHeaders(t *testing.T) {
	s := newServer(t, testConfig())
	const clientID = "7d1c3f2e-8c51-4a2b-9a3e-0c6b1d2e3f40"
	for _, c := range []call{
		{method: "GET", path: seedAssign},
		{method: "PATCH", path: seedAssign, body: seedPatchBody},
		{method: "PATCH", path: seedAssign, body: `{`},
		{method: "GET", path: seedAssign, token: "-"},
		{method: "PUT", path: seedAssign},
		{method: "GET", path: "/healthz"},
	} {
		c.header = map[string]string{"client-request-id": clientID}
		r := s.do(t, c)
		checkGraphHeaders(t, r, clientID)
		r2 := s.do(t, call{method: c.method, path: c.path, body: c.body, token: c.token})
		checkGraphHeaders(t, r2, "")
		if r.Header.Get("request-id") == r2.Header.Get("request-id") {
			t.Errorf("%s %s: request-id repeated across responses: %s", c.method, c.path, r.Header.Get("request-id"))
		}
	}
}
