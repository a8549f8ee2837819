package graphmock_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/schema"
)

// TestValidation: bodies are checked against internal/schema's request schemas in the URL's type
// model; a mismatch is a 400 whose message names the property.
func TestValidation(t *testing.T) {
	cases := []errorCase{
		{name: "unknown target type", call: call{method: "PATCH", path: seedAssign,
			body: `{"target":{"@odata.type":"#microsoft.graph.bogusAssignmentTarget"}}`}, status: 400, code: graphmock.CodeInvalidRequest, mentions: "bogusAssignmentTarget"},
		{name: "scopeTagGroupAssignmentTarget is not in the metadata", call: call{method: "PATCH", path: seedAssign,
			body: `{"target":{"@odata.type":"#microsoft.graph.scopeTagGroupAssignmentTarget","targetType":"user","entraObjectId":"x"}}`}, status: 400, mentions: "scopeTagGroupAssignmentTarget"},
		{name: "target is a string", call: call{method: "PATCH", path: seedAssign, body: `{"target":"allDevices"}`}, status: 400, mentions: "target"},
		{name: "target is null", call: call{method: "PATCH", path: seedAssign, body: `{"target":null}`}, status: 400, mentions: "target"},
		{name: "groupId is a number", call: call{method: "PATCH", path: seedAssign,
			body: `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":5}}`}, status: 400, mentions: "groupId"},
		{name: "unknown property", call: call{method: "PATCH", path: seedAssign, body: `{"targetz":{}}`}, status: 400, mentions: "targetz"},
		{name: "unknown target property", call: call{method: "PATCH", path: seedAssign,
			body: `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget","groupId":"g"}}`}, status: 400, mentions: "groupId"},
		{name: "beta-only source under v1.0", call: call{method: "PATCH", path: seedAssign, body: `{"source":"direct"}`}, status: 400, mentions: "source"},
		{name: "beta-only filter under localtest", call: call{method: "PATCH", path: versioned("localtest", seedAssign),
			body: `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget","deviceAndAppManagementAssignmentFilterType":"include"}}`}, status: 400, mentions: "deviceAndAppManagementAssignmentFilterType"},
		{name: "beta source not in the enum", call: call{method: "PATCH", path: versioned("beta", seedAssign), body: `{"source":"elsewhere"}`}, status: 400, mentions: "source"},
		{name: "POST assignment unknown property", call: call{method: "POST", path: seedAssigns,
			body: `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"},"priority":1}`}, status: 400, mentions: "priority"},
		{name: "POST configuration wrong type", call: call{method: "POST", path: configsPath,
			body: `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","limit":"five"}`}, status: 400, mentions: "limit"},
		{name: "POST configuration unknown property", call: call{method: "POST", path: configsPath,
			body: `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","colour":"red"}`}, status: 400, mentions: "colour"},
	}
	s := newServer(t, testConfig())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkError(t, s.do(t, tc.call), tc) })
	}
	if c, a := s.mock.Counts(); c != 1 || a != 1 {
		t.Errorf("Counts: got %d configurations, %d assignments; want the seed's 1, 1", c, a)
	}
}

// TestTargetTypes: every target type of each model is accepted, with or without '#', and echoed;
// a GET afterwards returns it (PATCH is not a no-op).
func TestTargetTypes(t *testing.T) {
	s := newServer(t, testConfig())
	for _, version := range []string{"v1.0", "beta"} {
		for _, typ := range schema.TargetTypes(version) {
			for _, hash := range []string{"", "#"} {
				target := map[string]any{"@odata.type": hash + typ}
				switch {
				case strings.HasSuffix(typ, "groupAssignmentTarget"), strings.HasSuffix(typ, "GroupAssignmentTarget"):
					target["groupId"] = "a5e3c1d2-0000-4000-8000-000000000001"
				case strings.HasSuffix(typ, "CollectionAssignmentTarget"):
					target["collectionId"] = "Collection Id value"
				}
				want := mustJSON(t, target)
				name := version + " " + hash + typ
				r := s.do(t, call{method: "PATCH", path: versioned(version, seedAssign), body: `{"target":` + want + `}`})
				if r.StatusCode != http.StatusOK {
					t.Errorf("%s: got %d; want 200: %s", name, r.StatusCode, r.body)
					continue
				}
				conforms(t, version, schema.Assignment, r)
				if got := mustJSON(t, object(t, r)["target"]); got != want {
					t.Errorf("%s: PATCH answered target %s; want %s", name, got, want)
				}
				r = s.do(t, call{method: "GET", path: versioned(version, seedAssign)})
				if got := mustJSON(t, object(t, r)["target"]); got != want {
					t.Errorf("%s: GET after PATCH: target %s; want %s", name, got, want)
				}
			}
		}
	}
}

// TestMerge: PATCH keeps what the body leaves out, replaces target as a whole, accepts an id equal
// to the path's.
func TestMerge(t *testing.T) {
	s := newServer(t, testConfig())
	beta := versioned("beta", seedAssign)
	group := `{"@odata.type":"#microsoft.graph.groupAssignmentTarget","deviceAndAppManagementAssignmentFilterId":"f1","deviceAndAppManagementAssignmentFilterType":"include","groupId":"g1"}`
	steps := []struct {
		path, body string
		want       map[string]string // property -> JSON value; "" -> absent
	}{
		{beta, `{"source":"policySets","sourceId":"ps1"}`,
			map[string]string{"source": `"policySets"`, "sourceId": `"ps1"`, "target": `{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}`}},
		{beta, `{"target":` + group + `}`,
			map[string]string{"source": `"policySets"`, "sourceId": `"ps1"`, "target": group}},
		{seedAssign, `{}`, // v1.0 leaves out beta-only properties, of the entity and of the target
			map[string]string{"source": "", "sourceId": "", "target": `{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}`}},
		{seedAssign, `{"id":"` + strings.ToUpper(graphmock.SeedAssignmentID) + `","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget"}}`,
			map[string]string{"id": `"` + graphmock.SeedAssignmentID + `"`, "target": `{"@odata.type":"#microsoft.graph.groupAssignmentTarget"}`}},
		{beta, `{"sourceId":null}`, // the whole target was replaced: the filter is gone
			map[string]string{"source": `"policySets"`, "sourceId": "", "target": `{"@odata.type":"#microsoft.graph.groupAssignmentTarget"}`}},
	}
	for i, st := range steps {
		r := s.do(t, call{method: "PATCH", path: st.path, body: st.body})
		wantStatus(t, r, http.StatusOK)
		conforms(t, strings.Split(st.path, "/")[1], schema.Assignment, r)
		for _, got := range []map[string]any{object(t, r), object(t, s.do(t, call{method: "GET", path: st.path}))} {
			for k, want := range st.want {
				v, ok := got[k]
				switch {
				case want == "" && ok:
					t.Errorf("step %d: %s: got %s; want absent", i, k, mustJSON(t, v))
				case want != "" && mustJSON(t, v) != want:
					t.Errorf("step %d: %s: got %s; want %s", i, k, mustJSON(t, v), want)
				}
			}
		}
	}
}

// TestBetaDefaults: beta shows source, defaulting to "direct"; v1.0 does not.
func TestBetaDefaults(t *testing.T) {
	s := newServer(t, testConfig())
	r := s.do(t, call{method: "GET", path: versioned("beta", seedAssign)})
	if got := object(t, r)["source"]; got != "direct" {
		t.Errorf("beta source: got %v; want direct", got)
	}
	r = s.do(t, call{method: "GET", path: seedAssigns})
	var list struct{ Value []map[string]json.RawMessage }
	if err := json.Unmarshal(r.body, &list); err != nil || len(list.Value) != 1 {
		t.Fatalf("list: %v: %s", err, r.body)
	}
	if _, ok := list.Value[0]["source"]; ok {
		t.Errorf("v1.0 list: source present: %s", r.body)
	}
}

// TestConfigurationProjection: a configuration created under beta keeps its beta-only properties,
// shown under beta only; the client's properties are kept, the server's added.
func TestConfigurationProjection(t *testing.T) {
	s := newServer(t, testConfig())
	r := s.do(t, call{method: "POST", path: versioned("beta", configsPath), body: `{
		"@odata.type": "microsoft.graph.deviceEnrollmentLimitConfiguration",
		"displayName": "graphconform-beta", "limit": 3, "roleScopeTagIds": ["0"]}`})
	wantStatus(t, r, http.StatusCreated)
	conforms(t, "beta", schema.Configuration, r)
	c := object(t, r)
	if c["@odata.type"] != "#microsoft.graph.deviceEnrollmentLimitConfiguration" || c["version"] != 1.0 || c["priority"] != 0.0 {
		t.Errorf("created: got %s; want the type with '#', version 1 and priority 0 by default", r.body)
	}
	id := c["id"].(string)
	for version, wantTags := range map[string]bool{"beta": true, "v1.0": false, "localtest": false} {
		r := s.do(t, call{method: "GET", path: versioned(version, configsPath) + "/" + id})
		wantStatus(t, r, http.StatusOK)
		conforms(t, version, schema.Configuration, r)
		if _, ok := object(t, r)["roleScopeTagIds"]; ok != wantTags {
			t.Errorf("%s: roleScopeTagIds present %v; want %v: %s", version, ok, wantTags, r.body)
		}
	}
}
