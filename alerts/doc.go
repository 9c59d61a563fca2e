// Package alerts is Wallboard's alerting: rules from a layout (a widget's
// thresholds and explicit rules), an Evaluator that runs them on the data
// the panels already show, the alerts of real Prometheus servers beside
// the local ones, a history of every transition kept in bbolt, and the
// firing periods drawn on time series.
//
// # Rules and states
//
// RulesFromLayout turns a layout into Rules: one per threshold level of
// every widget with thresholds (named "<dashboard>/<widget> <severity>",
// on the widget's first query) and one per explicit layout rule. An
// Evaluator keeps one Alert per rule and series (label set), moving it
// Inactive → Pending → Firing → Resolved → Inactive: Pending while the
// condition has held for less than the rule's For, Firing after, and
// Resolved once the value is back past the threshold by the rule's
// Hysteresis (an absolute band in the value's units), so that a value
// hovering on the threshold does not flap. Every state change is a
// Transition, recorded in memory and in the History.
//
// # Feeding the Evaluator (no second polling)
//
// The Evaluator never queries anything: it is fed the scheduler's results.
// Every method takes the evaluation time, so tests use a fake clock.
// Package wall (StartAlerting) wires it like this:
//
//	rules := alerts.RulesFromLayout(layout)
//	ev.SetRules(rules, time.Now())
//	// for every dashboard (not only the visible one, so that a playlist can
//	// jump to an alert) and every widget with rules:
//	unsubscribe := sched.Subscribe(panelRequest(d, w), ev.Subscriber(rulesOf(d.ID, w.ID)...))
//
// where panelRequest is the very live.Request the panel subscribes with
// (same source name, expanded expression, step, window and interval):
// the scheduler keys pollers by request, so the panel and the rules share
// one poller and see the same results. Rules with no widget (Widget empty)
// get their own subscription: an instant query of Rule.Expr on
// Rule.Source with a Window (e.g. 5m) and the dashboard's refresh as
// Interval. ObserveResult ignores stale, failed and old results (the
// alerts keep their state, marked Stale) and data of a panel showing the
// past (no point within the lookback of now).
//
// # Prometheus
//
// The Prometheus source (datasources/prometheus, Source.Alerts) reads a
// server's /api/v1/alerts and /api/v1/rules, with the same transport and
// error classification as its queries; FromPrometheus turns them into a
// Snapshot of the same Alert type with Origin "prometheus" (local ones have
// "wallboard"), and PollPrometheus polls until its context ends, handing
// each Snapshot to Evaluator.SetRemote, which records their transitions:
//
//	wg.Add(1)
//	go func() { defer wg.Done(); alerts.PollPrometheus(ctx, src, "prom", 15*time.Second, ev.SetRemote) }()
//
// The files follow the Evaluator's responsibilities: evaluator.go (state,
// rules, queries of the state), observe.go (the state machine fed by
// results), remote.go (remote sources' snapshots), restore.go (alerts read
// back from the history, and the one rule that retires those not seen
// again), acks.go, log.go (the transition log) and periods.go (firing
// periods). Severities sort by layouts.SeverityRank, as alert lists do.
//
// # Showing alerts
//
// Active(Filter) lists alerts sorted by severity, then youngest first;
// Worst gives a panel frame's colour; Ack acknowledges an alert locally
// (Filter.Unacknowledged then drops it from the kiosk banner, not from the
// list); OnChange and OnTransition call back after changes (from the
// goroutine that made them: the UI re-renders inside fyne.Do);
// FiringPeriods (and MergePeriods) give the regions to draw on a time
// series, from the history and the current state.
//
// # History
//
// A History keeps every transition in a bbolt bucket (DefaultBucket) of a
// shared file, e.g. the history cache's (OpenHistory, opened after the
// cache so that the cache's format check sees a file it created), or of a
// file of its own (OpenHistoryFile). It keeps DefaultRetention (24 h, or
// the layout's alerts.history: RetentionOf), pruned on open and on every
// write; records are versioned and decoding damaged ones is an error
// wrapping ErrCorrupt, never a panic. An Evaluator created over a History
// reads back its transitions: the history list and the firing periods
// survive restarts, and an alert that was firing resumes (without waiting
// its For again) when its rule sees the condition still holding.
//
// The package imports neither Fyne nor the UI and builds with
// CGO_ENABLED=0.
package alerts
