package schema

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func mustSet(tb testing.TB) *Set {
	tb.Helper()
	s, err := Default()
	if err != nil {
		tb.Fatalf("Default: %v", err)
	}
	return s
}

func parse(tb testing.TB, data string) any {
	tb.Helper()
	v, err := decode([]byte(data))
	if err != nil {
		tb.Fatalf("bad test JSON %s: %v", data, err)
	}
	return v
}

// checkProblems asserts err is a *ValidationError with exactly the problems want describes, each as
// "pointer|text the message must contain" (the text names the property). Empty want means valid.
func checkProblems(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("got %v; want valid", err)
		}
		return
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v; want a *ValidationError with %d problems: %q", err, len(want), want)
	}
	if len(ve.Problems) != len(want) {
		t.Fatalf("got %d problems; want %d (%q)\n%v", len(ve.Problems), len(want), want, err)
	}
	for _, w := range want {
		ptr, text, _ := strings.Cut(w, "|")
		found := false
		for _, p := range ve.Problems {
			if p.Pointer == ptr && strings.Contains(p.Message, text) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at %q containing %q in\n%v", ptr, text, err)
		}
	}
}

// TestDocExamples: every body the doc pages show is checked against the schema it illustrates. Resource
// pages' "JSON representation" blocks use placeholders ("String" for an enum, "String (timestamp)" for a
// date-time), and the two get pages wrap the entity in "value" as if it were a collection: these are
// recorded as the failures they are, and the entity inside "value" is checked on its own.
func TestDocExamples(t *testing.T) {
	s := mustSet(t)
	tests := []struct {
		file    string
		version string
		name    Name
		at      string   // JSON pointer of the part to validate; "" is the whole body
		want    []string // problems, as in checkProblems; none means valid
	}{
		{file: "seed-update.request.json", version: "localtest", name: AssignmentPatch},
		{file: "seed-update.request.json", version: "localtest", name: AssignmentCreate},
		{file: "seed-update.request.json", version: "beta", name: AssignmentPatch},
		{file: "seed-update.response.json", version: "localtest", name: Assignment},
		{file: "seed-update.response.json", version: "beta", name: Assignment},
		{file: "v1.0-assignment-create.request.json", version: "v1.0", name: AssignmentCreate},
		{file: "v1.0-assignment-create.request.json", version: "v1.0", name: AssignmentPatch},
		{file: "v1.0-assignment-create.response.json", version: "v1.0", name: Assignment},
		{file: "v1.0-assignment-list.response.json", version: "v1.0", name: AssignmentCollection},
		{file: "v1.0-assignment.resource.json", version: "v1.0", name: Assignment},
		{file: "v1.0-assignment.resource.json", version: "beta", name: Assignment},
		// Quirk: the get page wraps the entity in "value".
		{file: "v1.0-assignment-get.response.json", version: "v1.0", name: Assignment,
			want: []string{`|missing required property "id"`, `|missing required property "target"`}},
		{file: "v1.0-assignment-get.response.json", version: "v1.0", name: Assignment, at: "/value"},
		// Placeholders: "String" is no member of the source, filter type or scope tag target type enums.
		{file: "beta-assignment.resource.json", version: "beta", name: Assignment, want: []string{
			`/source|"source"`,
			`/target/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`,
			`/target/targetType|"targetType"`,
		}},

		{file: "v1.0-limitconfiguration-create.request.json", version: "v1.0", name: ConfigurationCreate},
		{file: "v1.0-limitconfiguration-create.request.json", version: "beta", name: ConfigurationCreate},
		{file: "v1.0-limitconfiguration-create.response.json", version: "v1.0", name: Configuration},
		{file: "v1.0-configuration-get.response.json", version: "v1.0", name: Configuration,
			want: []string{`|missing required property "id"`}},
		{file: "v1.0-configuration-get.response.json", version: "v1.0", name: Configuration, at: "/value"},
		{file: "beta-configuration-get.response.json", version: "beta", name: Configuration, at: "/value"},
		// A v1.0 checker tolerates the beta-only properties of a response.
		{file: "beta-configuration-get.response.json", version: "v1.0", name: Configuration, at: "/value"},
		{file: "v1.0-configuration.resource.json", version: "v1.0", name: Configuration, want: []string{
			`/createdDateTime|"createdDateTime"`, `/lastModifiedDateTime|"lastModifiedDateTime"`,
		}},
		{file: "beta-configuration.resource.json", version: "beta", name: Configuration, want: []string{
			`/createdDateTime|"createdDateTime"`, `/lastModifiedDateTime|"lastModifiedDateTime"`,
			`/deviceEnrollmentConfigurationType|"deviceEnrollmentConfigurationType"`,
		}},

		{file: "v1.0-target-alldevices.resource.json", version: "v1.0", name: Target},
		{file: "v1.0-target-alllicensedusers.resource.json", version: "v1.0", name: Target},
		{file: "v1.0-target-configurationmanagercollection.resource.json", version: "v1.0", name: Target},
		{file: "v1.0-target-deviceandappmanagement.resource.json", version: "v1.0", name: Target},
		{file: "v1.0-target-exclusiongroup.resource.json", version: "v1.0", name: Target},
		{file: "v1.0-target-group.resource.json", version: "v1.0", name: Target},
		{file: "v1.0-target-scopetaggroup.resource.json", version: "v1.0", name: Target,
			want: []string{`/targetType|"targetType"`}},
		{file: "beta-target-alldevices.resource.json", version: "beta", name: Target,
			want: []string{`/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`}},
		{file: "beta-target-alllicensedusers.resource.json", version: "beta", name: Target,
			want: []string{`/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`}},
		{file: "beta-target-configurationmanagercollection.resource.json", version: "beta", name: Target,
			want: []string{`/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`}},
		{file: "beta-target-deviceandappmanagement.resource.json", version: "beta", name: Target,
			want: []string{`/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`}},
		{file: "beta-target-exclusiongroup.resource.json", version: "beta", name: Target,
			want: []string{`/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`}},
		{file: "beta-target-group.resource.json", version: "beta", name: Target,
			want: []string{`/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`}},
		{file: "beta-target-scopetaggroup.resource.json", version: "beta", name: Target, want: []string{
			`/deviceAndAppManagementAssignmentFilterType|"deviceAndAppManagementAssignmentFilterType"`,
			`/targetType|"targetType"`,
		}},

		{file: "error-example.json", version: "v1.0", name: Error},
		{file: "error-example.json", version: "beta", name: Error},
		// The concept page's "JSON representation" blocks are schematic, not bodies.
		{file: "error-resource.json", version: "v1.0", name: Error, want: []string{
			`/error|missing required property "code"`, `/error|missing required property "message"`,
		}},
		{file: "error-odata-error.resource.json", version: "v1.0", name: Error,
			want: []string{`|missing required property "error"`}},
	}
	for _, tt := range tests {
		t.Run(tt.file+"@"+tt.version+"/"+string(tt.name)+tt.at, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "docs", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc := lookup(parse(t, string(data)), tt.at)
			if doc == nil {
				t.Fatalf("%s has nothing at %q", tt.file, tt.at)
			}
			checkProblems(t, both(t, s, tt.version, tt.name, doc), tt.want)
		})
	}
}

// TestShapes: each wrong shape is rejected with one problem per offending value, at its pointer, naming
// the property; and the right shapes (including what responses tolerate) pass.
func TestShapes(t *testing.T) {
	s := mustSet(t)
	const (
		group  = `{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}`
		filter = `"deviceAndAppManagementAssignmentFilterType"`
	)
	tests := []struct {
		desc    string
		version string
		name    Name
		doc     string
		want    []string
	}{
		// PATCH body, v1.0.
		{"patch: each target type, with and without #", "v1.0", AssignmentPatch,
			`{"target":` + group + `}`, nil},
		{"patch: exclusion group has groupId", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":"microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g1"}}`, nil},
		{"patch: configuration manager collection", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":"#microsoft.graph.configurationManagerCollectionAssignmentTarget","collectionId":null}}`, nil},
		{"patch: empty body changes nothing", "v1.0", AssignmentPatch, `{}`, nil},
		{"patch: annotations allowed", "v1.0", AssignmentPatch,
			`{"@odata.context":"x","target":{"@odata.type":"microsoft.graph.allDevicesAssignmentTarget","groupId@odata.type":"#String"}}`, nil},
		{"patch: body not an object", "v1.0", AssignmentPatch, `[]`,
			[]string{`|got array; want object`}},
		{"patch: target wrong JSON type", "v1.0", AssignmentPatch, `{"target":"all"}`,
			[]string{`/target|"target": got string; want object`}},
		{"patch: target null", "v1.0", AssignmentPatch, `{"target":null}`,
			[]string{`/target|"target": got null; want object`}},
		{"patch: groupId wrong JSON type", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":42}}`,
			[]string{`/target/groupId|"groupId": got number; want string or null`}},
		{"patch: @odata.type wrong JSON type", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":42}}`,
			[]string{`/target/@odata.type|"@odata.type": got number; want string`}},
		{"patch: id wrong JSON type", "v1.0", AssignmentPatch, `{"id":7}`,
			[]string{`/id|"id": got number; want string`}},
		{"patch: unknown property", "v1.0", AssignmentPatch, `{"foo":1}`,
			[]string{`/foo|unknown property "foo"`}},
		{"patch: unknown property in target", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"g","bar":true}}`,
			[]string{`/target/bar|unknown property "bar"`}},
		{"patch: property of another target type", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":"microsoft.graph.allDevicesAssignmentTarget","groupId":"g"}}`,
			[]string{`/target/groupId|unknown property "groupId"`}},
		{"patch: target without @odata.type is the base type", "v1.0", AssignmentPatch,
			`{"target":{"groupId":"g"}}`,
			[]string{`/target/groupId|unknown property "groupId"`}},
		{"patch: unknown target @odata.type", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":"#microsoft.graph.bogus"}}`,
			[]string{`/target/@odata.type|"@odata.type": unknown type "#microsoft.graph.bogus"; want one of microsoft.graph.deviceAndAppManagementAssignmentTarget,`}},
		{"patch: scopeTagGroupAssignmentTarget is not in the metadata", "v1.0", AssignmentPatch,
			`{"target":{"@odata.type":"microsoft.graph.scopeTagGroupAssignmentTarget"}}`,
			[]string{`/target/@odata.type|unknown type "microsoft.graph.scopeTagGroupAssignmentTarget" (newer doc pages show it; the metadata does not define it)`}},
		{"patch: wrong entity @odata.type", "v1.0", AssignmentPatch,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentConfiguration"}`,
			[]string{`/@odata.type|"@odata.type": unknown type`}},
		{"patch: beta property under v1.0", "v1.0", AssignmentPatch, `{"source":"direct","sourceId":"p"}`,
			[]string{`/source|unknown property "source" (defined in the beta model only)`, `/sourceId|unknown property "sourceId"`}},
		{"patch: beta target property under v1.0", "localtest", AssignmentPatch,
			`{"target":{"@odata.type":"microsoft.graph.allDevicesAssignmentTarget",` + filter + `:"include"}}`,
			[]string{`/target/deviceAndAppManagementAssignmentFilterType|unknown property ` + filter}},
		{"patch: odd property names are reported intact", "v1.0", AssignmentPatch, `{"a, b":1,"it's":2,"x/y~":3}`,
			[]string{`/a, b|unknown property "a, b"`, `/it's|unknown property "it's"`, `/x~1y~0|unknown property "x/y~"`}},
		{"patch: several problems, each reported once", "v1.0", AssignmentPatch,
			`{"foo":1,"target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":1,"bar":2}}`,
			[]string{`/foo|"foo"`, `/target/bar|"bar"`, `/target/groupId|"groupId"`}},

		// PATCH body, beta.
		{"beta patch: beta properties", "beta", AssignmentPatch,
			`{"source":"policySets","sourceId":null,"target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"g",` +
				`"deviceAndAppManagementAssignmentFilterId":"f",` + filter + `:"exclude"}}`, nil},
		{"beta patch: source not a member", "beta", AssignmentPatch, `{"source":"inherited"}`,
			[]string{`/source|"source": got "inherited"; want one of "direct", "policySets"`}},
		{"beta patch: filter type is not nullable", "beta", AssignmentPatch,
			`{"target":{"@odata.type":"microsoft.graph.allLicensedUsersAssignmentTarget",` + filter + `:null}}`,
			[]string{`/target/deviceAndAppManagementAssignmentFilterType|` + filter + `: got null; want string`}},
		{"beta patch: filter on a base target", "beta", AssignmentPatch,
			`{"target":{` + filter + `:"none"}}`, nil},

		// POST body.
		{"create: target required", "v1.0", AssignmentCreate, `{"@odata.type":"#microsoft.graph.enrollmentConfigurationAssignment"}`,
			[]string{`|missing required property "target"`}},
		{"create: unknown property", "v1.0", AssignmentCreate, `{"target":` + group + `,"priority":1}`,
			[]string{`/priority|unknown property "priority"`}},
		{"create: id may be sent", "v1.0", AssignmentCreate, `{"id":"x","target":` + group + `}`, nil},

		// Response entity.
		{"response: extra properties tolerated", "v1.0", Assignment,
			`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#x","id":"a","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"g","newer":1},"newer":true}`, nil},
		{"response: target null is allowed by the metadata", "v1.0", Assignment, `{"id":"a","target":null}`, nil},
		{"response: target without @odata.type", "v1.0", Assignment, `{"id":"a","target":{}}`, nil},
		{"response: scopeTagGroupAssignmentTarget as documented", "v1.0", Assignment,
			`{"id":"a","target":{"@odata.type":"#microsoft.graph.scopeTagGroupAssignmentTarget","targetType":"user","entraObjectId":"e"}}`, nil},
		{"response: v1.0 tolerates beta properties", "v1.0", Assignment,
			`{"id":"a","target":` + group + `,"source":"whatever"}`, nil},
		{"response: beta checks them", "beta", Assignment,
			`{"id":"a","target":` + group + `,"source":"whatever"}`,
			[]string{`/source|"source": got "whatever"`}},
		{"response: id missing", "v1.0", Assignment, `{"target":` + group + `}`,
			[]string{`|missing required property "id"`}},
		{"response: target missing", "v1.0", Assignment, `{"id":"a"}`,
			[]string{`|missing required property "target"`}},
		{"response: id wrong JSON type", "v1.0", Assignment, `{"id":1,"target":` + group + `}`,
			[]string{`/id|"id": got number; want string`}},
		{"response: unknown target @odata.type", "v1.0", Assignment,
			`{"id":"a","target":{"@odata.type":"microsoft.graph.bogus"}}`,
			[]string{`/target/@odata.type|unknown type "microsoft.graph.bogus"`}},
		{"response: wrong entity @odata.type", "v1.0", Assignment,
			`{"@odata.type":"microsoft.graph.entity","id":"a","target":` + group + `}`,
			[]string{`/@odata.type|unknown type "microsoft.graph.entity"; want one of microsoft.graph.enrollmentConfigurationAssignment`}},
		{"response: @odata.context wrong JSON type", "v1.0", Assignment,
			`{"@odata.context":5,"id":"a","target":` + group + `}`,
			[]string{`/@odata.context|"@odata.context": got number`}},

		// Collections.
		{"collection: empty", "v1.0", AssignmentCollection, `{"@odata.context":"c","value":[]}`, nil},
		{"collection: value missing", "v1.0", AssignmentCollection, `{"@odata.context":"c"}`,
			[]string{`|missing required property "value"`}},
		{"collection: value not an array", "v1.0", AssignmentCollection, `{"value":{"id":"a"}}`,
			[]string{`/value|"value": got object; want array`}},
		{"collection: bad item", "v1.0", AssignmentCollection, `{"value":[{"id":"a","target":null},{"target":null},3]}`,
			[]string{`/value/1|missing required property "id"`, `/value/2|item 2 of property "value": got number; want object`}},
		{"collection: nextLink wrong JSON type", "v1.0", AssignmentCollection, `{"value":[],"@odata.nextLink":1}`,
			[]string{`/@odata.nextLink|"@odata.nextLink"`}},
		{"configuration collection", "beta", ConfigurationCollection,
			`{"value":[{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","id":"c","limit":"5"}]}`,
			[]string{`/value/0/limit|"limit": got string; want integer`}},

		// Target on its own (as a response carries it).
		{"target: not an object", "v1.0", Target, `"allDevices"`, []string{`|got string; want object`}},
		{"target: groupId wrong JSON type", "v1.0", Target,
			`{"@odata.type":"microsoft.graph.exclusionGroupAssignmentTarget","groupId":[]}`,
			[]string{`/groupId|"groupId": got array; want string or null`}},

		// Configurations.
		{"configuration: each beta type", "beta", Configuration,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentNotificationConfiguration","id":"c","brandingOptions":"includeCompanyLogo,includeCompanyName","notificationMessageTemplateId":"4f8c4e4c-4e4c-4f8c-4c4e-8c4f4c4e8c4f","templateType":"email"}`, nil},
		{"configuration: id missing", "v1.0", Configuration,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","limit":5}`,
			[]string{`|missing required property "id"`}},
		{"configuration: limit not an integer", "v1.0", Configuration,
			`{"@odata.type":"microsoft.graph.deviceEnrollmentLimitConfiguration","id":"c","limit":5.5}`,
			[]string{`/limit|"limit": got number; want integer`}},
		{"configuration: priority beyond Int32", "v1.0", Configuration,
			`{"@odata.type":"microsoft.graph.deviceEnrollmentLimitConfiguration","id":"c","priority":2147483648}`,
			[]string{`/priority|"priority": got 2147483648; want <= 2147483647`}},
		{"configuration: bad timestamp", "v1.0", Configuration,
			`{"id":"c","createdDateTime":"yesterday"}`,
			[]string{`/createdDateTime|"createdDateTime": got "yesterday"; want a valid date-time`}},
		{"configuration: unknown @odata.type", "v1.0", Configuration,
			`{"@odata.type":"microsoft.graph.windowsRestoreDeviceEnrollmentConfiguration","id":"c"}`,
			[]string{`/@odata.type|unknown type "microsoft.graph.windowsRestoreDeviceEnrollmentConfiguration"`}},
		{"configuration: beta enum", "beta", Configuration,
			`{"id":"c","deviceEnrollmentConfigurationType":"big"}`,
			[]string{`/deviceEnrollmentConfigurationType|"deviceEnrollmentConfigurationType": got "big"`}},
		{"configuration: flags", "beta", Configuration,
			`{"@odata.type":"microsoft.graph.deviceEnrollmentNotificationConfiguration","id":"c","brandingOptions":"includeEverything"}`,
			[]string{`/brandingOptions|"brandingOptions"`}},

		// Configuration POST body.
		{"create configuration: restrictions", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration","iosRestriction":{"platformBlocked":true,"osMinimumVersion":null}}`, nil},
		{"create configuration: a nullable restriction is null", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration","iosRestriction":null}`, nil},
		{"create configuration: a restriction of the wrong type", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration","iosRestriction":{"platformBlocked":"no"}}`,
			[]string{`/iosRestriction/platformBlocked|"platformBlocked": got string; want boolean`}},
		{"create configuration: @odata.type required", "v1.0", ConfigurationCreate, `{"displayName":"x","limit":1}`,
			[]string{`|missing required property "@odata.type"`}},
		{"create configuration: abstract base type", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentConfiguration"}`,
			[]string{`/@odata.type|type "#microsoft.graph.deviceEnrollmentConfiguration" is abstract; want one of microsoft.graph.deviceEnrollmentLimitConfiguration,`}},
		{"create configuration: unknown property", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","limit":1,"max":2}`,
			[]string{`/max|unknown property "max"`}},
		{"create configuration: property of another type", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration","limit":1}`,
			[]string{`/limit|unknown property "limit"`}},
		{"create configuration: limit wrong JSON type", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","limit":"5"}`,
			[]string{`/limit|"limit": got string; want integer`}},
		{"create configuration: beta property under v1.0", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","roleScopeTagIds":["0"]}`,
			[]string{`/roleScopeTagIds|unknown property "roleScopeTagIds" (defined in the beta model only)`}},
		{"create configuration: beta property under beta", "beta", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","roleScopeTagIds":["0"]}`, nil},
		{"create configuration: nested unknown property", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration","iosRestriction":{"platformBlocked":true,"blockedSkus":[]}}`,
			[]string{`/iosRestriction/blockedSkus|unknown property "blockedSkus"`}},
		{"create configuration: nested wrong JSON type", "v1.0", ConfigurationCreate,
			`{"@odata.type":"#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration","iosRestriction":{"platformBlocked":"yes"}}`,
			[]string{`/iosRestriction/platformBlocked|"platformBlocked": got string; want boolean`}},

		// Graph's error object.
		{"error: innerError as Graph sends it", "v1.0", Error,
			`{"error":{"code":"BadRequest","message":"m","innerError":{"date":"2024-05-01T10:00:00","request-id":"r","client-request-id":"c"}}}`, nil},
		{"error: innererror as the concept page documents it, with others", "v1.0", Error,
			`{"error":{"code":"BadRequest","message":"m","target":"t","details":[{"code":"x","message":"y"}],"innererror":{"code":"deeper","innererror":{}}}}`, nil},
		{"error: error missing", "v1.0", Error, `{"code":"BadRequest"}`,
			[]string{`|missing required property "error"`}},
		{"error: code missing", "v1.0", Error, `{"error":{"message":"m"}}`,
			[]string{`/error|missing required property "code"`}},
		{"error: code wrong JSON type", "v1.0", Error, `{"error":{"code":400,"message":"m"}}`,
			[]string{`/error/code|"code": got number; want string`}},
		{"error: code empty", "v1.0", Error, `{"error":{"code":"","message":"m"}}`,
			[]string{`/error/code|"code": got ""`}},
		{"error: message wrong JSON type", "v1.0", Error, `{"error":{"code":"c","message":null}}`,
			[]string{`/error/message|"message": got null; want string`}},
		{"error: innerError not an object", "v1.0", Error, `{"error":{"code":"c","message":"m","innerError":"r"}}`,
			[]string{`/error/innerError|"innerError": got string; want object`}},
		{"error: request-id wrong JSON type", "v1.0", Error,
			`{"error":{"code":"c","message":"m","innererror":{"request-id":1}}}`,
			[]string{`/error/innererror/request-id|"request-id": got number; want string`}},
	}
	for _, tt := range tests {
		t.Run(tt.desc, func(t *testing.T) {
			checkProblems(t, both(t, s, tt.version, tt.name, parse(t, tt.doc)), tt.want)
		})
	}
}

// TestEveryTargetType: what TargetTypes lists is accepted in a PATCH body under both spellings and echoed
// back as a valid response, so the mock and the suite can iterate over it.
func TestEveryTargetType(t *testing.T) {
	s := mustSet(t)
	for _, version := range []string{"v1.0", "beta", "localtest"} {
		for _, typ := range TargetTypes(version) {
			for _, spelled := range []string{typ, "#" + typ} {
				target := map[string]any{"@odata.type": spelled}
				body := map[string]any{"target": target}
				if err := s.Validate(version, AssignmentPatch, body); err != nil {
					t.Errorf("%s: %v", version, err)
				}
				if err := s.Validate(version, Assignment, map[string]any{"id": "a", "target": target}); err != nil {
					t.Errorf("%s: %v", version, err)
				}
			}
		}
	}
}

func TestTypeLists(t *testing.T) {
	v1 := TargetTypes("v1.0")
	if len(v1) != 6 || v1[0] != "microsoft.graph.deviceAndAppManagementAssignmentTarget" {
		t.Errorf("TargetTypes(v1.0) = %q; want the base type first and 5 derived types", v1)
	}
	for _, typ := range append(TargetTypes("beta"), v1...) {
		if strings.HasPrefix(typ, "#") || strings.Contains(typ, "scopeTag") {
			t.Errorf("TargetTypes lists %q", typ)
		}
	}
	if got := ConfigurationTypes("localtest"); len(got) != 4 || got[0] != "microsoft.graph.deviceEnrollmentLimitConfiguration" {
		t.Errorf("ConfigurationTypes(localtest) = %q", got)
	}
	if got := ConfigurationTypes("beta"); len(got) != 8 {
		t.Errorf("ConfigurationTypes(beta) = %q; want 8 types", got)
	}
	for in, want := range map[string]string{"v1.0": "v1.0", "beta": "beta", "localtest": "v1.0", "Beta": "v1.0", "": "v1.0"} {
		if got := Model(in); got != want {
			t.Errorf("Model(%q) = %q; want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"#microsoft.graph.x": "microsoft.graph.x", "microsoft.graph.x": "microsoft.graph.x", "": "", "##x": "#x"} {
		if got := NormalizeType(in); got != want {
			t.Errorf("NormalizeType(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestValidateInputs(t *testing.T) {
	s := mustSet(t)
	type target struct {
		ODataType string `json:"@odata.type"`
		GroupID   *int   `json:"groupId,omitempty"`
	}
	type body struct {
		Target target `json:"target"`
	}
	if err := s.Validate("v1.0", AssignmentPatch, body{target{ODataType: "microsoft.graph.groupAssignmentTarget"}}); err != nil {
		t.Errorf("Go struct: %v", err)
	}
	one := 1
	checkProblems(t, s.Validate("v1.0", AssignmentPatch, body{target{"microsoft.graph.groupAssignmentTarget", &one}}),
		[]string{`/target/groupId|"groupId"`})
	if err := s.Validate("v1.0", AssignmentPatch, json.RawMessage(`{"target":{}}`)); err != nil {
		t.Errorf("json.RawMessage: %v", err)
	}
	if err := s.Validate("v1.0", AssignmentPatch, json.RawMessage(`{} {}`)); err == nil {
		t.Error("json.RawMessage with trailing data: got nil; want an error")
	}
	var ve *ValidationError
	if err := s.Validate("v1.0", "nope", map[string]any{}); err == nil || errors.As(err, &ve) {
		t.Errorf("unknown schema: got %v; want a plain error", err)
	}
	// float64 numbers (json.Unmarshal without UseNumber) work too.
	var doc any
	if err := json.Unmarshal([]byte(`{"@odata.type":"microsoft.graph.deviceEnrollmentLimitConfiguration","limit":5}`), &doc); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate("v1.0", ConfigurationCreate, doc); err != nil {
		t.Errorf("float64 numbers: %v", err)
	}
}

func TestValidationErrorText(t *testing.T) {
	s := mustSet(t)
	err := both(t, s, "v1.0", AssignmentPatch, parse(t, `{"target":{"@odata.type":"microsoft.graph.bogus"}}`))
	const want = `body does not match enrollmentConfigurationAssignment.patch (v1.0): /target/@odata.type: property "@odata.type": unknown type "microsoft.graph.bogus"; want one of microsoft.graph.deviceAndAppManagementAssignmentTarget, microsoft.graph.allDevicesAssignmentTarget, microsoft.graph.allLicensedUsersAssignmentTarget, microsoft.graph.groupAssignmentTarget, microsoft.graph.exclusionGroupAssignmentTarget, microsoft.graph.configurationManagerCollectionAssignmentTarget (with or without a leading '#')`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	err = both(t, s, "localtest", Assignment, parse(t, `[1]`))
	if want := `body does not match enrollmentConfigurationAssignment (localtest): (root): the document: got array; want object`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	err = both(t, s, "v1.0", AssignmentPatch, parse(t, `{"a":1,"b":2}`))
	if want := `body does not match enrollmentConfigurationAssignment.patch (v1.0), 2 problems: /a: unknown property "a" | /b: unknown property "b"`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestConcurrentValidate(t *testing.T) {
	s := mustSet(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s2 := mustSet(t)
			if s2 != s {
				t.Error("Default returned a different set")
			}
			doc := map[string]any{"target": map[string]any{"@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": i}}
			if err := s.Validate("v1.0", AssignmentPatch, doc); err == nil {
				t.Error("got nil; want an error")
			}
		}()
	}
	wg.Wait()
}
