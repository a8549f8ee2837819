package graphconformtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/graphconform/graphconform/graphconformtest"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/target"
	"github.com/graphconform/graphconform/steps"
)

// Everything a run creates on a service is named graphconform-<run id>-..., the doc examples' own display names
// included, so that a sweep finds what an interrupted run left and touches nothing else.
func TestEveryCreatedConfigurationIsNamedForTheRun(t *testing.T) {
	var mu sync.Mutex
	var names []string
	record := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/deviceEnrollmentConfigurations") {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				var v struct {
					DisplayName *string `json:"displayName"`
				}
				if json.Unmarshal(body, &v) == nil && r.Header.Get("Authorization") != "" {
					mu.Lock()
					names = append(names, deref(v.DisplayName))
					mu.Unlock()
				}
			}
			next.ServeHTTP(w, r)
		})
	}
	var mock *graphmock.Mock
	tg := embedded(t, target.WithHandler(record), target.WithMock(func(m *graphmock.Mock) { mock = m }))
	res, err := graphconformtest.Check(context.Background(), tg.Target)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("the run created no configuration; the test observes nothing")
	}
	for _, n := range names {
		if !strings.HasPrefix(n, steps.NamePrefix+res.RunID+"-") {
			t.Errorf("a configuration was created as %q; want the prefix %s%s-", n, steps.NamePrefix, res.RunID)
		}
	}
	if c, a := mock.Counts(); c != 0 || a != 0 {
		t.Errorf("after the run the mock holds %d configurations and %d assignments; want none", c, a)
	}
}

// A POST example whose status check fails first (200 instead of 201) still has what it created deleted.
func TestCreatedEntityIsDeletedWhenAnEarlierCheckFails(t *testing.T) {
	status200 := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				w = &rewriteStatus{ResponseWriter: w, from: http.StatusCreated, to: http.StatusOK}
			}
			next.ServeHTTP(w, r)
		})
	}
	var mock *graphmock.Mock
	tg := embedded(t, target.WithHandler(status200), target.WithMock(func(m *graphmock.Mock) { mock = m }))
	res, err := graphconformtest.Check(context.Background(), tg.Target, graphconformtest.Tags("@op:deviceEnrollmentLimitConfiguration.create,@op:enrollmentConfigurationAssignment.create"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed()) == 0 {
		t.Fatal("201 answered as 200 failed no requirement")
	}
	if c, a := mock.Counts(); c != 0 || a != 0 {
		t.Errorf("after the run the mock holds %d configurations and %d assignments; want none", c, a)
	}
}

type rewriteStatus struct {
	http.ResponseWriter
	from, to int
}

func (w *rewriteStatus) WriteHeader(code int) {
	if code == w.from {
		code = w.to
	}
	w.ResponseWriter.WriteHeader(code)
}

func deref(s *string) string {
	if s == nil {
		return "<no displayName>"
	}
	return *s
}
