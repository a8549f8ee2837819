package target

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/graphconform/graphconform/graphconformtest"
	"github.com/graphconform/graphconform/graphmock/graphmockcontainer"
	"github.com/graphconform/graphconform/internal/transport"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// ContainerOption configures Container.
type ContainerOption func(*containerConfig)

type containerConfig struct {
	version   string
	reader    bool
	log       io.Writer
	module    []testcontainers.ContainerCustomizer
	terminate time.Duration
}

// ContainerVersion sets the URL version segment (default "v1.0").
func ContainerVersion(v string) ContainerOption { return func(c *containerConfig) { c.version = v } }

// ContainerWithoutReader starts the mock without a read-only token (the 403 scenario is then skipped).
func ContainerWithoutReader() ContainerOption { return func(c *containerConfig) { c.reader = false } }

// ContainerImage runs a prebuilt image (such as graphconform/graphmock:latest from `make image`) instead of
// compiling graphmock for one; for a graphconform binary used where no Go toolchain or source is at hand.
func ContainerImage(ref string) ContainerOption {
	return ContainerCustomize(graphmockcontainer.WithImage(ref))
}

// ContainerLog sends testcontainers' progress lines and the image build output to w (default: discarded,
// so a CLI run prints only the suite's report).
func ContainerLog(w io.Writer) ContainerOption { return func(c *containerConfig) { c.log = w } }

// ContainerCustomize passes options to graphmockcontainer.Run, after the maker's own: testcontainers request
// options or the module's (graphmockcontainer.WithSourceDir, graphmockcontainer.WithSeed, ...).
func ContainerCustomize(opts ...testcontainers.ContainerCustomizer) ContainerOption {
	return func(c *containerConfig) { c.module = append(c.module, opts...) }
}

// Container starts graphmock in a container (see graphmock/graphmockcontainer: the image is built with the
// go tool, or reused) and returns it as a target on its loopback-published port. testcontainers' progress
// lines go to the ContainerLog writer of this container alone. Close terminates the
// container; call it on every path, also after an interrupt: it does not use ctx, which may be cancelled
// by then. When starting fails, the container (if any) is terminated before the error is returned.
func Container(ctx context.Context, opts ...ContainerOption) (*Target, error) {
	c := containerConfig{version: "v1.0", reader: true, log: io.Discard, terminate: 30 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	if !transport.ValidVersion(c.version) {
		return nil, fmt.Errorf("version segment %q: want letters, digits and dots, such as v1.0 or beta", c.version)
	}

	run := []testcontainers.ContainerCustomizer{
		testcontainers.WithLogger(tclog.Logger(printfTo{c.log})),
		graphmockcontainer.WithBuildLog(c.log),
	}
	if !c.reader {
		run = append(run, graphmockcontainer.WithReadToken(""))
	}
	run = append(run, c.module...)

	ctr, err := graphmockcontainer.Run(ctx, run...)
	terminate := func() error {
		if ctr == nil {
			return nil
		}
		tctx, cancel := context.WithTimeout(context.Background(), c.terminate)
		defer cancel()
		if err := ctr.Terminate(tctx); err != nil {
			return fmt.Errorf("terminate the graphmock container: %w", err)
		}
		return nil
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("container target: %w", err), terminate())
	}
	base, err := ctr.VersionURL(ctx, c.version)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("container target: %w", err), terminate())
	}

	var once sync.Once
	var closeErr error
	t := &Target{
		Target: graphconformtest.Target{BaseURL: base, Token: graphconformtest.StaticToken(ctr.Token())},
		Kind:   KindContainer,
		Close: func() error {
			once.Do(func() { closeErr = terminate() })
			return closeErr
		},
	}
	if rt := ctr.ReadToken(); rt != "" {
		t.ReadToken = graphconformtest.StaticToken(rt)
	}
	return t, nil
}

// printfTo adapts an io.Writer to testcontainers' logger.
type printfTo struct{ w io.Writer }

func (p printfTo) Printf(format string, v ...any) {
	s := fmt.Sprintf(format, v...)
	if len(s) == 0 || s[len(s)-1] != '\n' {
		s += "\n"
	}
	_, _ = io.WriteString(p.w, s)
}
