package check

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// MaxTranscriptExchanges bounds the exchanges one transcript keeps; later ones are counted, not kept. A
// scenario sends a handful; the bound is for a scenario that loops (polling, concurrent writers).
const MaxTranscriptExchanges = 100

// Credential says which credential a request carried, so that a replay sends the same kind.
type Credential int

// The credentials a request may carry.
const (
	NoCredential        Credential = iota // no Authorization header
	TokenCredential                       // the read/write token: $GRAPH_TOKEN in a replay
	ReadTokenCredential                   // the read-only token: $GRAPH_READ_TOKEN in a replay
	SentCredential                        // a value the suite made up (a token no one issued): replayed as sent
)

// Transcript is every exchange of one scenario, in order: the setup requests, the ones the scenario judges and
// the cleanup after it, each rendered (redacted, bounded) when it is added. It is safe for concurrent use.
type Transcript struct {
	mu      sync.Mutex
	entries []transcriptEntry
	left    int  // exchanges not kept (MaxTranscriptExchanges)
	cleanup bool // the exchanges added from now on are the cleanup's
}

type transcriptEntry struct {
	cleanup  bool
	evidence string // NewEvidence, rendered when the exchange was added
	// The request, as a replay needs it: the body is kept up to MaxCurlBody bytes.
	method, url string
	header      http.Header // without Authorization (see cred)
	auth        string      // the Authorization value when cred is SentCredential
	body        []byte
	bodyLen     int
	hasBody     bool
	cred        Credential
	status      int    // 0: no response
	id          string // the id a JSON response carried, which later requests may address
	secrets     []string
}

// Add records ex, which carried cred. It copies what it keeps: ex may change afterwards.
func (t *Transcript) Add(ex *Exchange, cred Credential) {
	if t == nil || ex == nil {
		return
	}
	e := transcriptEntry{
		evidence: NewEvidence(ex).String(),
		method:   ex.Method,
		url:      ex.URL,
		header:   ex.RequestHeader.Clone(),
		bodyLen:  len(ex.RequestBody),
		hasBody:  ex.RequestBody != nil,
		cred:     cred,
		status:   ex.Status,
		secrets:  append([]string(nil), ex.Secrets...),
	}
	if e.header == nil {
		e.header = http.Header{}
	}
	if cred == SentCredential {
		e.auth = e.header.Get("Authorization")
	}
	e.header.Del("Authorization")
	e.body = append([]byte(nil), ex.RequestBody[:min(len(ex.RequestBody), MaxCurlBody)]...)
	if ex.Status/100 == 2 {
		e.id = responseID(ex.Body)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	e.cleanup = t.cleanup
	if len(t.entries) >= MaxTranscriptExchanges {
		t.left++
		return
	}
	t.entries = append(t.entries, e)
}

// Cleanup marks the exchanges added from now on as the cleanup after the scenario.
func (t *Transcript) Cleanup() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.cleanup = true
	t.mu.Unlock()
}

// Len is the number of exchanges kept.
func (t *Transcript) Len() int {
	if t == nil {
		return 0
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// String renders every exchange kept, numbered, the cleanup's marked as such.
func (t *Transcript) String() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	n := len(t.entries)
	for i, e := range t.entries {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[%d/%d]", i+1, n)
		if e.cleanup {
			b.WriteString(" after the scenario (cleanup)")
		}
		b.WriteString("\n")
		b.WriteString(e.evidence)
	}
	if t.left > 0 {
		fmt.Fprintf(&b, "\n(%d more exchanges not kept: a transcript keeps %d)\n", t.left, MaxTranscriptExchanges)
	}
	return b.String()
}

// responseID is the "id" of a JSON object body, when it is a plausible key: a later request of the scenario
// may address it, and a replay then takes it from the replayed response.
func responseID(body []byte) string {
	doc, err := DecodeJSON(body)
	if err != nil {
		return ""
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return ""
	}
	id, _ := obj["id"].(string)
	if KeyProblem(id) != "" {
		return ""
	}
	return id
}
