package bundle

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func sampleManifest(t *testing.T) Manifest {
	t.Helper()
	s, err := NewSuite("graphconform", "v0.0.0-test")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	return Manifest{Suite: s, Target: Target{URL: "http://127.0.0.1:1/v1.0", Kind: "remote"},
		Run: Run{ID: "0a1b2c3d", Started: now, Ended: now.Add(time.Second), Seed: 7, Result: "failed"}, Platform: NewPlatform()}
}

var sampleFiles = map[string][]byte{
	"report.json":                      []byte(`{"schema":"graphconform.report/v1"}` + "\n"),
	"junit.xml":                        []byte("<testsuites></testsuites>\n"),
	"scenarios/001-ECA-UPDATE-001.txt": []byte("> PATCH ...\n< 500\n"),
	"scenarios/001-ECA-UPDATE-001.sh":  []byte("#!/usr/bin/env bash\n"),
}

// readAll lists the bundle's files, from a directory or an archive.
func readAll(t *testing.T, path string) map[string][]byte {
	t.Helper()
	var files map[string][]byte
	var err error
	if IsArchive(path) {
		files, err = readArchive(path)
	} else {
		files, err = readDir(path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A fresh bundle verifies, as a directory and as a .tar.gz, with the manifest's suite hash this binary's; one
// byte changed in any of its files, SHA256SUMS and manifest.json included, and it does not.
func TestVerifyRejectsAnyChangedByte(t *testing.T) {
	m := sampleManifest(t)
	for _, name := range []string{"bundle", "bundle.tar.gz"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			if err := CheckPath(path); err != nil {
				t.Fatal(err)
			}
			if err := Write(path, m, sampleFiles); err != nil {
				t.Fatal(err)
			}
			v, err := Verify(path)
			if err != nil || !v.OK() || !v.SameSuite || v.Files != len(sampleFiles)+1 {
				t.Fatalf("a fresh bundle: %v, %+v", err, v)
			}
			files := readAll(t, path)
			if len(files) != len(sampleFiles)+2 {
				t.Fatalf("%d files; want the %d given, the manifest and the sums", len(files), len(sampleFiles))
			}
			for victim := range files {
				for _, at := range []int{0, len(files[victim]) / 2, len(files[victim]) - 1} {
					changed := filepath.Join(t.TempDir(), name)
					rewrite(t, changed, files, victim, at)
					v, err := Verify(changed)
					if err != nil || v.OK() {
						t.Errorf("byte %d of %s changed: verified OK (%v)", at, victim, err)
					}
				}
			}
			// An added file, and a removed one.
			added := filepath.Join(t.TempDir(), name)
			withExtra := map[string][]byte{"extra.txt": []byte("x")}
			for k, d := range files {
				withExtra[k] = d
			}
			rewrite(t, added, withExtra, "", -1)
			if v, _ := Verify(added); v.OK() || !strings.Contains(strings.Join(v.Problems, "\n"), "not listed in SHA256SUMS: extra.txt") {
				t.Errorf("an added file: %+v", v)
			}
			removed := filepath.Join(t.TempDir(), name)
			without := map[string][]byte{}
			for k, d := range files {
				if k != "junit.xml" {
					without[k] = d
				}
			}
			rewrite(t, removed, without, "", -1)
			if v, _ := Verify(removed); v.OK() || !strings.Contains(strings.Join(v.Problems, "\n"), "missing: junit.xml") {
				t.Errorf("a removed file: %+v", v)
			}
		})
	}
	// The archive itself, a byte changed: it does not read, which is a rejection too.
	path := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := Write(path, m, sampleFiles); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	data[len(data)/2] ^= 0x01
	os.WriteFile(path, data, 0o644)
	if v, err := Verify(path); err != nil || v.OK() {
		t.Errorf("a changed archive byte: %v, %+v", err, v)
	}
}

// rewrite writes files at path (a directory or an archive, as path says), with byte at of victim flipped.
func rewrite(t *testing.T, path string, files map[string][]byte, victim string, at int) {
	t.Helper()
	out := map[string][]byte{}
	for k, d := range files {
		d = bytes.Clone(d)
		if k == victim && at >= 0 {
			d[at] ^= 0x20
			if d[at] == files[k][at] {
				d[at] ^= 0x01
			}
		}
		out[k] = d
	}
	if !IsArchive(path) {
		for k, d := range out {
			p := filepath.Join(path, filepath.FromSlash(k))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, d, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for k, d := range out {
		tw.WriteHeader(&tar.Header{Name: k, Mode: 0o644, Size: int64(len(d)), Typeflag: tar.TypeReg})
		tw.Write(d)
	}
	tw.Close()
	gz.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A bundle from another suite version (its content hash differs) verifies, and says so.
func TestVerifyTellsAnotherSuiteVersion(t *testing.T) {
	m := sampleManifest(t)
	m.Suite.ContentHash = "sha256:0000"
	path := filepath.Join(t.TempDir(), "b")
	if err := Write(path, m, sampleFiles); err != nil {
		t.Fatal(err)
	}
	v, err := Verify(path)
	if err != nil || !v.OK() || v.SameSuite || v.Suite == "" {
		t.Errorf("%v, %+v", err, v)
	}
}

// An archive that is not a bundle's (a link, a path leaving it) does not read.
func TestVerifyRefusesHostileArchives(t *testing.T) {
	for name, hdr := range map[string]*tar.Header{
		"symlink":  {Name: "report.json", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd"},
		"escaping": {Name: "../outside", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
		"absolute": {Name: "/etc/x", Typeflag: tar.TypeReg, Size: 1, Mode: 0o644},
	} {
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		tw.WriteHeader(hdr)
		if hdr.Size > 0 {
			tw.Write([]byte("x"))
		}
		tw.Close()
		gz.Close()
		path := filepath.Join(t.TempDir(), "b.tar.gz")
		os.WriteFile(path, buf.Bytes(), 0o644)
		// Such an archive has no sums nor manifest either: the entry itself must be what makes it unreadable.
		v, err := Verify(path)
		if err != nil || v.OK() || !slices.ContainsFunc(v.Problems, func(p string) bool {
			return strings.HasPrefix(p, "unreadable: ") && strings.Contains(p, hdr.Name)
		}) {
			t.Errorf("%s: %v, %+v; want the archive unreadable for %q", name, err, v, hdr.Name)
		}
	}
	if _, err := Verify(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("a path that does not exist: no error")
	}
}

// The content hash covers the embedded features, fixtures and schemas, and the doc pages are the fixtures'.
func TestSuiteDescribesItsContent(t *testing.T) {
	s, err := NewSuite("graphconform", "v1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.ContentHash, "sha256:") || len(s.ContentHash) != len("sha256:")+64 || len(s.DocPages) == 0 {
		t.Errorf("%+v", s)
	}
	again, _ := ContentHash()
	if again != s.ContentHash {
		t.Errorf("the content hash changes between calls: %s, %s", s.ContentHash, again)
	}
}
