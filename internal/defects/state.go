package defects

// Defects in what a service stores: updates that are not atomic, keys that move, lists that lag, writes
// a read-only token may make.

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/graphconform/graphconform/graphmock"
)

// partnerWait is how long a PATCH of patch-not-atomic waits for a second PATCH of the same assignment
// to interleave with: long enough that writers sent at once meet even on a loaded machine, short
// enough that the rest of a run stays quick.
const partnerWait = 50 * time.Millisecond

// columns stores targets the way a table with one column per property would if each column were
// written in its own statement: two PATCHes of one assignment at once interleave column by column,
// and the row ends with the type of one and the properties of the other.
type columns struct {
	mu      sync.Mutex
	waiting map[string]*columnWriter
	stored  map[string]map[string]any // by lower-cased assignment path
}

type columnWriter struct {
	target map[string]any
	done   chan struct{}
}

func patchNotAtomic(next http.Handler, _ Config) http.Handler {
	c := &columns{waiting: map[string]*columnWriter{}, stored: map[string]map[string]any{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, _, ok := assignment(r); !ok {
			next.ServeHTTP(w, r)
			return
		}
		key := strings.ToLower(r.URL.Path)
		switch r.Method {
		case http.MethodPatch:
			rec := record(next, r)
			if m, ok := decodeObject(rec.Body.Bytes()); ok && rec.Code == http.StatusOK {
				if t, ok := m["target"].(map[string]any); ok {
					c.write(key, t)
				}
			}
			replay(w, rec, rec.Code, rec.Body.Bytes())
		case http.MethodGet:
			rec := record(next, r)
			if t := c.read(key); t != nil && rec.Code == http.StatusOK {
				editBody(w, rec, func(m map[string]any) { m["target"] = t })
				return
			}
			replay(w, rec, rec.Code, rec.Body.Bytes())
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// write stores t, interleaved with a PATCH of the same assignment that arrives within partnerWait.
func (c *columns) write(key string, t map[string]any) {
	c.mu.Lock()
	if other := c.waiting[key]; other != nil {
		delete(c.waiting, key)
		// Column by column: the other's type, ours, then each property the other's way after ours.
		mixed := map[string]any{}
		for k, v := range other.target {
			mixed[k] = v
		}
		mixed["@odata.type"] = t["@odata.type"]
		c.stored[key] = mixed
		c.mu.Unlock()
		close(other.done)
		return
	}
	me := &columnWriter{target: t, done: make(chan struct{})}
	c.waiting[key] = me
	c.mu.Unlock()
	timer := time.NewTimer(partnerWait)
	defer timer.Stop()
	select {
	case <-me.done:
	case <-timer.C:
		c.mu.Lock()
		if c.waiting[key] == me {
			delete(c.waiting, key)
			c.stored[key] = t
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		<-me.done // a partner took it meanwhile
	}
}

func (c *columns) read(key string) map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stored[key]
}

// patchHonoursBodyID takes an id in a PATCH body as the assignment's new key: the assignment moves to
// the new URL, and the old one answers 404.
func patchHonoursBodyID(next http.Handler, _ Config) http.Handler {
	var mu sync.Mutex
	movedTo := map[string]string{}   // old path -> new id
	movedFrom := map[string]string{} // new path -> old path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _, aid, ok := assignment(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		key := strings.ToLower(r.URL.Path)
		switch r.Method {
		case http.MethodPatch:
			body := readBody(r)
			m, isObj := decodeObject(body)
			id, hasID := m["id"].(string)
			if !isObj || !hasID || strings.EqualFold(id, aid) {
				next.ServeHTTP(w, withBody(r, body))
				return
			}
			delete(m, "id")
			rec := record(next, withBody(r, encode(m)))
			if rec.Code == http.StatusOK {
				mu.Lock()
				newPath := strings.ToLower(r.URL.Path[:strings.LastIndex(r.URL.Path, "/")+1] + id)
				movedTo[key], movedFrom[newPath] = id, key
				mu.Unlock()
				editBody(w, rec, func(m map[string]any) { m["id"] = id })
				return
			}
			replay(w, rec, rec.Code, rec.Body.Bytes())
		case http.MethodGet:
			mu.Lock()
			_, gone := movedTo[key]
			old, moved := movedFrom[key]
			mu.Unlock()
			switch {
			case gone:
				graphmock.WriteError(w, http.StatusNotFound, graphmock.CodeItemNotFound, "the assignment moved")
			case moved:
				r2 := r.Clone(r.Context())
				r2.URL.Path, r2.URL.RawPath = old, ""
				if rec := record(next, r2); rec.Code == http.StatusOK {
					editBody(w, rec, func(m map[string]any) { m["id"] = aid })
				} else {
					replay(w, rec, rec.Code, rec.Body.Bytes())
				}
			default:
				next.ServeHTTP(w, r)
			}
		default:
			next.ServeHTTP(w, r)
		}
	})
}

var assignmentsPath = regexp.MustCompile(`^/[A-Za-z0-9.]+/deviceManagement/deviceEnrollmentConfigurations/[^/]+/assignments$`)

// listLags leaves a new assignment out of the first lists of its collection: omitted lists after its
// creation (its own reads work at once).
func listLags(omitted int) func(http.Handler, Config) http.Handler {
	return func(next http.Handler, _ Config) http.Handler {
		var mu sync.Mutex
		left := map[string]int{} // assignment id -> lists still to leave it out of
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !assignmentsPath.MatchString(r.URL.Path) {
				next.ServeHTTP(w, r)
				return
			}
			rec := record(next, r)
			m, ok := decodeObject(rec.Body.Bytes())
			switch {
			case !ok:
			case r.Method == http.MethodPost && rec.Code == http.StatusCreated:
				if id, isStr := m["id"].(string); isStr {
					mu.Lock()
					left[id] = omitted
					mu.Unlock()
				}
			case r.Method == http.MethodGet && rec.Code == http.StatusOK:
				items, _ := m["value"].([]any)
				kept := make([]any, 0, len(items))
				mu.Lock()
				for _, it := range items {
					id, _ := it.(map[string]any)["id"].(string)
					if left[id] > 0 {
						left[id]--
						continue
					}
					kept = append(kept, it)
				}
				mu.Unlock()
				m["value"] = kept
				replay(w, rec, rec.Code, encode(m))
				return
			}
			replay(w, rec, rec.Code, rec.Body.Bytes())
		})
	}
}

// readOnlyCan lets a token with read scopes only make requests of method: the 403 is retried as the
// writer.
func readOnlyCan(method string) func(http.Handler, Config) http.Handler {
	return func(next http.Handler, cfg Config) http.Handler {
		writer := retryAsWriter(next, cfg, http.StatusForbidden)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == method {
				writer.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// patchIgnoresBodyID drops an id from a PATCH body before the mock sees it: the conformant choice the
// mock does not make (it refuses an id that differs from the path's). Any other body reaches the mock
// as it was sent.
func patchIgnoresBodyID(next http.Handler, _ Config) http.Handler {
	return onAssignmentPatch(next, func(w http.ResponseWriter, r *http.Request) {
		body := readBody(r)
		if m, ok := decodeObject(body); ok && utf8.Valid(body) {
			if _, hasID := m["id"]; hasID {
				delete(m, "id")
				body = encode(m)
			}
		}
		next.ServeHTTP(w, withBody(r, body))
	})
}
