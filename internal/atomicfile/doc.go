// Package atomicfile replaces files so that readers see the old file or the
// whole new one, never a part, and a failure leaves the old file as it was:
// what is written goes to a temporary file in the same directory, which is
// synced, given mode 0644 and renamed over the target, and the directory
// is synced too where the system allows it. Use it for every file a user
// keeps: layouts, saved views, PNG and CSV exports.
package atomicfile
