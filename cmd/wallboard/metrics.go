package main

import "github.com/prometheus/client_golang/prometheus"

// firstFrameSeconds is the time from the process's start to the first frame
// on which every panel of the first dashboard showed data or an error.
var firstFrameSeconds = prometheus.NewGauge(prometheus.GaugeOpts{
	Name: "wallboard_first_complete_frame_seconds",
	Help: "Seconds from the process start to the first frame with every panel of the first dashboard drawn.",
})

func init() { prometheus.MustRegister(firstFrameSeconds) }
