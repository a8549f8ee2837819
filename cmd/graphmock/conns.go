package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

// A burst of connections (10,000 clients at once) used to cost the mock 270 us of CPU and some 20 KB
// each (a server goroutine with its stack, net/http's read and write buffers): a PATCH waited behind
// them for seconds, and the 200 MB they took stayed with the process after they closed, the runtime
// returning freed memory to the system only after its next collection, two minutes away on an idle
// server. connLimit bounds both: past max open connections, a new one is answered at once with a
// canned 503 (Retry-After, Graph's error shape) and closed, never reaching net/http; and when a burst
// of at least burstConns has drained to quietConns, the memory it held is given back
// (debug.FreeOSMemory: the process is ours, main's to decide).
type connLimit struct {
	net.Listener
	max          int64
	burst, quiet int64  // a burst is burst open connections at once; it is over at quiet
	release      func() // gives memory back after a burst: debug.FreeOSMemory
	answer       bool   // answer a refused connection 503 (plain HTTP), or only close it
	open         atomic.Int64
	peak         atomic.Int64
}

const (
	defaultMaxConns = 1024
	// burstConns open connections make a burst worth giving memory back after; quietConns is when it
	// is over.
	burstConns = 256
	quietConns = 8
	// shedWait bounds each step of refusing a connection: the request head must be there, the answer
	// must go out, within it.
	shedWait = 5 * time.Millisecond
)

func limitConns(l net.Listener, max int) *connLimit {
	return &connLimit{Listener: l, max: int64(max), burst: burstConns, quiet: quietConns, release: debug.FreeOSMemory, answer: true}
}

func (l *connLimit) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		n := l.open.Add(1)
		if l.max > 0 && n > l.max {
			l.open.Add(-1)
			if l.answer {
				go shed(c)
			} else {
				c.Close()
			}
			continue
		}
		for {
			p := l.peak.Load()
			if n <= p || l.peak.CompareAndSwap(p, n) {
				break
			}
		}
		return &countedConn{Conn: c, l: l}, nil
	}
}

// closed is called once per accepted connection.
func (l *connLimit) closed() {
	n := l.open.Add(-1)
	if n <= l.quiet && l.peak.Load() >= l.burst && l.peak.Swap(n) >= l.burst {
		go l.release()
	}
}

type countedConn struct {
	net.Conn
	l    *connLimit
	once sync.Once
}

func (c *countedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.l.closed)
	return err
}

// shed refuses a connection past the limit. When its request head has already arrived (clients send
// it right after connecting, so it usually has by the time the connection is accepted), it is answered
// 503 serviceNotAvailable with Retry-After: 1, in Graph's error shape with its headers; otherwise it is
// closed without an answer, as an overloaded server's backlog would: waiting for slow clients is what a
// burst must not cost, and an answer sent before the request would be unsolicited.
func shed(c net.Conn) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(shedWait))
	head := make([]byte, 0, 1024)
	buf := make([]byte, 1024)
	for len(head) < 16<<10 && !bytes.Contains(head, []byte("\r\n\r\n")) {
		n, err := c.Read(buf)
		head = append(head, buf[:n]...)
		if err != nil {
			return
		}
	}
	rw := &cannedResponse{header: http.Header{}}
	rw.header.Set("Retry-After", "1")
	rw.header.Set("Connection", "close")
	graphmock.WriteError(rw, http.StatusServiceUnavailable, graphmock.CodeServiceNotAvailable,
		"The service is busy: more than its limit of open connections. Retry after the Retry-After delay.")
	resp := &http.Response{StatusCode: rw.status, ProtoMajor: 1, ProtoMinor: 1, Header: rw.header,
		ContentLength: int64(rw.body.Len()), Body: io.NopCloser(&rw.body), Close: true}
	_ = c.SetWriteDeadline(time.Now().Add(shedWait))
	if resp.Write(c) != nil {
		return
	}
	// Half-close and read what is left (a body), briefly, so that closing does not reset the connection
	// before the client has read the answer.
	if tc, ok := c.(interface{ CloseWrite() error }); ok {
		_ = tc.CloseWrite()
		_ = c.SetReadDeadline(time.Now().Add(shedWait))
		_, _ = io.Copy(io.Discard, io.LimitReader(c, 64<<10))
	}
}

// cannedResponse records what WriteError writes.
type cannedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *cannedResponse) Header() http.Header { return r.header }

func (r *cannedResponse) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *cannedResponse) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
