// Package bundle writes and verifies a certification bundle: what a vendor hands a customer as the result of a
// run, in a form the customer can check later. A bundle is a directory or a .tar.gz holding the JSON and Markdown
// reports, the JUnit, every scenario's transcript (and a failure's replay script), a manifest (manifest.json:
// the suite's version and content hash, the doc pages it was drawn from, the target, the run's times, seed and
// options, the platform) and SHA256SUMS, the SHA-256 of every other file in `sha256sum -c` format.
//
// Everything in a bundle comes from the run's Result, whose text is redacted where it is rendered, and from the
// options, of which the manifest records no token: a bundle holds no secret.
package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/graphconform/graphconform/features"
	"github.com/graphconform/graphconform/fixtures"
	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/schemas"
)

// SchemaVersion names the layout of manifest.json.
const SchemaVersion = "graphconform.bundle/v1"

// The files every bundle has besides the scenarios' transcripts.
const (
	ManifestFile = "manifest.json"
	SumsFile     = "SHA256SUMS"
)

// Manifest is manifest.json: what produced the bundle, against what, when and how.
type Manifest struct {
	Schema   string            `json:"schema"` // SchemaVersion
	Suite    Suite             `json:"suite"`
	Target   Target            `json:"target"`
	Run      Run               `json:"run"`
	Options  map[string]string `json:"options"` // the run's options as given (never a token)
	Platform Platform          `json:"platform"`
}

// Suite is the suite that ran: its build, and the content hash of what it checks.
type Suite struct {
	Tool     string `json:"tool"`
	Version  string `json:"version"`            // the tool's version (module version, or -ldflags)
	Module   string `json:"module,omitempty"`   // the main module as built
	Revision string `json:"revision,omitempty"` // the VCS revision it was built from
	Time     string `json:"revisionTime,omitempty"`
	Modified bool   `json:"modified,omitempty"` // built from a work tree with uncommitted changes
	// ContentHash is the SHA-256 of the embedded features, fixtures and schemas (ContentHash()): equal hashes,
	// equal requirements and checks.
	ContentHash string `json:"contentHash"`
	// DocPages are the Microsoft Graph doc pages the embedded features and fixtures were drawn from.
	DocPages []string `json:"docPages,omitempty"`
	// Features says what ran when it was not the embedded features: the --features directory and its hash.
	Features string `json:"features,omitempty"`
}

// Target is the service the run checked.
type Target struct {
	URL  string `json:"url"`
	Kind string `json:"kind"` // embedded, container, remote
}

// Run is when and how the run went.
type Run struct {
	ID           string    `json:"id"`
	Started      time.Time `json:"started"`
	Ended        time.Time `json:"ended"`
	Seed         int64     `json:"seed"`
	Concurrency  int       `json:"concurrency"`
	Result       string    `json:"result"` // passed or failed: the report's verdict
	Requirements int       `json:"requirements"`
	Failed       int       `json:"failed"`
}

// Platform is where the suite ran.
type Platform struct {
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	GoVersion string `json:"goVersion"`
}

// Visible is a copy of m whose text fields have their control characters made visible (check.Visible), to be
// printed: a bundle to verify is untrusted.
func (m *Manifest) Visible() *Manifest {
	c := *m
	for _, s := range []*string{&c.Suite.Tool, &c.Suite.Version, &c.Suite.Revision, &c.Suite.ContentHash, &c.Suite.Features,
		&c.Target.URL, &c.Target.Kind, &c.Run.ID, &c.Run.Result} {
		*s = check.Visible(*s)
	}
	return &c
}

// NewSuite describes the running suite: its build information and the hash of its embedded content.
func NewSuite(tool, version string) (Suite, error) {
	s := Suite{Tool: tool, Version: version}
	if bi, ok := debug.ReadBuildInfo(); ok {
		s.Module = bi.Main.Path
		for _, kv := range bi.Settings {
			switch kv.Key {
			case "vcs.revision":
				s.Revision = kv.Value
			case "vcs.time":
				s.Time = kv.Value
			case "vcs.modified":
				s.Modified = kv.Value == "true"
			}
		}
	}
	h, err := ContentHash()
	if err != nil {
		return s, err
	}
	s.ContentHash = h
	s.DocPages, err = DocPages(fixtures.FS)
	return s, err
}

// NewPlatform is where this process runs.
func NewPlatform() Platform {
	return Platform{OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version()}
}

// ContentHash is the SHA-256 of the embedded features, fixtures and schemas: every file's path and bytes, in
// path order. Two binaries with the same hash check the same requirements the same way.
func ContentHash() (string, error) {
	return HashFS(map[string]fs.FS{"features": features.FS, "fixtures": fixtures.FS, "schemas": schemas.FS})
}

// HashFS hashes the files of each named fsys, as ContentHash does.
func HashFS(trees map[string]fs.FS) (string, error) {
	h := sha256.New()
	names := make([]string, 0, len(trees))
	for n := range trees {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		fsys := trees[name]
		var files []string
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && !strings.HasSuffix(p, ".go") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("hash %s: %w", name, err)
		}
		slices.Sort(files)
		for _, p := range files {
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return "", fmt.Errorf("hash %s: %w", name, err)
			}
			fmt.Fprintf(h, "%s\x00%d\x00", path.Join(name, p), len(data))
			h.Write(data)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// DocPages lists the doc pages the fixtures were drawn from (the "source" of each meta.json), sorted.
func DocPages(fsys fs.FS) ([]string, error) {
	var pages []string
	// A meta.json that does not decode is passed over: Load reports it where the fixture is used.
	err := fixtures.Walk(fsys, func(_ string, meta fixtures.Meta, err error) error {
		if err == nil && meta.Source != "" && !slices.Contains(pages, meta.Source) {
			pages = append(pages, meta.Source)
		}
		return nil
	})
	slices.Sort(pages)
	return pages, err
}
