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
		Breaks:      []string{"ECA-UPDATE-001", "ECA-UPDATE-002"},
		Wrap:        patchOldTarget,
	},
	{
		Name:        "patch-not-persisted",
		Description: "a PATCH answers 200 with the new target but the store keeps the old one",
		Breaks:      []string{"ECA-UPDATE-101"},
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
		Breaks:      []string{"ECA-UPDATE-014"},
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
		Description: "a token with read scopes only may PATCH: no 403",
		Breaks:      []string{"ECA-UPDATE-104"},
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
			"ECA-UPDATE-015", "ECA-UPDATE-016", "ECA-UPDATE-017", "ECA-UPDATE-104", "ECA-UPDATE-105", "ECA-UPDATE-106"},
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
		Breaks:      []string{"ECA-UPDATE-017"},
		Wrap:        unknownPropertyAccepted,
	},
	{
		Name:        "unknown-type-accepted",
		Description: "a target @odata.type that does not exist is taken as allDevicesAssignmentTarget instead of rejected with 400",
		Breaks:      []string{"ECA-UPDATE-015"},
		Wrap:        unknownTypeAccepted,
	},
	{
		Name:        "wrong-type-accepted",
		Description: "a property of the wrong JSON type is coerced (a number groupId to a string, a string target to allDevices) instead of rejected with 400",
		Breaks:      []string{"ECA-UPDATE-016"},
		Wrap:        wrongTypeAccepted,
	},
	{
		Name:        "rejected-patch-applied",
		Description: "a PATCH rejected with 400 for an unknown property still applies its target",
		Breaks:      []string{"ECA-UPDATE-017"},
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
}

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
