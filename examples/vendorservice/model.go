package enrollment

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The v1.0 types this service stores, transcribed from Graph's CSDL metadata
// (schemas/v1.0-Prod.csdl of microsoftgraph/msgraph-metadata): the
// deviceEnrollmentConfiguration family and the
// deviceAndAppManagementAssignmentTarget family. A request naming a type or a
// property that is not here is refused with 400, as Graph refuses it.

const ns = "microsoft.graph."

// kind is the JSON shape of an Edm type.
type kind int

const (
	kString      kind = iota // Edm.String
	kInt32                   // Edm.Int32
	kBool                    // Edm.Boolean
	kDateTime                // Edm.DateTimeOffset
	kEnum                    // an EnumType: one of members
	kRestriction             // the complex type deviceEnrollmentPlatformRestriction
)

type property struct {
	kind     kind
	nullable bool     // the CSDL's Nullable (default true)
	members  []string // kEnum
}

func str() property      { return property{kind: kString, nullable: true} }
func int32p() property   { return property{kind: kInt32} }
func boolp() property    { return property{kind: kBool} }
func dateTime() property { return property{kind: kDateTime} }
func enum(m ...string) property {
	return property{kind: kEnum, members: m}
}

var (
	enablement = enum("notConfigured", "enabled", "disabled")
	pinUsage   = enum("allowed", "required", "disallowed")
)

// configurationBase holds the properties every deviceEnrollmentConfiguration
// declares; configurationTypes the concrete (creatable) types and their own
// properties. The base type is abstract.
var configurationBase = map[string]property{
	"createdDateTime":      dateTime(),
	"description":          str(),
	"displayName":          str(),
	"lastModifiedDateTime": dateTime(),
	"priority":             int32p(),
	"version":              int32p(),
}

var configurationTypes = map[string]map[string]property{
	ns + "deviceEnrollmentLimitConfiguration": {"limit": int32p()},
	ns + "deviceEnrollmentPlatformRestrictionsConfiguration": {
		"androidRestriction":       {kind: kRestriction, nullable: true},
		"iosRestriction":           {kind: kRestriction, nullable: true},
		"macOSRestriction":         {kind: kRestriction, nullable: true},
		"windowsMobileRestriction": {kind: kRestriction, nullable: true},
		"windowsRestriction":       {kind: kRestriction, nullable: true},
	},
	ns + "deviceEnrollmentWindowsHelloForBusinessConfiguration": {
		"enhancedBiometricsState":     enablement,
		"pinExpirationInDays":         int32p(),
		"pinLowercaseCharactersUsage": pinUsage,
		"pinMaximumLength":            int32p(),
		"pinMinimumLength":            int32p(),
		"pinPreviousBlockCount":       int32p(),
		"pinSpecialCharactersUsage":   pinUsage,
		"pinUppercaseCharactersUsage": pinUsage,
		"remotePassportEnabled":       boolp(),
		"securityDeviceRequired":      boolp(),
		"state":                       enablement,
		"unlockWithBiometricsEnabled": boolp(),
	},
	ns + "windows10EnrollmentCompletionPageConfiguration": {"allowNonBlockingAppInstallation": boolp()},
}

var restriction = map[string]property{
	"osMaximumVersion":                str(),
	"osMinimumVersion":                str(),
	"personalDeviceEnrollmentBlocked": boolp(),
	"platformBlocked":                 boolp(),
}

// targetTypes are the deviceAndAppManagementAssignmentTarget types of v1.0
// and their properties (exclusionGroupAssignmentTarget inherits groupId).
// The base type is abstract in the metadata, yet the Update
// enrollmentConfigurationAssignment page's own example request sends it, so
// it is accepted as the page shows.
var targetTypes = map[string]map[string]property{
	ns + "deviceAndAppManagementAssignmentTarget":         {},
	ns + "allDevicesAssignmentTarget":                     {},
	ns + "allLicensedUsersAssignmentTarget":               {},
	ns + "groupAssignmentTarget":                          {"groupId": str()},
	ns + "exclusionGroupAssignmentTarget":                 {"groupId": str()},
	ns + "configurationManagerCollectionAssignmentTarget": {"collectionId": str()},
}

const assignmentType = ns + "enrollmentConfigurationAssignment"

// badRequest is a body that does not fit the model: where, and why.
type badRequest struct{ pointer, reason string }

func (e *badRequest) Error() string { return e.pointer + ": " + e.reason }

func refuse(pointer, format string, args ...any) *badRequest {
	return &badRequest{pointer: pointer, reason: fmt.Sprintf(format, args...)}
}

// odataType reads an "@odata.type" value ("#microsoft.graph.x" or
// "microsoft.graph.x") as the qualified name; ok is false when it is absent.
func odataType(obj map[string]any, pointer string) (name string, ok bool, err *badRequest) {
	v, present := obj["@odata.type"]
	if !present {
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", false, refuse(pointer+"/@odata.type", "got %s; want a string", render(v))
	}
	return strings.TrimPrefix(s, "#"), true, nil
}

// checkObject checks every member of obj against props; "@odata.type" is
// checked by the caller.
func checkObject(obj map[string]any, props map[string]property, pointer string) *badRequest {
	for name, v := range obj {
		if name == "@odata.type" {
			continue
		}
		p, declared := props[name]
		if !declared {
			return refuse(pointer+"/"+name, "the type does not declare this property")
		}
		if err := checkValue(v, p, pointer+"/"+name); err != nil {
			return err
		}
	}
	return nil
}

func checkValue(v any, p property, pointer string) *badRequest {
	if v == nil {
		if p.nullable {
			return nil
		}
		return refuse(pointer, "got null; the property is not nullable")
	}
	switch p.kind {
	case kString:
		if _, ok := v.(string); !ok {
			return refuse(pointer, "got %s; want a string", render(v))
		}
	case kInt32:
		n, ok := v.(json.Number)
		if !ok {
			return refuse(pointer, "got %s; want an Int32 number", render(v))
		}
		if _, err := strconv.ParseInt(n.String(), 10, 32); err != nil {
			return refuse(pointer, "got %s; want an integer from %d to %d", n, math.MinInt32, math.MaxInt32)
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			return refuse(pointer, "got %s; want true or false", render(v))
		}
	case kDateTime:
		s, ok := v.(string)
		if !ok {
			return refuse(pointer, "got %s; want a DateTimeOffset string", render(v))
		}
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return refuse(pointer, "got %q; want an RFC 3339 date and time", s)
		}
	case kEnum:
		s, ok := v.(string)
		if !ok || !slices.Contains(p.members, s) {
			return refuse(pointer, "got %s; want one of %s", render(v), strings.Join(p.members, ", "))
		}
	case kRestriction:
		obj, ok := v.(map[string]any)
		if !ok {
			return refuse(pointer, "got %s; want a deviceEnrollmentPlatformRestriction object", render(v))
		}
		if t, present, err := odataType(obj, pointer); err != nil {
			return err
		} else if present && t != ns+"deviceEnrollmentPlatformRestriction" {
			return refuse(pointer+"/@odata.type", "got %q; want microsoft.graph.deviceEnrollmentPlatformRestriction", t)
		}
		return checkObject(obj, restriction, pointer)
	}
	return nil
}

// checkTarget checks an assignment's target and returns it as stored: with
// its type named "#microsoft.graph.x", as Graph writes it. The metadata
// leaves target nullable, but an assignment is its target: a request that
// nulls it is refused (as the conformance suite requires, ECA-UPDATE-021).
func checkTarget(v any) (any, *badRequest) {
	if v == nil {
		return nil, refuse("/target", "got null; an assignment needs a target")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, refuse("/target", "got %s; want a deviceAndAppManagementAssignmentTarget object", render(v))
	}
	t, present, err := odataType(obj, "/target")
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, refuse("/target/@odata.type", "missing; the declared type deviceAndAppManagementAssignmentTarget is abstract, so a target names its type")
	}
	props, known := targetTypes[t]
	if !known {
		return nil, refuse("/target/@odata.type", "%q is not a deviceAndAppManagementAssignmentTarget type of v1.0", t)
	}
	if err := checkObject(obj, props, "/target"); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		out[k] = v
	}
	out["@odata.type"] = "#" + t
	return out, nil
}

// checkAssignment checks a create or update body of an assignment: only
// "@odata.type" (the assignment's own), "id" (the caller's to check) and
// "target" are declared.
func checkAssignment(body map[string]any) *badRequest {
	t, present, err := odataType(body, "")
	if err != nil {
		return err
	}
	if present && t != assignmentType {
		return refuse("/@odata.type", "got %q; want %s", t, assignmentType)
	}
	for name, v := range body {
		switch name {
		case "@odata.type", "target":
		case "id":
			if _, ok := v.(string); !ok {
				return refuse("/id", "got %s; want a string", render(v))
			}
		default:
			return refuse("/"+name, "enrollmentConfigurationAssignment does not declare this property")
		}
	}
	return nil
}

// checkConfiguration checks a create body of a configuration and returns its
// concrete type.
func checkConfiguration(body map[string]any) (string, *badRequest) {
	t, present, err := odataType(body, "")
	if err != nil {
		return "", err
	}
	if !present || t == ns+"deviceEnrollmentConfiguration" {
		return "", refuse("/@odata.type", "name a concrete type such as #microsoft.graph.deviceEnrollmentLimitConfiguration; deviceEnrollmentConfiguration is abstract")
	}
	own, known := configurationTypes[t]
	if !known {
		return "", refuse("/@odata.type", "%q is not a deviceEnrollmentConfiguration type of v1.0", t)
	}
	props := make(map[string]property, len(configurationBase)+len(own)+1)
	for k, p := range configurationBase {
		props[k] = p
	}
	for k, p := range own {
		props[k] = p
	}
	props["id"] = str() // the service keys configurations: a client's id is ignored
	if _, ok := body["assignments"]; ok {
		return "", refuse("/assignments", "assignments are created by POST to the configuration's assignments")
	}
	return t, checkObject(body, props, "")
}

// render shows a JSON value in an error message, bounded.
func render(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "..."
	}
	return string(b)
}
