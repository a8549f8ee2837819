package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/internal/atomicfile"
	"github.com/graphconform/graphconform/internal/check"
	"github.com/graphconform/graphconform/internal/report"
)

// IsArchive reports whether path names a .tar.gz bundle rather than a directory.
func IsArchive(dest string) bool {
	l := strings.ToLower(dest)
	return strings.HasSuffix(l, ".tar.gz") || strings.HasSuffix(l, ".tgz")
}

// CheckPath says whether a bundle can be written at path, before the run: a directory that does not exist yet
// or is empty (its parent must exist), or a .tar.gz file in an existing directory.
func CheckPath(dest string) error {
	parent := filepath.Dir(filepath.Clean(dest))
	if fi, err := os.Stat(parent); err != nil || !fi.IsDir() {
		return fmt.Errorf("directory %s does not exist", parent)
	}
	if IsArchive(dest) {
		if fi, err := os.Stat(dest); err == nil && fi.IsDir() {
			return errors.New("is a directory")
		}
		return nil
	}
	entries, err := os.ReadDir(dest)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0:
		return errors.New("exists and is not empty: give a new directory, so the bundle holds only what the run wrote")
	}
	return nil
}

// Files renders the run into the files of a bundle (without the manifest and the sums): the JSON and Markdown
// reports, the JUnit, and for each scenario its transcript (scenarios/NNN-ID-title.txt) and, when it failed,
// its replay script (.replay.sh).
func Files(rep *report.Report, res *graphconformtest.Result) (map[string][]byte, error) {
	files := map[string][]byte{}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		return nil, err
	}
	files["report.json"] = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := rep.WriteMarkdown(&buf); err != nil {
		return nil, err
	}
	files["report.md"] = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := report.WriteJUnit(&buf, res); err != nil {
		return nil, err
	}
	files["junit.xml"] = bytes.Clone(buf.Bytes())
	for i, o := range res.Outcomes {
		name := fmt.Sprintf("scenarios/%03d-%s-%s", i+1, slug(o.ID, 40), slug(o.Scenario, 60))
		var b strings.Builder
		fmt.Fprintf(&b, "%s (%s) %s: %s\nScenario: %s\nOperation: %s\n", o.ID, o.Level, o.Status, o.Statement, o.Scenario, o.Operation)
		if o.Reason != "" {
			fmt.Fprintf(&b, "\n%s\n", o.Reason)
		}
		if o.Transcript != "" {
			fmt.Fprintf(&b, "\nEvery exchange of the scenario:\n\n%s", o.Transcript)
		} else {
			b.WriteString("\n(no request was sent)\n")
		}
		files[name+".txt"] = []byte(check.Visible(b.String()))
		if o.Replay != "" {
			files[name+".replay.sh"] = []byte(o.Replay)
		}
	}
	return files, nil
}

var notSlug = regexp.MustCompile(`[^A-Za-z0-9]+`)

func slug(s string, n int) string {
	s = strings.Trim(notSlug.ReplaceAllString(s, "-"), "-")
	if len(s) > n {
		s = strings.Trim(s[:n], "-")
	}
	if s == "" {
		return "x"
	}
	return s
}

// Write writes a bundle at path (a directory, or a .tar.gz when IsArchive): files, manifest.json and
// SHA256SUMS, the sums of every other file.
func Write(dest string, m Manifest, files map[string][]byte) error {
	m.Schema = SchemaVersion
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	all := map[string][]byte{ManifestFile: append(mj, '\n')}
	for name, data := range files {
		if name == ManifestFile || name == SumsFile || !validName(name) {
			return fmt.Errorf("bundle file name %q", name)
		}
		all[name] = data
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	slices.Sort(names)
	var sums strings.Builder
	for _, n := range names {
		sum := sha256.Sum256(all[n])
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), n)
	}
	all[SumsFile] = []byte(sums.String())
	names = append(names, SumsFile)
	if IsArchive(dest) {
		return writeArchive(dest, names, all, m)
	}
	return writeDir(dest, names, all)
}

func writeDir(dir string, names []string, all map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, all[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func writeArchive(dest string, names []string, all map[string][]byte, m Manifest) error {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	mod := m.Run.Ended.UTC()
	for _, n := range names {
		hdr := &tar.Header{Name: n, Mode: 0o644, Size: int64(len(all[n])), ModTime: mod, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(all[n]); err != nil {
			return err
		}
	}
	if err := errors.Join(tw.Close(), gz.Close()); err != nil {
		return err
	}
	return atomicfile.Write(dest, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
}

// validName is a relative, clean, forward-slash path inside the bundle.
func validName(n string) bool {
	return n != "" && !strings.HasPrefix(n, "/") && !strings.Contains(n, "\\") && path.Clean(n) == n &&
		n != "." && !strings.HasPrefix(n, "../") && n != ".." && !strings.ContainsAny(n, "\x00\n\r")
}
