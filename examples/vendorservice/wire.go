package enrollment

// How requests are read and responses written: JSON bodies, Graph's error shape, ids.

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// readBody reads a JSON object body; on failure it has answered.
func readBody(q *request) (map[string]any, bool) {
	mt, _, err := mime.ParseMediaType(q.r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		writeError(q.w, http.StatusUnsupportedMediaType, "notSupported", "the body must be sent as application/json")
		return nil, false
	}
	var rd io.Reader = http.MaxBytesReader(q.w, q.r.Body, maxBody)
	switch enc := q.r.Header.Get("Content-Encoding"); strings.ToLower(enc) {
	case "", "identity":
	case "gzip": // what Microsoft's Graph SDKs send by default
		zr, err := gzip.NewReader(rd)
		if err != nil {
			writeError(q.w, http.StatusBadRequest, "invalidRequest", "the body is not gzip data")
			return nil, false
		}
		rd = io.LimitReader(zr, maxBody+1) // a small body may inflate to a large one
	default:
		writeError(q.w, http.StatusUnsupportedMediaType, "notSupported", "Content-Encoding "+quote(enc)+" is not supported; send gzip or none")
		return nil, false
	}
	data, err := io.ReadAll(rd)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || len(data) > maxBody {
		writeError(q.w, http.StatusRequestEntityTooLarge, "invalidRequest", fmt.Sprintf("the body exceeds %d bytes", maxBody))
		return nil, false
	}
	if err != nil {
		writeError(q.w, http.StatusBadRequest, "invalidRequest", "the body could not be read")
		return nil, false
	}
	if !utf8.Valid(data) { // encoding/json would quietly replace what is not UTF-8 with U+FFFD
		invalid(q, "the body is not UTF-8 (RFC 8259 section 8.1)")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil || body == nil {
		writeError(q.w, http.StatusBadRequest, "invalidRequest", "the body is not a JSON object")
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		writeError(q.w, http.StatusBadRequest, "invalidRequest", "the body has data after its JSON object")
		return nil, false
	}
	return body, true
}

// invalid answers 400: the body does not fit the model (message says where and why).
func invalid(q *request, message string) {
	writeError(q.w, http.StatusBadRequest, "invalidRequest", message)
}

func notFound(q *request, what, id string) {
	writeError(q.w, http.StatusNotFound, "itemNotFound", fmt.Sprintf("no %s with id %s", what, quote(id)))
}

// entity is props with its @odata.context first in line, as a response body.
func entity(props map[string]any, context string) map[string]any {
	out := make(map[string]any, len(props)+1)
	for k, v := range props {
		out[k] = v
	}
	out["@odata.context"] = context
	return out
}

const jsonMediaType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":{"code":"generalException","message":"the response could not be encoded"}}`)
	}
	w.Header().Set("Content-Type", jsonMediaType)
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(status)
	w.Write(body)
}

// writeError answers with Graph's error shape.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code":    code,
		"message": message,
		"innerError": map[string]any{
			"date":              time.Now().UTC().Format("2006-01-02T15:04:05"),
			"request-id":        w.Header().Get("request-id"),
			"client-request-id": w.Header().Get("client-request-id"),
		},
	}})
}

// quote quotes what a client sent for an error message, bounded.
func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// newID is a random GUID, as Graph keys these entities.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
