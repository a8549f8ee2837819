package graphmock

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/graphconform/graphconform/internal/guid"
)

// ContentTypeJSON is the media type Graph sends with JSON bodies; the mock sends it verbatim.
const ContentTypeJSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

// Error codes the mock puts in error.code. They are the top-level codes of Graph's error page
// (concepts-errors.md), except 401 which uses the code Graph's gateway actually sends, because clients
// and SDKs branch on it.
const (
	CodeInvalidRequest      = "invalidRequest"             // 400, 413
	CodeUnauthenticated     = "InvalidAuthenticationToken" // 401
	CodeAccessDenied        = "accessDenied"               // 403
	CodeItemNotFound        = "itemNotFound"               // 404
	CodeNotAllowed          = "notAllowed"                 // 405
	CodeNotSupported        = "notSupported"               // 415
	CodeGeneralException    = "generalException"           // 500
	CodeServiceNotAvailable = "serviceNotAvailable"        // 503
)

type errorEnvelope struct {
	Error errorObject `json:"error"`
}

type errorObject struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	InnerError innerError `json:"innerError"`
}

type innerError struct {
	Date            string `json:"date"`
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

// WriteError answers with Graph's error object. The request-id and client-request-id come from the
// response headers the mock has already set; a writer that never went through the mock (a wrapper
// answering on its own) gets fresh ones, so every error carries them. Exported for wrappers of the
// mock (fault injection, deliberately broken variants) so their errors look like the mock's.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	h := w.Header()
	reqID := h.Get(HeaderRequestID)
	if reqID == "" {
		reqID = guid.New()
		h.Set(HeaderRequestID, reqID)
	}
	clientID := h.Get(HeaderClientRequestID)
	if clientID == "" {
		clientID = reqID
		h.Set(HeaderClientRequestID, clientID)
	}
	if h.Get(headerODataVersion) == "" {
		h.Set(headerODataVersion, "4.0")
	}
	if h.Get("Date") == "" {
		h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	}
	body, _ := json.Marshal(errorEnvelope{Error: errorObject{
		Code:    code,
		Message: message,
		InnerError: innerError{
			Date:            time.Now().UTC().Format(time.RFC3339),
			RequestID:       reqID,
			ClientRequestID: clientID,
		},
	}})
	h.Del("Location")
	writeBody(w, status, body)
}
