package prometheus

import (
	"context"
	"math"
	"strconv"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// Alert is one pending or firing alert a Prometheus server reports
// (/api/v1/alerts).
type Alert struct {
	// Name is the alertname label; Labels are all its labels (alertname
	// and severity included), Annotations its annotations.
	Name        string
	Labels      map[string]string
	Annotations map[string]string
	// Firing is false for a pending alert.
	Firing bool
	// ActiveAt is when the alert's condition started to hold.
	ActiveAt time.Time
	// Value is the expression's value when last evaluated (NaN if unknown).
	Value float64
}

// AlertingRule is one alerting rule a Prometheus server evaluates
// (/api/v1/rules).
type AlertingRule struct {
	Group, Name, Query string
	// For is how long the condition must hold before the alert fires.
	For time.Duration
	// Labels and Annotations are the rule's own.
	Labels, Annotations map[string]string
	// State is "inactive", "pending" or "firing"; Health "ok", "err" or
	// "unknown".
	State, Health, LastError string
	LastEvaluation           time.Time
}

// Alerts reads the server's alerting rules and its pending and firing
// alerts. Errors are *datasources.QueryError classified as Query's are, by
// the same rules, so an outage reads the same on a panel and in the alert
// list.
func (s *Source) Alerts(ctx context.Context) ([]AlertingRule, []Alert, error) {
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	c := new(call)
	defer c.done()
	ctx = context.WithValue(ctx, callKey{}, c)
	rules, err := s.api.Rules(ctx, nil)
	if err != nil {
		return nil, nil, s.classify(ctx, "/api/v1/rules", budget, c.status, err)
	}
	c.status = 0
	alerts, err := s.api.Alerts(ctx)
	if err != nil {
		return nil, nil, s.classify(ctx, "/api/v1/alerts", budget, c.status, err)
	}
	var rs []AlertingRule
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			ar, ok := r.(v1.AlertingRule)
			if !ok {
				continue
			}
			rs = append(rs, AlertingRule{
				Group:          g.Name,
				Name:           ar.Name,
				Query:          ar.Query,
				For:            time.Duration(ar.Duration * float64(time.Second)),
				Labels:         labelMap(ar.Labels),
				Annotations:    labelMap(ar.Annotations),
				State:          ar.State,
				Health:         string(ar.Health),
				LastError:      ar.LastError,
				LastEvaluation: ar.LastEvaluation,
			})
		}
	}
	var as []Alert
	for _, pa := range alerts.Alerts {
		if pa.State != v1.AlertStateFiring && pa.State != v1.AlertStatePending {
			continue
		}
		v, err := strconv.ParseFloat(pa.Value, 64)
		if err != nil {
			v = math.NaN()
		}
		as = append(as, Alert{
			Name:        string(pa.Labels[model.AlertNameLabel]),
			Labels:      labelMap(pa.Labels),
			Annotations: labelMap(pa.Annotations),
			Firing:      pa.State == v1.AlertStateFiring,
			ActiveAt:    pa.ActiveAt,
			Value:       v,
		})
	}
	return rs, as, nil
}

func labelMap(ls model.LabelSet) map[string]string {
	m := make(map[string]string, len(ls))
	for k, v := range ls {
		m[string(k)] = string(v)
	}
	return m
}
