package graphmockcontainer

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// EnvRequireDocker names the variable that turns the container tests' skip into a failure when set to 1:
// CI starts Docker on purpose, so there a missing daemon is a broken run, not a reason to skip.
const EnvRequireDocker = "GRAPHCONFORM_REQUIRE_DOCKER"

// SkipUnlessDocker skips tb with one line saying why when Run cannot be used here (see Available), or fails it when
// GRAPHCONFORM_REQUIRE_DOCKER=1.
func SkipUnlessDocker(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := Available(ctx)
	if err == nil {
		return
	}
	reason := oneLine(err.Error())
	if os.Getenv(EnvRequireDocker) == "1" {
		tb.Fatalf("Docker is required (%s=1) but unusable: %s", EnvRequireDocker, reason)
	}
	tb.Skipf("container tests skipped: Docker is unusable here: %s; set %s=1 to fail instead", reason, EnvRequireDocker)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 500
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}
