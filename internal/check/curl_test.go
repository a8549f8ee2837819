package check

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"unicode"
)

// The rendered command, pasted into a shell, sends the same request: same method, path, headers and
// body bytes (invalid UTF-8, control characters, quotes and non-BMP characters included), with the token
// taken from $GRAPH_TOKEN. It prints nothing a terminal would act on, and no secret.
func TestCurlReproduces(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash here to run the command with")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl here to run the command with")
	}
	type seen struct {
		method, path, auth, ct, crid string
		body                         []byte
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.EscapedPath(), r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.Header.Get("client-request-id"), b}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	body := []byte("{\"target\":{\"@odata.type\":\"#x\",\"groupId\":\"a'b\\\"c\xff\xed\xa0\x80\x1b[31m\x07😀e\u0301 $HOME `id` \\n\"}}")
	ex := exchange(0, "", "")
	ex.URL = srv.URL + "/v1.0/deviceManagement/deviceEnrollmentConfigurations/c'1/assignments/a%20b"
	ex.RequestBody = body
	ex.RequestHeader.Set("Content-Type", "application/json; charset=utf-8")
	ex.RequestHeader.Set("client-request-id", "x-"+token) // a secret where it does not belong
	line := Curl(ex)

	if strings.Contains(line, token) {
		t.Errorf("the command carries the token:\n%s", line)
	}
	for _, r := range line {
		if r > unicode.MaxASCII || (r < 0x20) || r == 0x7f {
			t.Fatalf("the command holds %q, which a terminal may act on:\n%s", r, line)
		}
	}
	cmd := exec.Command(bash, "-c", line)
	cmd.Env = []string{"GRAPH_TOKEN=the-token-from-the-environment", "PATH=/usr/bin:/bin:/usr/local/bin"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("running %s: %v\n%s", line, err, out)
	}
	s := <-got
	if s.method != "PATCH" || s.path != "/v1.0/deviceManagement/deviceEnrollmentConfigurations/c%271/assignments/a%20b" && s.path != "/v1.0/deviceManagement/deviceEnrollmentConfigurations/c'1/assignments/a%20b" {
		t.Errorf("got %s %s", s.method, s.path)
	}
	if !bytes.Equal(s.body, body) {
		t.Errorf("body:\n got %q\nwant %q", s.body, body)
	}
	if s.auth != "Bearer the-token-from-the-environment" || s.ct != "application/json; charset=utf-8" || s.crid != "x-"+Redacted {
		t.Errorf("headers: Authorization %q, Content-Type %q, client-request-id %q", s.auth, s.ct, s.crid)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain /path?x=1": "'plain /path?x=1'",
		"it's":            `$'it\'s'`,
		"a\\b'":           `$'a\\b\''`,
		"\x1b[2J\x00\xff": `$'\x1b[2J\x00\xff'`,
		"é":               `$'\xc3\xa9'`,
		"":                "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s; want %s", in, got, want)
		}
	}
}

// OneOf takes a value written, or the one before, with what a service adds; never a mix of two writes.
func TestOneOf(t *testing.T) {
	const declared = "microsoft.graph.deviceAndAppManagementAssignmentTarget"
	group := map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "g1"}
	coll := map[string]any{"@odata.type": "#microsoft.graph.configurationManagerCollectionAssignmentTarget", "collectionId": "c1"}
	before := map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "filterType": "none"}
	for _, tc := range []struct {
		name, body string
		ok         bool
	}{
		{"a value written", `{"target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"g1"}}`, true},
		{"with a property the service adds", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1","filterType":"none"}}`, true},
		{"the value before", `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget","filterType":"none"}}`, true},
		{"the type of one, the property of the other", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","collectionId":"c1"}}`, false},
		{"one with the other's property added", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1","collectionId":"c1"}}`, false},
		{"a property lost", `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget"}}`, false},
	} {
		ex := exchange(200, "application/json", tc.body)
		err := OneOf(ex, "/target", []any{group, coll}, []any{before}, declared)
		if (err == nil) != tc.ok {
			t.Errorf("%s: got %v; want ok=%v", tc.name, err, tc.ok)
		}
	}
	// An untyped value is of the declared type on either side.
	ex := exchange(200, "application/json", `{"target":{"@odata.type":"#`+declared+`"}}`)
	if err := OneOf(ex, "/target", []any{map[string]any{}}, nil, declared); err != nil {
		t.Errorf("untyped: %v", err)
	}
}
