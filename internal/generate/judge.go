package generate

import (
	"errors"
	"fmt"

	"github.com/graphconform/graphconform/internal/schema"
)

// Verdict is what a conformant service does with a body.
type Verdict int

const (
	// Accept: the body is valid; the write answers 2xx and stores what was sent.
	Accept Verdict = iota
	// Reject: the body is invalid; the write answers 400 with a Graph error and changes nothing.
	Reject
	// Either: neither the doc nor OData pins the answer down; the service may accept (storing one of
	// Expect.Alternatives) or refuse it, but never answers 5xx and never changes anything else.
	Either
)

func (v Verdict) String() string {
	return [...]string{"valid", "invalid", "not pinned down"}[v]
}

// Expect is the judge's verdict on a case.
type Expect struct {
	Verdict Verdict
	Why     string // why it is invalid or not pinned down
	// Alternatives are the decoded bodies a service that accepts an Either case may have applied (each
	// reading of duplicate members that is valid).
	Alternatives []any
}

// Classify judges body (a PATCH or create body of the schema name) the way a conformant service must:
//
//   - Not JSON, not UTF-8 (RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8), not an object,
//     or not valid against the request schema (wrong JSON type, undeclared property, unknown
//     @odata.type, a number out of range...): Reject.
//   - Duplicate member names (RFC 8259 §4: names SHOULD be unique; behaviour with duplicates is
//     unpredictable): Either, storing a reading that is valid; Reject when no reading is.
//   - A target without @odata.type: Either (see untypedTarget).
//   - An id in a PATCH body: Either (ignored or refused; the key never changes).
//   - Otherwise Accept.
func Classify(set *schema.Set, version string, name schema.Name, c *Case) (Expect, error) {
	if c.Node == nil {
		return Expect{Verdict: Reject, Why: "the body is not JSON"}, nil
	}
	if c.Node.deeperThan(maxModelDepth) {
		// What the schema would say, without walking a hundred thousand levels: no type of the model
		// nests that deep, so the extra levels sit where the schema refuses them. (An instance
		// annotation, name@odata.x, may hold any value; no generated or shrunk body puts one there.)
		return Expect{Verdict: Reject, Why: fmt.Sprintf("the body nests more than %d levels deep, deeper than any body of the type model", maxModelDepth)}, nil
	}
	if !c.Node.ValidUTF8() {
		return Expect{Verdict: Reject, Why: "the body is not valid UTF-8"}, nil
	}
	if c.Node.Kind != Object {
		return Expect{Verdict: Reject, Why: "the body is " + c.Node.Kind.String() + ", not a JSON object"}, nil
	}
	readings := []Resolution{LastWins}
	dup := c.Node.HasDuplicateKeys()
	if dup {
		readings = append(readings, FirstWins)
	}
	var valid []any
	why := ""
	for _, res := range readings {
		v := c.Node.Value(res)
		err := set.Validate(version, name, v)
		if err == nil {
			if len(valid) == 0 || !sameJSON(valid[0], v) {
				valid = append(valid, v)
			}
			continue
		}
		var ve *schema.ValidationError
		if !errors.As(err, &ve) {
			return Expect{}, err
		}
		if why == "" {
			why = ve.Error()
		}
	}
	switch {
	case len(valid) == 0 && !dup:
		if alt, ok := nulledTarget(set, version, name, c.Node.Value(LastWins)); ok {
			return Expect{Verdict: Either, Why: nullTarget, Alternatives: []any{alt}}, nil
		}
		return Expect{Verdict: Reject, Why: why}, nil
	case len(valid) == 0:
		return Expect{Verdict: Reject, Why: why}, nil
	case dup:
		return Expect{Verdict: Either, Why: "the body repeats a member name; RFC 8259 leaves which one counts to the reader",
			Alternatives: valid}, nil
	}
	body := valid[0].(map[string]any)
	if t, ok := body["target"].(map[string]any); ok {
		if _, typed := t["@odata.type"]; !typed {
			return Expect{Verdict: Either, Why: untypedTarget, Alternatives: valid}, nil
		}
	}
	if _, ok := body["id"]; ok && name == schema.AssignmentPatch {
		return Expect{Verdict: Either, Why: "the body carries an id; a service ignores or refuses it, the key never changes",
			Alternatives: valid}, nil
	}
	return Expect{Verdict: Accept}, nil
}

// maxModelDepth bounds the nesting of any valid body: an entity holds a complex value holding a
// collection of strings at most (four levels), with room to spare.
const maxModelDepth = 16

// untypedTarget is why a target without @odata.type is not pinned down.
const untypedTarget = "the target has no @odata.type: by OData's minimal-metadata rule it is then an instance of the " +
	"declared type deviceAndAppManagementAssignmentTarget, which the metadata marks Abstract; OData server libraries " +
	"refuse to instantiate an abstract type (400), while the doc page's own example sends that abstract type " +
	"explicitly and expects 200, so a service may store it as the base type or refuse it"

// nullTarget is why a body whose target is null is not pinned down.
const nullTarget = "the target is null: the request schemas refuse it (schemas/README.md: a body that nulls the " +
	"target is a client mistake), but the metadata does not mark target Nullable=\"false\", so a service that " +
	"follows the metadata may store a null target; it may refuse it or store it, never answer 5xx"

// nulledTarget reports whether body is valid but for a null target (the one place where the request
// schemas are stricter than the metadata), and returns the body a service that accepts it stores.
func nulledTarget(set *schema.Set, version string, name schema.Name, body any) (any, bool) {
	obj, ok := body.(map[string]any)
	if !ok {
		return nil, false
	}
	t, present := obj["target"]
	if !present || t != nil {
		return nil, false
	}
	rest := make(map[string]any, len(obj))
	for k, v := range obj {
		if k != "target" {
			rest[k] = v
		}
	}
	if name == schema.AssignmentCreate {
		return nil, false // a create without a target creates nothing assignable
	}
	if err := set.Validate(version, name, rest); err != nil {
		return nil, false
	}
	return obj, true
}

func sameJSON(a, b any) bool {
	return string(FromValue(a).Encode()) == string(FromValue(b).Encode())
}
