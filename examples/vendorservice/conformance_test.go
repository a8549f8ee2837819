package enrollment_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"

	enrollment "github.com/graphconform/graphconform/examples/vendorservice"
)

// serve starts the service (behind wrap, when given) on a loopback port with
// a read/write and a read-only token, and returns the suite's target for it.
func serve(t *testing.T, wrap func(http.Handler) http.Handler) (*enrollment.Service, graphconformtest.Target) {
	t.Helper()
	writer, reader := rand.Text(), rand.Text()
	svc := enrollment.New(map[string][]string{
		writer: {enrollment.ScopeReadWrite},
		reader: {enrollment.ScopeRead},
	})
	var h http.Handler = svc
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return svc, graphconformtest.Target{
		BaseURL:   srv.URL + "/v1.0",
		Token:     graphconformtest.StaticToken(writer),
		ReadToken: graphconformtest.StaticToken(reader),
		Client:    srv.Client(),
	}
}

// TestConformance is the one call a vendor adds to its own tests: every
// requirement of the suite is a subtest (go test -run 'TestConformance/ECA-UPDATE-014').
func TestConformance(t *testing.T) {
	svc, target := serve(t, nil)
	graphconformtest.Run(t, target)
	if n := svc.Len(); n != 0 {
		t.Errorf("the suite left %d configuration(s) behind; it deletes what it creates", n)
	}
}

// TestSuiteNamesWhatABrokenServiceBreaks runs the suite against the same
// service with a defect put in front of it, and checks that exactly the
// requirements the defect breaks fail, each saying why, while every other
// requirement still passes (none skipped).
func TestSuiteNamesWhatABrokenServiceBreaks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		defect func(http.Handler) http.Handler
		want   []string // the requirements that must fail
		why    string   // what each failure's reason must show
	}{
		{
			// Many Graph PATCH operations answer 204; this one documents 200 with the updated assignment.
			name:   "PATCH answers 204 No Content",
			defect: patchAnswersNoContent,
			want:   []string{"ECA-UPDATE-001", "ECA-UPDATE-002"},
			why:    "got status 204",
		},
		{
			// The classic Go gateway: decoding into a struct silently drops what the struct does not declare,
			// in the hand-written cases and in the generated ones.
			name:   "unknown properties are dropped instead of refused",
			defect: patchDecodedLeniently,
			want:   []string{"ECA-UPDATE-017", "ECA-UPDATE-021"},
			why:    "got status 200",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, target := serve(t, tc.defect)
			res, err := graphconformtest.Check(context.Background(), target)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if res.Passed() {
				t.Fatalf("the suite passed a service whose %s", tc.name)
			}
			failed := slices.Compact(slices.Sorted(slices.Values(res.FailedIDs())))
			if !slices.Equal(failed, tc.want) {
				t.Errorf("failed requirements = %v; want %v", failed, tc.want)
			}
			for _, o := range res.Failed() {
				if !strings.Contains(o.Reason, tc.why) {
					t.Errorf("%s (%s): reason %q does not show %q", o.ID, o.Scenario, o.Reason, tc.why)
				}
			}
			for _, o := range res.Outcomes {
				if o.Status != graphconformtest.StatusPassed && o.Status != graphconformtest.StatusFailed {
					t.Errorf("%s (%s): %s, not run to a verdict: %s", o.ID, o.Scenario, o.Status, o.Reason)
				}
			}
		})
	}
}

// patchAnswersNoContent answers a successful PATCH with 204 and no body.
func patchAnswersNoContent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPatch {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		if rec.Code != http.StatusOK {
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		w.Header().Del("Content-Type")
		w.WriteHeader(http.StatusNoContent)
	})
}

// patchDecodedLeniently passes a PATCH body through typed structs with
// encoding/json's defaults, so members the structs do not declare vanish
// before the service can refuse them. A body that does not decode is passed
// on as it came.
func patchDecodedLeniently(next http.Handler) http.Handler {
	type target struct {
		Type         string  `json:"@odata.type"`
		GroupID      *string `json:"groupId,omitempty"`
		CollectionID *string `json:"collectionId,omitempty"`
	}
	type assignment struct {
		Type   string  `json:"@odata.type,omitempty"`
		ID     *string `json:"id,omitempty"`
		Target *target `json:"target,omitempty"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPatch {
			body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			var a assignment
			if err == nil && json.Unmarshal(body, &a) == nil {
				body, _ = json.Marshal(a)
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		}
		next.ServeHTTP(w, r)
	})
}
