// Package defects holds deliberately broken variants of the reference mock,
// one defect each, as http.Handler wrappers. The meta-test runs the suite
// against every variant and checks that the run fails and names exactly the
// requirements the defect breaks: a suite that passes everything proves
// nothing. `graphmock --defect NAME` serves one of them.
package defects

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Config is what a defect may need to know about the mock it wraps.
type Config struct {
	// Token is a bearer token the wrapped mock accepts for reads and writes
	// (used by defects that let bad credentials through).
	Token string
}

// Defect is one deliberately broken behaviour.
type Defect struct {
	Name        string
	Description string
	// Breaks lists the requirement ids a conforming suite must report
	// failed against this variant, and no others.
	Breaks []string
	// MayBreak lists requirements whose generated bodies (internal/generate)
	// hit the defect only for some seeds: reported failed or not, both are
	// right. Breaks holds what every seed shows.
	MayBreak []string
	// Misses lists the SHOULD requirements a conformant variation knowingly
	// does not meet (a recommendation it has reasons not to follow); only
	// for Variations, whose Breaks is empty.
	Misses []string
	Wrap   func(next http.Handler, cfg Config) http.Handler
}

var all = []Defect{
	{
		Name:        "patch-204",
		Description: "a successful PATCH answers 204 No Content without a body instead of 200 with the assignment",
		// Not 101: OData lets a PATCH answer 204, and the GET after it still shows the new target.
		Breaks: []string{"ECA-UPDATE-001", "ECA-UPDATE-002"},
		Wrap:   patch204,
	},
	{
		Name:        "patch-text-plain",
		Description: "a successful PATCH answers with Content-Type text/plain",
		Breaks:      []string{"ECA-UPDATE-001", "ECA-UPDATE-002"},
		Wrap:        patchTextPlain,
	},
	{
		Name:        "patch-wrong-id",
		Description: "a successful PATCH answers with an id other than the path's",
		Breaks:      []string{"ECA-UPDATE-001", "ECA-UPDATE-002"},
		Wrap:        patchWrongID,
	},
	{
		Name:        "patch-old-target",
		Description: "a successful PATCH stores the new target but answers with the old one",
		Breaks:      []string{"ECA-UPDATE-001", "ECA-UPDATE-002", "ECA-UPDATE-020"},
		Wrap:        patchOldTarget,
	},
	{
		Name:        "patch-not-persisted",
		Description: "a PATCH answers 200 with the new target but the store keeps the old one",
		Breaks:      []string{"ECA-UPDATE-019", "ECA-UPDATE-020", "ECA-UPDATE-023", "ECA-UPDATE-101"},
		Wrap:        patchNotPersisted,
	},
	{
		Name:        "patch-wrong-entity-type",
		Description: "a successful PATCH answers with @odata.type #microsoft.graph.entity instead of the assignment's type",
		// 001 by the example match and the schema, 002 by the schema.
		Breaks: []string{"ECA-UPDATE-001", "ECA-UPDATE-002"},
		Wrap:   patchWrongEntityType,
	},
	{
		Name:        "malformed-json-500",
		Description: "a body that is not well-formed JSON answers 500 instead of 400",
		Breaks:      []string{"ECA-UPDATE-014", "ECA-UPDATE-021"},
		Wrap:        malformed500,
	},
	{
		Name:        "auth-ignored",
		Description: "a request without a valid token (none, or one never issued) is served as if authorized: no 401",
		Breaks:      []string{"ECA-UPDATE-010", "ECA-UPDATE-011"},
		Wrap:        authIgnored(false),
	},
	{
		Name:        "no-token-accepted",
		Description: "a request without an Authorization header is served as if authorized (an invalid token still gets 401)",
		Breaks:      []string{"ECA-UPDATE-010"},
		Wrap:        authIgnored(true),
	},
	{
		Name:        "read-only-can-write",
		Description: "a token with read scopes only may write (PATCH, POST, DELETE): no 403",
		Breaks:      []string{"ECA-UPDATE-104", "ECA-CREATE-102", "ECA-DELETE-102"},
		Wrap:        readOnlyCanWrite,
	},
	{
		Name:        "upsert",
		Description: "a PATCH of an unknown assignment id under an existing configuration answers 200 instead of 404",
		Breaks:      []string{"ECA-UPDATE-013"},
		Wrap:        upsert,
	},
	{
		Name:        "not-found-400",
		Description: "a PATCH of something that does not exist answers 400 instead of 404",
		Breaks:      []string{"ECA-UPDATE-012", "ECA-UPDATE-013"},
		Wrap:        notFound400,
	},
	{
		Name:        "error-shape",
		Description: `error bodies are {"message": "..."} instead of Graph's {"error": {"code", "message", "innerError"}}`,
		Breaks: []string{"ECA-UPDATE-010", "ECA-UPDATE-011", "ECA-UPDATE-012", "ECA-UPDATE-013", "ECA-UPDATE-014",
			"ECA-UPDATE-015", "ECA-UPDATE-016", "ECA-UPDATE-017", "ECA-UPDATE-018", "ECA-UPDATE-021", "ECA-UPDATE-104",
			"ECA-UPDATE-105", "ECA-UPDATE-106", "ECA-CREATE-102", "ECA-DELETE-102"},
		Wrap: errorShape,
	},
	{
		Name:        "no-request-id",
		Description: "responses carry no request-id header",
		Breaks:      []string{"ECA-UPDATE-102"},
		Wrap:        dropHeader("request-id"),
	},
	{
		Name:        "client-request-id-not-echoed",
		Description: "the client-request-id request header is not echoed in the response",
		Breaks:      []string{"ECA-UPDATE-103"},
		Wrap:        dropHeader("client-request-id"),
	},
	{
		Name:        "unknown-property-accepted",
		Description: "properties the type does not declare are silently dropped instead of rejected with 400",
		Breaks:      []string{"ECA-UPDATE-017", "ECA-UPDATE-021"},
		Wrap:        unknownPropertyAccepted,
	},
	{
		Name:        "unknown-type-accepted",
		Description: "a target @odata.type that does not exist is taken as allDevicesAssignmentTarget instead of rejected with 400",
		// 022: an untyped target, which it also takes for an unknown type, is stored as allDevices.
		Breaks: []string{"ECA-UPDATE-015", "ECA-UPDATE-021", "ECA-UPDATE-022"},
		Wrap:   unknownTypeAccepted,
	},
	{
		Name:        "wrong-type-accepted",
		Description: "a property of the wrong JSON type is coerced (a number groupId to a string, a string target to allDevices) instead of rejected with 400",
		// 022: of a valid target and a string under one name, the string wins and is coerced.
		Breaks: []string{"ECA-UPDATE-016", "ECA-UPDATE-021", "ECA-UPDATE-022"},
		Wrap:   wrongTypeAccepted,
	},
	{
		Name:        "rejected-patch-applied",
		Description: "a PATCH rejected with 400 for an unknown property still applies its target",
		Breaks:      []string{"ECA-UPDATE-017", "ECA-UPDATE-021"},
		Wrap:        rejectedPatchApplied,
	},
	{
		Name:        "text-plain-accepted",
		Description: "a body sent as text/plain is read as JSON instead of refused with 415",
		Breaks:      []string{"ECA-UPDATE-105"},
		Wrap:        textPlainAccepted,
	},
	{
		Name:        "put-accepted",
		Description: "PUT on an assignment is treated as PATCH instead of refused with 405",
		Breaks:      []string{"ECA-UPDATE-106"},
		Wrap:        putAccepted,
	},
	{
		Name:        "put-no-allow",
		Description: "405 Method Not Allowed comes without an Allow header",
		Breaks:      []string{"ECA-UPDATE-106"},
		Wrap:        putNoAllow,
	},

	// Bodies (steps/generated.go).
	{
		Name:        "deep-nesting-500",
		Description: "a body nested more than 64 levels deep answers 500 (a reader that throws at its depth limit, and nothing maps that to 400)",
		Breaks:      []string{"ECA-UPDATE-021"},
		Wrap:        deepNesting500,
	},
	{
		Name:        "huge-number-500",
		Description: "a number beyond float64 (1e400) answers 500 instead of 400",
		Breaks:      []string{"ECA-UPDATE-021"},
		Wrap:        hugeNumber500,
	},
	{
		Name:        "duplicate-keys-500",
		Description: "a body that repeats a member name answers 500 (a reader that throws on a key it has seen)",
		Breaks:      []string{"ECA-UPDATE-022"},
		Wrap:        duplicateKeys500,
	},
	{
		Name:        "invalid-utf8-accepted",
		Description: "invalid UTF-8 in a body is read as U+FFFD and stored instead of refused with 400",
		Breaks:      []string{"ECA-UPDATE-021"},
		Wrap:        invalidUTF8Accepted,
	},
	{
		Name:        "non-bmp-mangled",
		Description: "strings are stored as UCS-2 would: every character outside the Basic Multilingual Plane becomes U+FFFD",
		Breaks:      []string{"ECA-UPDATE-020", "ECA-CREATE-020", "DELC-CREATE-020"},
		// A body whose answer is not pinned down carries free text only when the seed draws it.
		MayBreak: []string{"ECA-UPDATE-022"},
		Wrap:     nonBMPMangled,
	},

	// Protocol (steps/negotiation.go).
	{
		Name:        "charset-refused",
		Description: `Content-Type is compared as a string: "application/json; charset=utf-8" answers 415`,
		Breaks:      []string{"ECA-UPDATE-019"},
		Wrap:        charsetRefused,
	},
	{
		Name:        "accept-json-only",
		Description: "an Accept header other than exactly application/json (OData parameters, */*) answers 406",
		Breaks:      []string{"ECA-UPDATE-108"},
		Wrap:        acceptJSONOnly,
	},
	{
		Name:        "guid-case-sensitive",
		Description: "keys are looked up byte for byte: a GUID spelled in upper case in the path answers 404",
		Breaks:      []string{"ECA-UPDATE-107"},
		Wrap:        guidCaseSensitive,
	},

	// State (steps/concurrency.go, key.go, convergence.go, permissions.go).
	{
		Name: "patch-not-atomic",
		Description: "a PATCH writes the target property by property: two PATCHes at once leave the type of one and the " +
			"properties of the other",
		Breaks: []string{"ECA-UPDATE-023"},
		Wrap:   patchNotAtomic,
	},
	{
		Name:        "patch-honours-body-id",
		Description: "an id in a PATCH body becomes the assignment's new key: it moves to a new URL, the old one answers 404",
		Breaks:      []string{"ECA-UPDATE-018"},
		Wrap:        patchHonoursBodyID,
	},
	{
		Name:        "list-lags",
		Description: "a new assignment shows in its collection only after a thousand lists, far beyond any convergence window",
		// Every requirement that looks for the scenario's assignment in a list.
		Breaks: []string{"ECA-LIST-001", "ECA-LIST-101", "ECA-UPDATE-022"},
		Wrap:   listLags(1000),
	},
	{
		Name:        "read-only-can-create",
		Description: "a token with read scopes only may POST: no 403",
		Breaks:      []string{"ECA-CREATE-102"},
		Wrap:        readOnlyCan(http.MethodPost),
	},
	{
		Name:        "read-only-can-delete",
		Description: "a token with read scopes only may DELETE: no 403",
		Breaks:      []string{"ECA-DELETE-102"},
		Wrap:        readOnlyCan(http.MethodDelete),
	},
}

// Selection is the tag expression of the requirements the catalogue covers: every requirement of the
// update operation, and the family's requirements about bodies, permissions and read-your-writes. (A
// defect in shared behaviour, such as auth-ignored, rightly breaks the other operations' requirements
// too; they are left out rather than listed under every such defect.)
const Selection = "@op:enrollmentConfigurationAssignment.update,@req:ECA-CREATE-020,@req:ECA-CREATE-102," +
	"@req:ECA-DELETE-102,@req:ECA-LIST-001,@req:ECA-LIST-101,@req:DELC-CREATE-020"

// All lists every defect, by name.
func All() []Defect {
	out := append([]Defect(nil), all...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a defect by name.
func Lookup(name string) (Defect, bool) {
	for _, d := range all {
		if d.Name == name {
			return d, true
		}
	}
	return Defect{}, false
}

// Names lists the defect names, sorted.
func Names() []string {
	var n []string
	for _, d := range All() {
		n = append(n, d.Name)
	}
	return n
}

// Wrap wraps next with the named defect; "" returns next unchanged.
func Wrap(name string, next http.Handler, cfg Config) (http.Handler, error) {
	if name == "" {
		return next, nil
	}
	d, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown defect %q; known: %s", name, strings.Join(Names(), ", "))
	}
	return d.Wrap(next, cfg), nil
}
