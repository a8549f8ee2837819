package check

import (
	"strings"
	"testing"

	"github.com/graphconform/graphconform/internal/schema"
)

func TestSchema(t *testing.T) {
	set, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	good := `{"@odata.context":"x","id":"1f6686a8-86a8-1f66-a886-661fa886661f","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g"}}`
	if err := Schema(exchange(200, "application/json", good), set, "v1.0", schema.Assignment); err != nil {
		t.Error(err)
	}
	f := mustFail(t, Schema(exchange(200, "application/json", `{"id":"x","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":42}}`), set, "v1.0", schema.Assignment), "schema problem")
	if !strings.Contains(f.Detail, "/target/groupId") {
		t.Errorf("detail %q; want the pointer /target/groupId", f.Detail)
	}
	mustFail(t, Schema(exchange(200, "application/json", `{"id":"x"`), set, "v1.0", schema.Assignment), "not JSON")
	errBody := `{"error":{"code":"itemNotFound","message":"m","innerError":{"date":"2026-11-28T19:00:00Z","request-id":"r","client-request-id":"c"}}}`
	if err := Schema(exchange(404, "application/json", errBody), set, "v1.0", schema.Error); err != nil {
		t.Error(err)
	}
	mustFail(t, Schema(exchange(404, "application/json", `{"message":"not found"}`), set, "v1.0", schema.Error), "schema problem")
}

func TestTransport(t *testing.T) {
	ex := exchange(200, "application/json", "{}")
	f := mustFail(t, Transport(ex, errString("dial tcp 127.0.0.1:1: connection refused")), "got no response (dial tcp")
	if f.Evidence.Status != "" {
		t.Errorf("evidence shows a status for no response: %+v", f.Evidence)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

// A body that is not JSON where a Graph error is wanted is said to be that, by what it is, never by the
// parser's complaint.
func TestNotJSONWhereAGraphErrorIsWanted(t *testing.T) {
	set, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ct, body, got string }{
		{"text/html", "<html>Bad Request</html>", "got an HTML page, not JSON; want a Graph error object"},
		{"", "<!DOCTYPE html><html>Bad Request</html>", "got an HTML page, not JSON; want a Graph error object"},
		{"text/plain", "Bad Request", "got a text/plain body, not JSON; want a Graph error object"},
		{"application/json", "{Bad Request", "got a body that is not JSON; want a Graph error object"},
	} {
		ct := tc.ct
		f := mustFail(t, Schema(exchange(400, tc.ct, tc.body), set, "v1.0", schema.Error), tc.got)
		if strings.Contains(f.Message(), "invalid character") {
			t.Errorf("%s: %q quotes the parser", ct, f.Message())
		}
	}
}
