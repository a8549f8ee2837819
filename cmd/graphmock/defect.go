package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/graphconform/graphconform/internal/defects"
)

// --defect NAME serves a deliberately broken variant of the mock, to watch
// the suite fail the way a faulty service would. `--defect list` describes
// them (on stderr, then exits 2: the hook has no clean early exit).
func defectExtension() extension {
	var (
		name  string
		out   io.Writer
		token *flag.Flag // --token, read after parsing: some defects let bad credentials through with it
	)
	return extension{
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&name, "defect", "", "serve a deliberately broken variant: "+strings.Join(defects.Names(), ", ")+" (list: describe them)")
			out = fs.Output()
			token = fs.Lookup("token")
		},
		wrap: func(h http.Handler) (http.Handler, error) {
			switch name {
			case "":
				return h, nil
			case "list":
				for _, d := range defects.All() {
					fmt.Fprintf(out, "%-30s %s (breaks %s)\n", d.Name, d.Description, strings.Join(d.Breaks, ", "))
				}
				return nil, errors.New("--defect list: the defects are listed above; pass one of their names")
			}
			var cfg defects.Config
			if token != nil {
				cfg.Token = token.Value.String()
			}
			return defects.Wrap(name, h, cfg)
		},
	}
}
