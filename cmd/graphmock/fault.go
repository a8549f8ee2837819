package main

import (
	"flag"
	"strings"

	"github.com/graphconform/graphconform/graphmock"
)

// faultSpecs collects repeated --fault flags. In the environment
// (GRAPHMOCK_FAULT) several specs are separated by ';', since a spec holds commas.
type faultSpecs []string

func (f *faultSpecs) String() string { return strings.Join(*f, ";") }

func (f *faultSpecs) Set(v string) error {
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if _, err := graphmock.ParseFault(s); err != nil {
			return err
		}
		*f = append(*f, s)
	}
	return nil
}

// faultExtension: --fault SPEC injects faults in front of the Graph routes.
func faultExtension() extension {
	var specs *faultSpecs
	return extension{
		flags: func(fs *flag.FlagSet) {
			specs = &faultSpecs{}
			fs.Var(specs, "fault", "inject a fault in front of the Graph routes (repeatable; off by default): "+
				"throttle:every=N[,retry-after=S], unavailable:rate=P[,seed=N][,retry-after=S], latency:D")
		},
		configure: func(cfg *graphmock.Config) error {
			if len(*specs) == 0 {
				return nil
			}
			faults, err := graphmock.ParseFaults(*specs)
			if err != nil {
				return err
			}
			names := make([]string, len(faults))
			for i, f := range faults {
				names[i] = f.String()
			}
			if cfg.Logger != nil {
				cfg.Logger.Info("fault injection on", "faults", strings.Join(names, "; "))
			}
			cfg.Middleware = append(cfg.Middleware, graphmock.NewFaultInjector(faults...).Wrap)
			return nil
		},
	}
}
