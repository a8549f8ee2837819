package graphmockcontainer

import (
	"bufio"
	"context"
	"crypto/sha256"
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

// modulePath identifies a graphconform checkout: the go.mod to build graphmock from.
const modulePath = "github.com/graphconform/graphconform"

// mainPackage is graphmock's main package, relative to the checkout.
const mainPackage = "./cmd/graphmock"

// resolveImage points req at the graphmock image: a prebuilt one (WithImage), the image tagged with the
// content hash of a fresh build when Docker has it already, or a build from a temporary context holding the
// binary and the checkout's Dockerfile. The returned cleanup removes that context and must run after the
// container was created (testcontainers reads the context while creating it).
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
			return cleanup, fmt.Errorf("image %s not found locally (nothing can be pulled here): build it with `make image`", s.image)
		}
		req.Image = s.image
		return cleanup, nil
	}

	src := s.sourceDir
	if src == "" {
		if src, err = findSource(); err != nil {
			return cleanup, err
		}
	}
	dockerfile, err := os.ReadFile(filepath.Join(src, "Dockerfile"))
	if err != nil {
		return cleanup, fmt.Errorf("read the image's Dockerfile: %w", err)
	}

	dir, err := os.MkdirTemp("", "graphmock-image-")
	if err != nil {
		return cleanup, fmt.Errorf("image build context: %w", err)
	}
	cleanup = func() { _ = os.RemoveAll(dir) }

	info, err := cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		return cleanup, fmt.Errorf("docker info: %w", err)
	}
	log := s.buildLog
	if log == nil {
		log = io.Discard
	}
	binary := filepath.Join(dir, "graphmock")
	if err := buildBinary(ctx, src, binary, goArch(info.Info.Architecture), log); err != nil {
		return cleanup, err
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

// buildBinary compiles graphmock as a static Linux binary. -trimpath and -buildvcs=false make the output a
// function of the source alone (no paths, no commit stamp), so its hash names the image reproducibly.
func buildBinary(ctx context.Context, src, out, goarch string, log io.Writer) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("the go toolchain is needed to compile graphmock for the image "+
			"(or build it once with `make image` and run that image with WithImage): %w", err)
	}
	cmd := exec.CommandContext(ctx, goTool, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, mainPackage)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
	var output strings.Builder
	cmd.Stdout = io.MultiWriter(&output, log)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s in %s: %w\n%s", mainPackage, src, err, strings.TrimSpace(output.String()))
	}
	return nil
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

// findSource locates the checkout to build from: the enclosing graphconform module of the working
// directory, else the one this package was compiled from (when its source is still there).
func findSource() (string, error) {
	var looked []string
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if isCheckout(dir) {
				return dir, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
		looked = append(looked, "above "+wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
		if isCheckout(dir) {
			return dir, nil
		}
		looked = append(looked, "at "+dir)
	}
	return "", errors.New("no graphconform checkout found to build the graphmock image from (looked " +
		strings.Join(looked, " and ") + "): run from a checkout, or build the image with `make image` and run it with WithImage")
}

func isCheckout(dir string) bool {
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
