package defects

import (
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/guid"
	"github.com/graphconform/graphconform/internal/schema"
)

func patch204(next http.Handler, _ Config) http.Handler {
	return onSuccessfulPatch(next, func(w http.ResponseWriter, _ *http.Request, rec *httptest.ResponseRecorder) {
		rec.Header().Del("Content-Type")
		replay(w, rec, http.StatusNoContent, nil)
	})
}

func patchTextPlain(next http.Handler, _ Config) http.Handler {
	return onSuccessfulPatch(next, func(w http.ResponseWriter, _ *http.Request, rec *httptest.ResponseRecorder) {
		rec.Header().Set("Content-Type", "text/plain; charset=utf-8")
		replay(w, rec, rec.Code, rec.Body.Bytes())
	})
}

func patchWrongID(next http.Handler, _ Config) http.Handler {
	return onSuccessfulPatch(next, func(w http.ResponseWriter, _ *http.Request, rec *httptest.ResponseRecorder) {
		editBody(w, rec, func(m map[string]any) { m["id"] = guid.New() })
	})
}

func patchWrongEntityType(next http.Handler, _ Config) http.Handler {
	return onSuccessfulPatch(next, func(w http.ResponseWriter, _ *http.Request, rec *httptest.ResponseRecorder) {
		editBody(w, rec, func(m map[string]any) { m["@odata.type"] = "#microsoft.graph.entity" })
	})
}

// patchOldTarget reads the assignment before the PATCH and answers with
// that target (the store has the new one).
func patchOldTarget(next http.Handler, _ Config) http.Handler {
	return aroundAssignmentPatch(next, func(w http.ResponseWriter, _ *http.Request, old map[string]any, rec *httptest.ResponseRecorder) {
		if old == nil || rec.Code != http.StatusOK {
			replay(w, rec, rec.Code, rec.Body.Bytes())
			return
		}
		editBody(w, rec, func(m map[string]any) { m["target"] = old["target"] })
	})
}

// patchNotPersisted answers the PATCH as the mock does, then puts the old
// target back.
func patchNotPersisted(next http.Handler, _ Config) http.Handler {
	return aroundAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request, old map[string]any, rec *httptest.ResponseRecorder) {
		if old != nil && rec.Code == http.StatusOK {
			internal(next, r, http.MethodPatch, r.URL.Path, encode(map[string]any{"target": old["target"]}))
		}
		replay(w, rec, rec.Code, rec.Body.Bytes())
	})
}

// aroundAssignmentPatch reads the assignment before a PATCH of it, lets the
// mock answer the PATCH into rec, and hands both to f (old is nil when the
// assignment could not be read); every other request goes to next as it is.
func aroundAssignmentPatch(next http.Handler, f func(w http.ResponseWriter, r *http.Request, old map[string]any, rec *httptest.ResponseRecorder)) http.Handler {
	return onAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request) {
		before := internal(next, r, http.MethodGet, r.URL.Path, nil)
		rec := record(next, r)
		old, ok := decodeObject(before.Body.Bytes())
		if !ok || before.Code != http.StatusOK {
			old = nil
		}
		f(w, r, old, rec)
	})
}

func malformed500(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAssignmentPatch(r) {
			if body := readBody(r); !jsonValid(body) {
				graphmock.WriteError(w, http.StatusInternalServerError, graphmock.CodeGeneralException, "unexpected end of JSON input")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authIgnored serves unauthenticated requests with the mock's own token:
// only those without an Authorization header when noneOnly, else any 401.
func authIgnored(noneOnly bool) func(http.Handler, Config) http.Handler {
	return func(next http.Handler, cfg Config) http.Handler {
		if !noneOnly {
			return retryAsWriter(next, cfg, http.StatusUnauthorized)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				r = r.Clone(r.Context())
				r.Header.Set("Authorization", "Bearer "+cfg.Token)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// retryAsWriter serves a request the mock refuses with status again with the
// mock's own read/write token, as if the refusal had never happened.
func retryAsWriter(next http.Handler, cfg Config, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := readBody(r)
		rec := record(next, withBody(r, body))
		if rec.Code == status {
			r2 := withBody(r, body)
			r2.Header.Set("Authorization", "Bearer "+cfg.Token)
			next.ServeHTTP(w, r2)
			return
		}
		replay(w, rec, rec.Code, rec.Body.Bytes())
	})
}

func readOnlyCanWrite(next http.Handler, cfg Config) http.Handler {
	return retryAsWriter(next, cfg, http.StatusForbidden)
}

// upsert answers a PATCH of a missing assignment of an existing
// configuration as if it had created it.
func upsert(next http.Handler, _ Config) http.Handler {
	return onAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request) {
		body := readBody(r)
		rec := record(next, withBody(r, body))
		if rec.Code == http.StatusNotFound {
			cfgPath := r.URL.Path[:strings.LastIndex(r.URL.Path, "/assignments/")]
			sent, ok := decodeObject(body)
			if internal(next, r, http.MethodGet, cfgPath, nil).Code == http.StatusOK && ok {
				_, _, aid, _ := assignment(r)
				out := encode(map[string]any{"@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment", "id": aid, "target": sent["target"]})
				rec.Header().Set("Content-Type", graphmock.ContentTypeJSON)
				replay(w, rec, http.StatusOK, out)
				return
			}
		}
		replay(w, rec, rec.Code, rec.Body.Bytes())
	})
}

func notFound400(next http.Handler, _ Config) http.Handler {
	return onAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request) {
		rec := record(next, r)
		status := rec.Code
		if status == http.StatusNotFound {
			status = http.StatusBadRequest
		}
		replay(w, rec, status, rec.Body.Bytes())
	})
}

func errorShape(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := record(next, r)
		if rec.Code < 400 {
			replay(w, rec, rec.Code, rec.Body.Bytes())
			return
		}
		replay(w, rec, rec.Code, encode(map[string]any{"message": fmt.Sprintf("request failed with status %d", rec.Code)}))
	})
}

func dropHeader(name string) func(http.Handler, Config) http.Handler {
	return func(next http.Handler, _ Config) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := record(next, r)
			rec.Header().Del(name)
			replay(w, rec, rec.Code, rec.Body.Bytes())
		})
	}
}

// Properties the v1.0 and beta models declare (plus annotations).
var (
	assignmentProps = map[string]bool{"id": true, "target": true, "source": true, "sourceId": true}
	targetProps     = map[string]bool{"groupId": true, "collectionId": true,
		"deviceAndAppManagementAssignmentFilterId": true, "deviceAndAppManagementAssignmentFilterType": true}
)

func stripUnknown(m map[string]any) {
	for k := range m {
		if !assignmentProps[k] && !strings.HasPrefix(k, "@odata.") {
			delete(m, k)
		}
	}
	if t, ok := m["target"].(map[string]any); ok {
		for k := range t {
			if !targetProps[k] && !strings.HasPrefix(k, "@odata.") {
				delete(t, k)
			}
		}
	}
}

// rewritePatch lets change rewrite the JSON body of an assignment PATCH
// before the mock sees it.
func rewritePatch(next http.Handler, change func(version string, m map[string]any)) http.Handler {
	return onAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request) {
		body := readBody(r)
		m, ok := decodeObject(body)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		v, _, _, _ := assignment(r)
		change(v, m)
		next.ServeHTTP(w, withBody(r, encode(m)))
	})
}

func unknownPropertyAccepted(next http.Handler, _ Config) http.Handler {
	return rewritePatch(next, func(_ string, m map[string]any) { stripUnknown(m) })
}

func unknownTypeAccepted(next http.Handler, _ Config) http.Handler {
	return rewritePatch(next, func(version string, m map[string]any) {
		t, ok := m["target"].(map[string]any)
		if !ok {
			return
		}
		typ, _ := t["@odata.type"].(string)
		for _, known := range schema.TargetTypes(version) {
			if schema.NormalizeType(typ) == schema.NormalizeType(known) {
				return
			}
		}
		m["target"] = map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}
	})
}

func wrongTypeAccepted(next http.Handler, _ Config) http.Handler {
	return rewritePatch(next, func(_ string, m map[string]any) {
		switch t := m["target"].(type) {
		case string:
			m["target"] = map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}
		case map[string]any:
			for _, k := range []string{"groupId", "collectionId"} {
				if v, ok := t[k]; ok {
					if _, isString := v.(string); !isString && v != nil {
						t[k] = fmt.Sprint(v)
					}
				}
			}
		}
	})
}

// rejectedPatchApplied answers 400 as the mock does, but first applies the
// part of the body it understood.
func rejectedPatchApplied(next http.Handler, _ Config) http.Handler {
	return onAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request) {
		body := readBody(r)
		rec := record(next, withBody(r, body))
		if m, ok := decodeObject(body); ok && rec.Code == http.StatusBadRequest {
			stripUnknown(m)
			internal(next, r, http.MethodPatch, r.URL.Path, encode(m))
		}
		replay(w, rec, rec.Code, rec.Body.Bytes())
	})
}

func textPlainAccepted(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "text/plain" {
			r = r.Clone(r.Context())
			r.Header.Set("Content-Type", "application/json")
		}
		next.ServeHTTP(w, r)
	})
}

func putAccepted(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, _, ok := assignment(r); ok && r.Method == http.MethodPut {
			r = r.Clone(r.Context())
			r.Method = http.MethodPatch
		}
		next.ServeHTTP(w, r)
	})
}

func putNoAllow(next http.Handler, _ Config) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := record(next, r)
		if rec.Code == http.StatusMethodNotAllowed {
			rec.Header().Del("Allow")
		}
		replay(w, rec, rec.Code, rec.Body.Bytes())
	})
}

func jsonValid(b []byte) bool {
	_, ok := decodeAny(b)
	return ok
}
