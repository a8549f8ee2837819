package graphmock

import "encoding/json"

const (
	// SeedConfigurationID is the seeded deviceEnrollmentLimitConfiguration: the id of the v1.0
	// create page's example response.
	SeedConfigurationID = "4f8c4e4c-4e4c-4f8c-4c4e-8c4f4c4e8c4f"
	// SeedAssignmentID is the seed page's example response id.
	SeedAssignmentID = "1f6686a8-86a8-1f66-a886-661fa886661f"
)

// Seed stores one deviceEnrollmentLimitConfiguration (the v1.0 create page's example values) holding
// one assignment to all devices, with fixed ids. Seeding again restores that state.
func (m *Mock) Seed() (configID, assignmentID string) {
	ts := now()
	props := map[string]any{
		"@odata.type":          "#microsoft.graph.deviceEnrollmentLimitConfiguration",
		"id":                   SeedConfigurationID,
		"displayName":          "Display Name value",
		"description":          "Description value",
		"priority":             json.Number("8"),
		"createdDateTime":      ts,
		"lastModifiedDateTime": ts,
		"version":              json.Number("7"),
		"limit":                json.Number("5"),
	}
	a := newAssignment(SeedAssignmentID, map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}, "", nil)
	m.store.putConfiguration(&configuration{
		id:          SeedConfigurationID,
		props:       props,
		assignments: map[string]*assignment{a.id: a},
		order:       []string{a.id},
	})
	return SeedConfigurationID, SeedAssignmentID
}
