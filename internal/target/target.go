// Package target makes the targets the CLI and the tests run the suite against: the embedded mock (Embedded)
// and the mock in a container (Container). A service reached by URL needs no maker of its own: its
// graphconformtest.Target is the URL and a token source (see cmd/graphconform).
package target

import (
	"github.com/graphconform/graphconform/graphconformtest"
)

// Kinds of target, as the report names them.
const (
	KindEmbedded  = "embedded"
	KindContainer = "container"
	KindRemote    = "remote"
)

// Target is a graphconformtest.Target a maker made, with what its caller needs besides.
type Target struct {
	graphconformtest.Target
	Kind string // KindEmbedded, KindContainer or KindRemote
	// Secrets are more values no output may show (a client secret behind the token source): pass them to
	// graphconformtest.Redact. The tokens the token sources hand out are redacted by the suite itself.
	Secrets []string
	// Close stops what the maker started (nil: nothing to stop).
	Close func() error
}

// Shutdown calls Close when set; safe on a nil target.
func (t *Target) Shutdown() error {
	if t == nil || t.Close == nil {
		return nil
	}
	return t.Close()
}
