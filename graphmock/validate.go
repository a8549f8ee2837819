package graphmock

import (
	"errors"
	"net/http"

	"github.com/graphconform/graphconform/internal/schema"
)

// checkBody validates doc against a request schema: 400 naming the property when the body does not
// match; 500 when the schemas themselves fail (a bug of the mock, not of the client).
//
// It validates with the suite's own schemas (internal/schema), so the mock and the suite's checks share
// one type model. schema.Validate walks that model compiled in process (on first use, once per process,
// shared by every mock): the same verdicts and problems as the JSON Schema engine over schemas/, without
// its 150 ms of compiling nor its 200 allocations per body.
func (m *Mock) checkBody(w http.ResponseWriter, q *request, name schema.Name, doc map[string]any) bool {
	err := schema.Validate(q.version, name, doc)
	if err == nil {
		return true
	}
	if _, ok := errors.AsType[*schema.ValidationError](err); ok {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, err.Error())
		return false
	}
	m.log.Error("validating a request body", "schema", string(name), "err", err)
	WriteError(w, http.StatusInternalServerError, CodeGeneralException, "the mock could not validate the request body")
	return false
}
