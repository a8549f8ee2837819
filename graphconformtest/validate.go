package graphconformtest

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/cucumber/godog/formatters"

	"github.com/graphconform/graphconform/features"
	"github.com/graphconform/graphconform/fixtures"
)

// newConfig applies opts and checks each option on its own: this is the one place they are checked.
func newConfig(opts []Option) (config, error) {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if err := checkTags(c.tags); err != nil {
		return c, err
	}
	if c.existing {
		c.configID, c.assignmentID = strings.TrimSpace(c.configID), strings.TrimSpace(c.assignmentID)
		if c.configID == "" || c.assignmentID == "" {
			return c, configErrorf("Existing", "an existing configuration id and assignment id go together: give both, or neither to let the suite create its own")
		}
	}
	if c.concurrencySet && c.concurrency < 1 {
		return c, configErrorf("Concurrency", "concurrency %d: want 1 or more", c.concurrency)
	}
	if c.existing && c.concurrency > 1 {
		return c, configErrorf("Concurrency", "concurrency %d with an existing assignment: every scenario would change the one assignment at once; use 1", c.concurrency)
	}
	if c.casesSet && c.cases < 1 {
		return c, configErrorf("GeneratedCases", "generated cases %d: want 1 or more", c.cases)
	}
	if c.convergenceSet && c.convergence < 0 {
		return c, configErrorf("ConvergenceWindow", "convergence window %s: want 0 (at once) or a positive duration such as 30s", c.convergence)
	}
	if c.timeoutSet && c.timeout <= 0 {
		return c, configErrorf("Timeout", "timeout %s: want a positive duration such as 30s", c.timeout)
	}
	if !c.timeoutSet {
		c.timeout = DefaultTimeout
	}
	if err := checkFormats(c.formats, c.formatOut); err != nil {
		return c, err
	}
	if c.features == nil {
		c.features = features.FS
	}
	if c.fixtures == nil {
		c.fixtures = fixtures.FS
	}
	return c, nil
}

// checkTags accepts godog's tag filter syntax: "@a && ~@b" (and, not), alternatives separated by commas (or).
// godog itself panics on an empty term and silently matches nothing on Cucumber-style "and/or/not" words.
func checkTags(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	const want = `want godog's syntax: "@a && ~@b" (and, not), alternatives separated by commas (or), e.g. "@must && ~@needs:read-token,@req:ECA-UPDATE-101"`
	for _, alt := range strings.Split(expr, ",") {
		for _, term := range strings.Split(alt, "&&") {
			t := strings.TrimSpace(term)
			name := strings.TrimPrefix(strings.TrimPrefix(t, "~"), "@")
			switch {
			case name == "":
				return configErrorf("Tags", "tags %q: an empty term; %s", expr, want)
			case strings.ContainsAny(t, " ()|!\t"):
				return configErrorf("Tags", "tags %q: term %q is not a tag; %s", expr, t, want)
			}
		}
	}
	return nil
}

// checkFormats checks the formatter names (godog itself would only print to stderr and give up).
func checkFormats(specs []string, w io.Writer) error {
	available := formatters.AvailableFormatters()
	toWriter := false
	for _, spec := range specs {
		name, file, hasFile := strings.Cut(spec, ":")
		if _, ok := available[name]; !ok || name == "" || strings.Contains(spec, ",") {
			names := make([]string, 0, len(available))
			for n := range available {
				names = append(names, n)
			}
			sort.Strings(names)
			return configErrorf("Formats", "format %q: want one of %s, optionally followed by :FILE", spec, strings.Join(names, ", "))
		}
		if hasFile && file == "" {
			return configErrorf("Formats", "format %q: empty file name after ':'", spec)
		}
		toWriter = toWriter || !hasFile
	}
	if toWriter && w == nil {
		return configErrorf("Formats", "formats without a file need a writer")
	}
	return nil
}

// createFormatFiles makes sure every formatter's file can be written before anything is sent (godog would
// only say so on stderr, after the run).
func createFormatFiles(specs []string) error {
	for _, spec := range specs {
		if _, file, ok := strings.Cut(spec, ":"); ok {
			f, err := os.Create(file)
			if err != nil {
				return &ConfigError{Setting: "Formats", Problem: fmt.Sprintf("format %q: %v", spec, err), Err: err}
			}
			f.Close()
		}
	}
	return nil
}
