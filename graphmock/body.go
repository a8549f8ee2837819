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
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// readObject reads a JSON object body: 415 unless the Content-Type is application/json (any
// parameters; a charset, if given, must be UTF-8); 413 past the size limit; 408 when the body does not
// arrive in time; 400 for anything that is not exactly one JSON object in UTF-8 (a gzip
// Content-Encoding is inflated first; see readBody). A body without a Content-Type is rejected with 415:
// Graph documents Content-Type: application/json for every body it accepts, and guessing would hide a
// client bug. On failure it has answered and returns false.
func (m *Mock) readObject(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		WriteError(w, http.StatusUnsupportedMediaType, CodeNotSupported,
			"missing Content-Type; the request body must be sent as application/json")
		return nil, false
	}
	if ct != "application/json" { // what nearly every client sends needs no parsing
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
	}
	if r.ContentLength > m.maxBody {
		m.tooLarge(w)
		return nil, false
	}
	buf := getBuffer()
	defer putBuffer(buf)
	body, ok := m.readBody(w, r, (*buf)[:0])
	if !ok {
		return nil, false
	}
	*buf = body
	if len(bytes.TrimSpace(body)) == 0 {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "the request body is empty; send a JSON object")
		return nil, false
	}
	doc, err := decodeObject(body)
	if err != nil {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest, err.Error())
		return nil, false
	}
	// encoding/json would store an invalid byte as U+FFFD: what came back would not be what was sent.
	// (Outside strings, bytes past ASCII are a syntax error already.)
	if !utf8.Valid(body) {
		WriteError(w, http.StatusBadRequest, CodeInvalidRequest,
			"the request body is not valid UTF-8 (first invalid byte at offset "+strconv.Itoa(invalidUTF8At(body))+")")
		return nil, false
	}
	return doc, true
}

// readBody appends the body to dst, inflating it when its Content-Encoding is gzip: Microsoft's Graph
// SDKs compress request bodies by default (Kiota's compression handler) and resend them uncompressed
// only after a 415, which is what any other encoding gets. The size limit holds for the body as sent
// and as inflated, so a small compressed body cannot expand without bound.
//
// The read takes at most m.bodyTimeout where the connection takes a deadline: a slow client must not
// hold a connection and a slot indefinitely. After a failed read the deadline is left passed, so that
// the server does not wait for the rest of the body either (it would, to reuse the connection, before
// writing the answer) but closes the connection. On failure it has answered.
func (m *Mock) readBody(w http.ResponseWriter, r *http.Request, dst []byte) ([]byte, bool) {
	enc := strings.TrimSpace(r.Header.Get("Content-Encoding"))
	gzipped := false
	switch strings.ToLower(enc) {
	case "", "identity":
	case "gzip":
		gzipped = true
	default:
		WriteError(w, http.StatusUnsupportedMediaType, CodeNotSupported,
			"Content-Encoding "+strconv.Quote(enc)+" is not supported; send the body uncompressed or gzip")
		return nil, false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return dst, true
	}
	rc := http.NewResponseController(w)
	bounded := rc.SetReadDeadline(time.Now().Add(m.bodyTimeout)) == nil
	var src io.Reader = r.Body
	switch {
	case gzipped:
		// The compressed stream is bounded as sent (MaxBytesReader), the inflated one by the loop below.
		zr, err := gzip.NewReader(http.MaxBytesReader(w, r.Body, m.maxBody))
		if err != nil {
			if m.readFailed(w, err) {
				WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "Content-Encoding gzip, but the body is not gzip data: "+err.Error())
			}
			return nil, false
		}
		src = zr
	case r.ContentLength < 0:
		// Chunked: MaxBytesReader also makes the server close the connection once past the limit.
		src = http.MaxBytesReader(w, r.Body, m.maxBody)
	default:
		if need := int(r.ContentLength) + 1; cap(dst) < need { // +1: room to see EOF
			dst = slices.Grow(dst, need)
		}
	}
	for {
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		limit := min(cap(dst), int(m.maxBody)+1)
		n, err := src.Read(dst[len(dst):limit])
		dst = dst[:len(dst)+n]
		if int64(len(dst)) > m.maxBody {
			m.tooLarge(w)
			return nil, false
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			if m.readFailed(w, err) {
				WriteError(w, http.StatusBadRequest, CodeInvalidRequest, "reading the request body: "+err.Error())
			}
			return nil, false
		}
	}
	if bounded {
		_ = rc.SetReadDeadline(time.Time{})
	}
	return dst, true
}

// readFailed answers a read error that has an answer of its own (413, 408) and reports whether the
// caller still has to.
func (m *Mock) readFailed(w http.ResponseWriter, err error) bool {
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		m.tooLarge(w)
		return false
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		WriteError(w, http.StatusRequestTimeout, CodeInvalidRequest,
			"the request body did not arrive within "+m.bodyTimeout.String())
		return false
	}
	return true
}

// invalidUTF8At is the offset of the first byte of body that is not valid UTF-8.
func invalidUTF8At(body []byte) int {
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(body)
}

func (m *Mock) tooLarge(w http.ResponseWriter) {
	WriteError(w, http.StatusRequestEntityTooLarge, CodeInvalidRequest,
		"the request body exceeds the limit of "+strconv.FormatInt(m.maxBody, 10)+" bytes")
}

// decodeObject decodes exactly one JSON object, numbers kept as json.Number (no silent precision loss).
func decodeObject(body []byte) (map[string]any, error) {
	if obj, ok := parseObject(body); ok {
		return obj, nil
	}
	return decodeObjectJSON(body)
}

// decodeObjectJSON is decodeObject with encoding/json alone: what parseObject is held to, and what
// words every error.
func decodeObjectJSON(body []byte) (map[string]any, error) {
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
