//go:build race

package charts

// raceEnabled: the race detector empties sync.Pools at random, so
// allocation counts mean nothing under it.
const raceEnabled = true
