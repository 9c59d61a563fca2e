// Package sim is the embedded simulator of the audio-enhancement processing
// service that Wallboard watches. It is the default data source (no server
// needed), a Prometheus storage that the real PromQL engine queries, and a
// Prometheus exporter (`wallboard simulate --listen ADDR`).
//
// # What is simulated
//
// Seven regions (each with coordinates and a fixed time zone, so their
// daily peaks, around 14:00 local, fall at different UTC hours) and three
// enhancement models. Request traffic per region and model follows a daily
// wave with a second harmonic, a weekly wave (quiet weekends) and three
// seeded slower "weather" waves. From it follow: error counters by reason;
// a latency histogram mixing a fast population, a slow one that grows with
// load and a small very slow tail; processed, success, total and billed
// counters; processed audio seconds and cost (per audio second plus a fixed
// infrastructure cost); enhancement quality scores; queue depth; and
// CPU/GPU/memory of six GPU nodes that serve groups of regions. The metric
// names and labels are the contract in docs/metrics.md.
//
// Incidents, two to four a day, 5 to 30 minutes long, hit one region each:
// an error burst (12–35 % of requests fail, quality dips) or a latency spike
// (a quarter to more than half of the fast requests become very slow: p95
// and p99 jump, queues fill, the region's GPU nodes run hot).
// Sim.Incidents lists them for any time range; sim_incident_active shows
// them to PromQL.
//
// # Determinism and time
//
// Every series is a pure function of (seed, series, time) on a grid of one
// sample per Step (15 s) since the Unix epoch: New(seed) with the same seed
// gives the same numbers on any machine, for any time range, past or
// future, in any order, with no history to replay. Counters are computed in
// closed form: the analytic integral of the rate since the epoch, plus
// incident contributions, plus per-step hash noise bounded by half the
// smallest possible increase of a step, then floored to whole counts (so
// they never decrease). Incidents are settled within their UTC week
// (starting Thursday 00:00, the epoch's weekday): the extra errors (or slow
// requests) of a week's incidents are paid for by a slightly lower ordinary
// error (tail) rate over that week, so at every week boundary each counter
// equals its closed-form baseline and no sum over past incidents is needed.
// Noise comes from a fast hash of (seed, series, step), never from
// math/rand state.
//
// The simulator has no clock. Callers say what "now" is: Query evaluates
// at q.End, Collector and Handler take a now function. Values at a time
// between two steps are those of the earlier step (PromQL's lookback does
// this by itself).
//
// # Querying
//
// *Sim is a storage.Queryable (samples are generated lazily while series
// are iterated, with a per-query table of the sin/cos values they share)
// and a datasources.Source whose Query runs the real PromQL engine over it
// (one engine per Sim). Push adds samples (UpdateMetrics): they are kept in
// memory, bounded, and merged with the generated series.
//
// The package never imports Fyne and builds with CGO_ENABLED=0.
package sim
