package graphmock

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/graphconform/graphconform/internal/guid"
)

// Scopes the mock recognises (the permissions the published v1.0 pages list for this family).
const (
	ScopeServiceConfigReadWrite = "DeviceManagementServiceConfig.ReadWrite.All"
	ScopeServiceConfigRead      = "DeviceManagementServiceConfig.Read.All"
	ScopeConfigurationReadWrite = "DeviceManagementConfiguration.ReadWrite.All"
	ScopeConfigurationRead      = "DeviceManagementConfiguration.Read.All"
)

// Response headers the mock sets on every response.
const (
	HeaderRequestID       = "request-id"
	HeaderClientRequestID = "client-request-id"
	headerODataVersion    = "OData-Version"
)

// DefaultMaxBodyBytes is the request body limit when Config.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 1 << 20

// Config configures a Mock. The zero value serves a mock that rejects every token.
type Config struct {
	Tokens       map[string][]string // bearer token -> scopes granted
	MaxBodyBytes int64               // 0 -> DefaultMaxBodyBytes
	Logger       *slog.Logger        // nil -> discard

	// VerifyToken is consulted for a bearer token that is not in Tokens (for example a JWT issued by
	// an Entra-like authority); ok=false answers 401. Nil: only Tokens grant access.
	VerifyToken func(token string) (scopes []string, ok bool)

	// Middleware wraps the mock's routes, outermost first, inside the layer that sets request-id,
	// client-request-id, OData-Version and Date and recovers panics: a wrapper's own answers (an
	// injected 429, say) carry Graph's headers and can use WriteError.
	Middleware []func(http.Handler) http.Handler
}

// Mock is a Graph-compatible reference implementation of the deviceEnrollmentConfigurations /
// enrollmentConfigurationAssignment family. It is an http.Handler; its store is safe for concurrent use.
type Mock struct {
	cfg      Config
	log      *slog.Logger
	maxBody  int64
	store    *store
	validate validateFunc
	routes   http.Handler
}

// New returns a mock with an empty store. Call Seed for the seed page's assignment.
func New(cfg Config) *Mock {
	m := &Mock{cfg: cfg, log: cfg.Logger, maxBody: cfg.MaxBodyBytes, store: newStore()}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.maxBody <= 0 {
		m.maxBody = DefaultMaxBodyBytes
	}
	m.validate = defaultValidator()
	var h http.Handler = http.HandlerFunc(m.route)
	for i := len(cfg.Middleware) - 1; i >= 0; i-- {
		h = cfg.Middleware[i](h)
	}
	m.routes = h
	return m
}

// ServeHTTP sets the headers every Graph response carries, then routes. A panic becomes a 500 in
// Graph's error shape (and a log line with the stack), never a dropped connection.
func (m *Mock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := guid.New()
	clientID := r.Header.Get(HeaderClientRequestID)
	if clientID == "" {
		clientID = reqID
	}
	h := w.Header()
	h.Set(HeaderRequestID, reqID)
	h.Set(HeaderClientRequestID, clientID)
	h.Set(headerODataVersion, "4.0")
	h.Set("Date", start.UTC().Format(http.TimeFormat))

	rec := &recorder{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			m.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path,
				"request-id", reqID, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !rec.wrote {
				WriteError(rec, http.StatusInternalServerError, CodeGeneralException,
					"the mock failed while handling the request (request-id "+reqID+")")
			}
		}
		if m.log.Enabled(r.Context(), slog.LevelDebug) {
			m.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"bytes", rec.bytes, "duration", time.Since(start), "request-id", reqID)
		}
	}()
	m.routes.ServeHTTP(rec, r)
}

// recorder remembers whether and what the handler wrote, for the panic handler and the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush, deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
