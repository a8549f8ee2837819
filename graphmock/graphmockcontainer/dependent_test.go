package graphmockcontainer

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/testcontainers/testcontainers-go"
)

// moduleRoot is this checkout's root (two levels above this file).
func moduleRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller information")
	}
	root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	if !isGraphconformModule(root) {
		t.Fatalf("%s is not graphconform's module root", root)
	}
	return root
}

// exportModule copies graphconform's module files (not .git, not nested modules) into a read-only
// directory, as the module cache holds a dependency: source, no checkout.
func exportModule(t *testing.T) string {
	t.Helper()
	root := moduleRoot(t)
	dst := filepath.Join(t.TempDir(), "graphconform@v0.0.0")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir // a nested module is not part of graphconform's module
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	// Read-only like the module cache, and writable again for t.TempDir's cleanup.
	setMode := func(dirMode fs.FileMode) {
		_ = filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = os.Chmod(p, dirMode)
			}
			return nil
		})
	}
	setMode(0o555)
	t.Cleanup(func() { setMode(0o755) })
	return dst
}

// dependentModule writes a module that requires graphconform, replaced by src, and nothing else.
func dependentModule(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	goMod := "module example.com/graphmockuser\n\ngo 1.26.0\n\n" +
		"require " + modulePath + " v0.0.0\n\nreplace " + modulePath + " => " + src + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(moduleRoot(t), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRunFromDependentModule: from a module that only requires graphconform, whose source is a read-only
// copy without .git (as in the module cache), Run compiles graphmock by import path and serves it.
func TestRunFromDependentModule(t *testing.T) {
	SkipUnlessDocker(t)
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go tool")
	}
	user := dependentModule(t, exportModule(t))
	c := start(t, WithSourceDir(user), WithSeed())
	checkServes(t, c)
}

// TestRunWithoutGoToolchain: with no go on PATH, Run says to use a prebuilt image or binary (in words a
// CLI user can act on too, not a Go identifier); with WithBinary it needs no toolchain at all.
func TestRunWithoutGoToolchain(t *testing.T) {
	SkipUnlessDocker(t)
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs the go tool to build the prebuilt binary")
	}
	bin := filepath.Join(t.TempDir(), "graphmock")
	build := exec.Command(goTool, "build", "-trimpath", "-buildvcs=false", "-o", bin, mainPackage)
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Setenv("PATH", t.TempDir()) // nothing on it
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := Run(ctx, testLogger(t))
	testcontainers.CleanupContainer(t, c)
	if !errors.Is(err, ErrNoGoToolchain) {
		t.Fatalf("Run without go on PATH: %v; want ErrNoGoToolchain", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "run graphmock: ") || !strings.Contains(msg, "prebuilt image") || strings.Contains(msg, "With") {
		t.Errorf("error %q: want it wrapped, naming a prebuilt image, and no Go identifier", msg)
	}

	c = start(t, WithBinary(bin), WithSeed())
	checkServes(t, c)
}

// checkServes reads the seeded assignment with the container's token.
func checkServes(t *testing.T, c *Container) {
	t.Helper()
	base, err := c.BaseURL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, base+"/deviceManagement/deviceEnrollmentConfigurations", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.Token())
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "deviceEnrollmentLimitConfiguration") {
		t.Errorf("GET configurations: %d %s; want 200 and the seeded configuration", resp.StatusCode, body)
	}
}

// TestBuildOutsideAnyProvidingModule: in a module that does not require graphconform, the build error says
// what to do.
func TestBuildOutsideAnyProvidingModule(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go tool")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/unrelated\n\ngo 1.26.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := buildBinary(context.Background(), dir, filepath.Join(dir, "graphmock"), runtime.GOARCH, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "run from a module that requires "+modulePath) ||
		!strings.Contains(err.Error(), "prebuilt image or binary") {
		t.Errorf("got %v; want an error saying to require %s or use a prebuilt image or binary", err, modulePath)
	}
}
