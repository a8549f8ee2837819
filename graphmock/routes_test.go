package graphmock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/schema"
)

// TestRoutes: every route of the surface answers its success status with Graph's headers, under
// every version segment (the store is shared across versions).
func TestRoutes(t *testing.T) {
	for _, version := range []string{"v1.0", "beta", "localtest"} {
		t.Run(version, func(t *testing.T) {
			s := newServer(t, testConfig())
			p := func(path string) string { return versioned(version, path) }
			root := s.URL + "/" + version

			// The seed page's example: PATCH the seeded assignment.
			r := s.do(t, call{method: "PATCH", path: p(seedAssign), body: seedPatchBody})
			wantStatus(t, r, http.StatusOK)
			checkGraphHeaders(t, r, "")
			conforms(t, version, schema.Assignment, r)
			a := object(t, r)
			if a["id"] != graphmock.SeedAssignmentID || a["@odata.type"] != "#microsoft.graph.enrollmentConfigurationAssignment" {
				t.Errorf("PATCH body: got %s; want the seeded assignment", r.body)
			}
			wantContext := root + "/$metadata#deviceManagement/deviceEnrollmentConfigurations('" +
				graphmock.SeedConfigurationID + "')/assignments/$entity"
			if a["@odata.context"] != wantContext {
				t.Errorf("@odata.context: got %v; want %s", a["@odata.context"], wantContext)
			}
			if got := mustJSON(t, a["target"]); got != `{"@odata.type":"microsoft.graph.deviceAndAppManagementAssignmentTarget"}` {
				t.Errorf("target: got %s; want the target sent", got)
			}

			// Configurations: list, create, get.
			r = s.do(t, call{method: "GET", path: p(configsPath)})
			wantStatus(t, r, http.StatusOK)
			checkGraphHeaders(t, r, "")
			conforms(t, version, schema.ConfigurationCollection, r)
			list := object(t, r)
			if list["@odata.context"] != root+"/$metadata#deviceManagement/deviceEnrollmentConfigurations" {
				t.Errorf("list @odata.context: got %v", list["@odata.context"])
			}
			if v, _ := list["value"].([]any); len(v) != 1 {
				t.Errorf("list value: got %s; want the seeded configuration", r.body)
			}

			r = s.do(t, call{method: "POST", path: p(configsPath), body: `{
				"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
				"displayName": "graphconform-test", "description": "d", "priority": 8, "version": 7, "limit": 5}`})
			wantStatus(t, r, http.StatusCreated)
			checkGraphHeaders(t, r, "")
			conforms(t, version, schema.Configuration, r)
			c := object(t, r)
			id, _ := c["id"].(string)
			if !guidRE.MatchString(id) {
				t.Fatalf("created configuration id: got %v; want a GUID", c["id"])
			}
			for k, want := range map[string]any{"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
				"displayName": "graphconform-test", "limit": 5.0, "version": 7.0, "priority": 8.0,
				"@odata.context": root + "/$metadata#deviceManagement/deviceEnrollmentConfigurations/$entity"} {
				if c[k] != want {
					t.Errorf("created configuration %s: got %v; want %v", k, c[k], want)
				}
			}
			for _, k := range []string{"createdDateTime", "lastModifiedDateTime"} {
				if s, _ := c[k].(string); s == "" {
					t.Errorf("created configuration %s: missing", k)
				}
			}
			if loc := r.Header.Get("Location"); loc != root+"/deviceManagement/deviceEnrollmentConfigurations/"+id {
				t.Errorf("Location: got %q", loc)
			}
			cfgPath := p(configsPath) + "/" + id

			r = s.do(t, call{method: "GET", path: cfgPath, token: tokRead})
			wantStatus(t, r, http.StatusOK)
			conforms(t, version, schema.Configuration, r)
			if got := object(t, r); got["id"] != id || got["displayName"] != "graphconform-test" {
				t.Errorf("GET configuration: got %s", r.body)
			}

			// Assignments: create, list, get, patch, delete.
			r = s.do(t, call{method: "POST", path: cfgPath + "/assignments", body: `{
				"@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment",
				"target": {"@odata.type": "microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "Collection Id value"}}`})
			wantStatus(t, r, http.StatusCreated)
			checkGraphHeaders(t, r, "")
			conforms(t, version, schema.Assignment, r)
			created := object(t, r)
			aid, _ := created["id"].(string)
			if !guidRE.MatchString(aid) {
				t.Fatalf("created assignment id: got %v", created["id"])
			}
			if loc := r.Header.Get("Location"); loc != root+"/deviceManagement/deviceEnrollmentConfigurations/"+id+"/assignments/"+aid {
				t.Errorf("Location: got %q", loc)
			}
			aPath := cfgPath + "/assignments/" + aid

			r = s.do(t, call{method: "GET", path: cfgPath + "/assignments", token: tokConfigRead})
			wantStatus(t, r, http.StatusOK)
			checkGraphHeaders(t, r, "")
			conforms(t, version, schema.AssignmentCollection, r)
			list = object(t, r)
			if v, _ := list["value"].([]any); len(v) != 1 || v[0].(map[string]any)["id"] != aid {
				t.Errorf("assignments: got %s; want the one created", r.body)
			}
			if want := root + "/$metadata#deviceManagement/deviceEnrollmentConfigurations('" + id + "')/assignments"; list["@odata.context"] != want {
				t.Errorf("assignments @odata.context: got %v; want %s", list["@odata.context"], want)
			}

			r = s.do(t, call{method: "GET", path: aPath, token: tokRead})
			wantStatus(t, r, http.StatusOK)
			conforms(t, version, schema.Assignment, r)
			if got := mustJSON(t, object(t, r)["target"]); !strings.Contains(got, `"collectionId":"Collection Id value"`) {
				t.Errorf("GET assignment target: got %s", got)
			}

			r = s.do(t, call{method: "PATCH", path: aPath, token: tokConfigWrite,
				body: `{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}}`})
			wantStatus(t, r, http.StatusOK)

			r = s.do(t, call{method: "DELETE", path: aPath})
			wantStatus(t, r, http.StatusNoContent)
			checkGraphHeaders(t, r, "")
			if len(r.body) != 0 {
				t.Errorf("DELETE body: got %q; want none", r.body)
			}
			wantStatus(t, s.do(t, call{method: "GET", path: aPath}), http.StatusNotFound)

			// Deleting a configuration deletes its assignments.
			s.do(t, call{method: "POST", path: cfgPath + "/assignments", body: `{"target": {"@odata.type": "#microsoft.graph.allLicensedUsersAssignmentTarget"}}`})
			if c, a := s.mock.Counts(); c != 2 || a != 2 {
				t.Errorf("Counts before DELETE: got %d configurations, %d assignments; want 2, 2", c, a)
			}
			r = s.do(t, call{method: "DELETE", path: cfgPath})
			wantStatus(t, r, http.StatusNoContent)
			wantStatus(t, s.do(t, call{method: "GET", path: cfgPath}), http.StatusNotFound)
			wantStatus(t, s.do(t, call{method: "GET", path: cfgPath + "/assignments"}), http.StatusNotFound)
			if c, a := s.mock.Counts(); c != 1 || a != 1 {
				t.Errorf("Counts after DELETE: got %d configurations, %d assignments; want the seed's 1, 1", c, a)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	s := newServer(t, testConfig())
	r := s.do(t, call{method: "GET", path: "/healthz", token: "-"})
	wantStatus(t, r, http.StatusOK)
	checkGraphHeaders(t, r, "")
	if string(r.body) != "ok\n" {
		t.Errorf("body: got %q; want %q", r.body, "ok\n")
	}
	r = s.do(t, call{method: "POST", path: "/healthz", token: "-"})
	wantStatus(t, r, http.StatusMethodNotAllowed)
	if r.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("Allow: got %q", r.Header.Get("Allow"))
	}
}

// TestKeySyntax: OData key syntax and case-insensitive segment names address the same entities.
func TestKeySyntax(t *testing.T) {
	s := newServer(t, testConfig())
	for _, path := range []string{
		"/v1.0/deviceManagement/deviceEnrollmentConfigurations('" + graphmock.SeedConfigurationID + "')/assignments('" + graphmock.SeedAssignmentID + "')",
		"/v1.0/devicemanagement/DEVICEENROLLMENTCONFIGURATIONS/" + graphmock.SeedConfigurationID + "/Assignments/" + graphmock.SeedAssignmentID,
		seedAssign + "/",
	} {
		if r := s.do(t, call{method: "GET", path: path}); r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: got %d; want 200: %s", path, r.StatusCode, r.body)
		}
	}
}

func TestSeedIsIdempotent(t *testing.T) {
	s := newServer(t, testConfig())
	s.do(t, call{method: "DELETE", path: seedAssign})
	s.do(t, call{method: "POST", path: seedAssigns, body: `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`})
	c, a := s.mock.Seed()
	if c != graphmock.SeedConfigurationID || a != graphmock.SeedAssignmentID {
		t.Errorf("Seed: got %s, %s", c, a)
	}
	if nc, na := s.mock.Counts(); nc != 1 || na != 1 {
		t.Errorf("Counts after reseeding: got %d, %d; want 1, 1", nc, na)
	}
	r := s.do(t, call{method: "GET", path: seedAssign})
	wantStatus(t, r, http.StatusOK)
	if got := mustJSON(t, object(t, r)["target"]); got != `{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}` {
		t.Errorf("seeded target: got %s; want allDevicesAssignmentTarget", got)
	}
}

func wantStatus(t testing.TB, r response, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("%s %s: got status %d; want %d; body: %s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.body)
	}
}
