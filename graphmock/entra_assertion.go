package graphmock

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// verifyCertificateAssertion checks a client assertion the way Entra does for
// an application with a registered certificate (private_key_jwt): a JWT
// signed with the certificate's key (PS256, or RS256 as older clients and
// ADFS use), naming the certificate by thumbprint (x5t#S256 or x5t), issued
// by and about the client, for this token endpoint, and not expired.
func verifyCertificateAssertion(assertion string, cert *x509.Certificate, clientID, tokenEndpoint string, now time.Time) error {
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		return errors.New("the assertion is not a JWS compact serialization")
	}
	var header struct {
		Alg     string `json:"alg"`
		X5t     string `json:"x5t"`
		X5tS256 string `json:"x5t#S256"`
	}
	var claims struct {
		Aud any    `json:"aud"`
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
		Nbf int64  `json:"nbf"`
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return fmt.Errorf("claims: %w", err)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return errors.New("the signature is not base64url")
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return errors.New("the registered certificate has no RSA key")
	}
	s256 := sha256.Sum256(cert.Raw)
	s1 := sha1.Sum(cert.Raw) // #nosec G401 -- x5t is defined as a SHA-1 thumbprint (RFC 7515 section 4.1.7)
	switch {
	case header.X5tS256 != "":
		if !thumbprintIs(header.X5tS256, s256[:]) {
			return errors.New("x5t#S256 does not name the registered certificate")
		}
	case header.X5t != "":
		if !thumbprintIs(header.X5t, s1[:]) {
			return errors.New("x5t does not name the registered certificate")
		}
	default:
		return errors.New("the header names no certificate (x5t#S256 or x5t)")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	switch header.Alg {
	case "PS256":
		err = rsa.VerifyPSS(pub, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
	case "RS256":
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
	default:
		return fmt.Errorf("alg %q: want PS256 or RS256", header.Alg)
	}
	if err != nil {
		return errors.New("the signature does not verify with the registered certificate")
	}
	audOK := false
	switch aud := claims.Aud.(type) {
	case string:
		audOK = aud == tokenEndpoint
	case []any:
		for _, a := range aud {
			audOK = audOK || a == tokenEndpoint
		}
	}
	const skew = 5 * time.Minute
	switch {
	case !audOK:
		return fmt.Errorf("aud is not this token endpoint (%s)", tokenEndpoint)
	case claims.Iss != clientID || claims.Sub != clientID:
		return errors.New("iss and sub must both be the client id")
	case claims.Exp == 0 || now.After(time.Unix(claims.Exp, 0).Add(skew)):
		return errors.New("the assertion has expired")
	case claims.Nbf != 0 && now.Add(skew).Before(time.Unix(claims.Nbf, 0)):
		return errors.New("the assertion is not valid yet")
	}
	return nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return errors.New("not base64url")
	}
	return json.Unmarshal(b, v)
}

// thumbprintIs compares a thumbprint header, which clients send in standard
// base64 (MSAL) or base64url (the JOSE spelling), with the digest.
func thumbprintIs(got string, digest []byte) bool {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(got); err == nil && subtle.ConstantTimeCompare(b, digest) == 1 {
			return true
		}
	}
	return false
}
