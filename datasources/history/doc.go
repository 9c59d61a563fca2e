// Package history is Wallboard's local history: every series fetched from
// a source, kept in a bbolt file so that a dashboard comes up at once from
// what it last showed, asks its sources only for the missing tail, and keeps
// showing the truth (with its age) while a source is down.
//
// # Storage
//
// Series are stored per (source, query, series): the query is a string
// that identifies everything shaping an answer except its time range
// (QueryKey: expression, legend, step), and a series is told apart by its
// name and labels. Samples are compressed in Prometheus XOR (Gorilla)
// chunks of ChunkSamples samples (120 by default): regular timestamps cost
// about one bit, values what their XOR with the previous one needs. A NaN
// value (a gap) is stored as it is and read back as a gap. A write replaces
// the stored points of the range it covers (Batch), so an overlapping tail
// is never stored twice.
//
// # Robustness
//
// Open waits at most LockTimeout for a file locked by another instance,
// then uses a temporary per-session cache; a corrupt file, or one from a
// newer format version, is moved aside (path.corrupt-UNIX, path.newer-UNIX)
// and replaced by a fresh one; a file that cannot be written is opened
// read-only and served (writes return ErrReadOnly). Notice reports each,
// once. Before an existing file is used, Open checks it within
// CheckTimeout: a walk of every reachable page with ordinary reads (pages
// inside the file, ids, types, element bounds, the freelist), then, for
// files up to CheckMaxBytes, bbolt's own tx.Check. The walk comes first
// because bbolt reads pages through its mapping, where a branch pointing
// past the end of the file faults (SIGSEGV, SIGBUS), and tx.Check does so
// on a goroutine of its own where the fault cannot be recovered.
//
// Every transaction runs with runtime/debug.SetPanicOnFault, so a fault
// in the mapped file that the check could not foresee (a file cut short
// while in use) is an error, never a crash: it wraps ErrBroken and
// ErrCorrupt, is logged once, and the Store stops using the file (every
// later call returns it; Close moves the file aside). Decoding checks
// every stored byte: a damaged value is an error wrapping ErrCorrupt,
// never a panic, and a file found damaged while in use is moved aside on
// Close.
//
// # Retention
//
// An owned goroutine (ended by Close) drops data older than MaxAge
// (default 7 days) and, when the file holds more than MaxBytes (default
// 512 MiB) in use, the oldest chunks first.
//
// # PromQL
//
// Queryable serves the stored series of one source as a Prometheus
// storage.Queryable, so the PromQL engine can evaluate expressions (KPIs,
// forecasts) over the local history of any source, InfluxDB included.
//
// The package imports neither Fyne nor the scheduler (package live imports
// it) and builds with CGO_ENABLED=0.
package history
