package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/target"
	"github.com/graphconform/graphconform/steps"
)

// After an interrupt a create may have reached the service while its answer, and so the id the suite needed to
// delete it, was lost. Everything a run creates is named graphconform-<run id>-..., so the run can find its own
// leftovers by name and delete them, touching nothing else (not even other runs' leftovers: that is sweep's job).
const (
	// A create cancelled on the client may still be in progress on the service: give it a moment to land.
	interruptGrace   = 500 * time.Millisecond
	interruptCleanup = 30 * time.Second
	maxCleanupPages  = 20
)

// cleanupRun deletes the enrollment configurations named after runID (their assignments go with them). It
// returns how many it deleted; ctx may already be cancelled (the interrupt): the cleanup has its own deadline.
func cleanupRun(ctx context.Context, t *target.Target, baseURL, runID string, timeout time.Duration) (int, error) {
	if runID == "" {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), interruptCleanup)
	defer cancel()
	select {
	case <-time.After(interruptGrace):
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	client, _ := sendingClient(t, timeout)
	prefix := steps.NamePrefix + runID + "-"
	base, err := url.Parse(baseURL)
	if err != nil {
		return 0, err
	}
	var ids []string
	var unusable []error
	next := baseURL + "/deviceManagement/deviceEnrollmentConfigurations"
	for page := 0; next != ""; page++ {
		u, err := url.Parse(next)
		if err != nil || page == maxCleanupPages || u.Scheme != base.Scheme || !strings.EqualFold(u.Host, base.Host) {
			break // the token goes to the target's own host only
		}
		var col struct {
			Value []struct {
				ID          string `json:"id"`
				DisplayName string `json:"displayName"`
			} `json:"value"`
			NextLink string `json:"@odata.nextLink"`
		}
		status, body, err := send(ctx, t, client, http.MethodGet, next)
		if err != nil {
			return 0, err
		}
		if status != http.StatusOK {
			return 0, fmt.Errorf("list configurations: status %d", status)
		}
		if err := json.Unmarshal(body, &col); err != nil {
			return 0, fmt.Errorf("list configurations: %w", err)
		}
		for _, c := range col.Value {
			if !strings.HasPrefix(c.DisplayName, prefix) {
				continue
			}
			if p := check.KeyProblem(c.ID); p != "" {
				// Never sent: an id the service chose could point the DELETE, and the token, anywhere.
				unusable = append(unusable, fmt.Errorf("configuration %q has an id that cannot be a URL path segment (%s): not deleted", c.DisplayName, p))
				continue
			}
			ids = append(ids, c.ID)
		}
		next = col.NextLink
	}
	deleted := 0
	for _, id := range ids {
		status, _, err := send(ctx, t, client, http.MethodDelete, baseURL+"/deviceManagement/deviceEnrollmentConfigurations/"+url.PathEscape(id))
		if err != nil {
			return deleted, err
		}
		if status/100 != 2 && status != http.StatusNotFound {
			return deleted, fmt.Errorf("delete configuration %s: status %d", id, status)
		}
		deleted++
	}
	return deleted, errors.Join(unusable...)
}

func send(ctx context.Context, t *target.Target, client *http.Client, method, u string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, nil, err
	}
	tok, err := t.Token.Token(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("token: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp.StatusCode, body, err
}
