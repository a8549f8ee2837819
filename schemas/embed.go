// Package schemas holds the JSON Schemas (draft 2020-12) of the enrollmentConfigurationAssignment family,
// embedded so that a built binary validates with no checkout. The files are generated from
// internal/schema/model.go; internal/schema compiles and applies them.
package schemas

import "embed"

// FS holds error.json and, per type model (v1.0/, beta/), one file per schema name plus types.json.
//
//go:embed *.json v1.0/*.json beta/*.json
var FS embed.FS
