package check

import (
	"errors"
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/internal/schema"
)

// Schema fails unless the response body is JSON valid against schema name
// of the model the URL version segment selects.
func Schema(ex *Exchange, set *schema.Set, version string, name schema.Name) error {
	doc, f := decodeBody(ex)
	if f != nil {
		if name == schema.Error {
			f.Expected = `a Graph error object ({"error":{"code":...,"message":...}})`
		}
		return f
	}
	want := fmt.Sprintf("a body valid against the %s schema (%s)", name, version)
	err := set.Validate(version, name, doc)
	if err == nil {
		return nil
	}
	var ve *schema.ValidationError
	if !errors.As(err, &ve) {
		return newFailure(ex, want, "a body the validator could not check ("+err.Error()+")", "")
	}
	lines := make([]string, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		lines = append(lines, p.String())
	}
	return newFailure(ex, want, fmt.Sprintf("%d schema problem(s)", len(ve.Problems)), strings.Join(lines, "\n"))
}

// Transport is the failure of a request that got no response at all
// (connection refused, timeout): the evidence shows the request alone.
func Transport(ex *Exchange, err error) error {
	ex.Status = 0
	return newFailure(ex, "a response", withNotes(ex, "no response ("+err.Error()+")"), "")
}

// BodyCut is the failure of a response whose body could not be read to its
// end (the request's deadline came, the connection broke): what did arrive
// is kept as evidence.
func BodyCut(ex *Exchange, err error) error {
	got := fmt.Sprintf("%s, its body cut off after %d bytes (%v)", gotStatus(ex), len(ex.Body), err)
	return newFailure(ex, "a whole response", got, "")
}
