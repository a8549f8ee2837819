package graphmock

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync/atomic"
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

// DefaultBodyTimeout is how long the mock waits for a request body when Config.BodyTimeout is 0.
const DefaultBodyTimeout = 10 * time.Second

// DefaultMaxInFlight is how many requests the mock handles at once when Config.MaxInFlight is 0.
const DefaultMaxInFlight = 256

// Config configures a Mock. The zero value serves a mock that rejects every token.
type Config struct {
	Tokens       map[string][]string // bearer token -> scopes granted
	MaxBodyBytes int64               // 0 -> DefaultMaxBodyBytes
	// BodyTimeout bounds the time to read a request body (0 -> DefaultBodyTimeout); past it the mock
	// answers 408 and the connection is closed. It needs a connection that takes read deadlines (any
	// net/http server); in-process recorders are not bounded.
	BodyTimeout time.Duration
	// MaxInFlight bounds the requests handled at once (0 -> DefaultMaxInFlight); past it the mock
	// answers 503 serviceNotAvailable with Retry-After: 1 at once, as Graph does when overloaded,
	// rather than queueing: what requests in flight hold (bodies up to MaxBodyBytes) stays bounded.
	// /healthz is not counted. (A burst of connections is bounded by the server: the graphmock
	// command's --max-conns.)
	MaxInFlight int
	Logger      *slog.Logger // nil -> discard

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
	cfg         Config
	log         *slog.Logger
	maxBody     int64
	bodyTimeout time.Duration
	maxInFlight int64
	inFlight    atomic.Int64
	store       *store
	routes      http.Handler
}

// New returns a mock with an empty store. Call Seed for the seed page's assignment.
func New(cfg Config) *Mock {
	m := &Mock{cfg: cfg, log: cfg.Logger, maxBody: cfg.MaxBodyBytes, bodyTimeout: cfg.BodyTimeout, store: newStore()}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.maxBody <= 0 {
		m.maxBody = DefaultMaxBodyBytes
	}
	if m.bodyTimeout <= 0 {
		m.bodyTimeout = DefaultBodyTimeout
	}
	m.maxInFlight = int64(cfg.MaxInFlight)
	if m.maxInFlight <= 0 {
		m.maxInFlight = DefaultMaxInFlight
	}
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
	// One allocation holds the recorder and the values of the per-request headers; the keys are
	// written in canonical form (what Header.Set would store) and static values are shared.
	rec := &recorder{ResponseWriter: w, values: [3]string{reqID, clientID}}
	h := w.Header()
	h[canonicalRequestID] = rec.values[0:1:1]
	h[canonicalClientRequestID] = rec.values[1:2:2]
	h[canonicalODataVersion] = odataVersion40
	h["Date"] = httpDate(start)

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
	if r.URL.Path != "/healthz" {
		if m.inFlight.Add(1) > m.maxInFlight {
			m.inFlight.Add(-1)
			h.Set("Retry-After", "1")
			WriteError(rec, http.StatusServiceUnavailable, CodeServiceNotAvailable,
				"The service is busy: more than "+strconv.FormatInt(m.maxInFlight, 10)+" requests in flight. Retry after the Retry-After delay.")
			return
		}
		defer m.inFlight.Add(-1)
	}
	m.routes.ServeHTTP(rec, r)
}

// Canonical forms of the header keys the mock sets on every response (textproto.CanonicalMIMEHeaderKey),
// and the values that never change: a response header value is a slice of cap 1, which Header.Add
// copies before appending, so sharing one is safe.
const (
	canonicalRequestID       = "Request-Id"
	canonicalClientRequestID = "Client-Request-Id"
	canonicalODataVersion    = "Odata-Version"
)

var (
	odataVersion40  = []string{"4.0"}
	contentTypeJSON = []string{ContentTypeJSON}
)

// httpDate is the Date header value for now, formatted once per second.
func httpDate(now time.Time) []string {
	sec := now.Unix()
	if d := lastDate.Load(); d != nil && d.sec == sec {
		return d.value
	}
	d := &dateValue{sec: sec, value: []string{now.UTC().Format(http.TimeFormat)}}
	lastDate.Store(d)
	return d.value
}

type dateValue struct {
	sec   int64
	value []string
}

var lastDate atomic.Pointer[dateValue]

// recorder remembers whether and what the handler wrote, for the panic handler and the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
	values [3]string // header values: request-id, client-request-id, Content-Length (see writeBody)
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
