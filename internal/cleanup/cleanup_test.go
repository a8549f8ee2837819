package cleanup

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const token = "cleanup-test-token-0123456789"

func service(url string) Service {
	return Service{BaseURL: url + "/v1.0", Client: &http.Client{}, Token: func(context.Context) (string, error) { return token, nil }}
}

func ours(name string) bool { return strings.HasPrefix(name, "graphconform-run1-") }

// TestRemoveSendsPlausibleIDsOnly: what a listing finds under an id that cannot be a path segment is never
// deleted (the id ".." once sent DELETE .../deviceEnrollmentConfigurations/.., the collection, with the token);
// it comes back as a failure saying why. Names that are not ours are not touched.
func TestRemoveSendsPlausibleIDsOnly(t *testing.T) {
	var mu sync.Mutex
	var deletes []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodDelete {
			mu.Lock()
			deletes = append(deletes, r.RequestURI)
			mu.Unlock()
			w.WriteHeader(http.StatusNoContent)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"value": []map[string]any{
			{"id": "..", "displayName": "graphconform-run1-dotdot"},
			{"id": "../../evil", "displayName": "graphconform-run1-path"},
			{"id": "\x1b[2Jc", "displayName": "graphconform-run1-escape"},
			{"id": "c1", "displayName": "graphconform-run1-fine"},
			{"id": "c2", "displayName": "Production enrollment limit"},
			{"id": "c3", "displayName": "graphconform-run2-another-run"},
		}})
	}))
	defer srv.Close()
	deleted, failed, err := service(srv.URL).Remove(context.Background(), ours)
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 1 || deleted[0].ID != "c1" {
		t.Errorf("deleted %v; want c1 only", deleted)
	}
	if len(failed) != 3 {
		t.Errorf("failed %v; want the three unusable ids", failed)
	}
	for _, f := range failed {
		if !strings.Contains(f.Err.Error(), "cannot be a URL path segment") || strings.Contains(f.String(), "\x1b") {
			t.Errorf("failure %s: %v; want it to say why, with the id quoted", f.Config, f.Err)
		}
	}
	if want := []string{"/v1.0/deviceManagement/deviceEnrollmentConfigurations/c1"}; strings.Join(deletes, " ") != want[0] {
		t.Errorf("DELETEs sent %q; want %q", deletes, want)
	}
}

// TestListNeverFollowsAnOffHostNextLink: the run's lookup and sweep list through one function, which follows a
// nextLink on the target's own scheme and host only; one that leads elsewhere stops the listing with
// ErrOffHost, keeping what the pages before it held, and the other host never sees the token. (The interrupt
// clean-up once stopped silently there while sweep failed.)
func TestListNeverFollowsAnOffHostNextLink(t *testing.T) {
	var elsewhere sync.Map
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Store(r.Header.Get("Authorization"), true)
		json.NewEncoder(w).Encode(map[string]any{"value": []map[string]any{}})
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			json.NewEncoder(w).Encode(map[string]any{
				"value":           []map[string]any{{"id": "c2", "displayName": "graphconform-run1-b"}},
				"@odata.nextLink": other.URL + "/v1.0/deviceManagement/deviceEnrollmentConfigurations?page=3",
			})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{
			"value":           []map[string]any{{"id": "c1", "displayName": "graphconform-run1-a"}},
			"@odata.nextLink": "http://" + r.Host + "/v1.0/deviceManagement/deviceEnrollmentConfigurations?page=2",
		})
	}))
	defer srv.Close()
	found, seen, err := service(srv.URL).List(context.Background(), ours)
	if !errors.Is(err, ErrOffHost) {
		t.Errorf("err %v; want ErrOffHost", err)
	}
	if len(found) != 2 || seen != 2 {
		t.Errorf("found %v of %d; want c1 and c2, from the two pages on the target's host", found, seen)
	}
	elsewhere.Range(func(k, _ any) bool {
		t.Errorf("the other host got a request (Authorization %q)", k)
		return true
	})
}
