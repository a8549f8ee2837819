//go:build linux || darwin

package docgen

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadStopsReadingAtTheLimit gives Load a page that never ends (a FIFO
// fed 16 times the limit, standing in for /dev/zero): it must stop reading
// just past maxPageBytes and say the page is too large. Reading the whole
// stream first, as os.ReadFile does, is what ran `gen --doc /dev/zero` out
// of memory.
func TestLoadStopsReadingAtTheLimit(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "endless.md")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	const feed = 16 * maxPageBytes
	written := make(chan int, 1)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			written <- -1
			return
		}
		defer f.Close()
		chunk := make([]byte, 64<<10)
		n := 0
		for n < feed {
			m, err := f.Write(chunk)
			n += m
			if err != nil { // EPIPE: the reader closed its end
				break
			}
		}
		written <- n
	}()

	_, err := Load([]string{fifo}, nil)
	if err == nil || !strings.Contains(err.Error(), "larger than 4 MiB") {
		t.Errorf("Load(endless page) = %v; want an error saying the page is larger than 4 MiB", err)
	}
	select {
	case n := <-written:
		// The limit, plus what the pipe buffers and one chunk in flight.
		if n < 0 || n > maxPageBytes+2<<20 {
			t.Errorf("the reader took %d bytes of an endless page; want it to stop just past the %d-byte limit", n, maxPageBytes)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the writer is still blocked 30s after Load returned")
	}
}
