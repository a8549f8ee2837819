package graphconformtest

import "fmt"

// ConfigError says a run could not be made as configured, before anything was sent: a bad base URL, tag
// expression, id, concurrency or timeout, a token source that gives no token, features that do not name their
// requirements. Find it with errors.As.
type ConfigError struct {
	// Setting names what is wrong, as this package spells it: "BaseURL", "Token", "ReadToken", "Tags",
	// "Existing", "Concurrency", "Timeout", "Features", "Fixtures", "Formats".
	Setting string
	// Problem says what is wrong with it and what is wanted. Secrets are redacted.
	Problem string
	// Err is the underlying error, if any (a TokenSource's, say), for errors.Is and errors.As.
	Err error
}

func (e *ConfigError) Error() string { return e.Problem }

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

func configErrorf(setting, format string, args ...any) *ConfigError {
	return &ConfigError{Setting: setting, Problem: fmt.Sprintf(format, args...)}
}
