package target

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/transport"
)

// EmbeddedOption configures Embedded.
type EmbeddedOption func(*embeddedConfig)

type embeddedConfig struct {
	version        string
	writer, reader string // fixed tokens; "" -> graphmock.NewServer's random ones
	withReader     bool
	wraps          []func(http.Handler) http.Handler
	observe        func(*graphmock.Mock)
}

// WithVersion sets the URL version segment (default "v1.0").
func WithVersion(v string) EmbeddedOption { return func(c *embeddedConfig) { c.version = v } }

// WithTokens fixes the tokens instead of generating them (a test that wraps
// the mock may need to know one). Both must be non-empty and differ.
func WithTokens(writer, reader string) EmbeddedOption {
	return func(c *embeddedConfig) { c.writer, c.reader = writer, reader }
}

// WithoutReader leaves out the read-only token (the 403 scenario is then skipped).
func WithoutReader() EmbeddedOption { return func(c *embeddedConfig) { c.withReader = false } }

// WithHandler wraps the mock's handler, outermost last: how the meta-test
// serves deliberately broken variants of the mock.
func WithHandler(wrap func(http.Handler) http.Handler) EmbeddedOption {
	return func(c *embeddedConfig) { c.wraps = append(c.wraps, wrap) }
}

// WithMock hands the mock to f before the target is returned (to seed it or read its counts).
func WithMock(f func(*graphmock.Mock)) EmbeddedOption {
	return func(c *embeddedConfig) { c.observe = f }
}

// Embedded serves a fresh graphmock.NewServer (127.0.0.1, random tokens: one
// with the read/write scope, one read-only) as a target. Close stops it.
func Embedded(opts ...EmbeddedOption) (*Target, error) {
	c := embeddedConfig{version: "v1.0", withReader: true}
	for _, o := range opts {
		o(&c)
	}
	// Checked here, where NewServer would panic: a target maker returns errors.
	if !transport.ValidVersion(c.version) {
		return nil, fmt.Errorf("version segment %q: want letters, digits and dots, such as v1.0 or beta", c.version)
	}
	server := []graphmock.ServerOption{graphmock.WithVersion(c.version)}
	if c.writer != "" || c.reader != "" {
		if c.writer == "" || c.reader == "" {
			return nil, errors.New("fixed tokens: both the read/write and the read-only token are required")
		}
		if c.writer == c.reader {
			return nil, errors.New("fixed tokens: the read-only token must differ from the read/write token")
		}
		server = append(server, graphmock.WithTokens(c.writer, c.reader))
	}
	for _, w := range c.wraps {
		server = append(server, graphmock.WithHandler(w))
	}
	s := graphmock.NewServer(server...)
	if c.observe != nil {
		c.observe(s.Mock())
	}
	t := &Target{
		Target: graphconformtest.Target{
			BaseURL: s.URL,
			Token:   graphconformtest.StaticToken(s.Token),
			Client:  s.Client(), // its idle connections are closed with the server
		},
		Kind:  KindEmbedded,
		Close: func() error { s.Close(); return nil },
	}
	if c.withReader {
		t.ReadToken = graphconformtest.StaticToken(s.ReadToken)
	}
	return t, nil
}
