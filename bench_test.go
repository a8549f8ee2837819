package graphconform_test

import (
	"context"
	"testing"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/target"
)

// BenchmarkSuite is the wall time of one whole suite run against the embedded mock, the way
// `graphconform` with no arguments runs it: a fresh mock, every feature, the default concurrency.
// Its ns/op is that time; s/run says the same in seconds.
func BenchmarkSuite(b *testing.B) {
	ctx := context.Background()
	runs, scenarios := 0, 0
	for b.Loop() {
		tgt, err := target.Embedded()
		if err != nil {
			b.Fatal(err)
		}
		res, err := graphconformtest.Check(ctx, tgt.Target)
		tgt.Shutdown()
		if err != nil {
			b.Fatal(err)
		}
		if !res.Passed() {
			b.Fatalf("the suite failed against the embedded mock: %v", res.FailedIDs())
		}
		runs++
		scenarios = len(res.Outcomes)
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(runs), "s/run")
	b.ReportMetric(float64(scenarios), "scenarios/run")
}
