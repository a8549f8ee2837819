package graphmock_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"testing"
)

// TestGzipRequestBody: a body sent with Content-Encoding: gzip, as Microsoft's Graph SDKs send every
// body by default, is read inflated (the refusals of other encodings and of bad gzip are in TestErrors).
func TestGzipRequestBody(t *testing.T) {
	s := newServer(t, testConfig())
	body := `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"5b1c3f4e-8d2a-4c6b-9e7f-0a1b2c3d4e5f"}}`
	for _, enc := range []string{"gzip", "GZIP", "identity"} {
		t.Run(enc, func(t *testing.T) {
			sent := body
			if enc != "identity" {
				sent = gzipped(body)
			}
			r := s.do(t, call{method: http.MethodPatch, path: seedAssign, body: sent, header: map[string]string{"Content-Encoding": enc}})
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status: got %d; want 200; body: %s", r.StatusCode, r.body)
			}
			if got := object(t, r)["target"].(map[string]any)["groupId"]; got != "5b1c3f4e-8d2a-4c6b-9e7f-0a1b2c3d4e5f" {
				t.Errorf("target.groupId: got %v; want the one sent", got)
			}
		})
	}
}

func gzipped(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}
