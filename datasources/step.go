package datasources

import "time"

// AutoPoints is how many points a range query aims at when nobody asked for
// a step: the one step policy of the program, used by the wall for every
// panel and by every source for a query without a step.
const AutoPoints = 400

// AutoStep is the step for a range of length span: about AutoPoints
// points, a whole multiple of minStep (rounded to the nearest), never finer
// than minStep.
func AutoStep(span, minStep time.Duration) time.Duration {
	if minStep <= 0 {
		minStep = time.Second
	}
	s := span / AutoPoints
	if s < minStep {
		return minStep
	}
	return s.Round(minStep)
}
