package suite

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/graphconform/graphconform/internal/target"
)

func embedded(t *testing.T, opts ...target.EmbeddedOption) *target.Target {
	t.Helper()
	tg, err := target.Embedded(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

func TestRunEmbedded(t *testing.T) {
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{Target: embedded(t), Formats: []string{"progress"}, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Requirements {
		t.Logf("%s %-7s %s %s", r.ID, r.Status, r.Scenario, r.Reason)
	}
	t.Logf("godog:\n%s", out.String())
	if res.ExitCode() != 0 {
		t.Errorf("failed: %v", res.FailedIDs())
	}
}

func TestRefusesPreciousTargetWithoutConsent(t *testing.T) {
	tg, err := target.Remote(target.RemoteOptions{BaseURL: "http://127.0.0.1:1/v1.0", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), Options{Target: tg})
	if err == nil || !strings.Contains(err.Error(), "--allow-writes") {
		t.Fatalf("got %v; want a refusal naming --allow-writes", err)
	}
}
