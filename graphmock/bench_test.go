package graphmock_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

// BenchmarkPatchParallel: the seed page's PATCH through the real handler over loopback HTTP/1.1,
// from parallel clients with keep-alive. Reports req/s; allocs/op counts both sides (client and
// server run in this process).
func BenchmarkPatchParallel(b *testing.B) {
	s := newServer(b, testConfig())
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute}
	b.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr}
	url := s.URL + seedAssign
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, err := http.NewRequest("PATCH", url, strings.NewReader(seedPatchBody))
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Authorization", "Bearer "+tokWrite)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkPatchHandler: the same PATCH straight into ServeHTTP, no network and no client, so
// allocs/op is the mock's own cost per request.
func BenchmarkPatchHandler(b *testing.B) {
	m := graphmock.New(testConfig())
	m.Seed()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("PATCH", "http://graph.test"+seedAssign, strings.NewReader(seedPatchBody))
		req.Header.Set("Authorization", "Bearer "+tokWrite)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkNew: a mock after the first one in a process (graphmock.New and Seed, what a test that
// starts its own mock pays): nothing is compiled per mock, the validator is built once per process.
func BenchmarkNew(b *testing.B) {
	first := graphmock.New(testConfig())
	first.Seed()
	req := httptest.NewRequest("PATCH", "http://graph.test"+seedAssign, strings.NewReader(seedPatchBody))
	req.Header.Set("Authorization", "Bearer "+tokWrite)
	req.Header.Set("Content-Type", "application/json")
	first.ServeHTTP(httptest.NewRecorder(), req) // builds the v1.0 validator, once per process
	b.ReportAllocs()
	for b.Loop() {
		m := graphmock.New(testConfig())
		m.Seed()
	}
}

// BenchmarkGetHandler: a GET of the seed assignment straight into ServeHTTP.
func BenchmarkGetHandler(b *testing.B) {
	m := graphmock.New(testConfig())
	m.Seed()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "http://graph.test"+seedAssign, nil)
		req.Header.Set("Authorization", "Bearer "+tokWrite)
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
