package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

// TestConnLimit: past the limit of open connections a new one is answered at once with 503
// serviceNotAvailable, Retry-After: 1 and Graph's headers and error shape, then closed; the accepted
// ones are untouched; once they close, new connections are accepted again.
func TestConnLimit(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := limitConns(inner, 2)
	l.release = func() {}
	t.Cleanup(func() { l.Close() })
	dial := func() net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		// The bound of the test, not a synchronisation.
		_ = c.SetDeadline(time.Now().Add(20 * time.Second))
		return c
	}
	var held []net.Conn
	for range 2 {
		dial()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}

	// The third: its request is on the wire before the limiter accepts it, as with any client that
	// sends right after connecting.
	c := dial()
	if _, err := io.WriteString(c, "GET /v1.0/deviceManagement/deviceEnrollmentConfigurations HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 1)
	go func() {
		if c, err := l.Accept(); err == nil { // sheds the third, then waits for a fourth
			accepted <- c
		}
	}()
	req, _ := http.NewRequest("GET", "http://x/v1.0/deviceManagement/deviceEnrollmentConfigurations", nil)
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		t.Fatalf("a connection past the limit: no answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" ||
		resp.Header.Get("request-id") == "" || resp.Header.Get("OData-Version") != "4.0" ||
		!strings.Contains(string(body), `"code":"`+graphmock.CodeServiceNotAvailable+`"`) {
		t.Errorf("past the limit: got %d %v %s; want 503 with Retry-After: 1, Graph's headers and error", resp.StatusCode, resp.Header, body)
	}
	if _, err := c.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after the 503: got %v; want the connection closed (EOF)", err)
	}

	// The held ones still work (nothing was written to them), and closing one makes room.
	if _, err := held[0].Write([]byte("x")); err != nil {
		t.Errorf("a held connection: %v", err)
	}
	held[0].Close()
	dial()
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(20 * time.Second): // the bound of the test
		t.Fatal("after a held connection closed, a new one was not accepted")
	}
	if n := l.open.Load(); n != 1 {
		t.Errorf("open connections: %d; want 1", n)
	}
	held[1].Close()
	held[1].Close() // closing twice counts once
	if n := l.open.Load(); n != 0 {
		t.Errorf("open connections after closing all: %d; want 0", n)
	}
}

// TestConnLimitGivesMemoryBack: when a burst of connections has drained, the memory is given back,
// once per burst; a few connections are no burst.
func TestConnLimitGivesMemoryBack(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := limitConns(inner, 100)
	l.burst, l.quiet = 3, 1
	released := make(chan struct{}, 10)
	l.release = func() { released <- struct{}{} }
	t.Cleanup(func() { l.Close() })
	open := func(n int) []net.Conn {
		var out []net.Conn
		for range n {
			c, err := net.Dial("tcp", inner.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			s, err := l.Accept()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	for _, c := range open(2) { // no burst
		c.Close()
	}
	conns := open(4) // a burst
	for _, c := range conns[:3] {
		c.Close()
	}
	select {
	case <-released:
	case <-time.After(20 * time.Second): // the bound of the test
		t.Fatal("the burst drained and the memory was not given back")
	}
	conns[3].Close()
	for _, c := range open(2) {
		c.Close()
	}
	if len(released) != 0 {
		t.Errorf("given back %d more times after one burst; want once", len(released))
	}
}
