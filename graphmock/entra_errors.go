package graphmock

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/guid"
)

// The authority's refusals, in Entra's error shape.

func (a *Authority) tenantKnown(w http.ResponseWriter, tenant string) bool {
	valid := tenant != ""
	for _, c := range tenant {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			valid = false
		}
	}
	if valid && (a.cfg.Tenant == "" || strings.EqualFold(tenant, a.cfg.Tenant)) {
		return true
	}
	a.fail(w, http.StatusBadRequest, "invalid_request", 90002,
		"Tenant '"+safeEcho(tenant)+"' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
	return false
}

func (a *Authority) methodIs(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	a.fail(w, http.StatusMethodNotAllowed, "invalid_request", 900561,
		"The endpoint only accepts "+method+" requests. Received a "+r.Method+" request.")
	return false
}

func (a *Authority) tokenFail(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	a.count(func(s *AuthorityStats) { s.Failed++ })
	a.log.Info("token request refused", "error", code, "code", fmt.Sprintf("AADSTS%d", aadsts))
	a.fail(w, status, code, aadsts, desc)
}

// fail answers in Entra's error shape.
func (a *Authority) fail(w http.ResponseWriter, status int, code string, aadsts int, desc string) {
	now := time.Now().UTC()
	trace, corr := guid.New(), guid.New()
	w.Header().Set("Cache-Control", "no-store")
	writeAuthorityJSON(w, status, map[string]any{
		"error": code,
		"error_description": fmt.Sprintf("AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s",
			aadsts, desc, trace, corr, now.Format("2006-01-02 15:04:05Z")),
		"error_codes":    []int{aadsts},
		"timestamp":      now.Format("2006-01-02 15:04:05Z"),
		"trace_id":       trace,
		"correlation_id": corr,
		"error_uri":      fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", aadsts),
	})
}

// safeEcho bounds and sanitises a client-supplied value before it is put
// into an error description.
func safeEcho(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f {
			return '?'
		}
		return c
	}, s)
}

func writeAuthorityJSON(w http.ResponseWriter, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
