package graphmock_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

// TestInvalidUTF8: a body with bytes that are not UTF-8 is refused with 400, wherever they are (a
// string value, a member name), and nothing is stored. encoding/json alone would store U+FFFD in
// their place, and a GET would return something else than was sent.
func TestInvalidUTF8(t *testing.T) {
	s := newServer(t, testConfig())
	before := s.do(t, call{method: "GET", path: seedAssign}).body
	for _, tc := range []errorCase{
		{name: "in a string", call: call{method: "PATCH", path: seedAssign,
			body: "{\"target\":{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"a\xffb\"}}"}},
		{name: "in a member name", call: call{method: "PATCH", path: seedAssign,
			body: "{\"target\":{\"@odata.type\":\"#microsoft.graph.allDevicesAssignmentTarget\",\"x\xc3@odata.type\":\"y\"}}"}},
		{name: "a truncated sequence", call: call{method: "PATCH", path: seedAssign,
			body: "{\"target\":{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"\xe2\x82\"}}"}},
		{name: "a surrogate encoded in UTF-8", call: call{method: "POST", path: configsPath,
			body: "{\"@odata.type\":\"#microsoft.graph.deviceEnrollmentLimitConfiguration\",\"displayName\":\"\xed\xa0\x80\"}"}},
		{name: "POST assignment", call: call{method: "POST", path: seedAssigns,
			body: "{\"target\":{\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"\xc0\xaf\"}}"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.status, tc.code, tc.mentions = http.StatusBadRequest, graphmock.CodeInvalidRequest, "UTF-8"
			checkError(t, s.do(t, tc.call), tc)
		})
	}
	if after := s.do(t, call{method: "GET", path: seedAssign}).body; string(after) != string(before) {
		t.Errorf("the assignment changed:\n before %s\n after  %s", before, after)
	}
	if c, a := s.mock.Counts(); c != 1 || a != 1 {
		t.Errorf("Counts: got %d configurations, %d assignments; want the seed's 1, 1", c, a)
	}
	// Valid UTF-8 beyond ASCII is stored byte for byte.
	groupID := "é 😀 e\u0301 \u2028"
	r := s.do(t, call{method: "PATCH", path: seedAssign,
		body: `{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"` + groupID + `"}}`})
	wantStatus(t, r, http.StatusOK)
	if got := object(t, s.do(t, call{method: "GET", path: seedAssign}))["target"].(map[string]any)["groupId"]; got != groupID {
		t.Errorf("groupId: got %q; want %q", got, groupID)
	}
}

// TestSlowBody: a client that sends the headers and part of the body, then stalls, is answered 408
// once Config.BodyTimeout has passed, and its connection is closed; it does not hold it indefinitely.
func TestSlowBody(t *testing.T) {
	cfg := testConfig()
	cfg.BodyTimeout = 100 * time.Millisecond
	m := graphmock.New(cfg)
	m.Seed()
	srv := httptest.NewServer(m) // no server timeouts: the mock bounds the body itself
	t.Cleanup(srv.Close)

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The bound of the test, not a synchronisation: without the body timeout the read below waits
	// until this deadline and the test fails.
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatal(err)
	}
	partial := `{"target":{"@odata.type":`
	_, err = io.WriteString(conn, "PATCH "+seedAssign+" HTTP/1.1\r\nHost: graph.test\r\nAuthorization: Bearer "+tokWrite+
		"\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"+partial)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	req, _ := http.NewRequest("PATCH", srv.URL+seedAssign, nil)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		t.Fatalf("no answer to a stalled body: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	checkError(t, response{Response: resp, body: body}, errorCase{status: http.StatusRequestTimeout,
		code: graphmock.CodeInvalidRequest, mentions: "did not arrive"})
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("after the 408: got %v; want the connection closed (EOF)", err)
	}
	// Nothing was changed, and the mock serves on.
	s := &server{Server: srv, mock: m}
	if got := object(t, s.do(t, call{method: "GET", path: seedAssign}))["target"]; mustJSON(t, got) != `{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}` {
		t.Errorf("target after the stalled PATCH: %s", mustJSON(t, got))
	}
}

// TestBusy: past Config.MaxInFlight requests in flight, the next is answered at once with 503
// serviceNotAvailable and Retry-After, in Graph's error shape, rather than queued behind them; once
// they finish, requests are served again. /healthz is never refused.
func TestBusy(t *testing.T) {
	cfg := testConfig()
	cfg.MaxInFlight = 2
	m := graphmock.New(cfg)
	m.Seed()

	// Two PATCHes whose bodies arrive only when the test says: each holds its slot while the mock reads.
	var held sync.WaitGroup
	writers := make([]*io.PipeWriter, 2)
	codes := make([]int, 2)
	for i := range writers {
		pr, pw := io.Pipe()
		writers[i] = pw
		req := httptest.NewRequest("PATCH", "http://graph.test"+seedAssign, pr)
		req.Header.Set("Authorization", "Bearer "+tokWrite)
		req.Header.Set("Content-Type", "application/json")
		held.Add(1)
		go func() {
			defer held.Done()
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, req)
			codes[i] = rec.Code
		}()
		// Write returns once the mock reads: the request is inside the handler, holding its slot.
		if _, err := io.WriteString(pw, `{"target":`); err != nil {
			t.Fatal(err)
		}
	}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "http://graph.test"+seedAssign, nil)
	req.Header.Set("Authorization", "Bearer "+tokWrite)
	m.ServeHTTP(rec, req)
	r := response{Response: rec.Result(), body: rec.Body.Bytes()}
	r.Request = req
	checkError(t, r, errorCase{status: http.StatusServiceUnavailable, code: graphmock.CodeServiceNotAvailable,
		mentions: "busy", wantHeader: map[string]string{"Retry-After": "1"}})

	health := httptest.NewRecorder()
	m.ServeHTTP(health, httptest.NewRequest("GET", "http://graph.test/healthz", nil))
	if health.Code != http.StatusOK {
		t.Errorf("/healthz while busy: got %d; want 200", health.Code)
	}

	for _, pw := range writers {
		if _, err := io.WriteString(pw, `{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}}`); err != nil {
			t.Fatal(err)
		}
		pw.Close()
	}
	held.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("held PATCH %d: got %d; want 200", i, c)
		}
	}
	rec = httptest.NewRecorder()
	m.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("GET after the burst: got %d; want 200: %s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "allLicensedUsersAssignmentTarget") {
		t.Errorf("GET after the held PATCHes: %s", rec.Body)
	}
}

// TestGUIDKeysIgnoreCase: a GUID key matches whatever the case of its hex digits, as Graph's keys do,
// in a path segment and in key syntax; responses show the ids as stored (lower case), in the body,
// in @odata.context and in Location. Another GUID is still 404.
func TestGUIDKeysIgnoreCase(t *testing.T) {
	s := newServer(t, testConfig())
	upperConfig := strings.ToUpper(graphmock.SeedConfigurationID)
	upperAssign := strings.ToUpper(graphmock.SeedAssignmentID)
	wantContext := s.URL + "/v1.0/$metadata#deviceManagement/deviceEnrollmentConfigurations('" +
		graphmock.SeedConfigurationID + "')/assignments"
	for _, path := range []string{
		configsPath + "/" + upperConfig + "/assignments/" + upperAssign,
		configsPath + "/" + graphmock.SeedConfigurationID + "/assignments/" + upperAssign,
		"/v1.0/deviceManagement/deviceEnrollmentConfigurations('" + upperConfig + "')/assignments('" + upperAssign + "')",
	} {
		for _, c := range []call{
			{method: "GET", path: path},
			{method: "PATCH", path: path, body: `{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`},
			{method: "PATCH", path: path, body: `{"id":"` + upperAssign + `"}`},
		} {
			r := s.do(t, c)
			wantStatus(t, r, http.StatusOK)
			body := object(t, r)
			if body["id"] != graphmock.SeedAssignmentID {
				t.Errorf("%s %s: id %v; want %s as stored", c.method, path, body["id"], graphmock.SeedAssignmentID)
			}
			if body["@odata.context"] != wantContext+"/$entity" {
				t.Errorf("%s %s: @odata.context %v; want %s/$entity", c.method, path, body["@odata.context"], wantContext)
			}
		}
	}
	r := s.do(t, call{method: "GET", path: configsPath + "/" + upperConfig})
	wantStatus(t, r, http.StatusOK)
	if id := object(t, r)["id"]; id != graphmock.SeedConfigurationID {
		t.Errorf("GET configuration: id %v; want %s", id, graphmock.SeedConfigurationID)
	}
	r = s.do(t, call{method: "GET", path: configsPath + "/" + upperConfig + "/assignments"})
	wantStatus(t, r, http.StatusOK)
	if ctx := object(t, r)["@odata.context"]; ctx != wantContext {
		t.Errorf("list: @odata.context %v; want %s", ctx, wantContext)
	}
	r = s.do(t, call{method: "POST", path: configsPath + "/" + upperConfig + "/assignments",
		body: `{"target":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}}`})
	wantStatus(t, r, http.StatusCreated)
	created, _ := object(t, r)["id"].(string)
	if loc := r.Header.Get("Location"); loc != s.URL+seedAssigns+"/"+created {
		t.Errorf("Location: %s; want %s", loc, s.URL+seedAssigns+"/"+created)
	}
	wantStatus(t, s.do(t, call{method: "DELETE", path: configsPath + "/" + upperConfig + "/assignments/" + strings.ToUpper(created)}),
		http.StatusNoContent)
	if _, a := s.mock.Counts(); a != 1 {
		t.Errorf("after deleting the created assignment by its upper-case id: %d assignments; want 1", a)
	}
	other := strings.ToUpper(strings.Replace(graphmock.SeedAssignmentID, "1f66", "2f66", 1))
	wantStatus(t, s.do(t, call{method: "GET", path: seedAssigns + "/" + other}), http.StatusNotFound)
	wantStatus(t, s.do(t, call{method: "DELETE", path: configsPath + "/" + upperConfig}), http.StatusNoContent)
	if c, _ := s.mock.Counts(); c != 0 {
		t.Errorf("after deleting the configuration by its upper-case id: %d configurations; want 0", c)
	}
}
