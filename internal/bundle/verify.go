package bundle

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A bundle to verify is untrusted input: bounded in files and bytes.
const (
	maxFiles     = 20000
	maxFileBytes = 256 << 20
	maxAllBytes  = 1 << 30
)

// Verification is what Verify found.
type Verification struct {
	Files    int      // files the sums cover
	Problems []string // every file changed, missing or not listed; a sums file or manifest that does not read
	Manifest *Manifest
	// SameSuite: the bundle's suite content hash is this binary's (ContentHash).
	SameSuite bool
	Suite     string // this binary's content hash
}

// OK reports whether every file is as it was written.
func (v *Verification) OK() bool { return len(v.Problems) == 0 }

// Verify reads the bundle at path (a directory or a .tar.gz) and checks every file against SHA256SUMS: a file
// changed, missing or not listed is a problem. It also reads the manifest and compares its suite hash with this
// binary's. A bundle that does not read (a corrupt archive, a file that is not a regular one) is a problem too;
// the error is for a path that cannot be opened at all.
func Verify(path string) (*Verification, error) {
	var files map[string][]byte
	var err error
	if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
		files, err = readDir(path)
	} else if serr != nil {
		return nil, serr
	} else {
		files, err = readArchive(path)
	}
	v := &Verification{}
	if err != nil {
		v.Problems = append(v.Problems, "unreadable: "+err.Error())
		return v, nil
	}
	sums, ok := files[SumsFile]
	if !ok {
		v.Problems = append(v.Problems, "no "+SumsFile+": not a bundle, or its sums were removed")
		return v, nil
	}
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(sums))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		sum, name, found := strings.Cut(line, "  ")
		if !found || len(sum) != 64 || strings.ToLower(sum) != sum || !validName(name) || name == SumsFile {
			v.Problems = append(v.Problems, fmt.Sprintf("%s line %d does not read as \"<sha256>  <file>\"", SumsFile, n))
			continue
		}
		if _, err := hex.DecodeString(sum); err != nil {
			v.Problems = append(v.Problems, fmt.Sprintf("%s line %d does not read as \"<sha256>  <file>\"", SumsFile, n))
			continue
		}
		if listed[name] {
			v.Problems = append(v.Problems, fmt.Sprintf("%s lists %s twice", SumsFile, quote(name)))
			continue
		}
		listed[name] = true
		data, ok := files[name]
		if !ok {
			v.Problems = append(v.Problems, "missing: "+quote(name))
			continue
		}
		got := sha256.Sum256(data)
		if hex.EncodeToString(got[:]) != sum {
			v.Problems = append(v.Problems, "changed: "+quote(name))
			continue
		}
		v.Files++
	}
	if err := sc.Err(); err != nil {
		v.Problems = append(v.Problems, fmt.Sprintf("%s: %v", SumsFile, err))
	}
	var extra []string
	for name := range files {
		if name != SumsFile && !listed[name] {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		v.Problems = append(v.Problems, "not listed in "+SumsFile+": "+quote(name))
	}
	if mj, ok := files[ManifestFile]; ok {
		var m Manifest
		if err := json.Unmarshal(mj, &m); err != nil || m.Schema != SchemaVersion {
			v.Problems = append(v.Problems, fmt.Sprintf("%s does not read as a %s manifest", ManifestFile, SchemaVersion))
		} else {
			v.Manifest = &m
		}
	} else if !slices.Contains(v.Problems, "missing: "+ManifestFile) {
		v.Problems = append(v.Problems, "no "+ManifestFile)
	}
	suite, err := ContentHash()
	if err != nil {
		return nil, err
	}
	v.Suite = suite
	v.SameSuite = v.Manifest != nil && v.Manifest.Suite.ContentHash == suite
	return v, nil
}

func quote(name string) string {
	q := fmt.Sprintf("%+q", name)
	return q[1 : len(q)-1]
}

func readDir(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	total := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", quote(rel))
		}
		if len(files) == maxFiles {
			return fmt.Errorf("more than %d files", maxFiles)
		}
		data, err := readBounded(p)
		if err != nil {
			return err
		}
		if total += len(data); total > maxAllBytes {
			return fmt.Errorf("larger than %d MiB", maxAllBytes>>20)
		}
		files[rel] = data
		return nil
	})
	return files, err
}

func readBounded(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err == nil && len(data) > maxFileBytes {
		err = fmt.Errorf("%s is larger than %d MiB", p, maxFileBytes>>20)
	}
	return data, err
}

func readArchive(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("not a directory nor a .tar.gz: %w", err)
	}
	tr := tar.NewReader(gz)
	files := map[string][]byte{}
	total := 0
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return nil, fmt.Errorf("%s holds %s, which is not a regular file", path, quote(hdr.Name))
		}
		if !validName(hdr.Name) {
			return nil, fmt.Errorf("%s holds a file named %s", path, quote(hdr.Name))
		}
		if _, dup := files[hdr.Name]; dup {
			return nil, fmt.Errorf("%s holds %s twice", path, quote(hdr.Name))
		}
		if len(files) == maxFiles || hdr.Size > maxFileBytes {
			return nil, fmt.Errorf("%s is larger than a bundle can be", path)
		}
		data, err := io.ReadAll(io.LimitReader(tr, maxFileBytes+1))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		if total += len(data); total > maxAllBytes {
			return nil, fmt.Errorf("%s is larger than a bundle can be", path)
		}
		files[hdr.Name] = data
	}
	return files, nil
}
