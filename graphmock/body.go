package graphmock

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// readObject reads a JSON object body: 415 unless the Content-Type is application/json (any
// parameters; a charset, if given, must be UTF-8); 413 past the size limit; 400 for anything that is
// not exactly one JSON object (a gzip Content-Encoding is inflated first; see readBody). A body without
// a Content-Type is rejected with 415: Graph documents Content-Type: application/json for every body it
// accepts, and guessing would hide a client bug. On failure it has answered and returns false.
func (m *Mock) readObject(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		WriteError(w, http.StatusUnsupportedMediaType, CodeNotSupported,
			"missing Content-Type; the request body must be sent as application/json")
		return nil, false
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		WriteError(w, http.StatusUnsupportedMediaType, CodeNotSupported,
			"unparsable Content-Type "+strconv.Quote(ct)+"; the request body must be sent as application/json")
		return nil, false
	}
	if mt != "application/json" {
		WriteError(w, http.StatusUnsupportedMediaType, CodeNotSupported,
			"Content-Type "+strconv.Quote(mt)+" is not supported; the request body must be sent as application/json")
		return nil, false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		WriteError(w, http.StatusUnsupportedMediaType, CodeNotSupported,
			"charset "+strconv.Quote(cs)+" is not supported; send UTF-8")
		return nil, false
	}
	if r.ContentLength > m.maxBody {
		m.tooLarge(w)
		return nil, false
	}
	body, ok := m.readBody(w, r)
	if !ok {
		return nil, false
	}
	if len(bytes.TrimSpace(body)) == 0 {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "the request body is empty; send a JSON object")
		return nil, false
	}
	doc, err := decodeObject(body)
	if err != nil {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, err.Error())
		return nil, false
	}
	return doc, true
}

// readBody reads the body, inflating it when its Content-Encoding is gzip: Microsoft's Graph SDKs
// compress request bodies by default (Kiota's compression handler) and resend them uncompressed only
// after a 415, which is what any other encoding gets. The size limit holds for the body as sent and
// as inflated, so a small compressed body cannot expand without bound. On failure it has answered.
func (m *Mock) readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	var rd io.Reader = http.MaxBytesReader(w, r.Body, m.maxBody)
	enc := strings.TrimSpace(r.Header.Get("Content-Encoding"))
	switch strings.ToLower(enc) {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				m.tooLarge(w)
				return nil, false
			}
			WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "Content-Encoding gzip, but the body is not gzip data: "+err.Error())
			return nil, false
		}
		rd = io.LimitReader(zr, m.maxBody+1)
	default:
		WriteError(w, http.StatusUnsupportedMediaType, CodeNotSupported,
			"Content-Encoding "+strconv.Quote(enc)+" is not supported; send the body uncompressed or gzip")
		return nil, false
	}
	body, err := io.ReadAll(rd)
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok || int64(len(body)) > m.maxBody {
		m.tooLarge(w)
		return nil, false
	}
	if err != nil {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "reading the request body: "+err.Error())
		return nil, false
	}
	return body, true
}

func (m *Mock) tooLarge(w http.ResponseWriter) {
	WriteError(w, http.StatusRequestEntityTooLarge, CodeInvalidRequest,
		"the request body exceeds the limit of "+strconv.FormatInt(m.maxBody, 10)+" bytes")
}

// decodeObject decodes exactly one JSON object, numbers kept as json.Number (no silent precision loss).
func decodeObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, malformed(err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("malformed JSON: unexpected data after the JSON value at offset %d", dec.InputOffset())
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the request body must be a JSON object; got %s", jsonKind(v))
	}
	return obj, nil
}

func malformed(err error, offset int64) error {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return fmt.Errorf("malformed JSON at offset %d: %v", se.Offset, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("malformed JSON: unexpected end of input at offset %d", offset)
	}
	return fmt.Errorf("malformed JSON: %v", err)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
