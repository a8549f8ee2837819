package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/graphconform/graphconform/graphmock"
)

// writeClientCert makes an RSA certificate and key, as an app registration's
// certificate credential, and writes both to one PEM file.
func writeClientCert(t *testing.T) (string, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "graphconform test app"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	path := filepath.Join(t.TempDir(), "app.pem")
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, cert
}

func TestClientCertificateAgainstMockAuthority(t *testing.T) {
	path, cert := writeClientCert(t)
	f := newFixture(t, graphmock.AuthorityConfig{ClientID: clientID, ClientCertificate: cert})
	e := map[string]string{EnvTenantID: tenantID, EnvClientID: clientID, EnvClientCertPath: path}
	c, err := New(Options{Target: f.url + "/v1.0", AuthorityHost: f.url, CAFile: f.caFile, Getenv: env(e)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != KindClientCertificate {
		t.Fatalf("kind %s; want client certificate", c.Kind)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}

	// A certificate the app did not register is refused with the authority's code.
	other, _ := writeClientCert(t)
	e[EnvClientCertPath] = other
	c, err = New(Options{Target: f.url + "/v1.0", AuthorityHost: f.url, CAFile: f.caFile, Getenv: env(e)})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Check(context.Background())
	var te *TokenError
	if !errors.As(err, &te) || te.AADSTS != "AADSTS700027" || te.Code != "invalid_client" {
		t.Fatalf("Check with another certificate: %v; want invalid_client AADSTS700027", err)
	}
	t.Log(err)
}
