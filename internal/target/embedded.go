package target

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

// EmbeddedOption configures Embedded.
type EmbeddedOption func(*embeddedConfig)

type embeddedConfig struct {
	writer   string
	readTok  string
	version  string
	reader   bool
	timeout  time.Duration
	wrap     []func(http.Handler) http.Handler
	observe  func(*graphmock.Mock)
	mockConf func(*graphmock.Config)
}

// WithVersion sets the URL version segment (default "v1.0").
func WithVersion(v string) EmbeddedOption { return func(c *embeddedConfig) { c.version = v } }

// WithTokens fixes the tokens instead of generating them (a test that wraps
// the mock may need to know one). Both must be non-empty and differ.
func WithTokens(writer, reader string) EmbeddedOption {
	return func(c *embeddedConfig) { c.writer, c.readTok = writer, reader }
}

// WithoutReader leaves out the read-only token (the 403 scenario is then skipped).
func WithoutReader() EmbeddedOption { return func(c *embeddedConfig) { c.reader = false } }

// WithTimeout sets the per-request timeout (default DefaultTimeout).
func WithTimeout(d time.Duration) EmbeddedOption { return func(c *embeddedConfig) { c.timeout = d } }

// WithHandler wraps the mock's handler, outermost last: how the meta-test
// serves deliberately broken variants of the mock.
func WithHandler(wrap func(http.Handler) http.Handler) EmbeddedOption {
	return func(c *embeddedConfig) { c.wrap = append(c.wrap, wrap) }
}

// WithMock hands the mock to f before serving (to seed it or read its counts).
func WithMock(f func(*graphmock.Mock)) EmbeddedOption {
	return func(c *embeddedConfig) { c.observe = f }
}

// WithMockConfig lets f adjust the mock's configuration (middleware, logger).
func WithMockConfig(f func(*graphmock.Config)) EmbeddedOption {
	return func(c *embeddedConfig) { c.mockConf = f }
}

// Embedded serves a fresh graphmock on 127.0.0.1 (httptest) with generated
// random tokens: one with the read/write scope, one read-only. Close stops it.
func Embedded(opts ...EmbeddedOption) (*Target, error) {
	c := embeddedConfig{version: "v1.0", reader: true, timeout: DefaultTimeout}
	for _, o := range opts {
		o(&c)
	}
	if !versionSegment.MatchString(c.version) {
		return nil, fmt.Errorf("version segment %q: want letters, digits and dots, such as v1.0 or beta", c.version)
	}
	writer, reader := c.writer, c.readTok
	if writer == "" || reader == "" {
		var err error
		if writer, err = randomToken(); err != nil {
			return nil, err
		}
		if reader, err = randomToken(); err != nil {
			return nil, err
		}
	}
	if writer == reader {
		return nil, fmt.Errorf("the read-only token must differ from the read/write token")
	}
	cfg := graphmock.Config{Tokens: map[string][]string{
		writer: {graphmock.ScopeServiceConfigReadWrite},
		reader: {graphmock.ScopeServiceConfigRead},
	}}
	if c.mockConf != nil {
		c.mockConf(&cfg)
	}
	m := graphmock.New(cfg)
	if c.observe != nil {
		c.observe(m)
	}
	var h http.Handler = m
	for _, w := range c.wrap {
		h = w(h)
	}
	// httptest.NewServer listens on 127.0.0.1 (or [::1]): loopback only.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("embedded mock: %w", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t := &Target{
		Kind:       KindEmbedded,
		BaseURL:    srv.URL + "/" + c.version,
		Writer:     StaticToken(writer),
		Disposable: true,
		HTTP:       newClient(c.timeout, nil),
		Secrets:    []string{writer, reader},
		Close:      func() error { srv.Close(); return nil },
	}
	if c.reader {
		t.Reader = StaticToken(reader)
	}
	return t, nil
}

func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate a token: %w", err)
	}
	return "gc-" + hex.EncodeToString(b), nil
}
