package graphmock_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
)

// FuzzNever5xx: whatever a client sends, the mock answers below 500 with Graph's headers, and an
// error has Graph's shape. The seed corpus runs with every go test.
func FuzzNever5xx(f *testing.F) {
	for _, c := range []struct{ method, path, ct, body string }{
		{"PATCH", seedAssign, "application/json", seedPatchBody},
		{"PATCH", seedAssign, "application/json", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":null}}`},
		{"PATCH", seedAssign, "application/json", `{"target":{"@odata.type":5}}`},
		{"PATCH", seedAssign, "application/json", `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"},"@odata.context":"x","target@odata.type":"y"}`},
		{"PATCH", seedAssign, "application/json", `{"id":null}`},
		{"PATCH", seedAssign, "application/json", `{"a":1e999}`},
		{"PATCH", seedAssign, "application/json", "{\"target\":\"\xff\xfe\"}"},
		{"PATCH", seedAssign, "application/json; charset=utf-8; odata.metadata=full", `[[[[[[[[[[[]]]]]]]]]]]`},
		{"POST", configsPath, "application/json", `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","limit":99999999999999999999}`},
		{"POST", configsPath, "application/json", `{"@odata.type":"#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration","iosRestriction":{"platformBlocked":true}}`},
		{"POST", seedAssigns, "application/json", `{"target":{},"id":"x"}`},
		{"POST", seedAssigns, "text/plain", `x`},
		{"GET", "/v1.0/deviceManagement/deviceEnrollmentConfigurations('a''b')/assignments", "", ""},
		{"GET", "/v1.0/deviceManagement/deviceEnrollmentConfigurations(')/assignments", "", ""},
		{"GET", "/v1.0/deviceManagement/deviceEnrollmentConfigurations/%zz", "", ""},
		{"DELETE", "/beta/deviceManagement/deviceEnrollmentConfigurations/%2F", "", ""},
		{"OPTIONS", "/localtest/deviceManagement", "", ""},
		{"GET", "//v1.0//deviceManagement", "", ""},
	} {
		f.Add(c.method, c.path, c.ct, c.body)
	}
	cfg := testConfig()
	cfg.MaxBodyBytes = 4 << 10
	f.Fuzz(func(t *testing.T, method, path, ct, body string) {
		if !validMethod(method) || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \t\r\n?#") {
			t.Skip()
		}
		m := graphmock.New(cfg)
		m.Seed()
		req, err := http.NewRequest(method, "http://graph.test"+path, strings.NewReader(body))
		if err != nil {
			t.Skip() // not a request a client could send
		}
		req.Header.Set("Authorization", "Bearer "+tokWrite)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s (%s) %q: got %d: %s", method, path, ct, body, rec.Code, rec.Body)
		}
		r := response{Response: rec.Result(), body: rec.Body.Bytes()}
		r.Request = req
		checkGraphHeaders(t, r, "")
		if rec.Code >= 400 && method != http.MethodHead {
			graphError(t, r)
		}
	})
}

func validMethod(m string) bool {
	if m == "" || len(m) > 10 {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
