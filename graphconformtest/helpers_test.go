package graphconformtest_test

import (
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
