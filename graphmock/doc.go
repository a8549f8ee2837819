// Package graphmock is the reference mock of graphconform: a Graph-compatible implementation of
// /{version}/deviceManagement/deviceEnrollmentConfigurations and its assignments, strict where Graph is
// strict, as an http.Handler.
//
// In a test, NewServer starts one on a loopback port, as httptest.NewServer does for any handler:
//
//	s := graphmock.NewServer()
//	defer s.Close()
//	// s.URL is http://127.0.0.1:PORT/v1.0; send "Authorization: Bearer "+s.Token (read/write) or
//	// s.ReadToken (read only): s.Client() does not add it.
//
// Options select the URL's version segment (WithVersion), inject faults for resilience tests (WithFaults:
// throttling with Retry-After, 503, latency) and serve deliberately broken variants (WithHandler wraps the
// mock). Each Server has its own store and random tokens; Mock gives access to Seed and Counts. New
// returns the bare handler, to serve in a program of your own (cmd/graphmock does).
//
// Surface, under any version segment matching [A-Za-z0-9.]+ (beta uses the beta type model, every
// other segment the v1.0 model; one store serves them all):
//
//	GET, POST    /{v}/deviceManagement/deviceEnrollmentConfigurations
//	GET, DELETE  /{v}/deviceManagement/deviceEnrollmentConfigurations/{id}
//	GET, POST    /{v}/deviceManagement/deviceEnrollmentConfigurations/{id}/assignments
//	GET, PATCH, DELETE  /{v}/deviceManagement/deviceEnrollmentConfigurations/{id}/assignments/{aid}
//	GET          /healthz (no auth)
//
// Keys may also be written in OData key syntax (deviceEnrollmentConfigurations('{id}')); segment
// names compare case-insensitively.
//
// Order of checks: more than Config.MaxInFlight requests in flight -> 503 with Retry-After; path
// outside /{version}/ -> 404; no or bad bearer token -> 401 (with WWW-Authenticate); unknown path ->
// 404; method -> 405 (with Allow); scope -> 403; Content-Type -> 415 (a body without one is refused
// too: Graph documents application/json for every body); size -> 413; a body slower than
// Config.BodyTimeout -> 408; JSON syntax, UTF-8, shape and the request schema -> 400; unknown
// configuration or assignment -> 404. Error codes: see the Code* constants.
//
// Decisions: PATCH merges (a property left out keeps its value, target is replaced as a whole) and
// never creates; an id in a PATCH body must equal the path's. POST ignores a client's id: the server
// names entities. The beta-only properties (source, sourceId, the target's assignment filter, the
// configuration's deviceEnrollmentConfigurationType and roleScopeTagIds) are stored whatever the
// version and shown only under beta; source defaults to "direct".
//
// Every response, errors included, carries request-id (a new GUID), client-request-id (echoed, or
// the request-id), OData-Version: 4.0 and Date; JSON bodies are sent as ContentTypeJSON. Bodies are
// validated against the JSON Schemas that graphconform checks responses against: one type model for both.
//
// Extension points for a program serving New: Config.VerifyToken accepts tokens beyond Config.Tokens
// (the Entra-like authority's), Config.Middleware wraps the routes inside the layer that sets the
// headers and recovers panics (fault injection), and WriteError gives a wrapper Graph's error shape.
package graphmock
