package graphconform_test

import (
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/target"
)

// TestConformance runs every feature against the embedded reference mock, the way a vendor's test runs the
// suite against its service: graphconformtest.Run, one subtest per requirement, several scenarios at once. The
// mock must pass every requirement (a skip is reported, never counted as a pass), and the store must be empty
// afterwards: every scenario cleaned up what it created.
func TestConformance(t *testing.T) {
	for _, version := range []string{"v1.0", "beta", "localtest"} {
		t.Run(version, func(t *testing.T) {
			var mock *graphmock.Mock
			tg, err := target.Embedded(target.WithVersion(version), target.WithMock(func(m *graphmock.Mock) { mock = m }))
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			graphconformtest.Run(t, tg.Target, graphconformtest.Concurrency(4))
			if c, a := mock.Counts(); c != 0 || a != 0 {
				t.Errorf("the store holds %d configurations and %d assignments after the run; want none", c, a)
			}
		})
	}
}
