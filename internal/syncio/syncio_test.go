package syncio

import (
	"strings"
	"sync"
	"testing"
)

// Run with -race: concurrent writes and reads are safe, and no write is lost or interleaved.
func TestConcurrentWrites(t *testing.T) {
	var b Buffer
	var out strings.Builder
	w := NewWriter(&out)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				b.Write([]byte("line\n"))
				w.Write([]byte("line\n"))
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	want := strings.Repeat("line\n", 800)
	if b.String() != want || out.String() != want {
		t.Errorf("got %d and %d bytes; want %d each", len(b.String()), len(out.String()), len(want))
	}
}
