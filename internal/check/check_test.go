package check

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-payload.signature"

func exchange(status int, contentType, body string) *Exchange {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("request-id", "1b2c3d")
	rh := http.Header{}
	rh.Set("Authorization", "Bearer "+token)
	rh.Set("Content-Type", "application/json")
	return &Exchange{
		Method:        http.MethodPatch,
		URL:           "http://127.0.0.1:1/v1.0/deviceManagement/deviceEnrollmentConfigurations/c/assignments/a",
		RequestHeader: rh,
		RequestBody:   []byte(`{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`),
		Status:        status,
		Header:        h,
		Body:          []byte(body),
		Secrets:       []string{token, "read-only-token-value"},
	}
}

func mustFail(t *testing.T, err error, wantInMessage string) *Failure {
	t.Helper()
	if err == nil {
		t.Fatalf("check passed; want a failure mentioning %q", wantInMessage)
	}
	var f *Failure
	if !errors.As(fmt.Errorf("step: %w", err), &f) {
		t.Fatalf("error %T is not a *check.Failure: %v", err, err)
	}
	if !strings.Contains(f.Message(), wantInMessage) {
		t.Errorf("message %q; want it to contain %q", f.Message(), wantInMessage)
	}
	if !strings.HasPrefix(f.Message(), "got ") || !strings.Contains(f.Message(), "; want ") {
		t.Errorf("message %q does not read \"got X; want Y\"", f.Message())
	}
	return f
}

func TestStatus(t *testing.T) {
	if err := Status(exchange(200, "application/json", "{}"), 200); err != nil {
		t.Fatal(err)
	}
	f := mustFail(t, Status(exchange(204, "", ""), 200), "got status 204 No Content; want status 200 OK")
	if f.Evidence == nil || f.Evidence.Status != "204 No Content" {
		t.Errorf("evidence %+v; want status 204 No Content", f.Evidence)
	}
}

func TestContains(t *testing.T) {
	const base = "microsoft.graph.deviceAndAppManagementAssignmentTarget"
	group := map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}
	for _, tc := range []struct {
		name, body string
		want       any
		fail       string // "" = passes
	}{
		{"equal", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}}`, group, ""},
		{"without #", `{"target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"g1"}}`, group, ""},
		{"extra properties", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1","deviceAndAppManagementAssignmentFilterType":"none"}}`, group, ""},
		{"other type", `{"target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g1"}}`, group, "/target/@odata.type: got"},
		{"other value", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g2"}}`, group, `/target/groupId: got "g2"; want "g1"`},
		{"missing property", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget"}}`, group, "/target/groupId: missing"},
		{"derived type unannotated", `{"target":{"groupId":"g1"}}`, group, "/target/@odata.type: missing"},
		{"declared type unannotated", `{"target":{}}`, map[string]any{"@odata.type": base}, ""},
		{"no target", `{"id":"x"}`, group, "no /target in the body"},
		{"not an object", `{"target":"x"}`, group, "want an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Contains(exchange(200, "application/json", tc.body), "/target", tc.want, base)
			if tc.fail == "" {
				if err != nil {
					t.Errorf("got %v; want a pass", err)
				}
				return
			}
			mustFail(t, err, "/target holding")
			if !strings.Contains(err.Error(), tc.fail) {
				t.Errorf("error %q; want it to say %q", err, tc.fail)
			}
		})
	}
}

func TestSuccess(t *testing.T) {
	for _, code := range []int{200, 201, 204} {
		if err := Success(exchange(code, "", "")); err != nil {
			t.Errorf("Success(%d): %v", code, err)
		}
	}
	mustFail(t, Success(exchange(400, "", "")), "got status 400 Bad Request; want a 2xx status")
	mustFail(t, Success(exchange(302, "", "")), "want a 2xx status")
}

func TestNotServerError(t *testing.T) {
	for _, code := range []int{200, 400, 404, 499} {
		if err := NotServerError(exchange(code, "", "")); err != nil {
			t.Errorf("%d: %v", code, err)
		}
	}
	mustFail(t, NotServerError(exchange(500, "", "")), "got status 500 Internal Server Error")
	mustFail(t, NotServerError(exchange(503, "", "")), "want a status below 500")
}

func TestMediaType(t *testing.T) {
	for _, ct := range []string{
		"application/json",
		"application/json; charset=utf-8",
		"Application/JSON;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
	} {
		if err := MediaType(exchange(200, ct, "{}"), "application/json"); err != nil {
			t.Errorf("%q: %v", ct, err)
		}
	}
	mustFail(t, MediaType(exchange(200, "text/plain; charset=utf-8", "{}"), "application/json"), `media type text/plain`)
	mustFail(t, MediaType(exchange(200, "", "{}"), "application/json"), "no Content-Type header")
	mustFail(t, MediaType(exchange(200, "application/json; charset", "{}"), "application/json"), "unparseable")
	// A prefix is not a media type: application/jsonx must not pass.
	mustFail(t, MediaType(exchange(200, "application/jsonx", "{}"), "application/json"), "application/jsonx")
}

func TestHeaders(t *testing.T) {
	ex := exchange(200, "application/json", "{}")
	ex.Header.Set("client-request-id", "abc")
	ex.Header.Set("Allow", "GET, PATCH,DELETE")
	if err := Header(ex, "request-id"); err != nil {
		t.Error(err)
	}
	mustFail(t, Header(ex, "x-missing"), "got no x-missing header")
	if err := HeaderEquals(ex, "client-request-id", "abc"); err != nil {
		t.Error(err)
	}
	mustFail(t, HeaderEquals(ex, "client-request-id", "abd"), "got client-request-id: abc; want client-request-id: abd")
	if err := HeaderLists(ex, "Allow", "PATCH"); err != nil {
		t.Error(err)
	}
	mustFail(t, HeaderLists(ex, "Allow", "PUT"), "got Allow: GET, PATCH, DELETE")
	ex.Header.Del("Allow")
	mustFail(t, HeaderLists(ex, "Allow", "PATCH"), "no Allow header")
}

func TestJSONPointer(t *testing.T) {
	body := `{"id":"a","n":1.0,"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g"},"a/b":{"x~y":[true]}}`
	ex := exchange(200, "application/json", body)
	cases := []struct {
		ptr  string
		want any
		ok   bool
	}{
		{"/id", "a", true},
		{"/id", "b", false},
		{"/n", 1, true},
		{"/target", map[string]any{"@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": "g"}, true},
		{"/target", map[string]any{"@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": "h"}, false},
		{"/target", map[string]any{"@odata.type": "microsoft.graph.groupAssignmentTarget"}, false},
		{"/a~1b/x~0y/0", true, true},
		{"/missing", "x", false},
	}
	for _, c := range cases {
		err := JSONPointer(ex, c.ptr, c.want)
		if (err == nil) != c.ok {
			t.Errorf("JSONPointer(%s, %v) = %v; want ok=%v", c.ptr, c.want, err, c.ok)
		}
	}
	mustFail(t, JSONPointer(exchange(200, "application/json", "not json"), "/id", "a"), "not JSON")
	mustFail(t, JSONPointer(exchange(200, "application/json", ""), "/id", "a"), "an empty body")
	mustFail(t, JSONPointer(ex, "/id", "b"), `got /id = "a"; want /id = "b"`)
}

func TestEqualODataType(t *testing.T) {
	a := map[string]any{"@odata.type": "#microsoft.graph.x", "name": "#y"}
	b := map[string]any{"@odata.type": "microsoft.graph.x", "name": "#y"}
	if !Equal(a, b) {
		t.Error("@odata.type with and without '#' should be equal")
	}
	b["name"] = "y"
	if Equal(a, b) {
		t.Error("'#' is only insignificant in @odata.type")
	}
}

const example = `{
  "@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment",
  "id": "1f6686a8-86a8-1f66-a886-661fa886661f",
  "target": {
    "@odata.type": "microsoft.graph.deviceAndAppManagementAssignmentTarget"
  }
}`

func TestMatchExample(t *testing.T) {
	ok := []string{
		// exactly the example
		example,
		// another id, '#' added, extra properties and annotations
		`{"@odata.context":"x","@odata.type":"microsoft.graph.enrollmentConfigurationAssignment","id":"other","extra":1,
		  "target":{"@odata.type":"#microsoft.graph.deviceAndAppManagementAssignmentTarget","deviceAndAppManagementAssignmentFilterId":null}}`,
		// @odata.type omitted on the entity (minimal metadata)
		`{"id":"x","target":{"@odata.type":"microsoft.graph.deviceAndAppManagementAssignmentTarget"}}`,
	}
	for _, body := range ok {
		if err := MatchExample(exchange(200, "application/json", body), []byte(example), nil); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
	bad := map[string]string{
		`{"target":{"@odata.type":"microsoft.graph.deviceAndAppManagementAssignmentTarget"}}`: "/id: missing",
		`{"id":"x"}`: "/target: missing",
		`{"id":"x","target":{"@odata.type":"microsoft.graph.allDevicesAssignmentTarget"}}`:                                                    "/target/@odata.type: got",
		`{"id":"x","@odata.type":"#microsoft.graph.other","target":{"@odata.type":"microsoft.graph.deviceAndAppManagementAssignmentTarget"}}`: "/@odata.type: got",
		`{"id":"x","target":"microsoft.graph.deviceAndAppManagementAssignmentTarget"}`:                                                        "want an object",
	}
	for body, want := range bad {
		f := mustFail(t, MatchExample(exchange(200, "application/json", body), []byte(example), nil), "difference")
		if !strings.Contains(f.Detail, want) {
			t.Errorf("%s: detail %q; want it to mention %q", body, f.Detail, want)
		}
	}
}

func TestMatchExampleArrays(t *testing.T) {
	ex := []byte(`{"value":[{"id":"1","a":"x"}]}`)
	if err := MatchExample(exchange(200, "application/json", `{"value":[{"id":"9","a":"y"},{"id":"8","a":"x","b":2}]}`), ex, nil); err != nil {
		t.Error(err)
	}
	mustFail(t, MatchExample(exchange(200, "application/json", `{"value":[{"id":"9","a":"y"}]}`), ex, nil), "difference")
}

func TestAttribute(t *testing.T) {
	err := fmt.Errorf("wrapped: %w", Status(exchange(204, "", ""), 200))
	Attribute(err, "ECA-UPDATE-001")
	if !strings.HasPrefix(errors.Unwrap(err).Error(), "ECA-UPDATE-001: got status 204") {
		t.Errorf("got %q", errors.Unwrap(err).Error())
	}
	if Attribute(nil, "x") != nil {
		t.Error("Attribute(nil) should be nil")
	}
}

// A token never appears in a rendered failure: not from the Authorization
// header, not when the service echoes it in its body, its headers, the URL
// or the message of a check.
func TestFailureNeverShowsSecrets(t *testing.T) {
	ex := exchange(401, "application/json", `{"error":{"code":"InvalidAuthenticationToken","message":"token `+token+` rejected; read-only-token-value too"}}`)
	ex.Header.Set("WWW-Authenticate", `Bearer error="invalid_token", token="`+token+`"`)
	ex.Header.Set("Set-Cookie", "session=abc")
	ex.URL += "?access_token=" + token
	ex.RequestHeader.Set("client-request-id", token)
	checks := []error{
		Status(ex, 200),
		MediaType(ex, "text/plain"),
		HeaderEquals(ex, "client-request-id", token),
		JSONPointer(ex, "/error/message", "x"),
		JSONPointer(ex, "/error/code", token),
		MatchExample(ex, []byte(`{"error":{"message":"x"}}`), nil),
	}
	for i, err := range checks {
		if err == nil {
			t.Fatalf("check %d passed; want a failure", i)
		}
		out := err.Error()
		for _, secret := range ex.Secrets {
			if strings.Contains(out, secret) {
				t.Errorf("check %d: rendered failure contains a secret:\n%s", i, out)
			}
		}
		if strings.Contains(out, "session=abc") {
			t.Errorf("check %d: cookie rendered:\n%s", i, out)
		}
		if !strings.Contains(out, "Authorization: Bearer "+Redacted) {
			t.Errorf("check %d: want the redacted Authorization header in evidence:\n%s", i, out)
		}
	}
}

func TestShortSecretsAreWholeWords(t *testing.T) {
	r := NewRedactor([]string{"T"})
	if got := r.String("TARGET T (T) x-T"); got != "TARGET "+Redacted+" ("+Redacted+") x-T" {
		t.Errorf("got %q", got)
	}
}

func TestEvidenceExcerptIsCapped(t *testing.T) {
	body := strings.Repeat("é", MaxExcerpt) // 2 bytes each
	e := NewEvidence(exchange(500, "text/plain", body))
	if len(e.Body) > MaxExcerpt+64 {
		t.Errorf("excerpt is %d bytes; want about %d", len(e.Body), MaxExcerpt)
	}
	if !strings.Contains(e.Body, "more bytes") {
		t.Error("excerpt does not say it was cut")
	}
	if strings.ContainsRune(e.Body, '\uFFFD') {
		t.Error("excerpt cut inside a rune")
	}
}

func TestNoResponseEvidence(t *testing.T) {
	ex := exchange(0, "", "")
	f := mustFail(t, Status(ex, 200), "got no response")
	if !strings.Contains(f.Error(), "(no response)") {
		t.Errorf("got %q", f.Error())
	}
}

func TestWithinKeepsOneFailure(t *testing.T) {
	err := Within(Within(Status(exchange(500, "", ""), 201), "creating"), "provisioning the assignment")
	Attribute(err, "ECA-UPDATE-001")
	f := mustFail(t, err, "got status 500")
	if got := f.Summary(); got != "ECA-UPDATE-001: provisioning the assignment: creating: got status 500 Internal Server Error; want status 201 Created" {
		t.Errorf("got %q", got)
	}
	other := Within(errors.New("boom"), "ctx")
	if other.Error() != "ctx: boom" || Within(nil, "x") != nil {
		t.Errorf("got %v", other)
	}
}
