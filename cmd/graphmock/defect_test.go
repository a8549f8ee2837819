package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

func noEnv(string) string { return "" }

func TestDefectList(t *testing.T) {
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"--token", "T", "--defect", "list"}, noEnv, &stderr, nil); code != 2 {
		t.Errorf("exit %d; want 2", code)
	}
	if !strings.Contains(stderr.String(), "patch-204") || !strings.Contains(stderr.String(), "ECA-UPDATE-001") {
		t.Errorf("stderr %q; want the defects with the requirements they break", stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"--token", "T", "--defect", "bogus"}, noEnv, &stderr, nil); code != 2 || !strings.Contains(stderr.String(), "unknown defect") {
		t.Errorf("exit %d, stderr %q; want 2 and an unknown-defect message", code, stderr.String())
	}
}

func TestDefectServed(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := make(chan string, 1)
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--token", "T", "--seed", "--defect", "patch-204", "--log-level", "error"},
			noEnv, &stderr, func(u string) { base <- u })
	}()
	var url string
	select {
	case url = <-base:
	case code := <-done:
		t.Fatalf("graphmock exited %d: %s", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("graphmock did not start")
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPatch,
		url+"/deviceManagement/deviceEnrollmentConfigurations/"+graphmock.SeedConfigurationID+"/assignments/"+graphmock.SeedAssignmentID,
		strings.NewReader(`{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`))
	req.Header.Set("Authorization", "Bearer T")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("PATCH got %d; want the defect's 204", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after shutdown", code)
	}
}
