package auth

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// TLSConfig returns the client TLS configuration: the system's roots, plus
// the CAs in SSL_CERT_FILE and in caFile when given. Go reads SSL_CERT_FILE
// only once per process, and only instead of the system bundle; it is read
// here again so that it adds to the roots and so that tests can set it.
// Verification is never skipped: an unreadable or empty CA file is an error,
// not a silent fallback.
func TLSConfig(caFile string, getenv func(string) string) (*tls.Config, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	add := func(path, from string) error {
		pem, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("%s: %w", from, err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("%s %s: no PEM certificate in it", from, path)
		}
		return nil
	}
	if f := getenv(EnvSSLCertFile); f != "" {
		if err := add(f, EnvSSLCertFile); err != nil {
			return nil, err
		}
	}
	if caFile != "" {
		if err := add(caFile, "--ca-file"); err != nil {
			return nil, err
		}
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}
