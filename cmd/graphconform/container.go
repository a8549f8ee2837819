package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/internal/target"
)

// envContainerImage names a prebuilt graphmock image (make image tags graphconform/graphmock:latest) for a
// graphconform binary used away from its checkout, where the image cannot be built from source.
const envContainerImage = "GRAPHCONFORM_CONTAINER_IMAGE"

func init() {
	registerTargetHook(containerHook)
}

// containerHook makes the target for --target container: graphmock in a container started through
// testcontainers, removed when the run ends (Target.Close, deferred by the command, also after an interrupt).
func containerHook(fs *flag.FlagSet) remoteMaker {
	var image *string
	if strings.HasSuffix(fs.Name(), " run") {
		image = fs.String("container-image", "", "with --target container: run this prebuilt graphmock `image` instead of building one from the checkout (env "+envContainerImage+")")
	}
	return func(ctx context.Context, req targetRequest) (*target.Target, bool, error) {
		if req.Kind != kindContainer {
			return nil, false, nil
		}
		opts := []target.ContainerOption{target.ContainerTimeout(req.Timeout)}
		if req.Version != "" {
			opts = append(opts, target.ContainerVersion(req.Version))
		}
		ref := ""
		if image != nil {
			ref = *image
		}
		if ref == "" && req.Env != nil {
			ref = strings.TrimSpace(req.Env(envContainerImage))
		}
		if ref != "" {
			opts = append(opts, target.ContainerImage(ref))
		}
		t, err := target.Container(ctx, opts...)
		if err != nil {
			return nil, false, fmt.Errorf("--target container: %w", err)
		}
		return t, true, nil
	}
}
