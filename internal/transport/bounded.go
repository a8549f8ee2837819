package transport

import (
	"errors"
	"net/http"
	"time"
)

// MaxResponseHeaderBytes bounds the header section of one response. Go's default is 10 MB, which a hostile
// target fills to stall every check that quotes a header; Graph's headers are well under a kilobyte.
const MaxResponseHeaderBytes = 64 << 10

// NewTransport is the transport the suite uses when it is given none: http.DefaultTransport's settings, with
// the response headers bounded. Bodies are bounded where they are read, and the whole exchange, body included,
// by the client's timeout and the request's context.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxResponseHeaderBytes = MaxResponseHeaderBytes
	return t
}

// Bounded returns rt with its response headers bounded by MaxResponseHeaderBytes, and a func that releases
// what Bounded made (call it when done with the result):
//   - nil: NewTransport();
//   - an *http.Transport with a larger (or Go's default) limit: a clone of it with the limit lowered, so a
//     caller's TLS settings, proxy and dialer hold and the caller's transport itself is left as it was;
//   - an *http.Transport bounded already, or a RoundTripper of any other kind: rt itself. Such a RoundTripper
//     reads headers its own way, out of the suite's reach; what the suite quotes from them is still bounded
//     where it is rendered (internal/check), but the time and memory of reading them are the RoundTripper's.
func Bounded(rt http.RoundTripper) (http.RoundTripper, func()) {
	var t *http.Transport
	switch c := rt.(type) {
	case nil:
		t = NewTransport()
	case *http.Transport:
		if c.MaxResponseHeaderBytes > 0 && c.MaxResponseHeaderBytes <= MaxResponseHeaderBytes {
			return rt, func() {}
		}
		t = c.Clone()
		t.MaxResponseHeaderBytes = MaxResponseHeaderBytes
	default:
		return rt, func() {}
	}
	return t, t.CloseIdleConnections
}

// ErrNotSent marks, wrapped, the error of a request a RoundTripper refused to send (the run stopped): the
// service never saw it, so nothing it asked for can have happened.
var ErrNotSent = errors.New("not sent")

// NewClient copies c (nil: a client with http.DefaultTransport's settings) for sending to a target: its
// transport with the response headers bounded (Bounded), retries on 429 and 503 around it, the per-request
// timeout, and redirects returned rather than followed (NoRedirects). release closes the idle connections of a
// transport it made.
func NewClient(c *http.Client, timeout time.Duration) (client *http.Client, retry *RetryTransport, release func()) {
	var cl http.Client
	if c != nil {
		cl = *c
	}
	base, release := Bounded(cl.Transport)
	rt := NewRetryTransport(base, RetryPolicy{})
	cl.Transport, cl.Timeout, cl.CheckRedirect = rt, timeout, NoRedirects
	return &cl, rt, release
}
