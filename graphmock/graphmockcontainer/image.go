package graphmockcontainer

import (
	"bufio"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// dockerfile is the image: FROM scratch plus the binary. Embedded, so it is at hand wherever this package
// is compiled from (a checkout, or the module cache); `make image` builds from the same file.
//
//go:embed Dockerfile
var dockerfile []byte

// modulePath is graphconform's module.
const modulePath = "github.com/graphconform/graphconform"

// mainPackage is graphmock's main package. It is built by import path, so the go tool finds it in whatever
// module provides it to the directory it runs in: the checkout itself, or the module cache (or a replace)
// for a module that requires graphconform. This package imports graphmock, so such a module's go.sum
// covers everything the build needs.
const mainPackage = modulePath + "/cmd/graphmock"

// ErrNoGoToolchain is returned (wrapped) when graphmock must be compiled for the image but no go tool is
// on PATH: use a prebuilt image (WithImage) or binary (WithBinary) instead.
var ErrNoGoToolchain = errors.New("no Go toolchain (go is not on PATH) to compile graphmock for the container image: " +
	"use a prebuilt image instead (the container image option; `make image` in a graphconform checkout builds " +
	ImageRepo + ":latest) or a prebuilt graphmock binary")

// resolveImage points req at the graphmock image: a prebuilt one (WithImage), the image tagged with the
// content hash of the binary when Docker has it already, or a build from a temporary context holding the
// binary and the Dockerfile. The returned cleanup removes that context and must run after the container
// was created (testcontainers reads the context while creating it).
func resolveImage(ctx context.Context, req *testcontainers.GenericContainerRequest, s settings) (cleanup func(), err error) {
	cleanup = func() {}
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return cleanup, fmt.Errorf("docker client: %w", err)
	}
	defer cli.Close()

	if s.image != "" {
		exists, err := imageExists(ctx, cli, s.image)
		if err != nil {
			return cleanup, err
		}
		if !exists {
			return cleanup, fmt.Errorf("image %s not found locally (nothing is pulled here): build it with `make image` in a graphconform checkout", s.image)
		}
		req.Image = s.image
		return cleanup, nil
	}

	dir, err := os.MkdirTemp("", "graphmock-image-")
	if err != nil {
		return cleanup, fmt.Errorf("image build context: %w", err)
	}
	cleanup = func() { _ = os.RemoveAll(dir) }

	log := s.buildLog
	if log == nil {
		log = io.Discard
	}
	binary := filepath.Join(dir, "graphmock")
	if s.binary != "" {
		if err := copyFile(s.binary, binary); err != nil {
			return cleanup, fmt.Errorf("prebuilt graphmock binary: %w", err)
		}
	} else {
		info, err := cli.Info(ctx, client.InfoOptions{})
		if err != nil {
			return cleanup, fmt.Errorf("docker info: %w", err)
		}
		if err := buildBinary(ctx, s.sourceDir, binary, goArch(info.Info.Architecture), log); err != nil {
			return cleanup, err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), dockerfile, 0o644); err != nil {
		return cleanup, fmt.Errorf("image build context: %w", err)
	}
	tag, err := contentTag(dockerfile, binary)
	if err != nil {
		return cleanup, err
	}

	ref := ImageRepo + ":" + tag
	if !s.noCache {
		exists, err := imageExists(ctx, cli, ref)
		if err != nil {
			return cleanup, err
		}
		if exists {
			req.Image = ref
			return cleanup, nil
		}
	}
	req.FromDockerfile = testcontainers.FromDockerfile{
		Context:        dir,
		Dockerfile:     "Dockerfile",
		Repo:           ImageRepo,
		Tag:            tag,
		KeepImage:      true, // the next Run reuses it: same content, same tag
		BuildLogWriter: log,
		BuildOptionsModifier: func(o *client.ImageBuildOptions) {
			o.NoCache = s.noCache
			o.Labels = map[string]string{"org.graphconform.content": tag}
		},
	}
	return cleanup, nil
}

func imageExists(ctx context.Context, cli client.APIClient, ref string) (bool, error) {
	_, err := cli.ImageInspect(ctx, ref)
	switch {
	case err == nil:
		return true, nil
	case cerrdefs.IsNotFound(err):
		return false, nil
	default:
		return false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
}

// buildBinary compiles graphmock as a static Linux binary, in the first of the candidate directories whose
// module provides mainPackage. -trimpath and -buildvcs=false make the output a function of the source
// alone (no paths, no commit stamp), so its hash names the image reproducibly.
func buildBinary(ctx context.Context, sourceDir, out, goarch string, log io.Writer) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return ErrNoGoToolchain
	}
	dirs := buildDirs(sourceDir)
	var tried []string
	for i, dir := range dirs {
		// With another directory left to try, go list tells in a fraction of a second whether dir's module
		// provides the package at all; the last one's build error is reported as it is.
		if i < len(dirs)-1 {
			list := exec.CommandContext(ctx, goTool, "list", "-f", "{{.Dir}}", mainPackage)
			list.Dir = dir
			if b, err := list.CombinedOutput(); err != nil {
				tried = append(tried, dir+": "+firstLine(string(b), err))
				continue
			}
		}
		cmd := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, mainPackage)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
		var output strings.Builder
		cmd.Stdout = io.MultiWriter(&output, log)
		cmd.Stderr = cmd.Stdout
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("go build %s in %s: %w\n%s%s\n(run from a module that requires %s, or use a prebuilt image or binary)",
				mainPackage, dir, err, strings.TrimSpace(output.String()), triedBefore(tried), modulePath)
		}
		return nil
	}
	return fmt.Errorf("cannot compile %s: no directory to run the go tool in; use a prebuilt image or binary", mainPackage)
}

func triedBefore(tried []string) string {
	if len(tried) == 0 {
		return ""
	}
	return "\nnot provided in " + strings.Join(tried, "; ")
}

// buildDirs are the directories to try the go tool in: the caller's choice alone, or the working directory
// and then the module this package was compiled from, when its source is still on disk (a graphconform
// program run away from any module).
func buildDirs(sourceDir string) []string {
	if sourceDir != "" {
		return []string{sourceDir}
	}
	var dirs []string
	if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", "..")); isGraphconformModule(root) {
			dirs = append(dirs, root)
		}
	}
	return dirs
}

// isGraphconformModule reports whether dir holds graphconform's go.mod.
func isGraphconformModule(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == modulePath
		}
	}
	return false
}

func firstLine(output string, err error) string {
	if line, _, _ := strings.Cut(strings.TrimSpace(output), "\n"); line != "" {
		return line
	}
	return err.Error()
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// contentTag names the image after what is in it: the Dockerfile and the binary.
func contentTag(dockerfile []byte, binary string) (string, error) {
	f, err := os.Open(binary)
	if err != nil {
		return "", fmt.Errorf("hash graphmock binary: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	h.Write(dockerfile)
	h.Write([]byte{0})
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash graphmock binary: %w", err)
	}
	return "sha-" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// goArch maps the daemon's architecture (uname -m style) to GOARCH; the host's own when unknown.
func goArch(arch string) string {
	switch arch {
	case "x86_64", "amd64":
		return "amd64"
	case "aarch64", "arm64":
		return "arm64"
	default:
		return runtime.GOARCH
	}
}
