// Package cleanup finds and deletes, by displayName, the enrollment configurations the suite created on a
// service: what a run looks up before it ends (creates whose answer it lost, everything named after a stopped
// run) and what `graphconform sweep` lists and deletes. It is the one place that lists the collection and
// deletes from it with the token, so they follow one rule: an @odata.nextLink is followed only on the service's
// own scheme and host, and an id is sent only when it is a plausible key.
package cleanup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/transport"
)

// Limits of one listing: pages followed, and bytes read of one page (Graph's pages hold at most a few
// hundred kilobytes).
const (
	MaxPages     = 100
	maxPageBytes = 16 << 20
)

// ErrOffHost is returned, wrapped, when the service's @odata.nextLink leads to another scheme or host: the
// listing stops there rather than send the token along.
var ErrOffHost = errors.New("the service's @odata.nextLink leads to another host; not followed with the token")

// Service is the configurations collection of one target, reached with its client and token.
type Service struct {
	BaseURL string // up to and including the version segment, no trailing slash
	// Client sends the requests. The caller's: bounded header reads, a per-request timeout, no redirects
	// followed (see graphconformtest and cmd/graphconform).
	Client *http.Client
	Token  func(ctx context.Context) (string, error)
}

// Config is one enrollment configuration as the listing saw it.
type Config struct {
	ID, Name string
	Created  time.Time // zero when the service gave no createdDateTime, or one that does not parse
	// CreatedText is createdDateTime as the service sent it ("" when absent).
	CreatedText string
	// Unusable says why ID cannot be a request path segment (check.KeyProblem), "" when it can: no DELETE
	// is ever built from such an id.
	Unusable string
}

// String names the configuration for a message: its id and name, quoted.
func (c Config) String() string {
	return "configuration " + strconv.Quote(c.ID) + " (" + strconv.Quote(c.Name) + ")"
}

func (s Service) collection() string {
	return s.BaseURL + "/deviceManagement/deviceEnrollmentConfigurations"
}

// List pages through the configurations and returns those whose displayName match accepts, and how many it
// saw in all. When it stops early (an error, a nextLink off the host, more than MaxPages pages) it returns
// what it found so far with the error.
func (s Service) List(ctx context.Context, match func(name string) bool) ([]Config, int, error) {
	base, err := url.Parse(s.BaseURL)
	if err != nil {
		return nil, 0, fmt.Errorf("the base URL does not parse: %w", err)
	}
	var out []Config
	seen := 0
	next := s.collection()
	for page := 0; next != ""; page++ {
		if page == MaxPages {
			return out, seen, fmt.Errorf("more than %d pages of configurations; stopped", MaxPages)
		}
		u, err := url.Parse(next)
		if err != nil || u.Scheme != base.Scheme || !strings.EqualFold(u.Host, base.Host) {
			return out, seen, fmt.Errorf("%w (%s://%s)", ErrOffHost, base.Scheme, base.Host)
		}
		status, body, err := s.do(ctx, http.MethodGet, next)
		if err != nil {
			return out, seen, fmt.Errorf("list configurations: %w", err)
		}
		if status != http.StatusOK {
			return out, seen, fmt.Errorf("list configurations: status %d: %s", status, errorCode(body))
		}
		var col struct {
			Value    []map[string]any `json:"value"`
			NextLink string           `json:"@odata.nextLink"`
		}
		if err := json.Unmarshal(body, &col); err != nil {
			return out, seen, fmt.Errorf("list configurations: the body is not a collection: %v", err)
		}
		for _, v := range col.Value {
			seen++
			name, _ := v["displayName"].(string)
			if !match(name) {
				continue
			}
			id, _ := v["id"].(string)
			c := Config{ID: id, Name: name, Unusable: check.KeyProblem(id)}
			if ts, ok := v["createdDateTime"].(string); ok {
				c.CreatedText = ts
				if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
					c.Created = t
				}
			}
			out = append(out, c)
		}
		next = col.NextLink
	}
	return out, seen, nil
}

// Delete deletes the configuration (its assignments go with it). A 404 counts as deleted: gone either way.
// A configuration whose id is Unusable is refused without a request.
func (s Service) Delete(ctx context.Context, c Config) error {
	if c.Unusable != "" {
		return fmt.Errorf("its id cannot be a URL path segment (%s): not sent; delete it by hand", c.Unusable)
	}
	status, body, err := s.do(ctx, http.MethodDelete, s.collection()+"/"+url.PathEscape(c.ID))
	switch {
	case err != nil:
		return err
	case status/100 == 2, status == http.StatusNotFound:
		return nil
	}
	return fmt.Errorf("status %d: %s", status, errorCode(body))
}

func (s Service) do(ctx context.Context, method, u string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, nil, err
	}
	tok, err := s.Token(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("token: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	resp, err := s.Client.Do(req)
	if err != nil {
		return 0, nil, transport.UnwrapURLError(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes))
	return resp.StatusCode, body, err
}

// errorCode is Graph's error.code from an error body, or a short excerpt of the body; either made visible.
func errorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Code != "" {
		return strconv.Quote(clip(e.Error.Code, 120))
	}
	return strconv.Quote(clip(strings.Join(strings.Fields(string(body)), " "), 120))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// Failure is a configuration that could not be deleted, and why.
type Failure struct {
	Config
	Err error
}

// Remove lists the configurations match accepts and deletes each it can. err is the listing's: what it found
// before it stopped is deleted all the same.
func (s Service) Remove(ctx context.Context, match func(name string) bool) (deleted []Config, failed []Failure, err error) {
	found, _, err := s.List(ctx, match)
	for _, c := range found {
		if derr := s.Delete(ctx, c); derr != nil {
			failed = append(failed, Failure{c, derr})
			continue
		}
		deleted = append(deleted, c)
	}
	return deleted, failed, err
}
