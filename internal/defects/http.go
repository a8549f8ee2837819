package defects

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
)

var assignmentPath = regexp.MustCompile(`^/([A-Za-z0-9.]+)/deviceManagement/deviceEnrollmentConfigurations/([^/]+)/assignments/([^/]+)$`)

// assignment matches a request on one assignment: version, configuration id, assignment id.
func assignment(r *http.Request) (version, configID, assignmentID string, ok bool) {
	m := assignmentPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

func isAssignmentPatch(r *http.Request) bool {
	_, _, _, ok := assignment(r)
	return ok && r.Method == http.MethodPatch
}

// readBody reads r's body and puts a fresh reader back, so the request can
// still be served (or served twice).
func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}

func withBody(r *http.Request, body []byte) *http.Request {
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(body))
	c.ContentLength = int64(len(body))
	return c
}

// record serves r with next into a recorder.
func record(next http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	return rec
}

// replay writes a recorded response to w, with body (fixing Content-Length).
func replay(w http.ResponseWriter, rec *httptest.ResponseRecorder, status int, body []byte) {
	for k, vs := range rec.Header() {
		w.Header()[k] = append([]string(nil), vs...)
	}
	if body == nil {
		w.Header().Del("Content-Length")
	} else {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// internal sends a request of our own to next with r's credentials.
func internal(next http.Handler, r *http.Request, method, path string, body []byte) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequestWithContext(r.Context(), method, path, rd)
	if a := r.Header.Get("Authorization"); a != "" {
		req.Header.Set("Authorization", a)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return record(next, req)
}

func decodeObject(b []byte) (map[string]any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, false
	}
	return m, true
}

func encode(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// onAssignmentPatch sends a PATCH of an assignment to f, every other request to next.
func onAssignmentPatch(next http.Handler, f func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isAssignmentPatch(r) {
			next.ServeHTTP(w, r)
			return
		}
		f(w, r)
	})
}

// onSuccessfulPatch serves PATCHes of an assignment and lets edit change a
// 200 response; everything else passes through untouched.
func onSuccessfulPatch(next http.Handler, edit func(w http.ResponseWriter, r *http.Request, rec *httptest.ResponseRecorder)) http.Handler {
	return onAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request) {
		rec := record(next, r)
		if rec.Code != http.StatusOK {
			replay(w, rec, rec.Code, rec.Body.Bytes())
			return
		}
		edit(w, r, rec)
	})
}

// editBody changes the JSON object of a recorded response and replays it.
func editBody(w http.ResponseWriter, rec *httptest.ResponseRecorder, change func(m map[string]any)) {
	m, ok := decodeObject(rec.Body.Bytes())
	if !ok {
		replay(w, rec, rec.Code, rec.Body.Bytes())
		return
	}
	change(m)
	replay(w, rec, rec.Code, encode(m))
}

func decodeAny(b []byte) (any, bool) {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, false
	}
	return v, true
}
