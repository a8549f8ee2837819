// Package graphconformtest runs the graphconform conformance suite against a service that claims to implement
// Microsoft Graph's enrollment configuration assignments (Update enrollmentConfigurationAssignment and its
// resource family), from a Go program or a Go test.
//
// A vendor's test is one call, as with testing/fstest.TestFS:
//
//	func TestMyServiceConforms(t *testing.T) {
//		srv := httptest.NewServer(myservice.Handler())
//		defer srv.Close()
//		graphconformtest.Run(t, graphconformtest.Target{
//			BaseURL:   srv.URL + "/v1.0",
//			Token:     graphconformtest.StaticToken(readWriteToken),
//			ReadToken: graphconformtest.StaticToken(readOnlyToken),
//		})
//	}
//
// Each requirement is a subtest named by its id, so `go test -run 'TestMyServiceConforms/ECA-UPDATE-014'`
// checks exactly one. Check runs the same suite outside package testing and returns a Result; Requirements
// lists what the suite checks without sending anything.
//
// Calling Run or Check against a service is the caller's consent to write to it: the scenarios create, change
// and delete enrollment configurations and assignments there, named "graphconform-" and the run's id, and touch
// nothing else but the ids given with Existing.
//
// Before any scenario, a preflight reads the service's configurations collection once: a service that cannot be
// reached, a token it rejects (401) or finds without permission (403), or a URL where no Graph service answers ends
// the run with a *ConfigError holding a *PreflightError, one line saying what to fix, rather than with every
// requirement failed. It is on by default; SkipPreflight leaves it out. A failed Outcome carries its scenario's
// whole transcript (Transcript) and a bash script that replays it with curl (Replay).
//
// Everything the service sends is treated as untrusted: responses are read up to a bound, each request has a
// timeout, and the text of a failure (got X; want Y, and the exchange as evidence) has every token the
// TokenSources returned, and every value given to Redact, replaced by [REDACTED].
//
// The scenarios, their fixtures and the JSON schemas are embedded: the suite needs no checkout. Importing this
// package brings neither testcontainers, Docker nor the Azure SDK into a build; for an Entra ID credential see
// package azuretoken, for the reference mock package graphmock.
package graphconformtest
