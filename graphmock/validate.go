package graphmock

import (
	"errors"
	"net/http"

	"github.com/graphconform/graphconform/internal/schema"
)

// validateFunc checks a decoded request body against a named schema in the type model of version.
type validateFunc func(version string, name schema.Name, doc any) error

// defaultValidator validates with the suite's own schemas (internal/schema), so the mock and the
// suite's checks share one type model. They are compiled on first use.
func defaultValidator() validateFunc {
	return func(version string, name schema.Name, doc any) error {
		set, err := schema.Default()
		if err != nil {
			return err
		}
		return set.Validate(version, name, doc)
	}
}

// checkBody validates doc against a request schema: 400 naming the property when the body does not
// match; 500 when the schemas themselves fail (a bug of the mock, not of the client).
func (m *Mock) checkBody(w http.ResponseWriter, q *request, name schema.Name, doc map[string]any) bool {
	err := m.validate(q.version, name, doc)
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
