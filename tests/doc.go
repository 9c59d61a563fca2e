// Package tests holds end-to-end tests that span packages: they build the
// wallboard binary and drive its command line as scripts and operators do.
// Tests that need real servers (Prometheus, InfluxDB) join them here and
// start those servers themselves on loopback.
package tests
