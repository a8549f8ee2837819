package graphmock

import (
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is one kind of misbehaviour the mock can inject in front of its Graph
// routes, to test a client's resilience. Faults are off unless configured.
//
// Spec syntax (the --fault flag): KIND[:PARAMS], PARAMS a comma-separated list
// of key=value:
//
//	throttle:every=3,retry-after=0.2   every 3rd request -> 429 with Retry-After: 0.2
//	unavailable:rate=0.1[,seed=7][,retry-after=1]   10% of requests -> 503, decided by a seeded PRNG
//	latency:50ms  (or latency:d=50ms)  every request delayed by 50ms
//
// A throttled or unavailable request never reaches the store: the client is
// told it was not processed, and a retry is safe whatever the method.
type Fault struct {
	Kind       string        // "throttle", "unavailable" or "latency"
	Every      int           // throttle: every Nth request
	RetryAfter string        // throttle/unavailable: Retry-After value sent ("" -> none)
	Rate       float64       // unavailable: probability in [0,1]
	Seed       uint64        // unavailable: PRNG seed, so a run is reproducible
	Latency    time.Duration // latency: added to every request
}

// String renders f back in spec syntax.
func (f Fault) String() string {
	switch f.Kind {
	case "throttle":
		s := fmt.Sprintf("throttle:every=%d", f.Every)
		if f.RetryAfter != "" {
			s += ",retry-after=" + f.RetryAfter
		}
		return s
	case "unavailable":
		s := fmt.Sprintf("unavailable:rate=%s,seed=%d", strconv.FormatFloat(f.Rate, 'g', -1, 64), f.Seed)
		if f.RetryAfter != "" {
			s += ",retry-after=" + f.RetryAfter
		}
		return s
	case "latency":
		return "latency:" + f.Latency.String()
	}
	return f.Kind
}

// ParseFault reads one fault spec (see Fault).
func ParseFault(spec string) (Fault, error) {
	kind, params, _ := strings.Cut(strings.TrimSpace(spec), ":")
	f := Fault{Kind: kind}
	bad := func(format string, a ...any) (Fault, error) {
		return Fault{}, fmt.Errorf("fault %q: %s", spec, fmt.Sprintf(format, a...))
	}
	kv := map[string]string{}
	if params != "" {
		for _, p := range strings.Split(params, ",") {
			k, v, ok := strings.Cut(p, "=")
			k = strings.TrimSpace(k)
			if !ok {
				if kind == "latency" && len(kv) == 0 {
					k, v = "d", p // latency:50ms
				} else {
					return bad("parameter %q: want key=value", p)
				}
			}
			if _, dup := kv[k]; dup {
				return bad("parameter %q given twice", k)
			}
			kv[k] = strings.TrimSpace(v)
		}
	}
	take := func(k string) (string, bool) {
		v, ok := kv[k]
		delete(kv, k)
		return v, ok
	}
	retryAfter := func() error {
		v, ok := take("retry-after")
		if !ok {
			return nil
		}
		secs, err := strconv.ParseFloat(v, 64)
		if err != nil || secs < 0 || secs > 3600 {
			return fmt.Errorf("retry-after=%q: want seconds between 0 and 3600", v)
		}
		f.RetryAfter = v
		return nil
	}
	switch kind {
	case "throttle":
		v, ok := take("every")
		if !ok {
			return bad("throttle needs every=N")
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return bad("every=%q: want an integer >= 1", v)
		}
		f.Every = n
		if err := retryAfter(); err != nil {
			return bad("%v", err)
		}
	case "unavailable":
		v, ok := take("rate")
		if !ok {
			return bad("unavailable needs rate=P")
		}
		p, err := strconv.ParseFloat(v, 64)
		if err != nil || p < 0 || p > 1 {
			return bad("rate=%q: want a probability between 0 and 1", v)
		}
		f.Rate = p
		f.Seed = 1
		if v, ok := take("seed"); ok {
			s, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return bad("seed=%q: want an unsigned integer", v)
			}
			f.Seed = s
		}
		if err := retryAfter(); err != nil {
			return bad("%v", err)
		}
	case "latency":
		v, ok := take("d")
		if !ok {
			return bad("latency needs a duration, as in latency:50ms")
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Minute {
			return bad("duration %q: want a Go duration between 0 and 1m", v)
		}
		f.Latency = d
	default:
		return bad("unknown kind %q; want throttle, unavailable or latency", kind)
	}
	for k := range kv {
		return bad("unknown parameter %q for %s", k, kind)
	}
	return f, nil
}

// ParseFaults reads several specs, as given to repeated --fault flags.
func ParseFaults(specs []string) ([]Fault, error) {
	var out []Fault
	for _, s := range specs {
		f, err := ParseFault(s)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// FaultStats counts the faults injected so far.
type FaultStats struct {
	Requests, Throttled, Unavailable int
}

// FaultInjector applies faults in front of a handler. Its counters and PRNG
// are its own, so two mocks (or two tests) never share a fault schedule.
type FaultInjector struct {
	faults []Fault

	mu    sync.Mutex
	rngs  []*mrand.Rand // one per fault, nil for non-random ones
	stats FaultStats
}

// NewFaultInjector returns an injector for faults (none: it only counts).
func NewFaultInjector(faults ...Fault) *FaultInjector {
	fi := &FaultInjector{faults: faults, rngs: make([]*mrand.Rand, len(faults))}
	for i, f := range faults {
		if f.Kind == "unavailable" {
			fi.rngs[i] = mrand.New(mrand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))
		}
	}
	return fi
}

// Stats reports what was injected so far.
func (fi *FaultInjector) Stats() FaultStats {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	return fi.stats
}

// Wrap returns next behind the faults. /healthz is exempt: a readiness probe
// should see the server, not the weather.
func (fi *FaultInjector) Wrap(next http.Handler) http.Handler {
	if len(fi.faults) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		var delay time.Duration
		status, retryAfter := 0, ""
		fi.mu.Lock()
		fi.stats.Requests++
		n := fi.stats.Requests
		for i, f := range fi.faults {
			switch f.Kind {
			case "latency":
				delay += f.Latency
			case "throttle":
				if status == 0 && n%f.Every == 0 {
					status, retryAfter = http.StatusTooManyRequests, f.RetryAfter
				}
			case "unavailable":
				// Draw on every request, hit or not, so the schedule of a
				// seed does not depend on the other faults.
				if fi.rngs[i].Float64() < f.Rate && status == 0 {
					status, retryAfter = http.StatusServiceUnavailable, f.RetryAfter
				}
			}
		}
		switch status {
		case http.StatusTooManyRequests:
			fi.stats.Throttled++
		case http.StatusServiceUnavailable:
			fi.stats.Unavailable++
		}
		fi.mu.Unlock()

		if delay > 0 {
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if status == 0 {
			next.ServeHTTP(w, r)
			return
		}
		writeFault(w, status, retryAfter)
	})
}

// writeFault answers in Graph's error shape. Installed through Config.Middleware, the mock's outer
// layer has already set request-id, client-request-id and OData-Version.
func writeFault(w http.ResponseWriter, status int, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	if status == http.StatusTooManyRequests {
		WriteError(w, status, "TooManyRequests", "Too many requests (injected fault); retry after the Retry-After delay.")
		return
	}
	WriteError(w, status, CodeServiceNotAvailable, "The service is temporarily unavailable (injected fault).")
}
