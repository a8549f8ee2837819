package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"

	"github.com/graphconform/graphconform/graphmock"
)

// tlsFlags serve the mock over TLS and, with --authority, as a Microsoft
// Entra ID authority too (the tenant path of the suite, tested with no internet).
type tlsFlags struct {
	cert, key, selfSigned                     string
	authority                                 bool
	clientID, clientSecret, tenant, federated string
	clientCert                                string

	log     *slog.Logger
	tlsConf *tls.Config
	auth    *graphmock.Authority
}

// tlsExtension: --tls-cert/--tls-key or --tls-self-signed serve https; --authority adds the Entra authority.
func tlsExtension() extension {
	var tf *tlsFlags
	return extension{
		flags: func(fs *flag.FlagSet) {
			tf = &tlsFlags{}
			fs.StringVar(&tf.cert, "tls-cert", "", "serve https with this certificate `file` (PEM; with --tls-key)")
			fs.StringVar(&tf.key, "tls-key", "", "private key `file` (PEM) of --tls-cert")
			fs.StringVar(&tf.selfSigned, "tls-self-signed", "", "serve https with a fresh CA and certificate for localhost, 127.0.0.1 and ::1, written to `DIR` (ca.pem for clients' --ca-file)")
			fs.BoolVar(&tf.authority, "authority", false, "also act as an Entra ID authority: /{tenant}/v2.0/.well-known/openid-configuration and /{tenant}/oauth2/v2.0/token (client credentials); needs TLS")
			fs.StringVar(&tf.clientID, "client-id", "", "the application (client) `id` the authority knows")
			fs.StringVar(&tf.clientSecret, "client-secret", "", "the client `secret` the authority accepts (prefer GRAPHMOCK_CLIENT_SECRET: a flag shows in the process list); never logged")
			fs.StringVar(&tf.tenant, "tenant", "", "the only tenant `id` the authority knows (default: any)")
			fs.StringVar(&tf.clientCert, "client-cert", "", "the app's registered certificate `file` (PEM): the authority accepts client assertions signed with its key (AZURE_CLIENT_CERTIFICATE_PATH clients)")
			fs.StringVar(&tf.federated, "federated-token", "", "a client assertion the authority accepts for workload identity (GRAPHMOCK_FEDERATED_TOKEN); never logged")
		},
		configure: func(cfg *graphmock.Config) error { return tf.configure(cfg) },
		wrap: func(h http.Handler) (http.Handler, error) {
			if tf.auth == nil {
				return h, nil
			}
			return tf.auth.Wrap(h), nil
		},
		listen: func(l net.Listener) (net.Listener, string, error) {
			if tf.tlsConf == nil {
				return l, "", nil
			}
			if tf.auth != nil {
				tf.log.Info("Entra ID authority on", "authority-host", "https://"+l.Addr().String()+"/",
					"client_id", tf.clientID, "tenant", orAny(tf.tenant))
			}
			return tls.NewListener(l, tf.tlsConf), "https", nil
		},
	}
}

func (tf *tlsFlags) configure(cfg *graphmock.Config) error {
	tf.log = cfg.Logger
	if tf.log == nil {
		tf.log = slog.New(slog.DiscardHandler)
	}
	switch {
	case tf.selfSigned != "" && (tf.cert != "" || tf.key != ""):
		return errors.New("--tls-self-signed and --tls-cert/--tls-key exclude each other")
	case (tf.cert == "") != (tf.key == ""):
		return errors.New("--tls-cert and --tls-key go together")
	case tf.selfSigned != "":
		files, err := graphmock.WriteSelfSignedTLS(tf.selfSigned)
		if err != nil {
			return err
		}
		tf.tlsConf = files.Config
		tf.log.Info("self-signed TLS", "ca", files.CAFile, "cert", files.CertFile)
	case tf.cert != "":
		c, err := graphmock.LoadServerTLS(tf.cert, tf.key)
		if err != nil {
			return err
		}
		tf.tlsConf = c
	}
	if !tf.authority {
		if tf.clientID != "" || tf.clientSecret != "" || tf.federated != "" || tf.clientCert != "" {
			return errors.New("--client-id, --client-secret, --client-cert and --federated-token need --authority")
		}
		return nil
	}
	switch {
	case tf.tlsConf == nil:
		return errors.New("--authority needs TLS (--tls-self-signed DIR, or --tls-cert and --tls-key): Entra ID clients talk to an authority over https only")
	case tf.clientID == "":
		return errors.New("--authority needs --client-id")
	case tf.clientSecret == "" && tf.federated == "" && tf.clientCert == "":
		return errors.New("--authority needs --client-secret (or GRAPHMOCK_CLIENT_SECRET), --client-cert or --federated-token")
	}
	var cert *x509.Certificate
	if tf.clientCert != "" {
		data, err := os.ReadFile(tf.clientCert)
		if err != nil {
			return fmt.Errorf("--client-cert: %w", err)
		}
		block, _ := pem.Decode(data)
		for block != nil && block.Type != "CERTIFICATE" {
			block, data = pem.Decode(data)
		}
		if block == nil {
			return fmt.Errorf("--client-cert %s: no PEM certificate in it", tf.clientCert)
		}
		if cert, err = x509.ParseCertificate(block.Bytes); err != nil {
			return fmt.Errorf("--client-cert %s: %w", tf.clientCert, err)
		}
	}
	tf.auth = graphmock.NewAuthority(graphmock.AuthorityConfig{
		ClientID: tf.clientID, ClientSecret: tf.clientSecret, Tenant: tf.tenant,
		FederatedToken: tf.federated, ClientCertificate: cert, Logger: tf.log,
	})
	prev := cfg.VerifyToken
	cfg.VerifyToken = func(token string) ([]string, bool) {
		if scopes, ok := tf.auth.VerifyToken(token); ok {
			return scopes, true
		}
		if prev != nil {
			return prev(token)
		}
		return nil, false
	}
	return nil
}

func orAny(s string) string {
	if s == "" {
		return "(any)"
	}
	return s
}
