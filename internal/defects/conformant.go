package defects

import (
	"net/http"
	"strings"
)

// Variations are the converse of the defects: ways in which a service written by someone else, from the same
// doc page and Graph's conventions, may legitimately differ from our mock. The suite must pass every one of them
// (Breaks is empty): a check that fails a conformant service is as wrong as one that passes a broken one.
func Variations() []Defect {
	return []Defect{
		{
			Name: "media-type-spelling",
			Description: "JSON bodies are labelled \"Application/JSON; charset=UTF-8\" (media types are case-insensitive " +
				"and parameters are the service's choice)",
			Wrap: onJSONResponses(func(h http.Header, _ *http.Request, _ any) {
				h.Set("Content-Type", "Application/JSON; charset=UTF-8")
			}),
		},
		{
			Name: "minimal-annotations",
			Description: "no @odata.context, and no @odata.type where the value is of the declared type (an " +
				"assignment, a base target), as odata.metadata=minimal allows",
			Wrap: onJSONResponses(func(_ http.Header, r *http.Request, body any) {
				walkObjects(body, func(m map[string]any) {
					delete(m, "@odata.context")
					switch strings.TrimPrefix(str(m["@odata.type"]), "#") {
					case "microsoft.graph.enrollmentConfigurationAssignment",
						"microsoft.graph.deviceAndAppManagementAssignmentTarget":
						delete(m, "@odata.type")
					}
				})
			}),
		},
		{
			Name:        "type-hash-toggled",
			Description: "every @odata.type written the other way: with '#' where the mock omits it, without where it writes it",
			Wrap: onJSONResponses(func(_ http.Header, _ *http.Request, body any) {
				walkObjects(body, func(m map[string]any) {
					if t, ok := m["@odata.type"].(string); ok {
						if strings.HasPrefix(t, "#") {
							m["@odata.type"] = t[1:]
						} else {
							m["@odata.type"] = "#" + t
						}
					}
				})
			}),
		},
		{
			Name: "extra-properties",
			Description: "entities and targets carry properties the v1.0 metadata does not define (newer or " +
				"vendor properties, such as beta's source and filter properties): adding properties is not a breaking change in Graph",
			Wrap: onJSONResponses(func(_ http.Header, _ *http.Request, body any) {
				walkObjects(body, func(m map[string]any) {
					if _, isTarget := m["@odata.type"].(string); isTarget && strings.HasSuffix(str(m["@odata.type"]), "AssignmentTarget") {
						m["deviceAndAppManagementAssignmentFilterId"] = nil
						m["deviceAndAppManagementAssignmentFilterType"] = "none"
						return
					}
					if _, entity := m["id"]; entity {
						m["source"] = "direct"
						m["sourceId"] = nil
						m["contosoRegion"] = "westeurope"
					}
				})
			}),
		},
		{
			Name: "eventually-consistent-list",
			Description: "a new assignment is left out of the first list of its collection and shows from the second: a " +
				"replicated store that converges well within the window",
			Misses: []string{"ECA-LIST-101"},
			Wrap:   listLags(1),
		},
		{
			Name:        "patch-ignores-body-id",
			Description: "an id in a PATCH body is ignored (the mock refuses one that differs from the path's; both keep the key)",
			Wrap:        patchIgnoresBodyID,
		},
		{
			Name:        "error-details",
			Description: "error objects spell innererror as the errors page does, and add details and target members",
			Wrap: onJSONResponses(func(_ http.Header, _ *http.Request, body any) {
				m, ok := body.(map[string]any)
				if !ok {
					return
				}
				e, ok := m["error"].(map[string]any)
				if !ok {
					return
				}
				if inner, ok := e["innerError"]; ok {
					delete(e, "innerError")
					e["innererror"] = inner
				}
				e["details"] = []any{}
				e["target"] = "request"
			}),
		},
	}
}

// onJSONResponses lets change edit the headers and the decoded body of every JSON response (any status) before
// it is sent; other responses pass through untouched.
func onJSONResponses(change func(h http.Header, r *http.Request, body any)) func(http.Handler, Config) http.Handler {
	return func(next http.Handler, _ Config) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := record(next, r)
			body, ok := decodeAny(rec.Body.Bytes())
			if !ok || !strings.Contains(strings.ToLower(rec.Header().Get("Content-Type")), "json") {
				replay(w, rec, rec.Code, rec.Body.Bytes())
				return
			}
			change(rec.Header(), r, body)
			replay(w, rec, rec.Code, encode(body))
		})
	}
}

// walkObjects calls f on every JSON object in v, outermost first.
func walkObjects(v any, f func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		f(t)
		for _, x := range t {
			walkObjects(x, f)
		}
	case []any:
		for _, x := range t {
			walkObjects(x, f)
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
