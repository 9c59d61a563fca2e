package alerts

// Ack acknowledges the alert with id (local or remote) until it resolves:
// it stays listed, marked Acknowledged, and Filter.Unacknowledged (the
// kiosk banner) drops it. It reports whether the alert was found.
// Acknowledgements are local to this Evaluator and not persisted.
func (e *Evaluator) Ack(id string) bool { return e.setAck(id, true) }

// Unack withdraws an acknowledgement.
func (e *Evaluator) Unack(id string) bool { return e.setAck(id, false) }

func (e *Evaluator) setAck(id string, ack bool) bool {
	e.mu.Lock()
	a := e.find(id)
	if a == nil {
		e.mu.Unlock()
		return false
	}
	changed := a.Acknowledged != ack
	a.Acknowledged = ack
	if a.Origin != OriginWallboard {
		if ack {
			e.acks[id] = remoteAck{remote: a.Origin + "\x00" + a.Source, activeAt: a.ActiveAt}
		} else {
			delete(e.acks, id)
		}
	}
	e.mu.Unlock()
	e.finish(nil, changed)
	return true
}
