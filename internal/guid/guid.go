// Package guid makes the random GUIDs the suite, the mock and the defect
// variants use for ids, request ids and unknown addresses.
package guid

import (
	"crypto/rand"
	"encoding/hex"
)

// New returns a random (version 4) GUID in Graph's lower-case 8-4-4-4-12 form.
// crypto/rand makes it unguessable, like a service's ids; it never fails since Go 1.24.
func New() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
