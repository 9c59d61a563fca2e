// Command wallboard is a native operations dashboard for NOC walls,
// desktops and phones. See README.md for the command line.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2"

	_ "github.com/wallboard/wallboard/internal/locale" // before Fyne reads the locale
	"github.com/wallboard/wallboard/internal/redact"

	"github.com/wallboard/wallboard/alerts"
	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources/history"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/ui"
	"github.com/wallboard/wallboard/wall"
)

const usage = `wallboard: a native operations dashboard

Usage:
  wallboard [--layout FILE] [--dashboard ID] [--kiosk] [--cache FILE] [--theme dark|light|highcontrast]
  wallboard render   --layout FILE --dashboard ID --size 1920x1080 --out PNG [--from now-1h --to now] [--var key=value ...]
  wallboard validate FILE...
  wallboard export   --out FILE
  wallboard simulate --listen ADDR

Run "wallboard COMMAND --help" for a command's flags.
`

// exitError carries a process exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	// Every log line, Fyne's and the log package's included, is scrubbed
	// of URLs' secrets and of the credentials the layout's sources read.
	slog.SetDefault(slog.New(redact.NewHandler(slog.NewTextHandler(os.Stderr, nil))))
	stopProfile := startProfile(os.Getenv("WALLBOARD_CPUPROFILE"))
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, ee.msg)
		}
		os.Exit(ee.code)
	default:
		fmt.Fprintln(os.Stderr, "wallboard:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "render":
			return cmdRender(args[1:], stdout)
		case "validate":
			return cmdValidate(args[1:], stdout)
		case "export":
			return cmdExport(args[1:], stdout)
		case "simulate":
			return cmdSimulate(args[1:], stdout, stderr)
		case "help":
			fmt.Fprint(stdout, usage)
			return nil
		default:
			return &exitError{2, fmt.Sprintf("wallboard: unknown command %q (known: render, validate, export, simulate)", args[0])}
		}
	}
	return cmdGUI(args, stdout)
}

// newFlags returns a flag set that prints nothing itself: parse reports
// errors as one line with exit code 2, and --help as the usage on stdout.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	_ = synopsis
	return fs
}

func parse(fs *flag.FlagSet, synopsis string, args []string, stdout io.Writer) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage:\n  %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
		return &exitError{0, ""}
	}
	if err != nil {
		return &exitError{2, fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	return nil
}

func loadLayout(path string) (*layouts.Layout, error) {
	if path == "" {
		return layouts.Builtin(), nil
	}
	l, err := layouts.Load(path)
	if err != nil {
		return nil, &exitError{1, err.Error()}
	}
	return l, nil
}

func palette(name string) (*charts.Theme, error) {
	p, ok := charts.ThemeNamed(name)
	if !ok {
		return nil, &exitError{2, fmt.Sprintf("wallboard: unknown theme %q (known: dark, light, highcontrast)", name)}
	}
	return p, nil
}

func cmdGUI(args []string, stdout io.Writer) error {
	const synopsis = "wallboard [--layout FILE] [--dashboard ID] [--kiosk] [--cache FILE] [--theme dark|light|highcontrast]"
	fs := newFlags("wallboard", synopsis)
	layoutPath := fs.String("layout", "", "layout file to open (default: the built-in dashboards)")
	dash := fs.String("dashboard", "", "dashboard `ID` to show first")
	kiosk := fs.Bool("kiosk", false, "full screen without chrome; runs the layout's playlist")
	cache := fs.String("cache", "", "history cache `FILE` (default: history.db in the user's cache dir)")
	themeName := fs.String("theme", "dark", "colour theme: dark, light or highcontrast")
	if err := parse(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{2, fmt.Sprintf("wallboard: unexpected argument %q", fs.Arg(0))}
	}
	l, err := loadLayout(*layoutPath)
	if err != nil {
		return err
	}
	if *dash != "" && l.Dashboard(*dash) == nil {
		return &exitError{2, fmt.Sprintf("wallboard: --dashboard: no dashboard %q in the layout (have: %s)", *dash, dashboardIDs(l))}
	}
	p, err := palette(*themeName)
	if err != nil {
		return err
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return &exitError{1, "wallboard: no display (DISPLAY and WAYLAND_DISPLAY are unset): the window needs one; `wallboard render` draws without"}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.Default()
	// The history is a cache: a wall writes every query's tail every
	// refresh, and an fsync each time would cost a cheap wall PC's disk
	// more than everything else it does. A crash may lose the last seconds
	// or damage the file, which the next start checks and moves aside.
	h, err := history.Open(ctx, *cache, history.Options{Logger: logger, NoSync: true})
	if err != nil {
		logger.Warn("running without a history cache", "err", err)
		h = nil
	} else if n := h.Notice(); n != nil {
		logger.Warn(n.String())
	}
	var ah *alerts.History // alert transitions, in the same file
	if h != nil {
		if ah, err = alerts.OpenHistory(h, alerts.DefaultBucket, alerts.HistoryOptions{Retention: alerts.RetentionOf(l.Alerts)}); err != nil {
			logger.Warn("alert history kept in memory only", "err", err)
			ah = nil
		}
	}
	// A wall retries a failed source at most every 15 s, so it shows
	// fresh data within seconds of the source's return.
	wl := wall.New(l, wall.Options{History: h, AlertHistory: ah, MaxBackoff: 15 * time.Second, Logger: logger})
	rt := &ui.Runtime{Runtime: wl.Runtime, Palette: p}
	// While Fyne makes the window (half a second with software GL), the
	// first dashboard's pollers read the history and ask the sources: the
	// panels then open on data. The view's own subscriptions share them.
	first := l.Dashboards[0].ID
	if *dash != "" {
		first = *dash
	}
	d := l.Dashboard(first)
	stopPrefetch := wl.Runtime.Prefetch(d, wall.DefaultSettings(d))
	err = runWindow(ctx, rt, l, windowOptions{Dashboard: *dash, Kiosk: *kiosk, Logger: logger, Shown: stopPrefetch})
	stopPrefetch()
	// The window is gone and its panels stopped (on Fyne's goroutine);
	// what is left holds no Fyne object. A wall must stop within a second
	// whatever its sources do.
	closeWithin(shutdownBudget, logger, func() {
		wl.Close()
		if ah != nil {
			_ = ah.Close()
		}
		if h != nil {
			_ = h.Close() // after the scheduler, which writes its last tails
		}
	})
	return err
}

// startProfile writes a CPU profile of the whole run to path, if set (the
// WALLBOARD_CPUPROFILE environment variable: scripts/wallbench uses it to
// show where a wall's time goes); the returned func ends it.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		slog.Warn("no CPU profile", "err", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		slog.Warn("no CPU profile", "err", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// shutdownBudget is how long a stopping wall may take.
const shutdownBudget = time.Second

// closeWithin runs stop and waits at most budget for it. Past the budget it
// logs every goroutine's stack (what is still running, for the bug report)
// and returns, leaving stop to the process's exit.
func closeWithin(budget time.Duration, log *slog.Logger, stop func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		stop()
	}()
	select {
	case <-done:
	case <-time.After(budget):
		var b strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&b, 2)
		log.Error("still stopping after "+budget.String()+": exiting anyway", "goroutines", b.String())
	}
}

func dashboardIDs(l *layouts.Layout) string {
	ids := make([]string, len(l.Dashboards))
	for i, d := range l.Dashboards {
		ids[i] = d.ID
	}
	return strings.Join(ids, ", ")
}

// varFlags collects repeated --var key=value flags; repeating a key
// selects several values.
type varFlags map[string][]string

func (v varFlags) String() string { return "" }

func (v varFlags) Set(s string) error {
	k, val, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	v[k] = append(v[k], val)
	return nil
}

func parseSize(s string) (fyne.Size, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 200 || h < 200 || w > 8192 || h > 8192 {
		return fyne.Size{}, fmt.Errorf("bad --size %q: want WIDTHxHEIGHT between 200 and 8192, e.g. 1920x1080", s)
	}
	return fyne.NewSize(float32(w), float32(h)), nil
}

func cmdRender(args []string, stdout io.Writer) error {
	const synopsis = "wallboard render --layout FILE --dashboard ID --size 1920x1080 --out PNG [--from now-1h --to now] [--var key=value ...]"
	fs := newFlags("render", synopsis)
	layoutPath := fs.String("layout", "", "layout file (default: the built-in dashboards)")
	dash := fs.String("dashboard", "", "dashboard `ID` to render (default: the first)")
	sizeFlag := fs.String("size", "1920x1080", "image size in pixels, WIDTHxHEIGHT")
	out := fs.String("out", "", "PNG file to write (required)")
	from := fs.String("from", "", "start of the time range, e.g. now-6h or 2026-11-27T10:00:00Z (default: the dashboard's)")
	to := fs.String("to", "", "end of the time range (default: now)")
	themeName := fs.String("theme", "dark", "colour theme: dark, light or highcontrast")
	timeout := fs.Duration("timeout", 30*time.Second, "give up when the sources have not answered by then")
	refresh := fs.Duration("refresh", 0, "refresh interval of the dashboard's queries (default: the dashboard's)")
	vars := varFlags{}
	fs.Var(vars, "var", "dashboard variable `key=value` (repeatable)")
	if err := parse(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{2, fmt.Sprintf("render: unexpected argument %q", fs.Arg(0))}
	}
	if *out == "" {
		return &exitError{2, "render: --out is required"}
	}
	size, err := parseSize(*sizeFlag)
	if err != nil {
		return &exitError{2, "render: " + err.Error()}
	}
	if _, err := palette(*themeName); err != nil {
		return err
	}
	l, err := loadLayout(*layoutPath)
	if err != nil {
		return err
	}
	id := *dash
	if id == "" {
		id = l.Dashboards[0].ID
	}
	d := l.Dashboard(id)
	if d == nil {
		return &exitError{2, fmt.Sprintf("render: --dashboard: no dashboard %q in the layout (have: %s)", id, dashboardIDs(l))}
	}
	view := wall.View{Width: int(size.Width), Height: int(size.Height), Theme: *themeName,
		Overrides: wall.Overrides{From: *from, To: *to, Vars: vars, Refresh: *refresh}}
	if _, err := view.Overrides.Apply(d, time.Now()); err != nil {
		return &exitError{2, "render: --" + err.Error()}
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	// A render neither reads nor writes the user's cache.
	wl := wall.New(l, wall.Options{Renderer: ui.Renderer{}})
	defer wl.Close()
	img, err := wl.RenderView(ctx, id, view)
	if err != nil {
		return err
	}
	return layouts.WriteFileAtomic(*out, func(w io.Writer) error { return png.Encode(w, img) })
}

func cmdValidate(args []string, stdout io.Writer) error {
	const synopsis = "wallboard validate FILE..."
	fs := newFlags("validate", synopsis)
	if err := parse(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return &exitError{2, "validate: name at least one layout file"}
	}
	bad := 0
	for _, path := range fs.Args() {
		if _, err := layouts.Load(path); err != nil {
			bad++
			fmt.Fprintln(stdout, err)
		}
	}
	if bad > 0 {
		return &exitError{1, ""}
	}
	return nil
}

func cmdExport(args []string, stdout io.Writer) error {
	const synopsis = "wallboard export --out FILE"
	fs := newFlags("export", synopsis)
	out := fs.String("out", "", "layout file to write (required)")
	if err := parse(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return &exitError{2, "export: --out FILE is required and takes no other arguments"}
	}
	return layouts.Save(*out, layouts.Builtin())
}

func cmdSimulate(args []string, stdout, stderr io.Writer) error {
	const synopsis = "wallboard simulate --listen ADDR"
	fs := newFlags("simulate", synopsis)
	listen := fs.String("listen", "127.0.0.1:9464", "address to serve /metrics on (loopback by default)")
	seed := fs.Int64("seed", sim.DefaultSeed, "simulator seed")
	if err := parse(fs, synopsis, args, stdout); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return &exitError{1, fmt.Sprintf("simulate: %v", err)}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	log.Info("serving simulator metrics", "url", "http://"+ln.Addr().String()+"/metrics", "seed", *seed)
	srv := &http.Server{Handler: sim.New(*seed).Handler(time.Now), ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("simulate: %w", err)
	}
	return nil
}
