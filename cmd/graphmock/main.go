// Command graphmock serves graphconform's reference mock of Microsoft Graph's
// deviceEnrollmentConfigurations and their assignments.
//
//	graphmock --addr 127.0.0.1:8080 --token T [--read-token R] [--seed]
//
// --token grants read and write (DeviceManagementServiceConfig.ReadWrite.All), --read-token read only
// (DeviceManagementServiceConfig.Read.All). --seed stores one configuration holding the seed page's
// assignment. Every flag can also come from the environment as GRAPHMOCK_<FLAG> (upper case, '-' as
// '_': GRAPHMOCK_ADDR, GRAPHMOCK_TOKEN, GRAPHMOCK_READ_TOKEN, GRAPHMOCK_SEED=true), for containers;
// a flag on the command line wins. It logs (slog, stderr) the URL it listens on and the seeded ids,
// never a token, and shuts down cleanly on SIGINT or SIGTERM. --addr :0 picks a free port and logs it.
//
// --url-file FILE writes the base URL (scheme://host:port/v1.0, and a newline) to FILE once the server
// listens and is seeded, atomically (a temporary file renamed over FILE), and removes it on a clean
// shutdown: a script starts graphmock in the background, waits for FILE and reads the URL from it.
//
// Exit codes: 0 clean shutdown (or -h), 1 the server failed, 2 bad usage or configuration.
//
// The binary needs no cgo and no files: CGO_ENABLED=0 go build gives a static binary that runs FROM scratch.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/graphconform/graphconform/graphmock"
	"github.com/graphconform/graphconform/internal/schema"
)

// extension is an optional part of the program behind its own flags (a defect variant, faults, the idle exit,
// TLS and an Entra authority). Every func is optional; after parsing they run in this order: configure, wrap,
// listen. An error from any of them is a configuration error: exit 2 with the message.
type extension struct {
	flags     func(fs *flag.FlagSet)
	configure func(cfg *graphmock.Config) error                  // before graphmock.New
	wrap      func(h http.Handler) (http.Handler, error)         // around the whole handler
	listen    func(l net.Listener) (net.Listener, string, error) // wraps the listener; returns the URL scheme ("https"), "" unchanged
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// run is the program: it serves until ctx is done and returns the exit code. ready, if not nil, is
// called with the base URL (scheme://addr/v1.0) once the listener is up.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready func(baseURL string)) int {
	// In the order they apply: the defect next to the mock, TLS and the authority outermost.
	exts := []extension{defectExtension(), faultExtension(), idleExtension(), tlsExtension()}
	return runWith(ctx, args, getenv, stderr, ready, exts)
}

// options are the program's own flags.
type options struct {
	addr, token, readToken, urlFile string
	seed                            bool
	level                           slog.Level
	maxConns                        int
}

func runWith(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready func(string), exts []extension) int {
	o, code := parseFlags(args, getenv, stderr, exts)
	if o == nil {
		return code
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: o.level}))
	mock, handler, err := newHandler(o, log, exts)
	if err != nil {
		fmt.Fprintf(stderr, "graphmock: %v\n", err)
		return 2
	}
	l, err := net.Listen("tcp", listenAddr(o.addr))
	if err != nil {
		log.Error("listen failed", "addr", o.addr, "err", err)
		return 1
	}
	// The limit counts TCP connections, under TLS if an extension adds it (net/http must see *tls.Conn).
	var limit *connLimit
	if o.maxConns > 0 {
		limit = limitConns(l, o.maxConns)
		l = limit
	}
	l, scheme, err := extendListener(l, exts)
	if err != nil {
		fmt.Fprintf(stderr, "graphmock: %v\n", err)
		return 2
	}
	if limit != nil && scheme != "http" {
		limit.answer = false // a refused connection cannot be answered in plain HTTP under TLS
	}
	base := scheme + "://" + l.Addr().String() + "/v1.0"
	readOnly := 0
	if o.readToken != "" {
		readOnly = 1
	}
	log.Info("graphmock listening", "url", base, "readWriteTokens", 1, "readOnlyTokens", readOnly)
	if o.seed {
		configID, assignmentID := mock.Seed()
		log.Info("seeded", "configurationId", configID, "assignmentId", assignmentID,
			"url", base+"/deviceManagement/deviceEnrollmentConfigurations/"+configID+"/assignments/"+assignmentID)
	}
	if o.urlFile != "" {
		if err := writeURLFile(o.urlFile, base+"\n"); err != nil {
			l.Close()
			fmt.Fprintf(stderr, "graphmock: %v\n", err)
			return 2
		}
		defer func() {
			if err := removeURLFile(o.urlFile, base+"\n"); err != nil {
				log.Warn("remove the URL file", "err", err)
			}
		}()
	}
	return serve(ctx, l, handler, log, func() {
		if ready != nil {
			ready(base)
		}
	})
}

// parseFlags reads the flags, from the environment (GRAPHMOCK_<FLAG>) and then the command line. A nil
// options means the program ends with the code returned (0 after -h, 2 on a usage error, said on stderr).
func parseFlags(args []string, getenv func(string) string, stderr io.Writer, exts []extension) (*options, int) {
	fs := flag.NewFlagSet("graphmock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address (host:port; :0 picks a free port; 0.0.0.0:8080 in a container)")
	fs.StringVar(&o.token, "token", "", "bearer token granting read and write (required)")
	fs.StringVar(&o.readToken, "read-token", "", "bearer token granting read only (optional)")
	fs.BoolVar(&o.seed, "seed", false, "store one configuration holding the seed page's assignment")
	logLevel := fs.String("log-level", "info", "log level: debug (every request), info, warn, error")
	fs.IntVar(&o.maxConns, "max-conns", defaultMaxConns, "open connections served at once; past it a new one is answered 503 with Retry-After and closed (0: no limit)")
	fs.StringVar(&o.urlFile, "url-file", "", "once listening, write the base URL to this `file` (atomically; removed on shutdown)")
	for _, e := range exts {
		if e.flags != nil {
			e.flags(fs)
		}
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: graphmock --token T [--read-token R] [--addr host:port] [--seed]\n"+
			"Every flag can also be set as GRAPHMOCK_<FLAG> (GRAPHMOCK_TOKEN, GRAPHMOCK_READ_TOKEN, ...).\n")
		fs.PrintDefaults()
	}
	if err := fromEnv(fs, getenv); err != nil {
		fmt.Fprintf(stderr, "graphmock: %v\n", err)
		return nil, 2
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0
		}
		return nil, 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "graphmock: unexpected arguments %q\n", fs.Args())
		fs.Usage()
		return nil, 2
	case o.token == "":
		fmt.Fprintln(stderr, "graphmock: a token is required: pass --token T (or set GRAPHMOCK_TOKEN); clients send it as 'Authorization: Bearer T'")
		return nil, 2
	case o.token == o.readToken:
		fmt.Fprintln(stderr, "graphmock: --read-token must differ from --token")
		return nil, 2
	case o.maxConns < 0:
		fmt.Fprintf(stderr, "graphmock: --max-conns %d: want 0 (no limit) or more\n", o.maxConns)
		return nil, 2
	}
	if err := o.level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "graphmock: --log-level: %v\n", err)
		return nil, 2
	}
	return o, 0
}

// newHandler makes the mock for the tokens given, configured and wrapped by the extensions.
func newHandler(o *options, log *slog.Logger, exts []extension) (*graphmock.Mock, http.Handler, error) {
	cfg := graphmock.Config{
		Tokens: map[string][]string{o.token: {graphmock.ScopeServiceConfigReadWrite}},
		Logger: log,
	}
	if o.readToken != "" {
		cfg.Tokens[o.readToken] = []string{graphmock.ScopeServiceConfigRead}
	}
	for _, e := range exts {
		if e.configure != nil {
			if err := e.configure(&cfg); err != nil {
				return nil, nil, err
			}
		}
	}
	mock := graphmock.New(cfg)
	// Build the v1.0 model's validator while the listener comes up, rather than on the first request.
	go func() { _ = schema.Validate("v1.0", schema.AssignmentPatch, map[string]any{}) }()
	var handler http.Handler = mock
	for _, e := range exts {
		if e.wrap != nil {
			h, err := e.wrap(handler)
			if err != nil {
				return nil, nil, err
			}
			handler = h
		}
	}
	return mock, handler, nil
}

// extendListener lets the extensions wrap the listener (TLS) and returns the URL scheme; on an error the
// listener is closed.
func extendListener(l net.Listener, exts []extension) (net.Listener, string, error) {
	scheme := "http"
	for _, e := range exts {
		if e.listen != nil {
			wrapped, s, err := e.listen(l)
			if err != nil {
				l.Close()
				return nil, "", err
			}
			l = wrapped
			if s != "" {
				scheme = s
			}
		}
	}
	return l, scheme, nil
}

// serve serves on l until ctx is done, then shuts down cleanly: 0, or 1 when the server failed.
func serve(ctx context.Context, l net.Listener, handler http.Handler, log *slog.Logger, ready func()) int {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	ready()
	select {
	case err := <-served:
		log.Error("server failed", "err", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// listenAddr maps the host localhost to 127.0.0.1: FROM scratch there is no /etc/hosts and no DNS
// server, so resolving the name would fail.
func listenAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err == nil && strings.EqualFold(host, "localhost") {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// fromEnv sets every flag that has a GRAPHMOCK_<NAME> variable; the command line, parsed after, wins.
func fromEnv(fs *flag.FlagSet, getenv func(string) string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "GRAPHMOCK_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" && err == nil {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s: %v", name, e) // the value is not echoed: it may be a secret
			}
		}
	})
	return err
}
