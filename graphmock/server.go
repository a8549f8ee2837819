package graphmock

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"time"
)

// DefaultVersion is the version segment a Server's URL ends with unless WithVersion says otherwise.
const DefaultVersion = "v1.0"

// Server is a mock listening on a loopback port, for tests: the reference mock in one line, as
// httptest.NewServer is for any handler. Each Server has a store and tokens of its own.
type Server struct {
	// URL is the base URL up to and including the version segment, without a trailing slash, such as
	// http://127.0.0.1:41234/v1.0: append /deviceManagement/deviceEnrollmentConfigurations.
	URL string
	// Token is a bearer token granting reads and writes (DeviceManagementServiceConfig.ReadWrite.All):
	// a fresh random value per Server unless WithTokens fixes it.
	Token string
	// ReadToken is a bearer token granting reads only (DeviceManagementServiceConfig.Read.All): a write
	// sent with it is refused with 403. Fresh and random per Server unless WithTokens fixes it.
	ReadToken string

	mock   *Mock
	faults *FaultInjector
	http   *httptest.Server
}

// ServerOption configures NewServer.
type ServerOption func(*serverConfig)

type serverConfig struct {
	version           string
	token, readToken  string
	fixedTokens       bool
	faults            []Fault
	wraps             []func(http.Handler) http.Handler
	logger            *slog.Logger
	readHeaderTimeout time.Duration
}

// WithVersion sets the version segment the Server's URL ends with (default DefaultVersion, "v1.0").
// The mock answers under every version segment whatever this says; "beta" selects the beta type model.
// A segment is letters, digits and dots; NewServer panics on anything else.
func WithVersion(segment string) ServerOption {
	return func(c *serverConfig) { c.version = segment }
}

// WithTokens fixes the bearer tokens instead of generating random ones, for a test that must know them
// before the server exists. readOnly "" grants no read-only token. NewServer panics when readWrite is
// empty or both are equal.
func WithTokens(readWrite, readOnly string) ServerOption {
	return func(c *serverConfig) { c.token, c.readToken, c.fixedTokens = readWrite, readOnly, true }
}

// WithFaults injects faults in front of the mock's routes (see Fault: throttling with Retry-After, 503,
// latency), to test a client's resilience. A refused request never reaches the store. Server.FaultStats
// counts what was injected. Several WithFaults options add up.
func WithFaults(faults ...Fault) ServerOption {
	return func(c *serverConfig) { c.faults = append(c.faults, faults...) }
}

// WithHandler wraps the whole mock, headers layer included, in wrap; several wrap in the order given
// (the last is outermost). It is how a deliberately broken variant of the mock is served: a wrapper that
// drops a header, answers a PATCH with 204, and so on. To make a wrapper's own answers carry Graph's
// headers, use WithFaults or a Config.Middleware with New instead. (graphconform's own catalogue of broken
// variants, which its meta-test runs the suite against, is served by the graphmock command: --defect list.)
func WithHandler(wrap func(http.Handler) http.Handler) ServerOption {
	return func(c *serverConfig) { c.wraps = append(c.wraps, wrap) }
}

// WithLogger sends the mock's log (panics as errors, every request at debug level) to l; default: discarded.
func WithLogger(l *slog.Logger) ServerOption {
	return func(c *serverConfig) { c.logger = l }
}

// NewServer starts a mock with an empty store on 127.0.0.1 and a free port, and returns it. The caller
// should Close it when done (t.Cleanup(s.Close)). Like httptest.NewServer it panics when it cannot listen,
// and also when an option is invalid (a programming error).
//
// A Server costs a loopback listener and two random tokens (about 0.1 ms): start one per test. The
// schemas that bodies are validated against are compiled once per process, on the first request with a body.
func NewServer(opts ...ServerOption) *Server {
	c := serverConfig{version: DefaultVersion, readHeaderTimeout: 10 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	if !validVersion(c.version) {
		panic(fmt.Sprintf("graphmock: version segment %q: want letters, digits and dots, such as v1.0 or beta", c.version))
	}
	if !c.fixedTokens {
		c.token, c.readToken = newToken("graphmock-rw-"), newToken("graphmock-ro-")
	}
	if c.token == "" {
		panic("graphmock: WithTokens: the read/write token is empty")
	}
	if c.token == c.readToken {
		panic("graphmock: WithTokens: the read-only token must differ from the read/write token")
	}

	cfg := Config{Tokens: map[string][]string{c.token: {ScopeServiceConfigReadWrite}}, Logger: c.logger}
	if c.readToken != "" {
		cfg.Tokens[c.readToken] = []string{ScopeServiceConfigRead}
	}
	s := &Server{Token: c.token, ReadToken: c.readToken}
	if len(c.faults) > 0 {
		s.faults = NewFaultInjector(c.faults...)
		cfg.Middleware = append(cfg.Middleware, s.faults.Wrap)
	}
	s.mock = New(cfg)
	var h http.Handler = s.mock
	for _, w := range c.wraps {
		h = w(h)
	}

	// Listen explicitly on IPv4 loopback: httptest.NewServer may fall back to [::1], or honour its
	// -httptest.serve flag and listen elsewhere.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("graphmock: listen on a loopback port: %v", err))
	}
	s.http = &httptest.Server{
		Listener: ln,
		Config:   &http.Server{Handler: h, ReadHeaderTimeout: c.readHeaderTimeout},
	}
	s.http.Start()
	s.URL = s.http.URL + "/" + c.version
	return s
}

// Client returns an HTTP client for s whose idle connections Close closes. It does not authenticate:
// set "Authorization: Bearer "+s.Token (or s.ReadToken) on each request yourself, so that requests with
// no token or another one stay as easy to send.
func (s *Server) Client() *http.Client { return s.http.Client() }

// Close stops the server and blocks until every request in flight has finished. Calling it again does
// nothing.
func (s *Server) Close() { s.http.Close() }

// Mock is the mock behind s: Seed stores the doc page's configuration and assignment, Counts tells how
// many entities the store holds (to check a test cleaned up after itself).
func (s *Server) Mock() *Mock { return s.mock }

// FaultStats counts the requests seen and the faults injected so far (zero without WithFaults).
func (s *Server) FaultStats() FaultStats {
	if s.faults == nil {
		return FaultStats{}
	}
	return s.faults.Stats()
}

// newToken is prefix plus 128 random bits; crypto/rand.Text does not fail (it crashes the program
// when the system's randomness is unavailable).
func newToken(prefix string) string { return prefix + rand.Text() }
