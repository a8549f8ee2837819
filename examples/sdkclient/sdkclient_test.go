package sdkclient_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/graphconform/graphconform/examples/sdkclient"
	"github.com/graphconform/graphconform/graphmock"
)

// newClient starts the reference mock and returns the SDK client for it,
// carrying the mock's read/write token (reader: its read-only token).
func newClient(t *testing.T, reader bool) (*graphmock.Server, *msgraphsdk.GraphServiceClient) {
	t.Helper()
	s := graphmock.NewServer()
	t.Cleanup(s.Close)
	tok := s.Token
	if reader {
		tok = s.ReadToken
	}
	return s, client(t, s.URL, tok)
}

func client(t *testing.T, baseURL, token string) *msgraphsdk.GraphServiceClient {
	t.Helper()
	c, err := sdkclient.NewClient(baseURL, token)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// targets are the concrete deviceAndAppManagementAssignmentTarget types of
// v1.0 (graph-docs/metadata/v1.0-excerpt.csdl.xml; scopeTagGroupAssignmentTarget
// is beta-only there and absent from the SDK's v1.0 models).
func targets() []models.DeviceAndAppManagementAssignmentTargetable {
	group := models.NewGroupAssignmentTarget()
	group.SetGroupId(ptr("5b1c3f4e-8d2a-4c6b-9e7f-0a1b2c3d4e5f"))
	exclusion := models.NewExclusionGroupAssignmentTarget()
	exclusion.SetGroupId(ptr("6c2d4a5f-9e3b-4d7c-8f0a-1b2c3d4e5f60"))
	collection := models.NewConfigurationManagerCollectionAssignmentTarget()
	collection.SetCollectionId(ptr("SMS00001"))
	return []models.DeviceAndAppManagementAssignmentTargetable{
		models.NewAllDevicesAssignmentTarget(),
		models.NewAllLicensedUsersAssignmentTarget(),
		group,
		exclusion,
		collection,
	}
}

// TestAssignmentLifecycle creates a deviceEnrollmentLimitConfiguration and an
// assignment, PATCHes the assignment with each target type and reads it
// back, then deletes both, all through the SDK's request builders.
func TestAssignmentLifecycle(t *testing.T) {
	ctx := t.Context()
	_, c := newClient(t, false)
	configs := c.DeviceManagement().DeviceEnrollmentConfigurations()

	cfg := models.NewDeviceEnrollmentLimitConfiguration()
	cfg.SetDisplayName(ptr("sdkclient example"))
	cfg.SetDescription(ptr("created by examples/sdkclient"))
	cfg.SetLimit(ptr[int32](5))
	created, err := configs.Post(ctx, cfg, nil)
	if err != nil {
		t.Fatalf("POST configuration: %s", describeErr(err))
	}
	cfgID := deref(created.GetId())
	if cfgID == "" {
		t.Fatal("POST configuration: the created configuration has no id")
	}
	configItem := configs.ByDeviceEnrollmentConfigurationId(cfgID)
	read, err := configItem.Get(ctx, nil)
	if err != nil {
		t.Fatalf("GET configuration: %s", describeErr(err))
	}
	limit, ok := read.(*models.DeviceEnrollmentLimitConfiguration)
	if !ok {
		t.Fatalf("GET configuration: the SDK decoded a %T; want *models.DeviceEnrollmentLimitConfiguration (@odata.type %q)",
			read, deref(read.GetOdataType()))
	}
	if got := deref(limit.GetLimit()); got != 5 {
		t.Errorf("GET configuration: limit = %d; want 5", got)
	}
	if got := deref(limit.GetDisplayName()); got != "sdkclient example" {
		t.Errorf("GET configuration: displayName = %q; want %q", got, "sdkclient example")
	}

	assignments := configItem.Assignments()
	asg := models.NewEnrollmentConfigurationAssignment()
	asg.SetTarget(models.NewAllDevicesAssignmentTarget())
	createdAsg, err := assignments.Post(ctx, asg, nil)
	if err != nil {
		t.Fatalf("POST assignment: %s", describeErr(err))
	}
	asgID := deref(createdAsg.GetId())
	if asgID == "" {
		t.Fatal("POST assignment: the created assignment has no id")
	}
	item := assignments.ByEnrollmentConfigurationAssignmentId(asgID)

	for _, target := range targets() {
		want := describe(target)
		t.Run(strings.TrimPrefix(deref(target.GetOdataType()), "#microsoft.graph."), func(t *testing.T) {
			body := models.NewEnrollmentConfigurationAssignment()
			body.SetTarget(target)
			patched, err := item.Patch(ctx, body, nil)
			if err != nil {
				t.Fatalf("PATCH: %s", describeErr(err))
			}
			if got := deref(patched.GetId()); got != asgID {
				t.Errorf("PATCH answered assignment %q; want %q", got, asgID)
			}
			if got := describe(patched.GetTarget()); got != want {
				t.Errorf("PATCH answered target %s; want %s", got, want)
			}
			read, err := item.Get(ctx, nil)
			if err != nil {
				t.Fatalf("GET after PATCH: %s", describeErr(err))
			}
			if got := describe(read.GetTarget()); got != want {
				t.Errorf("GET after PATCH: target %s; want %s", got, want)
			}
		})
	}

	list, err := assignments.Get(ctx, nil)
	if err != nil {
		t.Fatalf("GET assignments: %s", describeErr(err))
	}
	if ids := idsOf(list.GetValue()); len(ids) != 1 || ids[0] != asgID {
		t.Errorf("GET assignments: ids %q; want [%q]", ids, asgID)
	}

	if err := item.Delete(ctx, nil); err != nil {
		t.Fatalf("DELETE assignment: %s", describeErr(err))
	}
	_, err = item.Get(ctx, nil)
	wantODataError(t, "GET of the deleted assignment", err, http.StatusNotFound, "itemNotFound")
	if err := configItem.Delete(ctx, nil); err != nil {
		t.Fatalf("DELETE configuration: %s", describeErr(err))
	}
	_, err = configItem.Get(ctx, nil)
	wantODataError(t, "GET of the deleted configuration", err, http.StatusNotFound, "itemNotFound")
}

// TestErrors checks that a failed call returns the SDK's *odataerrors.ODataError
// with the status and Graph error code a client author branches on.
func TestErrors(t *testing.T) {
	ctx := t.Context()
	s, c := newClient(t, false)
	configs := c.DeviceManagement().DeviceEnrollmentConfigurations()
	cfg := models.NewDeviceEnrollmentLimitConfiguration()
	cfg.SetDisplayName(ptr("sdkclient errors"))
	created, err := configs.Post(ctx, cfg, nil)
	if err != nil {
		t.Fatalf("POST configuration: %s", describeErr(err))
	}
	assignments := configs.ByDeviceEnrollmentConfigurationId(deref(created.GetId())).Assignments()
	asg := models.NewEnrollmentConfigurationAssignment()
	asg.SetTarget(models.NewAllLicensedUsersAssignmentTarget())
	createdAsg, err := assignments.Post(ctx, asg, nil)
	if err != nil {
		t.Fatalf("POST assignment: %s", describeErr(err))
	}
	asgID := deref(createdAsg.GetId())
	patchWith := func(c *msgraphsdk.GraphServiceClient, body models.EnrollmentConfigurationAssignmentable) error {
		_, err := c.DeviceManagement().DeviceEnrollmentConfigurations().ByDeviceEnrollmentConfigurationId(deref(created.GetId())).
			Assignments().ByEnrollmentConfigurationAssignmentId(asgID).Patch(ctx, body, nil)
		return err
	}
	groupTarget := func() models.EnrollmentConfigurationAssignmentable {
		body := models.NewEnrollmentConfigurationAssignment()
		g := models.NewGroupAssignmentTarget()
		g.SetGroupId(ptr("7d3e5b60-0f4c-4e8d-9a1b-2c3d4e5f6071"))
		body.SetTarget(g)
		return body
	}

	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{
			name: "unknown assignment id",
			call: func() error {
				_, err := assignments.ByEnrollmentConfigurationAssignmentId("00000000-0000-0000-0000-000000000000").Get(ctx, nil)
				return err
			},
			status: http.StatusNotFound, code: "itemNotFound",
		},
		{
			name: "unknown configuration id",
			call: func() error {
				_, err := configs.ByDeviceEnrollmentConfigurationId("00000000-0000-0000-0000-000000000000").Assignments().Post(ctx, asg, nil)
				return err
			},
			status: http.StatusNotFound, code: "itemNotFound",
		},
		{
			// A property the model does not declare, sent through the SDK's AdditionalData (a misspelt name, say).
			name: "a property the type does not declare",
			call: func() error {
				body := groupTarget()
				body.SetAdditionalData(map[string]any{"targetType": "group"})
				return patchWith(c, body)
			},
			status: http.StatusBadRequest, code: "invalidRequest",
		},
		{
			name: "a token the service never issued",
			call: func() error {
				return patchWith(client(t, s.URL, "not-"+s.Token), groupTarget())
			},
			status: http.StatusUnauthorized, code: "InvalidAuthenticationToken",
		},
		{
			name: "a read-only token writing",
			call: func() error {
				return patchWith(client(t, s.URL, s.ReadToken), groupTarget())
			},
			status: http.StatusForbidden, code: "accessDenied",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantODataError(t, tc.name, tc.call(), tc.status, tc.code)
		})
	}

	// The refused writes changed nothing, and the read-only token can still read.
	got, err := client(t, s.URL, s.ReadToken).DeviceManagement().DeviceEnrollmentConfigurations().
		ByDeviceEnrollmentConfigurationId(deref(created.GetId())).Assignments().ByEnrollmentConfigurationAssignmentId(asgID).
		Get(ctx, nil)
	if err != nil {
		t.Fatalf("GET with the read-only token: %s", describeErr(err))
	}
	if d, want := describe(got.GetTarget()), describe(models.NewAllLicensedUsersAssignmentTarget()); d != want {
		t.Errorf("after the refused PATCHes the target is %s; want %s", d, want)
	}
}

// wantODataError fails unless err is an *odataerrors.ODataError with the
// status and code, and the innerError request-id Graph sends for support.
func wantODataError(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error; want %d %s", what, status, code)
		return
	}
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		t.Errorf("%s: error %T (%v); want *odataerrors.ODataError", what, err, err)
		return
	}
	if oe.ResponseStatusCode != status {
		t.Errorf("%s: status %d; want %d (%s)", what, oe.ResponseStatusCode, status, describeErr(err))
	}
	main := oe.GetErrorEscaped()
	if main == nil {
		t.Errorf("%s: the ODataError has no error object", what)
		return
	}
	if got := deref(main.GetCode()); got != code {
		t.Errorf("%s: error code %q; want %q (%s)", what, got, code, describeErr(err))
	}
	if inner := main.GetInnerError(); inner == nil || deref(inner.GetRequestId()) == "" {
		t.Errorf("%s: no innerError.request-id (%s)", what, describeErr(err))
	}
}

// describe names a target by its Go type (what the SDK's discriminator
// chose from @odata.type) and its properties.
func describe(t models.DeviceAndAppManagementAssignmentTargetable) string {
	switch v := t.(type) {
	case nil:
		return "no target"
	case *models.ExclusionGroupAssignmentTarget:
		return fmt.Sprintf("exclusionGroupAssignmentTarget{groupId %q}", deref(v.GetGroupId()))
	case *models.GroupAssignmentTarget:
		return fmt.Sprintf("groupAssignmentTarget{groupId %q}", deref(v.GetGroupId()))
	case *models.ConfigurationManagerCollectionAssignmentTarget:
		return fmt.Sprintf("configurationManagerCollectionAssignmentTarget{collectionId %q}", deref(v.GetCollectionId()))
	case *models.AllDevicesAssignmentTarget:
		return "allDevicesAssignmentTarget{}"
	case *models.AllLicensedUsersAssignmentTarget:
		return "allLicensedUsersAssignmentTarget{}"
	}
	return fmt.Sprintf("%T (@odata.type %q, which the SDK does not map to a concrete type)", t, deref(t.GetOdataType()))
}

func describeErr(err error) string {
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) && oe.GetErrorEscaped() != nil {
		return fmt.Sprintf("ODataError %d %s: %s", oe.ResponseStatusCode, deref(oe.GetErrorEscaped().GetCode()), deref(oe.GetErrorEscaped().GetMessage()))
	}
	return err.Error()
}

func idsOf(list []models.EnrollmentConfigurationAssignmentable) []string {
	ids := make([]string, 0, len(list))
	for _, a := range list {
		ids = append(ids, deref(a.GetId()))
	}
	return ids
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
